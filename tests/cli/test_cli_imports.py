"""`kg query` and `kg export` import neither spaCy nor rdflib's SPARQL engine: they start in the time
rdflib and Oxigraph take."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SEEDS

_RUN = """
import sys
from kg.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    loaded = sorted(m for m in sys.modules if m == "spacy" or m.startswith(("spacy.", "thinc")))
    print("SPACY-MODULES:", loaded)
    print("SPARQL-ENGINE:", sorted(m for m in sys.modules if m.startswith("rdflib.plugins.sparql")))
"""


@pytest.fixture(scope="module")
def closed_store(tmp_path_factory, nlp):
    """A seeds store whose lock is released, so a child process can open it."""
    from kg.build import build
    from kg.store import KGStore

    path = tmp_path_factory.mktemp("imports") / "store"
    with KGStore(path) as store:
        build([SEEDS], store)
    return path


@pytest.mark.parametrize("args", [
    ["query", "meetings"],
    ["query", "SELECT ?s WHERE { ?s a kg:Person } LIMIT 1", "--format", "json"],
    ["export", "graphml", "{tmp}/out.graphml"],
    ["queries"],
])
def test_command_does_not_import_spacy(closed_store, tmp_path, args):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if args[0] in ("query", "export"):
        args += ["--store", str(closed_store)]
    p = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "SPACY-MODULES: []" in p.stdout, p.stdout[-500:]
    # rdflib's SPARQL parser is imported to check the query (kg.query.guard; its package brings
    # the evaluator along), but Oxigraph answers: the evaluator is never called
    # (tests/query/test_query_run.py monkeypatches it to fail)


def test_the_check_sees_spacy_when_it_is_loaded():
    # the same probe on a command that does load spaCy, so the test above can fail
    p = subprocess.run([sys.executable, "-c", "import kg.nlp, sys; print('spacy' in sys.modules)"],
                       capture_output=True, text=True, timeout=120)
    assert p.stdout.strip() == "True"


def test_the_check_sees_the_sparql_engine_when_it_is_loaded():
    # rdflib's Dataset view (oxrdflib) does load it, so the assertion above can fail
    p = subprocess.run([sys.executable, "-c", "import oxrdflib, sys; print(any(m.startswith('rdflib.plugins.sparql') "
                        "for m in sys.modules))"], capture_output=True, text=True, timeout=120)
    assert p.stdout.strip() == "True"
