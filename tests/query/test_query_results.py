"""kg.query.results: the result formats."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Literal

from kg.errors import QueryError
from kg.query import QueryResult, format_result, run_query

from query_store import DOC1, MUNIR, TITLE1, TITLE2, XSD, store  # noqa: F401 - `store` is the fixture


# --------------------------------------------------------------------------------------------
# format_result
# --------------------------------------------------------------------------------------------
@pytest.fixture
def mixed(store):
    """A result with an IRI, a plain, a language-tagged and a typed literal, a blank node and a gap."""
    return QueryResult(
        "SELECT",
        vars=["e", "label", "lang", "n", "b", "gap"],
        rows=[
            (MUNIR, Literal('Asim "COAS" Munir,\tchief\nof staff'), Literal("Asim Munir", lang="en"),
             Literal(2), BNode("b0"), None),
            (DOC1, Literal("Iran ✓ 🚀"), None, Literal("0.9", datatype=XSD.decimal), None, None),
        ],
    )


def test_table_format(store):
    res = run_query(store, "SELECT ?e ?name WHERE { ?e a kg:Person ; skos:prefLabel ?name } ORDER BY ?name")
    out = format_result(res, "table")
    lines = out.splitlines()
    assert lines[0].split() == ["e", "name"]
    assert set(lines[1]) <= {"-", " "}
    assert "id:person/asim-munir" in out
    assert "https://" not in out
    assert "Asim Munir" in out and '"' not in out
    assert lines[-1] == "(4 rows)"
    # Columns are aligned: the second column starts at the same offset on every row.
    offsets = {ln.index(n) for ln, n in zip(lines[2:6], ["Asim", "Hossein", "Jane", "Mohammad"])}
    assert len(offsets) == 1


def test_table_format_one_row_and_cuts(mixed):
    out = format_result(QueryResult("SELECT", vars=mixed.vars, rows=mixed.rows[:1]), "table", max_width=12)
    assert out.splitlines()[-1] == "(1 row)"
    assert "\n" not in out.splitlines()[2]
    assert "\u2026" in out


def test_csv_format_roundtrip(mixed):
    out = format_result(mixed, "csv")
    assert out.startswith("e,label,lang,n,b,gap\r\n")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == mixed.vars
    assert rows[1] == [str(MUNIR), 'Asim "COAS" Munir,\tchief\nof staff', "Asim Munir", "2", "_:b0", ""]
    assert rows[2] == [str(DOC1), "Iran ✓ 🚀", "", "0.9", "", ""]


def test_tsv_format_roundtrip(mixed):
    out = format_result(mixed, "tsv")
    lines = out.split("\n")
    assert lines[0] == "?e\t?label\t?lang\t?n\t?b\t?gap"
    assert lines[-1] == "" and len(lines) == 4  # one line per row, LF-terminated
    cells = lines[1].split("\t")
    assert cells == [
        f"<{MUNIR}>",
        '"Asim \\"COAS\\" Munir,\\tchief\\nof staff"',
        '"Asim Munir"@en',
        '"2"^^<http://www.w3.org/2001/XMLSchema#integer>',
        "_:b0",
        "",
    ]
    # Each cell is an N-Triples term: parse them back as objects of a triple.
    from rdflib import Graph

    g = Graph()
    nt = "".join(f"<urn:s> <urn:p{i}> {c} .\n" for i, c in enumerate(cells[1:4]))
    g.parse(data=nt, format="nt")
    assert Literal('Asim "COAS" Munir,\tchief\nof staff') in set(g.objects())
    assert lines[2].split("\t") == [f"<{DOC1}>", '"Iran ✓ 🚀"', "", '"0.9"^^<http://www.w3.org/2001/XMLSchema#decimal>', "", ""]


def test_json_format_roundtrip(mixed):
    doc = json.loads(format_result(mixed, "json"))
    assert doc["head"]["vars"] == mixed.vars
    b0, b1 = doc["results"]["bindings"]
    assert b0["e"] == {"type": "uri", "value": str(MUNIR)}
    assert b0["label"] == {"type": "literal", "value": 'Asim "COAS" Munir,\tchief\nof staff'}
    assert b0["lang"] == {"type": "literal", "value": "Asim Munir", "xml:lang": "en"}
    assert b0["n"] == {"type": "literal", "value": "2", "datatype": str(XSD.integer)}
    assert b0["b"] == {"type": "bnode", "value": "b0"}
    assert "gap" not in b0  # unbound variables are left out
    assert b1["label"]["value"] == "Iran ✓ 🚀"
    assert set(b1) == {"e", "label", "n"}


def test_formats_on_store_result(store):
    res = run_query(store, "SELECT ?t ?d WHERE { ?x a kg:Document ; dcterms:title ?t ; dcterms:date ?d } ORDER BY ?d")
    rows = list(csv.DictReader(io.StringIO(format_result(res, "csv"), newline="")))
    assert rows == [{"t": TITLE1, "d": "2023-07-22"}, {"t": TITLE2, "d": "2023-08-01"}]
    doc = json.loads(format_result(res, "json"))
    assert doc["results"]["bindings"][0]["d"] == {"type": "literal", "value": "2023-07-22", "datatype": str(XSD.date)}
    assert doc["results"]["bindings"][0]["t"] == {"type": "literal", "value": TITLE1}
    assert format_result(res, "tsv").split("\n")[1] == f'"{TITLE1}"\t"2023-07-22"^^<{XSD.date}>'


def test_ask_formats(store):
    yes = run_query(store, "ASK { ?x a kg:Meeting }")
    assert format_result(yes, "table").strip() == "true"
    assert json.loads(format_result(yes, "json")) == {"head": {}, "boolean": True}
    no = run_query(store, "ASK { ?x a kg:Arrest }")
    assert format_result(no, "csv").strip() == "false"


def test_construct_formats(store):
    res = run_query(store, "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a kg:Country ; skos:prefLabel ?l }")
    from rdflib import Graph

    ttl = format_result(res, "table")
    assert set(Graph().parse(data=ttl, format="turtle")) == set(res.graph)
    assert set(Graph().parse(data=format_result(res, "nt"), format="nt")) == set(res.graph)
    with pytest.raises(QueryError, match="cannot be written as csv"):
        format_result(res, "csv")


def test_unknown_format(store):
    res = run_query(store, "SELECT ?x WHERE { BIND(1 AS ?x) }")
    with pytest.raises(QueryError, match="unknown result format"):
        format_result(res, "xlsx")
    with pytest.raises(QueryError, match="turtle is for CONSTRUCT"):
        format_result(res, "turtle")
