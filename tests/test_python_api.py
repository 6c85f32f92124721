"""The Python API (`import kg`): docs/python-api.md and the README's "Use from Python" run as
doctests on stores built from seeds/; `import kg` stays cheap."""
from __future__ import annotations

import doctest
import os
import subprocess
import sys

import pytest

from conftest import ROOT

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("document", ["docs/python-api.md", "README.md"])
def test_examples_run(document, tmp_path, nlp, monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples name seeds/ from the checkout's root
    result = doctest.testfile(str(ROOT / document), module_relative=False, globs={"tmp": str(tmp_path)},
                              optionflags=OPTIONS, report=True, verbose=False)
    assert result.attempted > 0, f"no example in {document}"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {document} failed (see above)"


def test_import_kg_is_cheap_and_names_the_api():
    code = ("import sys, kg; print(sorted(m for m in sys.modules if m.startswith(('kg.', 'rdflib', 'networkx', "
            "'spacy', 'pyoxigraph')))); print(all(callable(getattr(kg, n)) for n in kg.__all__ if n != '__version__'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]" and out[1] == "True"


def test_the_packages_stay_packages_when_called():
    import kg
    import kg.query.run  # noqa: F401 - the subpackage, imported before the call
    from kg.query.saved import load_query

    assert callable(kg.query) and kg.query.run.run_query and load_query("meetings").shipped


def test_frame_without_pandas_says_what_to_install(seed_store_path, monkeypatch):
    import kg
    from kg.errors import KGError

    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(KGError, match="pip install pandas"):
        kg.query(seed_store_path, "meetings", frame=True)
    assert kg.query(seed_store_path, "ASK { ?s ?p ?o }") is True
