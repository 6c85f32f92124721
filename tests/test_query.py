"""kg.query: saved queries, refusals, parameters, result formats; and every queries/*.rq."""
from __future__ import annotations

import csv
import io
import json
import socket
import threading
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib import Namespace
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg import paths
from kg.errors import QueryError
from kg.namespaces import DOC, ENTITY_GRAPH, ID, KG
from kg.query import (
    QueryResult,
    SavedQuery,
    check_query,
    format_result,
    list_saved_queries,
    load_query,
    run_query,
)
from kg.store import KGStore

# An open namespace: pytest probes module attributes and the closed rdflib XSD warns on that.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# --------------------------------------------------------------------------------------------
# A small store in the layout `kg build` writes (ontology/kg.ttl header comment)
# --------------------------------------------------------------------------------------------
MUNIR = ID["person/asim-munir"]
SALAMI = ID["person/hossein-salami"]
BAQERI = ID["person/mohammad-baqeri"]
AUTHOR = ID["person/jane-reporter"]
IRGC = ID["org/irgc"]
PAK_ARMY = ID["org/pakistan-army"]
JAISH = ID["org/jaish-al-adl"]
IRAN = ID["place/iran"]
PAKISTAN = ID["place/pakistan"]
TEHRAN = ID["place/tehran"]
ZAHEDAN = ID["place/zahedan"]
SISTAN = ID["place/sistan-baluchestan"]
COAS = ID["position/chief-of-army-staff-of-the-pakistan-army"]
IRGC_CHIEF = ID["position/commander-in-chief-of-the-islamic-revolutionary-guard-corps"]
DOC1 = DOC["00000000000000a1"]
DOC2 = DOC["00000000000000b2"]
MEETING = ID["event/00000000000000a1-meeting-1"]
ATTACK = ID["event/00000000000000a1-attack-1"]
CLASH = ID["event/00000000000000b2-clash-1"]

TITLE1 = "Iran's IRGC to work with Pakistan army on border security"
TITLE2 = "Clashes in Sistan-Baluchestan"
S_MEET = (
    "Iran and Pakistan have agreed to enhance defence cooperation following a meeting on Saturday "
    "in Tehran between General Hossein Salami and General Asim Munir."
)
S_BAQERI = "Munir also met with his Iranian counterpart, General Mohammad Baqeri."
S_ATTACK = "Jaish Al-Adl carried out an attack in Zahedan, killing two policemen."
S_MEET2 = "Salami had met Munir in July."
S_CLASH = "The IRGC clashed with Jaish al-Adl in Sistan-Baluchestan; three guards were wounded."


def entity_triples():
    t = []

    def ent(iri, cls, label, *alts, country=None):
        t.append((iri, RDF.type, cls))
        t.append((iri, SKOS.prefLabel, Literal(label)))
        for a in alts:
            t.append((iri, SKOS.altLabel, Literal(a)))
        if country is not None:
            t.append((iri, KG.country, country))

    ent(MUNIR, KG.Person, "Asim Munir", "Munir", "General Asim Munir", country=PAKISTAN)
    ent(SALAMI, KG.Person, "Hossein Salami", "Salami", country=IRAN)
    ent(BAQERI, KG.Person, "Mohammad Baqeri", "Baqeri", country=IRAN)
    ent(AUTHOR, KG.Person, "Jane Reporter")
    ent(IRGC, KG.MilitaryOrganization, "Islamic Revolutionary Guard Corps", "IRGC", country=IRAN)
    ent(PAK_ARMY, KG.MilitaryOrganization, "Pakistan Army", country=PAKISTAN)
    ent(JAISH, KG.ArmedGroup, "Jaish al-Adl", "Jaish Al-Adl", "JAA")
    ent(IRAN, KG.Country, "Iran")
    ent(PAKISTAN, KG.Country, "Pakistan")
    ent(TEHRAN, KG.City, "Tehran", country=IRAN)
    ent(ZAHEDAN, KG.City, "Zahedan", country=IRAN)
    ent(SISTAN, KG.Province, "Sistan-Baluchestan", "Sistan and Baluchestan", country=IRAN)
    return t


class DocBuilder:
    """Triples of one document graph, with an assertion per relation."""

    def __init__(self, doc, title, date):
        self.doc = doc
        self.n = 0
        self.t = [
            (doc, RDF.type, KG.Document),
            (doc, DCTERMS.title, Literal(title)),
            (doc, DCTERMS.date, Literal(date, datatype=XSD.date)),
            (doc, KG.sourcePath, Literal(f"articles/{doc[-4:]}.html")),
            (doc, KG.referenceDate, Literal(date, datatype=XSD.date)),
            (doc, KG.author, AUTHOR),
        ]

    def mention(self, entity, text, sent=0, start=0):
        self.n += 1
        m = URIRef(f"{self.doc}#m{self.n}")
        self.t += [
            (self.doc, KG.mentions, entity),
            (m, RDF.type, KG.Mention),
            (m, KG.mentionText, Literal(text)),
            (m, KG.mentionKind, Literal("name")),
            (m, KG.charStart, Literal(start)),
            (m, KG.charEnd, Literal(start + len(text))),
            (m, KG.sentenceIndex, Literal(sent)),
            (m, KG.refersTo, entity),
            (m, KG.inDocument, self.doc),
        ]

    def rel(self, s, p, o, evidence, sent=0, confidence="0.9"):
        self.n += 1
        a = URIRef(f"{self.doc}#a-{self.n}")
        self.t += [
            (s, p, o),
            (a, RDF.type, KG.Assertion),
            (a, RDF.subject, s),
            (a, RDF.predicate, p),
            (a, RDF.object, o),
            (a, KG.evidence, Literal(evidence)),
            (a, KG.sentenceIndex, Literal(sent)),
            (a, KG.charStart, Literal(10 * sent)),
            (a, KG.charEnd, Literal(10 * sent + len(evidence))),
            (a, KG.confidence, Literal(confidence, datatype=XSD.decimal)),
            (a, KG.inDocument, self.doc),
        ]

    def position(self, person, pos, label, title, org, evidence):
        self.t += [
            (pos, RDF.type, KG.Position),
            (pos, SKOS.prefLabel, Literal(label)),
            (pos, KG.positionTitle, Literal(title)),
            (pos, KG.positionIn, org),
        ]
        self.rel(person, KG.holdsPosition, pos, evidence)

    def event(self, ev, cls, label, evidence, date=None, agents=(), participants=(), targets=(),
              place=None, killed=None, wounded=None, arrested=None, casualties=()):
        t = self.t
        t += [
            (ev, RDF.type, cls),
            (ev, SKOS.prefLabel, Literal(label)),
            (ev, KG.evidence, Literal(evidence)),
            (ev, KG.sentenceIndex, Literal(1)),
            (ev, KG.charStart, Literal(0)),
            (ev, KG.charEnd, Literal(len(evidence))),
            (ev, KG.confidence, Literal("0.8", datatype=XSD.decimal)),
            (ev, KG.inDocument, self.doc),
        ]
        if date:
            t.append((ev, KG.date, Literal(date, datatype=XSD.date)))
        t += [(ev, KG.agent, a) for a in agents]
        t += [(ev, KG.participant, a) for a in participants]
        t += [(ev, KG.target, a) for a in targets]
        if place is not None:
            t.append((ev, KG.place, place))
        for prop, value in ((KG.killed, killed), (KG.wounded, wounded), (KG.arrested, arrested)):
            if value is not None:
                t.append((ev, prop, Literal(value)))
        for i, (kind, count, victims, affiliation) in enumerate(casualties, 1):
            c = URIRef(f"{ev}/c{i}")
            t += [
                (ev, KG.casualty, c),
                (c, RDF.type, KG.Casualty),
                (c, KG.casualtyKind, Literal(kind)),
                (c, KG["count"], Literal(count)),
            ]
            if victims:
                t.append((c, KG.victims, Literal(victims)))
            if affiliation is not None:
                t.append((c, KG.affiliation, affiliation))


def build_store(path: Path) -> KGStore:
    store = KGStore(path)
    store.replace_graph(ENTITY_GRAPH, entity_triples())

    d1 = DocBuilder(DOC1, TITLE1, "2023-07-22")
    for ent, text in ((MUNIR, "Asim Munir"), (SALAMI, "Hossein Salami"), (BAQERI, "Mohammad Baqeri"),
                      (IRGC, "IRGC"), (PAK_ARMY, "Pakistan Army"), (JAISH, "Jaish Al-Adl"),
                      (TEHRAN, "Tehran"), (ZAHEDAN, "Zahedan"), (IRAN, "Iran"), (PAKISTAN, "Pakistan")):
        d1.mention(ent, text)
    d1.rel(MUNIR, KG.meetsWith, SALAMI, S_MEET, sent=3)
    d1.rel(MUNIR, KG.meetsWith, SALAMI, "Salami and Munir met in Tehran.", sent=4)
    d1.rel(MUNIR, KG.meetsWith, BAQERI, S_BAQERI, sent=5)
    d1.rel(MUNIR, KG.visits, TEHRAN, S_MEET, sent=3)
    d1.rel(IRGC, KG.cooperatesWith, PAK_ARMY, "The IRGC is prepared to work with the Pakistani Army.", sent=6)
    d1.rel(JAISH, KG.activeIn, SISTAN, "Jaish Al-Adl operates in Sistan-Baluchestan.", sent=9)
    d1.rel(JAISH, KG.attacks, ZAHEDAN, S_ATTACK, sent=10)
    d1.rel(ZAHEDAN, KG.locatedIn, SISTAN, S_ATTACK, sent=10)
    d1.rel(SISTAN, KG.partOf, IRAN, "Iran's Sistan-Baluchestan province.", sent=9)
    d1.position(MUNIR, COAS, "Chief of Army Staff of the Pakistan Army", "Chief of Army Staff", PAK_ARMY,
                "The Chief of Army Staff of the Pakistan Army, General Asim Munir, ...")
    d1.position(SALAMI, IRGC_CHIEF, "Commander-in-chief of the Islamic Revolutionary Guard Corps",
                "Commander-in-chief", IRGC, "Major General Hossein Salami, commander-in-chief of the IRGC")
    d1.event(MEETING, KG.Meeting, "Meeting of Asim Munir and Hossein Salami in Tehran", S_MEET,
             date="2023-07-22", participants=(SALAMI, MUNIR), place=TEHRAN)
    d1.event(ATTACK, KG.Attack, "Attack in Zahedan", S_ATTACK, date="2023-07-08", agents=(JAISH,),
             place=ZAHEDAN, killed=2, casualties=[("killed", 2, "policemen", None)])
    store.replace_graph(DOC1, d1.t)

    d2 = DocBuilder(DOC2, TITLE2, "2023-08-01")
    for ent, text in ((MUNIR, "Munir"), (SALAMI, "Salami"), (IRGC, "IRGC"), (JAISH, "Jaish al-Adl")):
        d2.mention(ent, text)
    d2.rel(MUNIR, KG.meetsWith, SALAMI, S_MEET2, sent=1)
    d2.rel(IRGC, KG.clashesWith, JAISH, S_CLASH, sent=2)
    d2.rel(JAISH, KG.designatedAs, IRAN, "Iran designated Jaish al-Adl a terrorist group.", sent=3)
    # The same position stated again in a second document: one row, two documents.
    d2.position(MUNIR, COAS, "Chief of Army Staff of the Pakistan Army", "Chief of Army Staff", PAK_ARMY,
                "Pakistan's army chief Asim Munir")
    d2.event(CLASH, KG.Clash, "Clash in Sistan-Baluchestan", S_CLASH, date="2023-07-30",
             agents=(IRGC,), targets=(JAISH,), place=SISTAN, wounded=3, arrested=1,
             casualties=[("wounded", 3, "guards", IRGC)])
    # An undated meeting without a place: listed after the dated ones.
    d2.event(ID["event/00000000000000b2-meeting-1"], KG.Meeting, "Meeting of the two armies",
             "Officers of the IRGC and the Pakistan Army met.", participants=(PAK_ARMY, IRGC))
    store.replace_graph(DOC2, d2.t)
    return store


@pytest.fixture
def store(tmp_path):
    s = build_store(tmp_path / "store")
    yield s
    s.close()


def values(result: QueryResult, var: str) -> list:
    i = result.vars.index(var)
    return [None if r[i] is None else str(r[i]) for r in result.rows]


def as_dicts(result: QueryResult) -> list[dict]:
    return [{v: (None if t is None else str(t)) for v, t in zip(result.vars, row)} for row in result.rows]


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
        "PREFIX service: <https://example.org/>\nSELECT ?s WHERE { ?s a kg:Document . OPTIONAL { ?s service:p ?o } }",
        "SELECT ?s WHERE { ?s a kg:Document ; kg:sourcePath ?p FILTER(!CONTAINS(?p, \"from <file:///etc/passwd>\")) }",
    ],
)
def test_service_word_in_comment_or_string_not_refused(store, q):
    check_query(q)
    res = run_query(store, q)
    assert sorted(r[0] for r in res.rows) == [DOC1, DOC2]


def test_syntax_error_has_line_and_column(store):
    # check_query leaves the grammar to Oxigraph's parser, which reports it when the query runs;
    # the line is the user's, not shifted by the PREFIX lines added above the text
    check_query("SELECT ?s\nWHERE { ?s ?p }")
    with pytest.raises(QueryError) as err:
        run_query(store, "SELECT ?s\nWHERE { ?s ?p }")
    msg = str(err.value)
    assert "syntax error at line 2, column 16" in msg
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


def test_tokens_see_keywords_only_outside_strings_iris_and_comments():
    from kg.query.check import tokens

    def words(text):
        return [t.text for t in tokens(text) if t.kind == "word"]

    text = 'a "SERVICE \\" x" \'SERVICE\' """SER\nVICE SERVICE""" # SERVICE\n<http://x/SERVICE> ?SERVICE kg:SERVICE'
    assert words(text) == ["a"]
    assert words(text + "\nservice <http://x/> {}") == ["a", "service"]
    assert words("FILTER(?a < 3) SERVICE <x:y> {}") == ["FILTER", "SERVICE"]
    assert [t.text for t in tokens("?s kg:x.SERVICE ?o . ?s kg:p. ?o")][1:6] == ["kg:x.SERVICE", "?o", ".", "?s", "kg:p"]
