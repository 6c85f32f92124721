"""Queries that would reach the network or the file system (issue 26, "through queries").

Every spelling is refused by `kg query` on the local store and by `kg query --endpoint` before
anything is sent, with a loopback socket that must see no connection; the `kg serve` front's
refusals are in tests/hostile/test_hostile_serve.py.
"""
from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError
from kg.query.guard import parse_check, prescan
from kg.query.run import STORE_IRI_BASE, check_query

SPELLINGS = {
    # Oxigraph reads `SERVICE:q` as the keyword SERVICE followed by the prefixed name `:q`
    "service-prefix": "PREFIX SERVICE: <x:> PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE:q {{ ?s ?p ?o }} }}",
    "service-prefix-lower": "PREFIX service: <x:> PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ service:q {{ ?s ?p ?o }} }}",
    # Oxigraph ends a comment at \r
    "comment-cr": "SELECT * WHERE {{ #c\rSERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }}\n}}",
    "from-prefix": "PREFIX FROM: <file:///etc/> SELECT * FROM:passwd WHERE {{ ?s ?p ?o }}",
    "from-comment-cr": "SELECT * #\r FROM <file:///etc/passwd>\nWHERE {{ ?s ?p ?o }}",
    "from-named-cr": "SELECT * #\r FROM NAMED <http://127.0.0.1:{port}/g>\nWHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    # SPARQL decodes \\u escapes before it parses
    "service-escape": "SELECT * WHERE {{ SERVI\\u0043E <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "service-escape-long": "SELECT * WHERE {{ SERVI\\U00000043E <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "escape-in-string": "SELECT * WHERE {{ ?s ?p \"x\\u0022 }} SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} #\" }}",
    "graph-prefix": "PREFIX GRAPH: <http://127.0.0.1:{port}/> SELECT * WHERE {{ GRAPH:x {{ ?s ?p ?o }} }}",
    "service-lateral": "SELECT * WHERE {{ LATERAL {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
    "service-silent": "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "service-var": "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "vertical-tab": "SELECT * WHERE {{ ?s ?p ?o \x0bSERVICE <http://127.0.0.1:{port}/> {{ }} }}",
    "nbsp": "SELECT * WHERE {{ ?s ?p ?o .\u00a0SERVICE <http://127.0.0.1:{port}/> {{ }} }}",
    "backslash-local": "PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ ?s e:a\\.b ?o }}",
}


def _quiet(connections):
    threading.Event().wait(0.3)
    return connections == []


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_every_spelling_is_refused_by_the_check(name):
    q = SPELLINGS[name].format(port=1)
    with pytest.raises(QueryError):
        check_query(q)


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_kg_query_refuses_on_the_local_store_and_nothing_connects(seed_store_path, listening_socket, name):
    port, connections = listening_socket
    r = CliRunner().invoke(main, ["query", SPELLINGS[name].format(port=port), "--store", str(seed_store_path)])
    assert r.exit_code == 1, r.output
    assert r.output.startswith("kg: error:") and "Traceback" not in r.output
    assert _quiet(connections)


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_endpoint_refuses_before_sending(listening_socket, name):
    port, connections = listening_socket
    r = CliRunner().invoke(main, ["query", SPELLINGS[name].format(port=port), "--endpoint",
                                  f"http://127.0.0.1:{port}/query"])
    assert r.exit_code == 1, r.output
    assert r.output.startswith("kg: error:") and "Traceback" not in r.output
    assert _quiet(connections)


def test_the_command_line_gives_one_line(seed_store_path, listening_socket):
    port, connections = listening_socket
    p = subprocess.run([sys.executable, "-m", "kg.cli", "query", SPELLINGS["comment-cr"].format(port=port),
                        "--store", str(seed_store_path)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1 and p.stdout == ""
    assert len(p.stderr.strip().splitlines()) == 1 and "control character U+000D" in p.stderr
    assert _quiet(connections)


def test_the_algebra_walk_finds_service_whatever_the_tokens_said():
    # the second reading on its own: a parser that sees the keyword, whatever the prefix
    with pytest.raises(QueryError, match="SERVICE"):
        parse_check("PREFIX SERVICE: <x:> PREFIX : <http://127.0.0.1:1/> SELECT * WHERE { SERVICE:q { ?s ?p ?o } }",
                    {}, STORE_IRI_BASE)
    with pytest.raises(QueryError, match="file:///etc/passwd"):
        parse_check("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", {}, STORE_IRI_BASE)
    with pytest.raises(QueryError, match="FROM NAMED <http://x/>"):
        parse_check("SELECT * FROM NAMED <http://x/> WHERE { ?s ?p ?o }", {}, STORE_IRI_BASE)


def test_prescan_keeps_what_strings_and_iris_may_hold():
    prescan("SELECT * WHERE { ?s ?p \"tab\tand \\\"quote\\\" # not a comment\" . ?s ?q <http://x/#a> }")
    prescan("SELECT * WHERE { ?s ?p '''two\r\nlines''' }")  # a long string may hold a CR
    prescan("# comment\nSELECT * WHERE { FILTER(?a<?b) }")


def test_a_huge_query_is_refused_before_parsing():
    with pytest.raises(QueryError, match="too large"):
        check_query("SELECT * WHERE { " + "?s ?p ?o . " * 30_000 + "}")


def test_rdf_star_nesting_is_refused_quickly():
    import time

    t = time.monotonic()
    with pytest.raises(QueryError):
        check_query("SELECT * WHERE { " + "<< " * 300 + "?s ?p ?o" + " >> ?p ?o" * 300 + " }")
    assert time.monotonic() - t < 5
