"""kg.query.sandbox: user queries run in a child process that is stopped at the time limit."""
import threading

import pytest

from kg.errors import QueryError, StoreError
from kg.query.sandbox import QueryTimeout, query_store
from kg.store import KGStore

from conftest import rows

# every triple against every triple against every triple: billions of rows on the seeds
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_query_past_the_time_limit_is_stopped_with_a_message(seed_store_path):
    with pytest.raises(QueryTimeout, match=r"stopped after 1 s .*--timeout"):
        query_store(seed_store_path, ENDLESS, timeout=1)
    # the store is free again: the stopped child released it
    assert query_store(seed_store_path, "ASK { ?d a kg:Document }").result.boolean is True


def test_row_cap_keeps_the_first_rows_and_says_so(seed_store_path, seed_store):
    q = "SELECT ?e WHERE { GRAPH <https://w3id.org/newskg/graph/entities> { ?e a ?t } } ORDER BY ?e"
    everything = rows(seed_store, q)
    capped = query_store(seed_store_path, q, max_rows=5)
    assert capped.truncated and [tuple(map(str, r)) for r in capped.result.rows] == everything[:5]
    whole = query_store(seed_store_path, q, max_rows=len(everything))
    assert not whole.truncated and len(whole.result.rows) == len(everything)


def test_construct_results_come_back_as_a_graph(seed_store_path):
    q = "CONSTRUCT { ?e a kg:Person } WHERE { ?e a kg:Person }"
    res = query_store(seed_store_path, q, max_rows=3)
    assert res.truncated and len(res.result.graph) == 3
    assert len(query_store(seed_store_path, q).result.graph) > 3


def test_params_and_errors_cross_the_process_boundary(seed_store_path):
    q = "SELECT ?label ?e WHERE { ?e skos:prefLabel ?label }"
    got = query_store(seed_store_path, q, {"label": "Asim Munir"}).result.rows
    assert [str(e) for _, e in got] == ["https://w3id.org/newskg/id/person/asim-munir"]
    with pytest.raises(QueryError, match="the query failed"):
        query_store(seed_store_path, "SELECT (<http://x>(1) AS ?x) WHERE {}")


def test_refused_query_starts_no_child_and_makes_no_connection(seed_store_path, listening_socket):
    port, connections = listening_socket
    with pytest.raises(QueryError, match="SERVICE"):
        query_store(seed_store_path, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}")
    threading.Event().wait(0.3)
    assert connections == []


def test_a_reader_sees_the_published_state_while_a_writer_works(tmp_path):
    """A query during a write sees the store as it was; after the writer commits, as it is."""
    from rdflib import Literal, URIRef

    g, p = URIRef("https://example.org/g"), URIRef("https://example.org/p")
    with KGStore(tmp_path / "s") as store:
        store.add_triples(g, [(URIRef("https://example.org/a"), p, Literal("before"))])
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://example.org/p> ?o }"
    writer = KGStore(tmp_path / "s")
    writer.add_triples(g, [(URIRef("https://example.org/b"), p, Literal("during"))])
    assert str(query_store(tmp_path / "s", count).result.rows[0][0]) == "1"
    writer.commit()
    assert str(query_store(tmp_path / "s", count).result.rows[0][0]) == "2"
    writer.close()
