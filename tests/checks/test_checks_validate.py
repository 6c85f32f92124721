"""SHACL validation (ontology/shapes.ttl, kg/checks/validate.py): a seed build conforms, and a graph broken
on purpose fails with a message that names the node and the problem.

The seed build is the shared session store, read only: each test breaks its own in-memory copy.
"""
from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from kg.namespaces import ID, KG
from kg.paths import ONTOLOGY_DIR
from kg.checks.validate import format_report, shorten, validate, validate_graph

MUNIR = ID["person/asim-munir"]
KGSH = "https://w3id.org/newskg/shapes#"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's closed XSD warns under pytest's collection


@pytest.fixture(scope="module")
def seed_dataset(seed_store) -> Dataset:
    """The seed build's named graphs, copied from the store (literals come back from Oxigraph as
    "x"^^xsd:string, which validation reads as the plain literals the build wrote)."""
    ds = Dataset()
    for name in seed_store.named_graphs():
        target = ds.graph(URIRef(name))
        for t in seed_store.graph(URIRef(name)):
            target.add(t)
    return ds


@pytest.fixture(scope="module")
def seed_graph(seed_dataset) -> Graph:
    """The union of the seed build's graphs, in memory; tests break copies of it."""
    g = Graph()
    for s, p, o, _ in seed_dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    assert (MUNIR, RDF.type, KG.Person) in g
    return g


@pytest.fixture
def g(seed_graph) -> Graph:
    out = Graph()
    for t in seed_graph:
        out.add(t)
    return out


def fails(graph: Graph, focus: URIRef, *phrases: str) -> str:
    """Validate ``graph``; assert it does not conform and one readable line names ``focus`` and
    every phrase. Returns the formatted report."""
    report = validate_graph(graph)
    text = format_report(report)
    assert not report.conforms, text
    assert any(v.focus == focus and v.severity == "Violation" for v in report.violations), text
    named = (f" {shorten(focus)} ", f" {shorten(focus)}: ")
    lines = [line for line in text.splitlines() if line.startswith("violation")
             and any(n in line for n in named) and all(p in line for p in phrases)]
    assert lines, f"no line names {shorten(focus)} with {phrases}:\n{text}"
    last = text.splitlines()[-1]
    n = len(report.errors)
    assert last.startswith(f"{n} violation{'s' if n != 1 else ''} in "), last
    return text


def one(graph: Graph, sparql: str) -> URIRef:
    rows = list(graph.query("PREFIX kg: <%s>\nPREFIX rdf: <%s>\n" % (KG, RDF) + sparql))
    assert rows, sparql
    return rows[0][0]


# -- the real build ------------------------------------------------------------------------------

def test_seed_build_conforms(seed_store):
    report = validate(seed_store)
    text = format_report(report)
    assert report.conforms, text
    assert report.errors == []
    assert report.triples == len(seed_store) and report.nodes > 150
    # warnings only for what rdf.py writes on purpose: an event whose only named entity is a place
    assert all("only a place" in v.message or "belongs to a place" in v.message for v in report.warnings), text
    assert text.splitlines()[-1].startswith(f"conforms: {report.nodes} nodes checked")


def test_validate_graph_takes_a_dataset_and_leaves_it_alone(seed_dataset):
    before = len(list(seed_dataset.quads((None, None, None, None))))
    report = validate_graph(seed_dataset)
    assert report.conforms, format_report(report)
    assert len(list(seed_dataset.quads((None, None, None, None)))) == before


def test_validate_a_broken_store(seed_dataset, tmp_path):
    """The store path end to end: a store holding the seed graphs, minus one entity's type."""
    from kg.store import KGStore

    with KGStore(tmp_path / "store") as store:
        for name in {c for _, _, _, c in seed_dataset.quads((None, None, None, None))}:
            triples = [t for t in seed_dataset.graph(name) if t != (MUNIR, RDF.type, KG.Person)]
            store.replace_graph(name, triples)
        report = validate(store)
    text = format_report(report)
    assert not report.conforms
    assert "violation id:person/asim-munir rdf:type: entity has no type" in text


# -- entities ------------------------------------------------------------------------------------

def test_entity_without_type(g):
    g.remove((MUNIR, RDF.type, None))
    text = fails(g, MUNIR, "rdf:type", "entity has no type")
    # the mentions and relations of the untyped entity are reported too
    assert "mention must refer to exactly one entity" in text


def test_entity_with_two_types(g):
    g.add((MUNIR, RDF.type, KG.MilitaryOrganization))
    fails(g, MUNIR, "rdf:type", "more than one type")


def test_entity_with_a_type_outside_the_ontology(g):
    g.remove((MUNIR, RDF.type, None))
    g.add((MUNIR, RDF.type, KG.Meeting))
    fails(g, MUNIR, "not an entity class", "kg:Meeting")


def test_entity_without_label(g):
    g.remove((MUNIR, SKOS.prefLabel, None))
    fails(g, MUNIR, "skos:prefLabel", "entity has no preferred label")


def test_entity_with_two_labels(g):
    g.add((MUNIR, SKOS.prefLabel, Literal("General Munir")))
    fails(g, MUNIR, "skos:prefLabel", "exactly one non-empty preferred label")


def test_country_must_be_a_country(g):
    city = one(g, "SELECT ?c WHERE { ?c a kg:City }")
    g.set((MUNIR, KG.country, city))
    fails(g, MUNIR, "kg:country", "is not a kg:Country", shorten(city))


# -- events --------------------------------------------------------------------------------------

def test_event_without_participant_or_place(g):
    ev = one(g, "SELECT ?e WHERE { ?e kg:trigger ?t ; kg:agent|kg:participant ?x } ORDER BY ?e")
    for p in (KG.agent, KG.participant, KG.target, KG.place):
        g.remove((ev, p, None))
    fails(g, ev, "event has no participant")


def test_event_with_more_triggers_than_documents(g):
    """The per-document shape reports (pySHACL once refused its query and the check crashed)."""
    from rdflib import Literal

    ev = one(g, "SELECT ?e WHERE { ?e kg:trigger ?t } ORDER BY ?e")
    g.add((ev, KG.trigger, Literal("another trigger")))
    fails(g, ev, "values of kg:trigger", "document(s)")


def test_event_with_only_a_place_is_a_warning(g):
    ev = one(g, "SELECT ?e WHERE { ?e kg:trigger ?t ; kg:place ?pl ; kg:agent|kg:participant ?x } ORDER BY ?e")
    for p in (KG.agent, KG.participant, KG.target):
        g.remove((ev, p, None))
    report = validate_graph(g)
    assert report.conforms
    assert [v.severity for v in report.violations if v.focus == ev] == ["Warning"]
    assert f"warning   {shorten(ev)} kg:agent|kg:participant|kg:target: event has no participant" \
        in format_report(report)


def test_event_without_document(g):
    ev = one(g, "SELECT ?e WHERE { ?e kg:trigger ?t } ORDER BY ?e")
    g.remove((ev, KG.inDocument, None))
    fails(g, ev, "kg:inDocument", "event is not traceable")


def test_event_with_two_types(g):
    ev = one(g, "SELECT ?e WHERE { ?e a kg:Meeting }")
    g.add((ev, RDF.type, KG.Attack))
    fails(g, ev, "rdf:type", "exactly one rdf:type")


# -- dates ---------------------------------------------------------------------------------------

def test_date_as_a_string(g):
    ev = one(g, "SELECT ?e WHERE { ?e kg:date ?d } ORDER BY ?e")
    day = g.value(ev, KG.date)
    g.set((ev, KG.date, Literal(str(day))))
    fails(g, ev, "kg:date", "xsd:date", f'"{day}"')


def test_reference_date_as_a_datetime(g):
    doc = one(g, "SELECT ?d WHERE { ?d kg:referenceDate ?r }")
    g.set((doc, KG.referenceDate, Literal("2023-07-17T00:00:00", datatype=XSD.dateTime)))
    fails(g, doc, "kg:referenceDate", "must be one xsd:date")


def test_date_after_end_date(g):
    ev = one(g, "SELECT ?e WHERE { ?e kg:date ?d } ORDER BY ?e")
    g.set((ev, KG.date, Literal("2023-05-31", datatype=XSD.date)))
    g.set((ev, KG.endDate, Literal("2023-05-20", datatype=XSD.date)))
    fails(g, ev, "kg:date", "after its kg:endDate")


# -- relations and their provenance --------------------------------------------------------------

def _single_assertion(g: Graph) -> tuple[URIRef, tuple]:
    """An assertion whose triple no other assertion supports."""
    triples = {a: (g.value(a, RDF.subject), g.value(a, RDF.predicate), g.value(a, RDF.object))
               for a in g.subjects(RDF.type, KG.Assertion)}
    counts = Counter(triples.values())
    a = sorted(a for a, t in triples.items() if counts[t] == 1)[0]
    return a, triples[a]


def test_assertion_without_document(g):
    a, _ = _single_assertion(g)
    g.remove((a, KG.inDocument, None))
    text = fails(g, a, "kg:inDocument", "assertion is not traceable")
    assert f"violation {shorten(a)} " in text and shorten(a).startswith("doc:")
    # and its relation no longer has a traceable assertion
    assert "relation is not traceable" in text


def test_assertion_without_evidence_and_bad_confidence(g):
    a, _ = _single_assertion(g)
    g.remove((a, KG.evidence, None))
    g.set((a, KG.confidence, Literal("1.5", datatype=XSD.decimal)))
    fails(g, a, "kg:evidence", "no evidence sentence")
    fails(g, a, "kg:confidence", "between 0 and 1")


def test_assertion_with_reversed_offsets(g):
    a, _ = _single_assertion(g)
    start, end = g.value(a, KG.charStart), g.value(a, KG.charEnd)
    g.set((a, KG.charStart, end))
    g.set((a, KG.charEnd, start))
    fails(g, a, "kg:charStart", "not before its end offset")


def test_relation_without_assertion(g):
    a, (s, p, o) = _single_assertion(g)
    g.remove((a, None, None))
    fails(g, s, shorten(p), "relation is not traceable", shorten(o))


def test_assertion_whose_triple_is_missing(g):
    a, (s, p, o) = _single_assertion(g)
    g.remove((s, p, o))
    fails(g, a, "describes the triple", f"{shorten(s)} {shorten(p)} {shorten(o)}")


def test_assertion_predicate_must_be_a_relation(g):
    a, (s, p, o) = _single_assertion(g)
    g.remove((s, p, o))
    g.set((a, RDF.predicate, KG.mentions))
    g.add((s, KG.mentions, o))
    fails(g, a, "rdf:predicate", "sub-property of kg:relatedTo")


# -- mentions, documents, positions, casualties --------------------------------------------------

def test_mention_without_entity_or_text(g):
    m = one(g, "SELECT ?m WHERE { ?m a kg:Mention } ORDER BY ?m")
    g.remove((m, KG.refersTo, None))
    g.remove((m, KG.mentionText, None))
    fails(g, m, "kg:refersTo", "must refer to exactly one entity")
    fails(g, m, "kg:mentionText", "mention has no text")


def test_document_without_content_hash(g):
    doc = one(g, "SELECT ?d WHERE { ?d a kg:Document }")
    g.remove((doc, KG.contentHash, None))
    fails(g, doc, "kg:contentHash", "content hash")


def test_document_whose_iri_does_not_match_its_hash(g):
    doc = one(g, "SELECT ?d WHERE { ?d a kg:Document }")
    g.set((doc, KG.contentHash, Literal("0" * 64)))
    fails(g, doc, "does not match its content hash")


def test_position_without_holder(g):
    pos = one(g, "SELECT ?p WHERE { ?p a kg:Position } ORDER BY ?p")
    g.remove((pos, KG.heldBy, None))
    fails(g, pos, "kg:heldBy", "held by a person")


def test_casualty_of_unknown_kind(g):
    c = one(g, "SELECT ?c WHERE { ?c a kg:Casualty } ORDER BY ?c")
    g.set((c, KG.casualtyKind, Literal("injured")))
    fails(g, c, "kg:casualtyKind", "killed, wounded or arrested", '"injured"')


def test_many_violations_are_counted_per_node(g):
    g.remove((MUNIR, RDF.type, None))
    g.remove((MUNIR, SKOS.prefLabel, None))
    report = validate_graph(g)
    munir = [v for v in report.errors if v.focus == MUNIR]
    assert {v.path for v in munir} == {"rdf:type", "skos:prefLabel"}
    nodes = len({v.focus for v in report.errors})
    assert format_report(report).splitlines()[-1].startswith(f"{len(report.errors)} violations in {nodes} nodes")


# -- the shapes file itself ----------------------------------------------------------------------

def _shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


def test_every_constraint_has_a_message():
    sg = _shapes()
    constraints = set(sg.subjects(SH.path, None)) | set(sg.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(constraints) > 40
    missing = [shorten(c) if isinstance(c, URIRef) else c for c in constraints if sg.value(c, SH.message) is None]
    assert not missing


@pytest.mark.parametrize("shape,top", [("EntityTypeKnown", KG.Entity), ("EventTypeKnown", KG.Event)])
def test_type_lists_match_the_ontology(shape, top):
    """sh:in lists every concrete subclass in kg.ttl (kg:Agent is abstract), so the two stay in step."""
    onto = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    classes = set(onto.transitive_subjects(RDFS.subClassOf, top)) - {top, KG.Agent}
    sg = _shapes()
    listed = set(Collection(sg, sg.value(URIRef(KGSH + shape), SH["in"])))
    assert listed == classes


def test_dates_in_the_seed_build_are_typed(seed_graph):
    """What DateShape relies on: the build writes xsd:date literals."""
    dates = [o for p in (KG.date, KG.endDate, KG.referenceDate, DCTERMS.date) for o in seed_graph.objects(None, p)]
    assert dates and all(d.datatype == XSD.date for d in dates)
