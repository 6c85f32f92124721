"""Why an entity is one node: its names, the mentions and documents behind it, and its facts.

`explain(store, "Munir")` finds the entities a name denotes (preferred label, alias or IRI) and
gathers, for each, every mention that was resolved to it with the reason it joined (a name, an
acronym after its expansion, a short form of a full name, a description in context, a capital
standing for its government, another spelling of its name), the documents they come from, and every relation and event it takes
part in with the sentence that states it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from rdflib import URIRef

from kg.iri import is_valid_iri

from kg.errors import QueryError
from kg.ontology.gazetteer import normalize
from kg.namespaces import ENTITY_GRAPH, ID
from kg.query.results import shorten
from kg.store import KGStore

# Why a mention joined its entity, by the mention kind resolution recorded (kg:mentionKind).
REASONS = {
    "name": "its name or a known alias",
    "acronym": "an acronym of its name, spelt out in the same document or another",
    "short": "a short form of a full name in the same document",
    "role": "a description that refers back to it in context",
    "metonym": "a capital city standing for its government",
    "spelling": "another spelling of its name, met in another document",
}


@dataclass
class MentionInfo:
    text: str
    kind: str
    reason: str
    document: str
    sentence: int


@dataclass
class Fact:
    subject: str
    predicate: str
    object: str
    evidence: str
    document: str
    confidence: float | None = None


@dataclass
class EventInfo:
    event: str
    type: str
    role: str
    date: str | None
    evidence: str
    document: str


@dataclass
class Explanation:
    iri: str
    label: str
    type: str
    country: str | None
    aliases: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)  # document IRI -> title or path
    mentions: list[MentionInfo] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    events: list[EventInfo] = field(default_factory=list)


def find_entities(store: KGStore, name: str) -> list[str]:
    """IRIs of the entities ``name`` denotes: an IRI or key, else preferred labels, else aliases."""
    if name.startswith(str(ID)) or "/" in name:
        iri = name if name.startswith("http") else str(ID) + name
        if not is_valid_iri(iri):
            raise QueryError(f"{name!r} is not a valid IRI (spaces and some characters are not allowed); "
                             "give a name, an alias or an IRI from `kg query`")
        if list(store.query(f"SELECT ?e WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?e ?p ?o }} }} LIMIT 1",
                            {"e": URIRef(iri)})):
            return [iri]
    want = normalize(name)
    pref, alt = [], []
    for e, kind, label in store.query(f"""
        SELECT ?e ?kind ?label WHERE {{ GRAPH <{ENTITY_GRAPH}> {{
          {{ ?e skos:prefLabel ?label BIND("pref" AS ?kind) }} UNION {{ ?e skos:altLabel ?label BIND("alt" AS ?kind) }}
        }} }}"""):
        if normalize(str(label)) == want:
            (pref if str(kind) == "pref" else alt).append(str(e))
    return sorted(set(pref)) or sorted(set(alt))


def explain(store: KGStore, name: str) -> list[Explanation]:
    """Explanations of every entity ``name`` denotes; raises QueryError when it denotes none."""
    iris = find_entities(store, name)
    if not iris:
        raise QueryError(f"no entity is called {name!r} (try a full name, an alias or an IRI from `kg query`)")
    return [_explain_one(store, iri) for iri in iris]


def _explain_one(store: KGStore, iri: str) -> Explanation:
    e = {"e": URIRef(iri)}
    desc = list(store.query(f"""
        SELECT ?e ?label ?type ?country WHERE {{ GRAPH <{ENTITY_GRAPH}> {{
          ?e skos:prefLabel ?label ; a ?type . OPTIONAL {{ ?e kg:country ?c . ?c skos:prefLabel ?country }}
        }} }}""", e))
    _, label, typ, country = desc[0]
    out = Explanation(iri, str(label), shorten(typ), str(country) if country else None)
    for _, a in store.query(f"SELECT ?e ?a WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?e skos:altLabel ?a }} }}", e):
        out.aliases.append(str(a))
    for _, s in store.query(f"SELECT ?e ?s WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?e owl:sameAs ?s }} }}", e):
        out.same_as.append(str(s))
    out.aliases.sort()
    for _, doc, name, text, kind, sent, note in store.query("""
        SELECT ?e ?d ?name ?text ?kind ?sent ?note WHERE {
          ?m kg:refersTo ?e ; kg:inDocument ?d ; kg:mentionText ?text ; kg:mentionKind ?kind ;
             kg:sentenceIndex ?sent .
          ?d kg:sourcePath ?path . OPTIONAL { ?d dcterms:title ?title }
          OPTIONAL { ?m kg:resolutionNote ?note }
          BIND(COALESCE(?title, ?path) AS ?name)
        } ORDER BY ?d ?sent""", e):
        out.documents[str(doc)] = str(name)
        # a note says more than the kind ("a spelling of X (similarity 96)")
        reason = str(note) if note is not None else REASONS.get(str(kind), str(kind))
        out.mentions.append(MentionInfo(str(text), str(kind), reason, str(doc), int(sent)))
    for _, s, p, o, ev, doc, conf in store.query("""
        SELECT ?e ?s ?p ?o ?ev ?d ?conf WHERE {
          ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?ev ;
             kg:inDocument ?d . OPTIONAL { ?a kg:confidence ?conf }
          FILTER(?s = ?e || ?o = ?e || EXISTS { ?o kg:heldBy ?e })
        } ORDER BY ?p ?s ?o""", e):
        out.facts.append(Fact(_name(store, s), shorten(p), _name(store, o), str(ev), str(doc),
                              float(conf) if conf is not None else None))
    for _, ev, typ, role, date, evidence, doc in store.query("""
        SELECT ?e ?ev ?type ?role ?date ?evidence ?d WHERE {
          VALUES ?role { kg:agent kg:participant kg:target kg:place }
          # an event several articles report has one description per document graph: keep each
          # document's role, evidence and date together
          GRAPH ?g { ?ev ?role ?e ; a ?type ; kg:evidence ?evidence ; kg:inDocument ?d .
                     OPTIONAL { ?ev kg:date ?date } }
          FILTER(?type != kg:Event)
        } ORDER BY ?date ?ev""", e):
        out.events.append(EventInfo(shorten(ev), shorten(typ), shorten(role), str(date) if date else None,
                                    str(evidence), str(doc)))
    return out


def _name(store: KGStore, term) -> str:
    rows = list(store.query("SELECT ?t ?l WHERE { ?t skos:prefLabel ?l } LIMIT 1", {"t": term}))
    return str(rows[0][1]) if rows else shorten(term)


def format_explanation(items: list[Explanation], fmt: str = "text") -> str:
    """Text for people, or JSON for programs."""
    if fmt == "json":
        return json.dumps([asdict(x) for x in items], indent=2, ensure_ascii=False) + "\n"
    lines: list[str] = []
    for x in items:
        lines.append(f"{x.label}  ({x.type}{', ' + x.country if x.country else ''})")
        lines.append(f"  IRI: {x.iri}")
        if x.aliases:
            lines.append("  also called: " + "; ".join(x.aliases))
        for link in x.same_as:
            lines.append(f"  same as: {link}")
        lines.append(f"  {len(x.mentions)} mention(s) in {len(x.documents)} document(s):")
        for doc, title in x.documents.items():
            lines.append(f"    {title}  <{doc}>")
            for m in (m for m in x.mentions if m.document == doc):
                lines.append(f"      sentence {m.sentence}: {m.text!r} - {m.reason}")
        if x.facts:
            lines.append(f"  facts ({len(x.facts)}):")
            for f in x.facts:
                conf = f" [{f.confidence:.2f}]" if f.confidence is not None else ""
                lines.append(f"    {f.subject} {f.predicate} {f.object}{conf}")
                lines.append(f"      \"{_clip(f.evidence)}\"  ({x.documents.get(f.document, f.document)})")
        if x.events:
            lines.append(f"  events ({len(x.events)}):")
            for ev in x.events:
                lines.append(f"    {ev.type} as {ev.role}" + (f" on {ev.date}" if ev.date else ""))
                lines.append(f"      \"{_clip(ev.evidence)}\"")
        lines.append("")
    return "\n".join(lines)


def _clip(text: str, n: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"
