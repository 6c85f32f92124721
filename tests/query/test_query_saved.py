"""kg.query.saved: reading saved queries and naming a query; and every queries/*.rq on the fixture store."""
from __future__ import annotations

import pytest
from rdflib.namespace import RDF

from kg import paths
from kg.errors import QueryError
from kg.namespaces import DOC, ID, KG
from kg.query import SavedQuery, check_query, format_result, list_saved_queries, load_query, run_query

from query_store import (  # noqa: F401 - `store` is the fixture
    ATTACK,
    CLASH,
    DOC2,
    MEETING,
    MUNIR,
    S_MEET,
    S_MEET2,
    S_CLASH,
    TITLE1,
    TITLE2,
    as_dicts,
    store,
)


# --------------------------------------------------------------------------------------------
# load_query / list_saved_queries
# --------------------------------------------------------------------------------------------
def test_list_saved_queries_reads_headers():
    saved = {q.name: q for q in list_saved_queries()}
    for name in ("meetings", "positions", "armed-groups", "attacks", "entity", "relations"):
        assert name in saved, name
        q = saved[name]
        assert q.description and not q.description.startswith("#")
        assert q.details, f"{name}.rq has no paragraph after its title"
        assert q.path == paths.QUERIES_DIR / f"{name}.rq"
        check_query(q.sparql)  # every saved query passes the checks
    assert saved["entity"].parameters == {
        "entity": "the entity's name or alias (matched against skos:prefLabel and skos:altLabel, "
        "ignoring case), or its IRI"
    }
    assert saved["meetings"].parameters == {}


def test_load_query_by_name_with_and_without_rq():
    a = load_query("meetings")
    b = load_query("meetings.rq")
    assert isinstance(a, SavedQuery) and isinstance(b, SavedQuery)
    assert a.name == b.name == "meetings"
    assert a.sparql == (paths.QUERIES_DIR / "meetings.rq").read_text(encoding="utf-8")


def test_load_query_from_path(tmp_path):
    f = tmp_path / "mine.rq"
    f.write_text("# Mine\n#\n# Counts things.\n#\n# param: x - a value\nSELECT ?x WHERE { BIND(1 AS ?x) }\n")
    q = load_query(str(f))
    assert isinstance(q, SavedQuery)
    assert q.name == "mine" and q.path == f
    assert q.description == "Mine" and q.details == "Counts things."
    assert q.parameters == {"x": "a value"}


def test_load_query_inline():
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    assert load_query(text) == text
    assert load_query("ASK{}") == "ASK{}"


def test_load_query_unknown_name_lists_saved():
    with pytest.raises(QueryError) as err:
        load_query("no-such-query")
    msg = str(err.value)
    assert "no-such-query" in msg
    for name in ("meetings", "positions", "entity"):
        assert name in msg


def test_load_query_missing_file():
    with pytest.raises(QueryError, match="no such query file"):
        load_query("/nonexistent/dir/q.rq")


# --------------------------------------------------------------------------------------------
# The saved queries on the fixture store
# --------------------------------------------------------------------------------------------
def test_saved_meetings(store):
    res = run_query(store, load_query("meetings"))
    assert res.vars[:4] == ["date", "participants", "place", "document"]
    assert as_dicts(res) == [
        {"date": "2023-07-22", "participants": "Asim Munir; Hossein Salami", "place": "Tehran",
         "document": TITLE1, "event": str(MEETING)},
        {"date": None, "participants": "Islamic Revolutionary Guard Corps; Pakistan Army", "place": None,
         "document": TITLE2, "event": str(ID["event/00000000000000b2-meeting-1"])},
    ]


def test_saved_positions(store):
    res = run_query(store, load_query("positions"))
    assert as_dicts(res) == [
        {"person": "Asim Munir", "position": "Chief of Army Staff of the Pakistan Army",
         "title": "Chief of Army Staff", "organization": "Pakistan Army", "documents": "2"},
        {"person": "Hossein Salami", "position": "Commander-in-chief of the Islamic Revolutionary Guard Corps",
         "title": "Commander-in-chief", "organization": "Islamic Revolutionary Guard Corps", "documents": "1"},
    ]


def test_saved_attacks(store):
    res = run_query(store, load_query("attacks"))
    rows = as_dicts(res)
    assert [r["kind"] for r in rows] == ["Attack", "Clash"]
    attack, clash = rows
    assert attack == {
        "date": "2023-07-08", "kind": "Attack", "agent": "Jaish al-Adl", "target": None, "place": "Zahedan",
        "killed": "2", "wounded": None, "arrested": None, "casualties": "2 killed: policemen",
        "document": TITLE1, "event": str(ATTACK),
    }
    assert clash["agent"] == "Islamic Revolutionary Guard Corps"
    assert clash["target"] == "Jaish al-Adl"
    assert clash["place"] == "Sistan-Baluchestan"
    assert (clash["killed"], clash["wounded"], clash["arrested"]) == (None, "3", "1")
    assert clash["casualties"] == "3 wounded: guards (Islamic Revolutionary Guard Corps)"
    assert clash["document"] == TITLE2


def test_saved_attacks_lists_every_reporting_document(store):
    """An event that several articles report (linked events share a node) lists every
    document's title, sorted (ignoring case) and joined; one without a title by its IRI. A
    one-document event keeps its single title (the query takes those by another path than the
    sorted ones)."""
    untitled = DOC["00000000000000c3"]
    store.add_triples(DOC2, [(ATTACK, RDF.type, KG.Attack), (ATTACK, KG.inDocument, DOC2)])
    # a document as a build describes one (typed, in its own graph), without a title
    store.add_triples(untitled, [(untitled, RDF.type, KG.Document),
                                 (ATTACK, RDF.type, KG.Attack), (ATTACK, KG.inDocument, untitled)])
    rows = {r["event"]: r for r in as_dicts(run_query(store, load_query("attacks")))}
    # in alphabetical order, ignoring case (the IRI's "https" comes before "Iran's")
    assert rows[str(ATTACK)]["document"] == "; ".join(sorted([TITLE1, TITLE2, str(untitled)], key=str.lower))
    assert rows[str(CLASH)]["document"] == TITLE2


def test_saved_armed_groups(store):
    res = run_query(store, load_query("armed-groups"))
    assert as_dicts(res) == [
        {"group": "Jaish al-Adl", "aliases": "JAA; Jaish Al-Adl", "active_in": "Sistan-Baluchestan",
         "based_in": None, "designated_by": "Iran", "targets": "Zahedan",
         "attacks": "2023-07-08 Attack in Zahedan", "documents": "2"},
    ]


def test_saved_relations(store):
    res = run_query(store, load_query("relations"))
    rows = as_dicts(res)
    # One row per assertion: 11 in the first document, 4 in the second.
    assert len(rows) == 15
    meets = [r for r in rows if r["relation"] == "meetsWith" and r["object"] == "Hossein Salami"]
    assert [r["subject"] for r in meets] == ["Asim Munir"] * 3
    assert {r["evidence"] for r in meets} == {S_MEET, "Salami and Munir met in Tehran.", S_MEET2}
    assert {r["document"] for r in meets} == {TITLE1, TITLE2}
    pos = [r for r in rows if r["relation"] == "holdsPosition" and r["subject"] == "Asim Munir"]
    assert {r["object"] for r in pos} == {"Chief of Army Staff of the Pakistan Army"}
    assert len(pos) == 2
    assert rows == sorted(rows, key=lambda r: (r["subject"].lower(), r["relation"], r["object"].lower(),
                                               r["document"].lower(), r["evidence"]))
    clash = next(r for r in rows if r["relation"] == "clashesWith")
    assert clash == {"subject": "Islamic Revolutionary Guard Corps", "relation": "clashesWith",
                     "object": "Jaish al-Adl", "evidence": S_CLASH, "confidence": "0.9",
                     "document": TITLE2, "date": "2023-08-01"}


@pytest.mark.parametrize("name", ["munir", "General Asim Munir", "ASIM MUNIR", str(MUNIR)])
def test_saved_entity_by_alias_or_iri(store, name):
    res = run_query(store, load_query("entity"), {"entity": name})
    rows = as_dicts(res)
    assert {r["name"] for r in rows} == {"Asim Munir"}
    assert {r["type"] for r in rows} == {"Person"}
    assert {r["entity"] for r in rows} == {name}
    facts = {(r["direction"], r["relation"], r["other"]) for r in rows}
    assert facts == {
        (None, "alias", "Munir"),
        (None, "alias", "General Asim Munir"),
        (None, "country", "Pakistan"),
        ("out", "meetsWith", "Hossein Salami"),
        ("out", "meetsWith", "Mohammad Baqeri"),
        ("out", "visits", "Tehran"),
        ("out", "holdsPosition", "Chief of Army Staff of the Pakistan Army"),
        ("event", "participant of Meeting", "Meeting of Asim Munir and Hossein Salami in Tehran"),
    }
    meets = [r for r in rows if r["relation"] == "meetsWith" and r["other"] == "Hossein Salami"]
    assert {(r["evidence"], r["document"]) for r in meets} == {
        (S_MEET, TITLE1), ("Salami and Munir met in Tehran.", TITLE1), (S_MEET2, TITLE2)
    }


def test_saved_entity_incoming_and_events(store):
    rows = as_dicts(run_query(store, load_query("entity"), {"entity": "jaa"}))
    facts = {(r["direction"], r["relation"], r["other"], r["document"]) for r in rows if r["direction"]}
    assert facts == {
        ("out", "activeIn", "Sistan-Baluchestan", TITLE1),
        ("out", "attacks", "Zahedan", TITLE1),
        ("out", "designatedAs", "Iran", TITLE2),
        ("in", "clashesWith", "Islamic Revolutionary Guard Corps", TITLE2),
        ("event", "agent of Attack", "Attack in Zahedan", TITLE1),
        ("event", "target of Clash", "Clash in Sistan-Baluchestan", TITLE2),
    }
    assert all(r["type"] == "ArmedGroup" for r in rows)


def test_saved_entity_injection_and_unknown(store):
    assert run_query(store, load_query("entity"), {"entity": '"} ; DROP ALL ; #'}).rows == []
    assert run_query(store, load_query("entity"), {"entity": "Nobody"}).rows == []
    assert len(run_query(store, "SELECT ?d WHERE { ?d a kg:Document }").rows) == 2


def test_saved_queries_format_as_tables(store):
    for q in list_saved_queries():
        params = {p: "Munir" for p in q.parameters}
        out = format_result(run_query(store, q, params), "table")
        assert out.rstrip().endswith("rows)") or out.rstrip().endswith("(1 row)")
