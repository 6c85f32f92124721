"""Score a built store against hand-made gold: precision, recall and F1 of typed entities,
relations and events, in total and by type, predicate and document (`kg eval`).

Gold (JSON, the format of tests/data/README.md): ``entities`` with id, name, type and aliases;
``relations`` with s, p, o (gold ids); ``events``; ``mentions`` located by context. A file with a
``document`` is scored against that document's mentions, assertions and events; one without,
against the whole store. Gold entities are aligned one to one with predicted entities by their
mentions (head-word matching, as in the resolution score of `kg.checks.resolution`) and by shared names; a predicted entity
counts when aligned and of the same type. A relation counts when both ends align and the
predicate is the same (either direction for symmetric predicates); a person's position counts as
``holdsPosition`` between the person and the position's organisation, once per pair, and not
beside a more specific commands/leads/memberOf (`collapse_roles`). An event counts when a
predicted event of the same type shares an argument or the place. Each miss and false alarm is
also put in a failure class from what was compared (`kg.checks.failures`, docs/quality.md).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.checks.failures import (FALSE_ALARM, MISS, Failure, entity_alarm_class, event_alarm_class,
                                 event_miss_class, extra_node_class, failures_dict, format_failures, relation_class,
                                 type_confusion)
from kg.checks.resolution import ResolutionScore, head_span, locate, match_mention, score_resolution
from kg.errors import InputError
from kg.namespaces import ENTITY_GRAPH
from kg.ontology import schema
from kg.ontology.gazetteer import normalize
from kg.store import KGStore

__all__ = ["DocScore", "Evaluation", "Failure", "ResolutionScore", "Score", "collapse_roles", "evaluate",
           "format_evaluation", "gold_files", "score_resolution", "symmetric_predicates"]


def symmetric_predicates() -> frozenset[str]:
    """Local names of the ontology's owl:SymmetricProperty relations (kg.ttl), scored either way."""
    return schema.symmetric_relations()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)  # each miss and false alarm with its class

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocScore:
    """The scores of one gold file (one document, or the whole store for a corpus-level file)."""

    name: str
    entities: Score
    relations: Score
    events: Score
    kind: str | None = None  # the gold file's "kind": region, conflict, ordinary


@dataclass
class Evaluation:
    """Micro-averaged scores over every gold file, by entity type, predicate and event type too."""

    entities: Score
    relations: Score
    events: Score = field(default_factory=Score)
    entity_types: dict[str, Score] = field(default_factory=dict)
    predicates: dict[str, Score] = field(default_factory=dict)
    event_types: dict[str, Score] = field(default_factory=dict)
    documents: list[DocScore] = field(default_factory=list)


@dataclass
class StoreFacts:
    """What the store holds, read once: documents, mentions, entities, assertions, events (or
    what another system found in the same texts: `kg.checks.baseline`)."""

    docs: dict[str, str]  # source file name -> document IRI
    texts: dict[str, str]  # document IRI -> clean text
    mentions: dict[str, list[tuple[int, int, str]]]  # document IRI -> [(start, end, entity)]
    entities: dict[str, tuple[str, set[str]]]  # IRI -> (type, normalised labels)
    relations: dict[str, set[tuple[str, str, str]]]  # document IRI -> {(s, p, o)}
    events: dict[str, list[tuple[str, str, set[str], str | None]]]  # document IRI -> [(iri, type, args, place)]
    agents: dict[str, set[str]] = field(default_factory=dict)  # event IRI -> its agents


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/id/", 1)[-1]


def read_store(store: KGStore) -> StoreFacts:
    docs: dict[str, str] = {}
    texts: dict[str, str] = {}
    for doc, src, text in store.query("SELECT ?d ?src ?t WHERE { ?d a kg:Document ; kg:sourcePath ?src ; kg:text ?t }"):
        docs[Path(str(src)).name] = str(doc)
        texts[str(doc)] = str(text)
    mentions: dict[str, list[tuple[int, int, str]]] = {}
    for doc, s, e, ent in store.query("""
        SELECT ?d ?s ?e ?ent WHERE {
          ?m a kg:Mention ; kg:inDocument ?d ; kg:charStart ?s ; kg:charEnd ?e ; kg:refersTo ?ent }"""):
        mentions.setdefault(str(doc), []).append((int(s), int(e), str(ent)))
    entities: dict[str, tuple[str, set[str]]] = {}
    for e, t, label in store.query(f"""
        SELECT ?e ?type ?label WHERE {{
          GRAPH <{ENTITY_GRAPH}> {{ ?e a ?type ; skos:prefLabel|skos:altLabel ?label }}
        }}"""):
        entities.setdefault(str(e), (_local(str(t)), set()))[1].add(normalize(str(label)))
    relations: dict[str, set[tuple[str, str, str]]] = {}
    for doc, s, p, o, org in store.query("""
        SELECT DISTINCT ?d ?s ?p ?o ?org WHERE {
          ?a a kg:Assertion ; kg:inDocument ?d ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          OPTIONAL { ?o kg:positionIn ?org }
        }"""):
        pred = _local(str(p))
        if pred == "holdsPosition":  # scored between the person and the position's organisation
            if org is None:
                continue
            o = org
        relations.setdefault(str(doc), set()).add((str(s), pred, str(o)))
    events: dict[str, list] = {}
    found: dict[tuple[str, str], list] = {}
    for ev, t, doc, arg, place in store.query("""
        SELECT ?ev ?t ?d ?arg ?place WHERE {
          ?ev a ?t ; kg:trigger ?x ; kg:inDocument ?d .
          OPTIONAL { ?ev kg:agent|kg:participant|kg:target ?arg }
          OPTIONAL { ?ev kg:place ?place }
        }"""):
        key = (str(doc), str(ev))
        if key not in found:
            found[key] = [str(ev), _local(str(t)), set(), None]
            events.setdefault(str(doc), []).append(found[key])
        rec = found[key]
        if arg is not None:
            rec[2].add(str(arg))
        if place is not None:
            rec[3] = str(place)
    agents: dict[str, set[str]] = {}
    for ev, agent in store.query("SELECT ?ev ?a WHERE { ?ev kg:trigger ?x ; kg:agent ?a }"):
        agents.setdefault(str(ev), set()).add(str(agent))
    return StoreFacts(docs, texts, mentions, entities, relations,
                      {d: [tuple(r) for r in rs] for d, rs in events.items()}, agents)


def _scope_entities(facts: StoreFacts, scope: list[str]) -> set[str]:
    if len(scope) != 1:
        return set(facts.entities)
    return {ent for _, _, ent in facts.mentions.get(scope[0], []) if ent in facts.entities}


def _align(gold: dict, facts: StoreFacts, scope: list[str]) -> dict[str, str]:
    """Gold id -> predicted entity IRI, one to one.

    Votes: each gold mention located in the text and matched (by head word, see `kg.checks.resolution.match_mention`) to a
    predicted mention gives two votes to that mention's entity; the gold name among the predicted
    labels gives two more, only an alias among them one. Pairs are taken greedily by votes, then
    by equal type.
    """
    from collections import Counter

    votes: Counter = Counter()
    if len(scope) == 1:
        text = facts.texts.get(scope[0], "")
        for gm in gold.get("mentions", []):
            span = locate(text, gm["context"], gm["text"]) if text else None
            if span is None:
                continue
            best = match_mention(span, head_span(text, span), facts.mentions.get(scope[0], []))
            if best is not None:
                votes[gm["entity"], best] += 2
    candidates = _scope_entities(facts, scope)
    gtype = {g["id"]: g["type"] for g in gold["entities"]}
    for g in gold["entities"]:
        name = normalize(g["name"])
        aliases = {normalize(n) for n in g.get("aliases", [])}
        for iri in candidates:
            labels = facts.entities[iri][1]
            if name in labels:
                votes[g["id"], iri] += 2
            elif labels & aliases:
                votes[g["id"], iri] += 1

    def rank(item):
        (gid, iri), n = item
        return -n, facts.entities.get(iri, ("",))[0] != gtype.get(gid), gid, iri

    out: dict[str, str] = {}
    taken: set[str] = set()
    for (gid, iri), _ in sorted(votes.items(), key=rank):
        if gid in gtype and gid not in out and iri not in taken and iri in facts.entities:
            out[gid] = iri
            taken.add(iri)
    return out


ROLE_PREDICATES = ("commands", "leads", "memberOf")


def collapse_roles(rels: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """A person's place in an organisation counts once, by its most specific relation: drop
    ``holdsPosition`` where the same pair has commands, leads or memberOf, or where the
    organisation employs the person (a post in a firm or a club, tests/data/README.md). Applied
    to gold and predictions alike, so an annotator who wrote only "commands" and a build that
    also writes the position agree."""
    specific = {(s, o) for p, s, o in rels if p in ROLE_PREDICATES}
    specific |= {(o, s) for p, s, o in rels if p == "employs"}  # a firm's or club's post: employs
    return {(p, s, o) for p, s, o in rels if not (p == "holdsPosition" and (s, o) in specific)}


def _event_args(g: dict) -> list[str]:
    return [*g.get("agents", []), *g.get("participants", []), *g.get("targets", [])]


@dataclass
class _GoldFile:
    """One gold file against the store: its scope (document IRIs) and the alignment of its entities."""

    label: str  # the document's file name, or the gold file's for a corpus-level file
    gold: dict
    facts: StoreFacts
    scope: list[str]
    align: dict[str, str]  # gold id -> predicted entity IRI
    gold_of: dict[str, str] = field(init=False)  # predicted entity IRI -> gold id
    gtype: dict[str, str] = field(init=False)  # gold id -> type
    _where: dict[str, list[tuple[str, int, int]]] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.gold_of = {iri: gid for gid, iri in self.align.items()}
        self.gtype = {g["id"]: g["type"] for g in self.gold["entities"]}

    def mark(self, score: Score, table: dict[str, Score], key: str, kind: str, item: str = "",
             cls: tuple[str, str] = ("", "")) -> None:
        """Count a hit (``tp``), a false alarm (``fp``) or a miss (``fn``) in ``score`` and
        ``table[key]``; a miss or false alarm is also kept with its ``cls`` (section, class)."""
        setattr(score, kind, getattr(score, kind) + 1)
        target = table.setdefault(key, Score())
        setattr(target, kind, getattr(target, kind) + 1)
        if kind in ("fn", "fp"):
            line = f"{self.label}: {item}"
            for s in (score, target):
                (s.misses if kind == "fn" else s.false_alarms).append(line)
            score.failures.append(Failure(cls[0], MISS if kind == "fn" else FALSE_ALARM, cls[1] or "other", line))

    def written(self, iri: str) -> tuple[list[str], list[str], str]:
        """How the document(s) write a node: its mentions' texts, the lines holding them, and the
        text (of a one-document scope; empty otherwise)."""
        if self._where is None:  # node -> [(document text, start, end)], built on first use
            self._where = {}
            for d in self.scope:
                for start, end, ent in self.facts.mentions.get(d, []):
                    self._where.setdefault(ent, []).append((self.facts.texts.get(d, ""), start, end))
        surfaces, lines = [], []
        for text, start, end in self._where.get(iri, []):
            surfaces.append(text[start:end])
            tail = text.find("\n", end)
            lines.append(text[text.rfind("\n", 0, start) + 1:tail if tail >= 0 else len(text)])
        return surfaces, lines, self.facts.texts.get(self.scope[0], "") if len(self.scope) == 1 else ""

    def pretty(self, iri: str) -> str:
        """A predicted entity as the report names it: its gold id, else its longest label."""
        labels = self.facts.entities.get(iri, ("?", set()))[1]
        return self.gold_of.get(iri) or (max(sorted(labels), key=len) if labels else _local(iri))


def _score_file(gold: dict, facts: StoreFacts, ev: Evaluation, name: str) -> DocScore:
    doc_name = gold.get("document")
    if doc_name:
        scope = [facts.docs[doc_name]] if doc_name in facts.docs else []
    else:
        scope = list(facts.texts)
    f = _GoldFile(doc_name or name, gold, facts, scope, _align(gold, facts, scope) if scope else {})
    ents = _score_entities(f, ev.entity_types)
    rels = _score_relations(f, ev.predicates)
    evs = _score_events(f, ev.event_types) if "events" in gold else Score()
    return DocScore(f.label, ents, rels, evs, gold.get("kind"))


def _score_entities(f: _GoldFile, table: dict[str, Score]) -> Score:
    ents = Score()
    for iri in sorted(_scope_entities(f.facts, f.scope)):
        typ = f.facts.entities[iri][0]
        gid = f.gold_of.get(iri)
        if gid is not None and f.gtype[gid] == typ:
            f.mark(ents, table, typ, "tp")
        else:
            why = f" (gold: {f.gtype[gid]})" if gid else ""
            cls = entity_alarm_class(f.gtype[gid] if gid else None, typ,
                                     lambda: _extra_node(f, iri))
            f.mark(ents, table, typ, "fp", f"{f.pretty(iri)} {typ}{why}", ("entities", cls))
    for gid, typ in f.gtype.items():
        iri = f.align.get(gid)
        if iri is None or f.facts.entities[iri][0] != typ:
            cls = _not_found(f, gid) if iri is None else f"wrong type: {type_confusion(typ, f.facts.entities[iri][0])}"
            f.mark(ents, table, typ, "fn", f"{gid} {typ}", ("entities", cls))
    return ents


def _not_found(f: _GoldFile, gid: str) -> str:
    """A gold entity no node aligns with: its mentions or names are another gold entity's node
    (merged into it), a node's mention overlaps one of its mentions without matching it (the
    name cut differently), or no node has them."""
    g = next(g for g in f.gold["entities"] if g["id"] == gid)
    names = {normalize(n) for n in (g["name"], *g.get("aliases", []))}
    nodes = {iri for iri in _scope_entities(f.facts, f.scope) if f.facts.entities[iri][1] & names}
    overlap = False
    if len(f.scope) == 1:
        text, predicted = f.facts.texts.get(f.scope[0], ""), f.facts.mentions.get(f.scope[0], [])
        for gm in f.gold.get("mentions", []):
            span = locate(text, gm["context"], gm["text"]) if gm["entity"] == gid and text else None
            if span is not None:
                nodes.add(match_mention(span, head_span(text, span), predicted))
                overlap = overlap or any(s < span[1] and span[0] < e for s, e, _ in predicted)
    if any(n in f.gold_of for n in nodes if n):
        return "not found: merged into another entity's node"
    return "not found: name cut differently" if overlap else "not found: no node"


def _extra_node(f: _GoldFile, iri: str) -> str:
    surfaces, lines, text = f.written(iri)
    typ, labels = f.facts.entities[iri]
    names = {normalize(n): g["type"] for g in f.gold["entities"] for n in (g["name"], *g.get("aliases", []))}
    return extra_node_class(surfaces, labels, typ, text, lines, names)


def _score_relations(f: _GoldFile, table: dict[str, Score]) -> Score:
    rels = Score()

    def key(s: str, p: str, o: str) -> tuple[str, str, str]:
        return (p, *sorted((s, o))) if p in symmetric_predicates() else (p, s, o)

    gold_rels = collapse_roles({key(r["s"], r["p"], r["o"]) for r in f.gold.get("relations", [])})
    predicted: set[tuple[str, str, str]] = set()
    for d in f.scope:
        predicted |= f.facts.relations.get(d, set())
    mapped = {key(f.gold_of.get(s, s), p, f.gold_of.get(o, o)): (s, p, o) for s, p, o in sorted(predicted)}
    kept = collapse_roles(set(mapped))
    seen: set[tuple[str, str, str]] = set()
    for k in sorted(kept):
        s, p, o = mapped[k]
        if k in seen:
            continue
        seen.add(k)
        if k in gold_rels:
            f.mark(rels, table, p, "tp")
        else:
            cls = relation_class(k, FALSE_ALARM, gold_rels, kept, f.gtype.__contains__)
            f.mark(rels, table, p, "fp", f"{f.pretty(s)} {p} {f.pretty(o)}", ("relations", cls))
    for k in sorted(gold_rels - seen):
        cls = relation_class(k, MISS, kept, gold_rels, f.align.__contains__)
        f.mark(rels, table, k[0], "fn", f"{k[1]} {k[0]} {k[2]}", ("relations", cls))
    return rels


def _score_events(f: _GoldFile, table: dict[str, Score]) -> Score:
    """An event matches one of the same type sharing an argument or the place, one to one."""
    evs = Score()
    pred_events = [e for d in f.scope for e in f.facts.events.get(d, [])]
    used: set[str] = set()
    matched: list[tuple[str, set[str]]] = []  # (type, aligned arguments and place) of each matched gold event
    for g in f.gold["events"]:
        args = {f.align[i] for i in _event_args(g) if i in f.align}
        place = f.align.get(g.get("place") or "")
        hit = next((e for e in pred_events if e[0] not in used and e[1] == g["type"]
                    and (args & e[2] or (place and place in (e[3], *e[2])))), None)
        if hit is None:
            cls = event_miss_class(any(e[1] == g["type"] for e in pred_events), bool(args or place))
            f.mark(evs, table, g["type"], "fn",
                   f"{g['type']} {'/'.join(_event_args(g))} {g.get('date') or ''}".strip(), ("events", cls))
        else:
            used.add(hit[0])
            matched.append((hit[1], args | ({place} if place else set())))
            f.mark(evs, table, g["type"], "tp")
    gold_types = {g["type"] for g in f.gold["events"]}
    for e in pred_events:
        if e[0] not in used:
            dup = any(t == e[1] and ends & (e[2] | {e[3]}) for t, ends in matched)
            cls = event_alarm_class(dup, bool(f.facts.agents.get(e[0])), e[1] in gold_types)
            f.mark(evs, table, e[1], "fp", f"{e[1]} {'/'.join(sorted(f.pretty(a) for a in e[2]))}", ("events", cls))
    return evs


def _merge(total: Score, part: Score) -> None:
    total.tp += part.tp
    total.fp += part.fp
    total.fn += part.fn
    total.misses += part.misses
    total.false_alarms += part.false_alarms
    total.failures += part.failures


def gold_files(path: str | Path) -> list[Path]:
    """The gold JSON files at ``path``: the file itself, or the ``*.json`` files in the folder."""
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.json"))
        if not files:
            raise InputError(f"{p}: no gold files (*.json) in this folder")
        return files
    if not p.is_file():
        raise InputError(f"{p}: no such gold file or folder")
    return [p]


def _read_gold(path: Path) -> dict:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: not a readable gold JSON file ({err})") from err
    if not isinstance(gold, dict) or not isinstance(gold.get("entities"), list):
        raise InputError(f"{path}: a gold file needs an 'entities' list")
    for i, g in enumerate(gold["entities"]):
        if not isinstance(g, dict) or not {"id", "name", "type"} <= set(g):
            raise InputError(f"{path}: entity #{i} needs id, name and type")
    for i, r in enumerate(gold.get("relations", [])):
        if not isinstance(r, dict) or not {"s", "p", "o"} <= set(r):
            raise InputError(f"{path}: relation #{i} needs s, p and o")
    return gold


def evaluate(store: KGStore, gold_path: str | Path) -> Evaluation:
    """Precision/recall of the store against gold: one file or a folder of them.

    A gold file with a ``document`` field is scored against that document only (its mentions,
    assertions and events); one without is scored against the whole store. Scores are summed over
    files (micro average), with tables by entity type, predicate and event type.
    """
    return evaluate_facts(read_store(store), gold_path)


def evaluate_facts(facts: StoreFacts, gold_path: str | Path) -> Evaluation:
    """`evaluate` of what ``facts`` holds (the store's, or a baseline's on the same texts)."""
    ev = Evaluation(Score(), Score(), Score())
    for path in gold_files(gold_path):
        ds = _score_file(_read_gold(path), facts, ev, path.name)
        ev.documents.append(ds)
        _merge(ev.entities, ds.entities)
        _merge(ev.relations, ds.relations)
        _merge(ev.events, ds.events)
    return ev


def _score_dict(s: Score, items: bool = False) -> dict:
    d = {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
         "recall": round(s.recall, 4), "f1": round(s.f1, 4)}
    if items:
        d["misses"], d["false_alarms"] = s.misses, s.false_alarms
    return d


def _all_failures(ev: Evaluation) -> list[Failure]:
    return [*ev.entities.failures, *ev.relations.failures, *ev.events.failures]


def format_evaluation(ev: Evaluation, fmt: str = "text", details: bool = True) -> str:
    """A report: micro scores, tables by type/predicate/document, misses and false alarms by
    failure class (`kg.checks.failures`; with ``details``, a few examples of each), then (with
    ``details``) every miss and false alarm."""
    if fmt == "json":
        return json.dumps({
            "entities": _score_dict(ev.entities, details), "relations": _score_dict(ev.relations, details),
            "events": _score_dict(ev.events, details),
            "entity_types": {k: _score_dict(v) for k, v in sorted(ev.entity_types.items())},
            "predicates": {k: _score_dict(v) for k, v in sorted(ev.predicates.items())},
            "event_types": {k: _score_dict(v) for k, v in sorted(ev.event_types.items())},
            "documents": [{"document": d.name, "entities": _score_dict(d.entities),
                           "relations": _score_dict(d.relations), "events": _score_dict(d.events)}
                          for d in ev.documents],
            "failures": failures_dict(_all_failures(ev), details),
        }, indent=2)

    def row(name: str, s: Score) -> str:
        return f"{name:<30} {s.tp:>5} {s.fp:>5} {s.fn:>5} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"

    head = f"{'':<30} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}"
    out = [head, row("entities (typed)", ev.entities), row("relations", ev.relations), row("events", ev.events)]
    for title, table in (("by entity type", ev.entity_types), ("by predicate", ev.predicates),
                         ("by event type", ev.event_types)):
        if table:
            out += ["", title, head] + [row(k, v) for k, v in sorted(table.items())]
    if len(ev.documents) > 1:
        out += ["", f"{'by document':<44} {'entities':>8} {'relations':>9} {'events':>7}  (F1)"]
        out += [f"{d.name:<44} {d.entities.f1:>8.3f} {d.relations.f1:>9.3f} {d.events.f1:>7.3f}" for d in ev.documents]
    failures = _all_failures(ev)
    if failures:
        out += [""] + format_failures(failures, details)
    if details:
        for title, s in (("entities", ev.entities), ("relations", ev.relations), ("events", ev.events)):
            out += ["", f"{title}: misses ({len(s.misses)})"] + [f"  - {m}" for m in s.misses]
            out += [f"{title}: false alarms ({len(s.false_alarms)})"] + [f"  + {m}" for m in s.false_alarms]
    return "\n".join(out)
