"""Extractions + resolution -> RDF triples under the ontology in `ontology/kg.ttl`.

Each document's statements go to its own named graph (the document's IRI): every relation is a
plain triple between entity nodes, and beside it a kg:Assertion that points to the document,
sentence, character offsets and confidence behind it. Entity descriptions (type, labels, country)
go to the entity graph.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from kg.extract import load_lexicon
from kg.model import Event, Extraction
from kg.namespaces import ID, KG
from kg.ontology.schema import fits, is_a
from kg.rdf.iris import doc_iri, entity_iri
from kg.rdf.literals import date_literal, decimal_literal, int_literal, short_literal
from kg.resolve.entities import Entity, Resolution
from kg.resolve.events import event_key

Triple = tuple


def _h(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


class _DocWriter:
    def __init__(self, xi: int, x: Extraction, res: Resolution):
        self.xi, self.x, self.res = xi, x, res
        self.doc = doc_iri(x)
        self.out: list[Triple] = []
        self._evidence: dict[int, Literal] = {}

    def key(self, mi: int) -> str | None:
        return self.x.mentions[mi].entity

    def evidence(self, sent: int) -> Literal:
        """The sentence as one line, a Literal made once per sentence of the document."""
        lit = self._evidence.get(sent)
        if lit is None:
            lit = self._evidence[sent] = Literal(" ".join(self.x.sentence_text(sent).split()))
        return lit

    def assertion(self, s: URIRef, p: URIRef, o: URIRef, sent: int, start: int, end: int,
                  conf: float, claimed_by: URIRef | None = None, negated: bool = False) -> None:
        """The plain triple and the assertion that says where it comes from; nothing when the
        ontology does not allow the relation between the two entities' types (kg.ontology.schema)."""
        if not fits(str(p)[len(str(KG)):], self._type(s), self._type(o)):
            return
        a = URIRef(f"{self.doc}#a-{_h(s, p, o, sent, start)}")
        self.out += [
            (s, p, o),
            (a, RDF.type, KG.Assertion),
            (a, RDF.subject, s), (a, RDF.predicate, p), (a, RDF.object, o),
            (a, KG.evidence, self.evidence(sent)),
            (a, KG.sentenceIndex, int_literal(sent)),
            (a, KG.charStart, int_literal(start)), (a, KG.charEnd, int_literal(end)),
            (a, KG.confidence, decimal_literal(conf)),
            (a, KG.inDocument, self.doc),
        ]
        if claimed_by is not None:
            self.out.append((a, KG.claimedBy, claimed_by))
        if negated:
            self.out.append((a, KG.negated, Literal(True)))

    def _type(self, iri: URIRef) -> str | None:
        ent = self.res.entities.get(str(iri)[len(str(ID)):]) if str(iri).startswith(str(ID)) else None
        return ent.type if ent is not None else None

    def metadata(self) -> None:
        d, doc = self.x.doc, self.doc
        self.out += [
            (doc, RDF.type, KG.Document),
            (doc, KG.sourcePath, Literal(d.source)),
            (doc, KG.contentHash, Literal(d.content_hash)),
            (doc, KG.text, Literal(d.text)),
        ]
        if d.title:
            self.out.append((doc, DCTERMS.title, Literal(d.title)))
        if d.date:
            self.out.append((doc, DCTERMS.date, date_literal(d.date)))
        if self.x.ref_date:
            self.out.append((doc, KG.referenceDate, date_literal(self.x.ref_date)))
        if self.xi in self.res.authors:
            self.out.append((doc, KG.author, entity_iri(self.res.authors[self.xi])))
        if self.xi in self.res.outlets:
            self.out.append((doc, KG.reportedBy, entity_iri(self.res.outlets[self.xi])))

    def mentions(self) -> None:
        seen = set()
        for i, m in enumerate(self.x.mentions):
            if not m.entity or m.kind == "demonym":
                continue
            e = entity_iri(m.entity)
            node = URIRef(f"{self.doc}#m{i}")
            self.out += [
                (node, RDF.type, KG.Mention),
                (node, KG.mentionText, short_literal(m.text)),
                (node, KG.mentionKind, short_literal(m.kind)),
                (node, KG.charStart, int_literal(m.start)), (node, KG.charEnd, int_literal(m.end)),
                (node, KG.sentenceIndex, int_literal(m.sent)),
                (node, KG.refersTo, e),
                (node, KG.inDocument, self.doc),
            ]
            note = self.res.notes.get((self.xi, i)) if self.res.notes else None
            if note:  # why a name of another spelling joined (kg explain says it)
                self.out.append((node, KG.resolutionNote, Literal(note)))
            if e not in seen:
                seen.add(e)
                self.out.append((self.doc, KG.mentions, e))
        for mi, designation in self.x.designations.items():
            if self.key(mi):
                self.out.append((entity_iri(self.key(mi)), KG.designation, Literal(designation)))

    def positions(self) -> None:
        for p, role in self.res.positions_in(self.xi):
            pos = entity_iri(p.key)
            person = entity_iri(p.person)
            self.out += [
                (pos, RDF.type, KG.Position),
                (pos, SKOS.prefLabel, Literal(p.label)),
                (pos, KG.positionTitle, Literal(p.title)),
                (pos, KG.heldBy, person),
            ]
            if p.org:
                self.out.append((pos, KG.positionIn, entity_iri(p.org)))
            if p.former:
                self.out.append((pos, KG.former, Literal(True)))
            self.assertion(person, KG.holdsPosition, pos, role.sent, role.start, role.end, 0.9)
            self._leadership(p, role)
            self._employment(p, role)

    def _employment(self, p, role) -> None:
        """A post in a company, club or outlet: the organisation employs the person."""
        org = self.res.entities.get(p.org) if p.org else None
        if org is not None and org.type in load_lexicon().employer_types:
            self.assertion(entity_iri(p.org), KG.employs, entity_iri(p.person), role.sent, role.start, role.end, 0.85)

    def _leadership(self, p, role) -> None:
        """"commander of the IRGC" -> commands; "Chief of Army Staff" -> commands the army."""
        lex = load_lexicon()
        if not p.org or p.org.startswith("place/"):
            return
        words = p.title.lower().replace("-", " ").split()
        org = self.res.entities.get(p.org)
        if org is not None and org.type in lex.employer_types:
            return  # a company's or a club's staff: employment (`_employment`), not membership
        # forces, armed groups and parties have members; a ministry has staff holding posts
        is_body = org is not None and org.type in lex.membership_types
        if any(w in lex.subordinate for w in words) or not any(w in lex.leads or w in lex.commands for w in words):
            # a deputy, a spokesman, a colonel: a member of the body, not its head
            if is_body:
                self.assertion(entity_iri(p.person), KG.memberOf, entity_iri(p.org), role.sent, role.start, role.end, 0.8)
            return
        # the office word before any "of": "TTP leader", "chief of staff", "Director General"
        before_of = words[: words.index("of")] if "of" in words else words
        head = next((w for w in before_of if w in lex.leads or w in lex.commands), words[0] if words else "")
        pred = None
        if any(p.title.lower().startswith(c) for c in lex.commands):
            pred = KG.commands
        elif head in lex.leads:
            military = org is not None and (is_a(org.type, "MilitaryOrganization") or is_a(org.type, "ArmedGroup"))
            pred = KG.commands if military else KG.leads
        if pred is not None:
            self.assertion(entity_iri(p.person), pred, entity_iri(p.org), role.sent, role.start, role.end, 0.85)

    def relations(self) -> None:
        for r in self.x.relations:
            s, o = self.key(r.subject), self.key(r.object)
            if not s or not o or s == o:
                continue
            claimed = entity_iri(self.key(r.claimed_by)) if r.claimed_by is not None and self.key(r.claimed_by) else None
            self.assertion(entity_iri(s), KG[r.predicate], entity_iri(o), r.sent, r.start, r.end, r.confidence, claimed,
                           r.negated)

    def events(self) -> None:
        for n, ev in enumerate(self.x.events):
            self.event(n, ev)

    def _keys(self, mentions: list[int]) -> list[str]:
        return list(dict.fromkeys(k for k in (self.key(m) for m in mentions) if k))

    # (extraction index, event index) -> shared event key (kg.resolve.events.link_events); set by document_triples
    event_keys: Mapping[tuple[int, int], str] = MappingProxyType({})

    def event(self, n: int, ev: Event) -> None:
        """The event's node, described in this document's graph.

        Events that `kg.resolve.events.link_events` found to be one real event share a node
        (``id:event/<key>``); each document's graph still holds its own description of it (trigger,
        evidence, offsets, date, totals, kg:inDocument). The preferred label is written only by the
        member whose own key names the node, so a shared node has one label.
        """
        agents, parts, targets = self._keys(ev.agents), self._keys(ev.participants), self._keys(ev.targets)
        places = self._keys(ev.places)
        if not (agents or parts or targets or places):
            return
        own = event_key(self.x, n)
        shared = self.event_keys.get((self.xi, n), own)
        e = ID[f"event/{shared}"]
        doc_tag = self.x.doc.content_hash[:16]
        names = [self.res.entities[k].label for k in agents + parts + targets if k in self.res.entities]
        label = ev.type
        if names:
            label += " of " + ", ".join(names[:4])
        if places and places[0] in self.res.entities:
            label += " in " + self.res.entities[places[0]].label
        if ev.date:
            label += f", {ev.date.isoformat()}"
        if shared == own:
            self.out.append((e, SKOS.prefLabel, Literal(label)))
        self.out += [
            (e, RDF.type, KG[ev.type]),
            (e, KG.trigger, short_literal(ev.trigger)),
            (e, KG.evidence, self.evidence(ev.sent)),
            (e, KG.sentenceIndex, int_literal(ev.sent)),
            (e, KG.charStart, int_literal(ev.start)), (e, KG.charEnd, int_literal(ev.end)),
            (e, KG.confidence, decimal_literal(ev.confidence)),
            (e, KG.inDocument, self.doc),
        ]
        for pred, keys in ((KG.agent, agents), (KG.participant, parts), (KG.target, targets), (KG.place, places)):
            self.out += [(e, pred, entity_iri(k)) for k in keys]
        if ev.date:
            self.out.append((e, KG.date, date_literal(ev.date)))
        if ev.date_end:
            self.out.append((e, KG.endDate, date_literal(ev.date_end)))
        if ev.date_text:
            self.out.append((e, KG.dateText, Literal(ev.date_text)))
        if ev.quote:
            self.out.append((e, KG.quote, Literal(ev.quote)))
        totals: dict[str, int] = {}
        for c_i, c in enumerate(ev.casualties):
            c_node = URIRef(f"{e}/{doc_tag}-c{c_i}")  # one document's figure: two reports never mix
            self.out += [(e, KG.casualty, c_node), (c_node, RDF.type, KG.Casualty),
                         (c_node, KG.casualtyKind, short_literal(c.kind)), (c_node, KG.inDocument, self.doc)]
            if c.count is not None:
                self.out.append((c_node, KG["count"], int_literal(c.count)))
                totals[c.kind] = totals.get(c.kind, 0) + c.count
            if c.who:
                self.out.append((c_node, KG.victims, Literal(c.who)))
            if c.affiliation is not None and self.key(c.affiliation):
                self.out.append((c_node, KG.affiliation, entity_iri(self.key(c.affiliation))))
        for kind, total in totals.items():
            self.out.append((e, KG[kind], int_literal(total)))
        self._event_relations(ev, agents, parts, targets, places)

    def _event_relations(self, ev: Event, agents, parts, targets, places) -> None:
        if not ev.relation:
            return
        pred = KG[ev.relation]
        pairs: list[tuple[str, str]] = []
        if ev.between == "participants":
            side = list(dict.fromkeys(parts + agents))
            hub = [k for k in self._keys(ev.hub) if k in side]
            if hub and len(hub) < len(side):
                # "X met A, B and C": X met each of them, not A met B
                pairs = [(h, o) for h in hub for o in side if o not in hub]
                pairs += [(a, b) for i, a in enumerate(hub) for b in hub[i + 1 :]]
            else:
                pairs = [(a, b) for i, a in enumerate(side) for b in side[i + 1 :]]
        elif ev.between == "agent-target":
            pairs = [(a, t) for a in agents for t in targets]
        elif ev.between == "agent-place":
            # "visited the headquarters of the IRGC": an organisation visited counts like a place
            visited = places + [t for t in targets if t in self.res.entities and self.res.entities[t].type != "Person"]
            pairs = [(a, p) for a in agents + parts for p in dict.fromkeys(visited)]
        elif ev.between == "target-agent":
            pairs = [(t, a) for t in targets for a in agents]
        speaker = self.key(ev.claimed_by) if ev.claimed_by is not None else None
        self._active_in(ev, agents, places)
        for s, o in pairs:
            if s != o:
                self.assertion(entity_iri(s), pred, entity_iri(o), ev.sent, ev.start, ev.end, ev.confidence,
                               entity_iri(speaker) if speaker and speaker not in (s, o) else None, ev.negated)

    def _active_in(self, ev: Event, agents: list[str], places: list[str]) -> None:
        """An armed group attacking in a province is active there (lexicon.toml [active_in])."""
        rule = load_lexicon().active_in
        if ev.type not in rule.get("events", ()) or ev.negated or ev.claimed_by is not None:
            return
        ents = self.res.entities
        for a in agents:
            if a not in ents or ents[a].type not in rule.get("agent_types", ()):
                continue
            for p in places:
                if p in ents and ents[p].type in rule.get("place_types", ()):
                    self.assertion(entity_iri(a), KG.activeIn, entity_iri(p), ev.sent, ev.start, ev.end,
                                   min(ev.confidence, 0.7))

    def run(self) -> list[Triple]:
        self.metadata()
        self.mentions()
        self.positions()
        self.relations()
        self.events()
        return self.out


def document_triples(xi: int, x: Extraction, res: Resolution,
                     event_keys: Mapping[tuple[int, int], str] | None = None) -> list[Triple]:
    """Every triple of one document's named graph.

    ``event_keys`` (from `kg.resolve.events.link_events` over the whole batch) names the shared node of
    events that other documents report too; without it every event gets its own node.
    """
    writer = _DocWriter(xi, x, res)
    if event_keys is not None:
        writer.event_keys = event_keys
    return writer.run()


def entity_triples(entities: dict[str, Entity]) -> Iterator[Triple]:
    """The entity graph: one type, one preferred label, aliases, country and links per entity."""
    for key, ent in sorted(entities.items()):
        if not ent.mentions and ent.type != "Person" and not key.startswith("org/") and not ent.gaz_id:
            continue  # gazetteer entities stay: a demonym or an office may point at them unnamed
        e = entity_iri(key)
        yield e, RDF.type, KG[ent.type]
        yield e, SKOS.prefLabel, Literal(ent.label)
        for alias in sorted(ent.aliases):
            if alias != ent.label:
                yield e, SKOS.altLabel, Literal(alias)
        if ent.country and ent.country != key:
            yield e, KG.country, entity_iri(ent.country)
        for rank in sorted(ent.ranks):
            yield e, KG.rank, Literal(rank)
        for link in ent.same_as:
            yield e, OWL.sameAs, URIRef(link)
