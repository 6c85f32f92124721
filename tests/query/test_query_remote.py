"""kg push and kg query --endpoint against a separate, real `oxigraph serve` process."""
import json
import threading
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError
from kg.query.remote import check_url, push, query_endpoint

EVIL = '"} ; DROP ALL ; #'


def _json_rows(output):
    doc = json.loads(output)
    return doc["head"]["vars"], doc["results"]["bindings"]


def _cli(*args):
    return CliRunner().invoke(main, [*map(str, args)])


@pytest.fixture
def pushed(oxigraph_server, seed_store_path):
    r = _cli("push", "--endpoint", oxigraph_server + "/store", "--store", seed_store_path)
    assert r.exit_code == 0, r.output
    return oxigraph_server


@pytest.mark.parametrize("name", ["meetings", "positions", "attacks", "relations"])
def test_push_then_query_endpoint_gives_the_local_rows(pushed, seed_store_path, name):
    local = _cli("query", name, "--store", seed_store_path, "--format", "json")
    remote = _cli("query", name, "--endpoint", pushed + "/query", "--format", "json")
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert _json_rows(remote.output) == _json_rows(local.output)
    assert _json_rows(local.output)[1]  # not two empty answers


def test_push_sends_every_graph_and_pushing_again_replaces(pushed, seed_store):
    from kg.namespaces import BUILD_LOG_GRAPH, ENTITY_GRAPH

    sent = push(seed_store, pushed + "/store")
    assert str(ENTITY_GRAPH) in sent and str(BUILD_LOG_GRAPH) in sent
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    res = query_endpoint(pushed + "/query", q)
    assert int(res.result.rows[0][0]) == sum(sent.values()) == seed_store.quad_count()


def test_endpoint_param_is_matched_literally(pushed):
    g = "https://w3id.org/newskg/graph/test"
    body = ox.serialize([ox.Triple(ox.NamedNode("https://w3id.org/newskg/id/org/evil"),
                                   ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                                   ox.Literal(EVIL))], format=ox.RdfFormat.N_TRIPLES)
    req = urllib.request.Request(f"{pushed}/store?graph={g}", data=body, method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=10).close()
    q = "SELECT ?label ?e WHERE { ?e skos:prefLabel ?label }"
    r = _cli("query", q, "--param", f"label={EVIL}", "--endpoint", pushed + "/query", "--format", "json")
    assert r.exit_code == 0, r.output
    _, got = _json_rows(r.output)
    assert got == [{"label": {"type": "literal", "value": EVIL},
                    "e": {"type": "uri", "value": "https://w3id.org/newskg/id/org/evil"}}]
    # and the store still has every document
    docs = query_endpoint(pushed + "/query", "SELECT ?d WHERE { ?d a kg:Document }")
    assert len(docs.result.rows) == 2


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    "LOAD <http://127.0.0.1:{port}/x.ttl>",
    "INSERT DATA {{ <http://x> <http://y> <http://z> }}",
])
def test_refused_queries_never_reach_the_endpoint(listening_socket, template):
    port, connections = listening_socket
    q = template.format(port=port)
    r = _cli("query", q, "--endpoint", f"http://127.0.0.1:{port}/query")
    assert r.exit_code == 1 and "kg: error" in r.output and "Traceback" not in r.output
    with pytest.raises(QueryError):
        query_endpoint(f"http://127.0.0.1:{port}/query", q)
    threading.Event().wait(0.5)
    assert connections == []


def test_endpoint_errors_are_clear(listening_socket):
    port, connections = listening_socket
    with pytest.raises(QueryError, match=r"HTTP 500|cannot reach the endpoint"):
        query_endpoint(f"http://127.0.0.1:{port}/query", "ASK { ?s ?p ?o }")
    assert len(connections) == 1  # the socket answers 500 to whoever connects
    with pytest.raises(QueryError, match="http:// or https://"):
        check_url("file:///etc/passwd")
    r = _cli("push", "--endpoint", "ftp://example.org/", "--store", "nowhere")
    assert r.exit_code == 1


def test_unreachable_endpoint_is_one_line(tmp_path):
    from kg.query.serve import free_port

    r = _cli("query", "ASK { ?s ?p ?o }", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert r.exit_code == 1 and "cannot reach the endpoint" in r.output and len(r.output.strip().splitlines()) == 1


def test_parameter_inside_a_subquery_is_refused_before_sending(listening_socket):
    port, connections = listening_socket
    r = _cli("query", "entity", "--param", "entity=Asim Munir", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert r.exit_code == 1 and "inside a sub-query" in r.output
    threading.Event().wait(0.3)
    assert connections == []
