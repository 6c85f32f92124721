"""The command line's conventions (issue 27): errors, `-` for standard output, --format json,
-h, --version, KG_STORE, shell completion. On the hand-made mini store where no build is needed."""
from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import SEEDS, build_mini_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("conventions") / "store"
    build_mini_store(path).close()
    return path


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


# ------------------------------------------------------------------------------ kg build typo/
def test_build_of_a_missing_path_is_an_error_and_creates_nothing(tmp_path):
    r = run("build", tmp_path / "typo", "--store", tmp_path / "s")
    assert r.exit_code == 1, r.output
    assert r.output == f"kg: error: {(tmp_path / 'typo').as_posix()}: no such file or directory\n"
    assert not (tmp_path / "s").exists()
    # with a real path beside it too, and for --shards
    r = run("build", SEEDS, tmp_path / "typo", "--shards", tmp_path / "shards")
    assert r.exit_code == 1 and "typo" in r.output
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ `-` is stdout
def test_export_to_stdout(store, tmp_path):
    r = CliRunner().invoke(main, ["export", "graphml", "-", "--store", str(store)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("<?xml") and r.stderr.startswith("wrote -: actors view, ")
    path = tmp_path / "g.graphml"
    path.write_text(r.stdout, encoding="utf-8")
    assert nx.read_graphml(path).number_of_nodes() > 0
    for fmt in ("json", "cytoscape", "gexf"):
        r = CliRunner().invoke(main, ["export", fmt, "-", "--store", str(store)])
        assert r.exit_code == 0 and r.stdout.lstrip()[:1] in "{<", (fmt, r.stderr)
    r = run("export", "csv", "-", "--store", store)
    assert r.exit_code == 1 and "csv writes two files" in r.output


def test_dump_to_stdout_is_the_dump(store, tmp_path):
    r = CliRunner().invoke(main, ["dump", "-", "--store", str(store)])
    assert r.exit_code == 0, r.stderr
    assert run("dump", tmp_path / "d.nq", "--store", store).exit_code == 0
    assert r.stdout_bytes == (tmp_path / "d.nq").read_bytes()
    assert r.stderr.startswith("wrote -: ")
    r = CliRunner().invoke(main, ["dump", "-", "--format", "trig", "--store", str(store)])
    assert r.exit_code == 0 and "{" in r.stdout and "wrote" not in r.stdout
