"""The token-level safety checks of user queries (kg/query/check.py); the refusals through
`check_query` and `run_query` are in tests/query/test_query_run.py."""
import pytest

from kg.errors import QueryError
from kg.query.check import check, subquery_variables, syntax_message, tokens

BASE = "https://w3id.org/newskg/"
PREFIXES = {"kg": BASE + "ontology#"}


def test_form_variables_and_declared_prefixes():
    q = check("PREFIX ex: <https://example.org/>\nCONSTRUCT { ?s ex:p ?o } WHERE { ?s kg:x $o }", PREFIXES, BASE)
    assert q.form == "CONSTRUCT"
    assert q.variables == {"s", "o"}
    assert q.declared_prefixes == {"ex"}


def test_a_variable_in_a_string_is_not_a_variable():
    assert check('SELECT ?s WHERE { ?s kg:name "?t" }', PREFIXES, BASE).variables == {"s"}


def test_no_query_form_is_refused():
    with pytest.raises(QueryError, match="expected SELECT, ASK, CONSTRUCT or DESCRIBE"):
        check("PREFIX ex: <https://example.org/> { ?s ?p ?o }", PREFIXES, BASE)


@pytest.mark.parametrize("kw", ["with", "Insert", "DELETE", "load", "ADD"])
def test_an_update_after_a_prologue_is_refused(kw):
    with pytest.raises(QueryError, match="updates are not accepted"):
        check(f"BASE <https://example.org/>\nPREFIX e: <x#>\n{kw} <g> {{ }}", PREFIXES, BASE)


def test_from_named_store_graph_is_allowed_by_prefixed_name():
    check("PREFIX g: <https://w3id.org/newskg/graph/>\nSELECT * FROM NAMED g:entities WHERE { GRAPH ?g { ?s ?p ?o } }",
          PREFIXES, BASE)
    with pytest.raises(QueryError, match="FROM NAMED <https://example.org/x>"):
        check("PREFIX g: <https://example.org/>\nSELECT * FROM NAMED g:x WHERE { ?s ?p ?o }", PREFIXES, BASE)


def test_subquery_variables():
    q = """SELECT ?a ?n WHERE {
      ?a kg:x ?b .
      { SELECT ?a (COUNT(?c) AS ?n) WHERE { ?a kg:y ?c { SELECT ?c WHERE { ?c kg:z ?d } } } GROUP BY ?a }
      ?b kg:w ?e
    }"""
    assert subquery_variables(q) == {"a", "c", "n", "d"}


def test_syntax_message_points_at_the_users_line():
    msg = syntax_message(SyntaxError("error at 4:16: expected one of LATERAL, SERVICE"), "SELECT ?s\nWHERE { ?s ?p }",
                         line_shift=2)
    assert msg.startswith("SPARQL syntax error at line 2, column 16: expected one of LATERAL, SERVICE")
    assert msg.endswith("\n    WHERE { ?s ?p }\n                   ^")


def test_tokens_of_long_strings_and_comments():
    text = "SELECT ?x # a comment with 'quote\nWHERE { ?x kg:p '''multi\nline''' }"
    kinds = [(t.kind, t.text) for t in tokens(text)]
    assert ("string", "'''multi\nline'''") in kinds
    assert not any(k == "word" and t in ("a", "comment", "with") for k, t in kinds)


def test_iri_with_unicode_escape_is_one_token():
    # Oxigraph reads \u0041 inside an IRI; were the IRI split, its '#' would start a "comment"
    # that hides the rest of the line from the check while Oxigraph runs it
    text = "PREFIX http: <https://example.org/>\nSELECT * WHERE { <http://x/\\u0041#> ?p ?o SERVICE <http://127.0.0.1:1/> { } }"
    assert [t.kind for t in tokens(text)][7] == "iri"
    with pytest.raises(QueryError, match="SERVICE|escapes are refused"):  # refused before tokens now
        check(text, PREFIXES, BASE)


def test_tokens_see_keywords_only_outside_strings_iris_and_comments():
    from kg.query.check import tokens

    def words(text):
        return [t.text for t in tokens(text) if t.kind == "word"]

    text = 'a "SERVICE \\" x" \'SERVICE\' """SER\nVICE SERVICE""" # SERVICE\n<http://x/SERVICE> ?SERVICE kg:SERVICE'
    assert words(text) == ["a"]
    assert words(text + "\nservice <http://x/> {}") == ["a", "service"]
    assert words("FILTER(?a < 3) SERVICE <x:y> {}") == ["FILTER", "SERVICE"]
    assert [t.text for t in tokens("?s kg:x.SERVICE ?o . ?s kg:p. ?o")][1:6] == ["kg:x.SERVICE", "?o", ".", "?s", "kg:p"]
