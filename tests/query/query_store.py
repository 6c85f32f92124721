"""The small store the tests of kg.query run on, in the layout `kg build` writes (ontology/kg.ttl
header comment): two documents, their mentions, assertions, positions and events; the `store`
fixture and helpers to read results."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg.namespaces import DOC, ENTITY_GRAPH, ID, KG
from kg.query import QueryResult
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
