"""kg.query.run: refusals, running, parameters."""
from __future__ import annotations

import socket
import threading

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kg.errors import QueryError
from kg.namespaces import ID
from kg.query import check_query, load_query, run_query

from query_store import (  # noqa: F401 - `store` is the fixture
    DOC1,
    DOC2,
    IRAN,
    JAISH,
    MUNIR,
    PAKISTAN,
    SALAMI,
    TITLE1,
    TITLE2,
    values,
    store,
)


# --------------------------------------------------------------------------------------------
# check_query: refusals
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ service <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }} }}",
        "ASK {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/> AS ?svc) SERVICE ?svc {{ ?s ?p ?o }} }}",
    ],
)
def test_service_refused_without_connecting(store, listening_socket, template):
    port, connections = listening_socket
    q = template.format(port=port)
    with pytest.raises(QueryError, match="SERVICE"):
        check_query(q)
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(store, q)
    # Give a connection that should not exist time to arrive.
    threading.Event().wait(0.5)
    assert connections == []


def test_listening_socket_does_see_connections(listening_socket):
    """The socket fixture really records connections (so the test above can fail)."""
    port, connections = listening_socket
    with socket.create_connection(("127.0.0.1", port), timeout=2) as c:
        c.recv(100)
    threading.Event().wait(0.3)
    assert len(connections) == 1


@pytest.mark.parametrize(
    "q",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "BASE <file:///etc/> SELECT * FROM <passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ],
)
def test_external_dataset_clause_refused(store, q):
    with pytest.raises(QueryError, match="FROM"):
        check_query(q)
    with pytest.raises(QueryError, match="FROM"):
        run_query(store, q)


def test_from_store_graph_explains_graph_instead(store):
    with pytest.raises(QueryError, match=r"GRAPH <https://w3id.org/newskg/doc/00000000000000a1>"):
        check_query(f"SELECT * FROM <{DOC1}> WHERE {{ ?s ?p ?o }}")


def test_from_named_store_graph_allowed(store):
    q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    res = run_query(store, q.replace("WHERE", f"FROM NAMED <{DOC2}> WHERE"))
    assert values(res, "g") == [str(DOC2)]


@pytest.mark.parametrize(
    "q",
    [
        "LOAD <file:///etc/passwd>",
        "LOAD <http://example.org/x.ttl> INTO GRAPH <https://w3id.org/newskg/doc/x>",
        "INSERT DATA { <https://w3id.org/newskg/id/a> <https://w3id.org/newskg/id/b> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX kg: <https://w3id.org/newskg/ontology#> DELETE { ?s kg:x ?o } INSERT { ?s kg:y ?o } WHERE { ?s kg:x ?o }",
        "CLEAR ALL",
        "DROP ALL",
        "CREATE GRAPH <https://w3id.org/newskg/doc/x>",
    ],
)
def test_updates_refused(store, q):
    before = store.dump_nquads()
    with pytest.raises(QueryError, match="updates are not accepted on the query path"):
        check_query(q)
    with pytest.raises(QueryError, match="updates are not accepted"):
        run_query(store, q)
    assert store.dump_nquads() == before


@pytest.mark.parametrize(
    "q",
    [
        "# SERVICE <http://127.0.0.1:1/> is not called\nSELECT ?s WHERE { ?s a kg:Document }",
        'SELECT ?s WHERE { ?s a kg:Document . FILTER(?s != "SERVICE <http://127.0.0.1:1/> { }") }',
        "SELECT ?s WHERE { ?s a kg:Document . FILTER(?s != '''multi\nSERVICE line''') }",
        "SELECT ?s WHERE { ?s a kg:Document . FILTER(?s != <http://example.org/SERVICE>) }",
        "SELECT ?SERVICE WHERE { ?SERVICE a kg:Document }",
        "SELECT ?s WHERE { ?s a kg:Document . OPTIONAL { ?s kg:x.SERVICE ?o } }",
        # (a prefix named like a keyword, `service:`, is refused: Oxigraph reads `SERVICE:q` as the keyword)
        "PREFIX services: <https://example.org/>\nSELECT ?s WHERE { ?s a kg:Document . OPTIONAL { ?s services:p ?o } }",
        "SELECT ?s WHERE { ?s a kg:Document ; kg:sourcePath ?p FILTER(!CONTAINS(?p, \"from <file:///etc/passwd>\")) }",
    ],
)
def test_service_word_in_comment_or_string_not_refused(store, q):
    check_query(q)
    res = run_query(store, q)
    assert sorted(r[0] for r in res.rows) == [DOC1, DOC2]


def test_syntax_error_has_line_and_column(store):
    # the check parses the query (kg.query.guard): a syntax error is refused there, with the
    # user's line, not shifted by the PREFIX lines added above the text
    with pytest.raises(QueryError) as err:
        run_query(store, "SELECT ?s\nWHERE { ?s ?p }")
    msg = str(err.value)
    assert "syntax error at line 2, column " in msg
    assert "WHERE { ?s ?p }\n" in msg and msg.endswith("^")


@pytest.mark.parametrize(
    "q",
    [
        "SELECT * WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",  # Oxigraph parses this
        "SELECT * WHERE { ?s ?p ?o }SERVICE<http://127.0.0.1:1/>{}",
        "SELECT * WHERE { ?s ?p 1.5 . SERVICE <http://127.0.0.1:1/> { } }",
        "SELECT * WHERE { ?s ?p 'x'@en SERVICE <http://127.0.0.1:1/> { } }",
        "SELECT * WHERE { ?s kg:p. SERVICE <http://127.0.0.1:1/> { } }",
        "SELECT * WHERE { FILTER(?a<?b) SERVICE <http://127.0.0.1:1/> { } FILTER(?c>?d) }",
    ],
)
def test_service_found_between_any_tokens(q):
    with pytest.raises(QueryError, match="SERVICE"):
        check_query(q)


def test_deep_nesting_refused_before_any_parser():
    # Oxigraph's parser recurses on brackets (a few thousand levels crash the process)
    with pytest.raises(QueryError, match="nested too deeply"):
        check_query("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000)
    check_query("SELECT * WHERE " + "{" * 60 + " ?s ?p ?o " + "}" * 60)


def test_declared_prefix_is_known_and_relative_from_resolved_against_base():
    check_query("PREFIX ex: <https://example.org/>\nSELECT ?s WHERE { ?s ex:p ?o }")
    with pytest.raises(QueryError, match="unknown prefix 'ex:' at line 1"):
        check_query("SELECT ?s WHERE { ?s ex:p ?o }")
    with pytest.raises(QueryError, match="file:///etc/passwd"):
        check_query("BASE <file:///etc/>\nPREFIX e: <>\nSELECT * FROM e:passwd WHERE { ?s ?p ?o }")


def test_unknown_prefix_is_a_clear_error():
    with pytest.raises(QueryError, match="zzz"):
        check_query("SELECT ?s WHERE { ?s zzz:name ?n }")


def test_empty_query_refused():
    with pytest.raises(QueryError, match="empty"):
        check_query("   \n")


# --------------------------------------------------------------------------------------------
# run_query
# --------------------------------------------------------------------------------------------
def test_run_select_with_project_prefixes(store):
    res = run_query(store, "SELECT ?d ?t WHERE { ?d a kg:Document ; dcterms:title ?t } ORDER BY ?t")
    assert res.kind == "SELECT"
    assert res.vars == ["d", "t"]
    assert res.rows == [(DOC2, Literal(TITLE2)), (DOC1, Literal(TITLE1))]


def test_run_keeps_the_queries_own_prefix_declarations(store):
    q = "PREFIX kg: <https://example.org/other#>\nSELECT ?d WHERE { ?d a kg:Document }"
    assert run_query(store, q).rows == []
    q2 = "PREFIX k: <https://w3id.org/newskg/ontology#>\nSELECT ?d WHERE { ?d a k:Document }"
    assert len(run_query(store, q2).rows) == 2


def test_run_ask_and_construct_and_describe(store):
    assert run_query(store, "ASK { ?x a kg:ArmedGroup }").boolean is True
    assert run_query(store, "ASK { ?x a kg:Position ; kg:positionIn <https://w3id.org/newskg/id/place/iran> }").boolean is False
    res = run_query(store, "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a kg:Country ; skos:prefLabel ?l }")
    assert res.kind == "CONSTRUCT"
    assert set(res.graph) == {(IRAN, SKOS.prefLabel, Literal("Iran")), (PAKISTAN, SKOS.prefLabel, Literal("Pakistan"))}
    res = run_query(store, "DESCRIBE <https://w3id.org/newskg/id/org/jaish-al-adl>")
    assert res.kind == "DESCRIBE"
    assert (JAISH, SKOS.prefLabel, Literal("Jaish al-Adl")) in res.graph


def test_unbound_values_are_none(store):
    res = run_query(store, "SELECT ?e ?c WHERE { ?e a kg:Country . OPTIONAL { ?e kg:country ?c } } ORDER BY ?e")
    assert res.rows == [(IRAN, None), (PAKISTAN, None)]


def test_params_bind_literal_and_iri(store):
    q = "SELECT ?name ?e WHERE { ?e skos:prefLabel ?name }"
    res = run_query(store, q, {"name": "Asim Munir"})
    assert res.rows == [(Literal("Asim Munir"), MUNIR)]
    res = run_query(store, q, {"e": str(SALAMI)})
    assert res.rows == [(Literal("Hossein Salami"), SALAMI)]


def test_params_injection_string_is_matched_literally(store, tmp_path):
    evil = '"} ; DROP ALL ; #'
    before = store.dump_nquads()
    q = "SELECT ?label ?e WHERE { ?e skos:prefLabel ?label }"
    assert run_query(store, q, {"label": evil}).rows == []
    # A label that really is that string is found, as itself.
    store.replace_graph(URIRef("https://w3id.org/newskg/graph/test"), [(ID["org/evil"], SKOS.prefLabel, Literal(evil))])
    res = run_query(store, q, {"label": evil})
    assert res.rows == [(Literal(evil), ID["org/evil"])]
    assert store.dump_nquads() != before  # our own insert only
    assert len(run_query(store, "SELECT ?d WHERE { ?d a kg:Document }").rows) == 2


def test_params_http_looking_but_invalid_iri_is_literal(store):
    q = "SELECT ?label ?e WHERE { ?e skos:prefLabel ?label }"
    assert run_query(store, q, {"label": "http://bad iri/"}).rows == []


def test_param_must_be_a_variable_of_the_query(store):
    with pytest.raises(QueryError, match="no variable"):
        run_query(store, "SELECT ?e WHERE { ?e a kg:Person }", {"nope": "x"})
    with pytest.raises(QueryError, match="variable name"):
        run_query(store, "SELECT ?e WHERE { ?e a kg:Person }", {"a b": "x"})


def test_param_not_projected_is_explained(store):
    with pytest.raises(QueryError, match="SELECT's columns"):
        run_query(store, "SELECT ?e WHERE { ?e skos:prefLabel ?l }", {"l": "Iran"})


def test_saved_query_params_are_checked(store):
    with pytest.raises(QueryError, match="needs parameter"):
        run_query(store, load_query("entity"))
    with pytest.raises(QueryError, match="takes no parameter"):
        run_query(store, load_query("meetings"), {"entity": "x"})


def test_runtime_error_is_a_query_error(store):
    # A query that parses in rdflib but Oxigraph rejects (aggregate of an unprojected var).
    with pytest.raises(QueryError):
        run_query(store, "SELECT ?s (COUNT(?o) AS ?s) WHERE { ?s ?p ?o } GROUP BY ?s")


def test_never_uses_rdflibs_evaluator(store, monkeypatch):
    import rdflib.plugins.sparql.processor as proc

    def boom(*a, **k):
        raise AssertionError("rdflib's SPARQL evaluator was used")

    monkeypatch.setattr(proc.SPARQLProcessor, "query", boom)
    monkeypatch.setattr(proc, "evalQuery", boom, raising=False)
    res = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:Document }")
    assert int(res.rows[0][0]) == 2


def test_refuses_a_non_oxigraph_store():
    class Fake:
        def query(self, *a, **k):  # pragma: no cover - must not be reached
            raise AssertionError

    with pytest.raises(QueryError, match="Oxigraph"):
        run_query(Fake(), "SELECT * WHERE { ?s ?p ?o }")
