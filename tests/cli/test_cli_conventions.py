"""The command line's conventions (issue 27): errors, `-` for standard output, --format json,
-h, --version, KG_STORE, shell completion. On the hand-made mini store where no build is needed."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import SEEDS, build_mini_store

KG = str(Path(sys.executable).parent / "kg")  # the installed command, as a shell runs it


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


# ------------------------------------------------------------------------------ --format json
@pytest.mark.parametrize("command", ["stats", "validate"])
def test_reports_as_json(store, command):
    r = run(command, "--format", "json", "--store", store)
    assert r.exit_code in (0, 1), r.output  # validate exits 1 on violations (the mini store has some)
    data = json.loads(r.stdout)
    if command == "stats":
        assert data["documents"] == 2 and data["entities"]["kg:Person"] == 2
    else:
        assert data["conforms"] is (r.exit_code == 0) and isinstance(data["results"], list)


def test_docs_as_json(seed_store_path):
    r = run("docs", "--format", "json", "--store", seed_store_path)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data) == 2 and all(d["source"].endswith(".txt") and d["triples"] > 0 for d in data)
    table = run("docs", "--store", seed_store_path).stdout
    assert all(d["doc"] in table and d["title"] in table for d in data)


def test_queries_as_json():
    r = run("queries", "--format", "json")
    assert r.exit_code == 0
    by_name = {q["name"]: q for q in json.loads(r.stdout)}
    assert "meetings" in by_name and "entity" in by_name["entity"]["parameters"]


# ------------------------------------------------------------------------------ -h, --version, KG_STORE
@pytest.mark.parametrize("command", [[], *[[c] for c in main.commands]])
def test_dash_h_is_help_everywhere(command):
    short, long = run(*command, "-h"), run(*command, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.output == long.output and short.output.startswith("Usage: ")


def test_version():
    from kg import __version__

    for flag in ("--version", "-V"):
        r = run(flag)
        assert r.exit_code == 0 and r.output == f"kg, version {__version__}\n"


def test_kg_store_environment_variable(store, tmp_path):
    r = run("stats", "--format", "json", env={"KG_STORE": str(store)})
    assert r.exit_code == 0 and json.loads(r.stdout)["documents"] == 2
    # --store still wins
    r = run("stats", "--store", tmp_path / "none", env={"KG_STORE": str(store)})
    assert r.exit_code == 1 and "none" in r.output
    assert "KG_STORE" in run("stats", "--help").output


# ------------------------------------------------------------------------------ shell completion
def _complete(words: str, env_extra: dict | None = None) -> list[str]:
    import os

    env = dict(os.environ, _KG_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1))
    p = subprocess.run([KG], env=env, capture_output=True, text=True, timeout=60)
    return p.stdout.splitlines()


def test_shell_completion_script_and_saved_query_names():
    import os

    env = dict(os.environ, _KG_COMPLETE="bash_source")
    script = subprocess.run([KG], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "complete -o nosort -F _kg_completion kg" in script
    assert _complete("kg query me") == ["plain,meetings"]
    assert "plain,positions" in _complete("kg query p")
    assert _complete("kg que") == ["plain,queries", "plain,query"]
    assert _complete("kg query ./q") == ["file,./q"]  # a path: the shell completes file names


# ------------------------------------------------------------------------------ --param on a user's file
def test_param_on_a_users_own_query_file(store, tmp_path):
    f = tmp_path / "who.rq"
    f.write_text("SELECT ?name ?e WHERE { ?e skos:prefLabel ?name }\n")
    r = run("query", f, "--param", "name=Asim Munir", "--format", "csv", "--store", store)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1].startswith("Asim Munir,")
    r = run("query", f, "--param", "nope=1", "--store", store)
    assert r.exit_code == 1 and "the query has no variable ?nope" in r.output and "saved query" not in r.output
    # a file that declares its parameters needs them, and says which file it is
    g = tmp_path / "declared.rq"
    g.write_text("# param: name - the label\nSELECT ?name ?e WHERE { ?e skos:prefLabel ?name }\n")
    r = run("query", g, "--store", store)
    assert r.exit_code == 1 and f"query file {g} needs parameter(s) name: the label" in r.output
    assert "saved query" not in r.output


# ------------------------------------------------------------------------------ the README's error claim
# "Every error a user can cause prints one line naming the file or query and the problem, and
# exits 1; a mistake in the command line itself gets click's usage message and exit 2."
USAGE_MISTAKES = [
    ["frobnicate"],
    ["query"],
    ["query", "meetings", "--no-such-option"],
    ["query", "meetings", "--format", "yaml"],
    ["build", "seeds/", "--jobs", "many"],
    ["export", "dot", "out.dot"],
    ["stats", "--format", "xml"],
]


@pytest.mark.parametrize("args", USAGE_MISTAKES, ids=lambda a: " ".join(a))
def test_command_line_mistakes_get_clicks_usage_message_and_exit_2(args):
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert r.output.startswith("Usage: ") and "\nError: " in r.output and "Traceback" not in r.output


# (arguments, what the one line must name); {store} is a built store, {tmp} a fresh folder
USER_ERRORS = [
    (["build", "{tmp}/typo/"], "{tmp}/typo"),
    (["query", "meetings", "--store", "{tmp}/nostore"], "{tmp}/nostore"),
    (["query", "SELECT * WHERE {", "--store", "{store}"], "line 1"),
    (["query", "{tmp}/missing.rq", "--store", "{store}"], "{tmp}/missing.rq"),
    (["query", "nosuchquery", "--store", "{store}"], "nosuchquery"),
    (["query", "entity", "--store", "{store}"], "saved query 'entity'"),
    (["query", "meetings", "--param", "oops", "--store", "{store}"], "oops"),
    (["query", "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "--store", "{store}"], "SERVICE"),
    (["explain", "Nobody At All", "--store", "{store}"], "Nobody At All"),
    (["remove", "{tmp}/never-built.txt", "--store", "{store}"], "never-built.txt"),
    (["dump", "{tmp}/out.txt", "--store", "{store}"], "{tmp}/out.txt"),
    (["load", "{tmp}/missing.nq", "--store", "{tmp}/other"], "{tmp}/missing.nq"),
    (["load", "{tmp}/bad.nq", "--store", "{tmp}/other"], "{tmp}/bad.nq"),
    (["export", "graphml", "{tmp}/no/such/folder.graphml", "--store", "{store}"], "{tmp}/no/such/folder.graphml"),
    (["export", "csv", "-", "--store", "{store}"], "-"),
    (["viz", "{tmp}/picture.svg", "--store", "{store}"], "{tmp}/picture.svg"),
    (["eval", "{tmp}/gold-missing", "--store", "{store}"], "{tmp}/gold-missing"),
    (["stats", "--store", "{tmp}/nostore"], "{tmp}/nostore"),
]


@pytest.mark.parametrize("args, names", USER_ERRORS, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_every_user_error_is_one_line_naming_the_problem_and_exit_1(store, tmp_path, args, names):
    (tmp_path / "bad.nq").write_text("this is not N-Quads\n")
    fill = {"{tmp}": tmp_path.as_posix(), "{store}": str(store)}
    for k, v in fill.items():
        args = [a.replace(k, v) for a in args]
        names = names.replace(k, v)
    r = run(*args)
    assert r.exit_code == 1, r.output
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    if "syntax error" in r.stderr:
        # the one documented addition: the query's line and a caret under the column
        assert len(lines) == 3 and lines[2].strip() == "^" and lines[1].strip() == args[1].strip()
        lines = lines[:1]
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and names in lines[0], r.stderr
    assert not (tmp_path / "other").exists() and not (tmp_path / "nostore").exists()


# ------------------------------------------------------------------------------ kg viz: the connected part
def test_viz_draws_the_connected_part_and_says_what_it_left_out(store, tmp_path):
    r = run("viz", tmp_path / "net.html", "--store", store)
    assert r.exit_code == 0, r.output
    assert r.stdout == f"wrote {tmp_path / 'net.html'}: actors view, 7 nodes, 6 edges\n"
    assert r.stderr == "kg: left out 2 node(s) without any edge; --all draws them\n"
    page = (tmp_path / "net.html").read_text(encoding="utf-8")
    assert "place:iran" not in page and "person:asim-munir" in page
    r = run("viz", tmp_path / "all.html", "--all", "--store", store)
    assert r.exit_code == 0 and r.stderr == "" and ": actors view, 9 nodes, 6 edges" in r.stdout
    assert "place:iran" in (tmp_path / "all.html").read_text(encoding="utf-8")


def test_a_failed_export_to_stdout_prints_no_half_file(store, monkeypatch):
    from kg.network.formats import nodelink

    def half_then_crash(data, fh):
        fh.write(b'{"nodes": [')
        raise RuntimeError("power cut")

    monkeypatch.setattr(nodelink, "serialize", half_then_crash)
    r = run("export", "json", "-", "--store", store)
    assert r.exit_code == 1 and r.stdout == "" and "power cut" in r.stderr
