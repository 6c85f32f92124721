"""The package as a user gets it: `pip wheel .`, installed non-editable into a fresh venv, works
from an empty folder with no checkout in sight (its ontology and saved queries come inside it)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

# What a copy of the checkout leaves out: local state at its top, caches anywhere.
_LOCAL = {".git", ".venv", "kg-store", "build", "dist", "out"}
_CACHES = shutil.ignore_patterns("*.egg-info", "__pycache__", ".pytest_cache", "node_modules")


def _not_source(folder: str, names: list[str]) -> set[str]:
    top = {n for n in names if n in _LOCAL} if Path(folder) == ROOT else set()
    return top | set(_CACHES(folder, names))


def _run(cmd: list, cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh venv holding newskg from its wheel (dependencies from PyPI)."""
    tmp = tmp_path_factory.mktemp("package")
    src = tmp / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=_not_source)
    wheels = tmp / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, "."], src)
    assert built.returncode == 0, built.stderr
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = next(wheels.glob("newskg-*.whl"))
    done = _run([venv / "bin" / "python", "-m", "pip", "install", "-q", wheel], tmp)
    assert done.returncode == 0, done.stderr
    return venv / "bin"


def test_the_wheel_carries_the_ontology_and_the_saved_queries(installed):
    wheel = next((installed.parent.parent / "wheels").glob("newskg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in (ROOT / "ontology").iterdir():
        assert f"kg/ontology/data/{f.name}" in names
    for f in (ROOT / "queries").glob("*.rq"):
        assert f"kg/query/saved/{f.name}" in names


def test_build_query_and_validate_from_an_empty_folder(installed, tmp_path):
    work = tmp_path / "empty"
    work.mkdir()
    shutil.copytree(SEEDS, work / "seeds")
    where = _run([installed / "python", "-c", "import kg; print(kg.__file__)"], work)
    assert str(installed.parent) in where.stdout, f"kg imported from {where.stdout!r}, not the venv"

    build = _run([installed / "kg", "build", "--quiet", "seeds/"], work)
    assert build.returncode == 0, build.stderr
    assert "built 2 document(s)" in build.stdout

    meetings = _run([installed / "kg", "query", "meetings"], work)
    assert meetings.returncode == 0, meetings.stderr
    rows = re.search(r"\((\d+) rows?\)", meetings.stdout)
    assert rows and int(rows.group(1)) > 0, meetings.stdout

    listed = _run([installed / "kg", "queries"], work)
    assert listed.returncode == 0, listed.stderr
    for q in (ROOT / "queries").glob("*.rq"):
        assert re.search(rf"^{re.escape(q.stem)}\b", listed.stdout, re.M), f"{q.stem} not listed"

    valid = _run([installed / "kg", "validate"], work)
    assert valid.returncode == 0, valid.stdout + valid.stderr


def test_the_wheel_carries_license_metadata_and_needs_no_matplotlib(installed, tmp_path):
    wheel = next((installed.parent.parent / "wheels").glob("newskg-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in meta and "Provides-Extra: viz" in meta
    assert re.search(r"^Requires-Dist: pyoxigraph<0\.6,>=0\.5$", meta, re.M), meta
    assert re.search(r"^Requires-Dist: oxigraph<0\.6,>=0\.5$", meta, re.M), meta
    assert not re.search(r"^Requires-Dist: matplotlib[^;]*$", meta, re.M)  # only with an extra
    # installed without extras: the page works, the PNG says which extra it needs
    work = tmp_path / "w"
    work.mkdir()
    shutil.copytree(SEEDS, work / "seeds")
    assert _run([installed / "kg", "build", "--quiet", "seeds/"], work).returncode == 0
    page = _run([installed / "kg", "viz", "net.html"], work)
    assert page.returncode == 0, page.stderr
    png = _run([installed / "kg", "viz", "net.png"], work)
    assert png.returncode == 1 and "pip install 'newskg[viz]'" in png.stderr and len(png.stderr.splitlines()) == 1
