"""Score a built store against hand-made gold: precision and recall of typed entities and relations.

Gold (JSON): ``entities`` with id, name, type and aliases; ``relations`` with s, p, o (gold ids).
A predicted entity matches a gold one when one of its labels equals one of the gold names (after
`normalize`) and, for typed scores, the types are equal. A predicted relation matches when both
ends match and the predicate is the same (either direction for symmetric predicates). A person's
position counts as ``holdsPosition`` between the person and the organisation of the position.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.gazetteer import normalize
from kg.namespaces import ENTITY_GRAPH, KG
from kg.store import KGStore

SYMMETRIC = {"meetsWith", "cooperatesWith", "agreesWith", "clashesWith", "bordersWith"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

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
class Evaluation:
    entities: Score
    relations: Score


def _predicted_entities(store: KGStore) -> dict[str, tuple[str, set[str]]]:
    rows = store.query(f"""
        SELECT ?e ?type ?label WHERE {{
          GRAPH <{ENTITY_GRAPH}> {{ ?e a ?type ; skos:prefLabel|skos:altLabel ?label }}
        }}""")
    out: dict[str, tuple[str, set[str]]] = {}
    for e, t, label in rows:
        typ = str(t).rsplit("#", 1)[-1]
        out.setdefault(str(e), (typ, set()))[1].add(normalize(str(label)))
    return out


def _predicted_relations(store: KGStore) -> set[tuple[str, str, str]]:
    rows = store.query("""
        SELECT DISTINCT ?s ?p ?o ?org WHERE {
          ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          OPTIONAL { ?o kg:positionIn ?org }
        }""")
    out = set()
    for s, p, o, org in rows:
        pred = str(p).rsplit("#", 1)[-1]
        if pred == "holdsPosition":
            if org is not None:
                out.add((str(s), pred, str(org)))
        else:
            out.add((str(s), pred, str(o)))
    return out


def evaluate(store: KGStore, gold_path: str | Path) -> Evaluation:
    """Precision/recall of the store's entities (typed) and relations against a gold file."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    names = {g["id"]: {normalize(n) for n in [g["name"], *g.get("aliases", [])]} for g in gold["entities"]}
    gtype = {g["id"]: g["type"] for g in gold["entities"]}
    pred = _predicted_entities(store)

    def gold_id(iri: str) -> str | None:
        labels = pred.get(iri, ("", set()))[1]
        for gid, ns in names.items():
            if labels & ns:
                return gid
        return None

    ents = Score()
    found: set[str] = set()
    for iri, (typ, labels) in sorted(pred.items()):
        gid = gold_id(iri)
        if gid is not None and gtype[gid] == typ and gid not in found:
            ents.tp += 1
            found.add(gid)
        elif gid is None or gtype[gid] != typ:
            ents.fp += 1
            ents.false_alarms.append(f"{sorted(labels)[0] if labels else iri} ({typ})")
    for gid in names:
        if gid not in found:
            ents.fn += 1
            ents.misses.append(f"{gid} ({gtype[gid]})")

    def key(s: str, p: str, o: str) -> tuple[str, str, str]:
        return (p, *sorted((s, o))) if p in SYMMETRIC else (p, s, o)

    gold_rels = {key(r["s"], r["p"], r["o"]) for r in gold["relations"]}
    rels = Score()
    seen = set()
    for s, p, o in sorted(_predicted_relations(store)):
        gs, go = gold_id(s), gold_id(o)
        k = key(gs, p, go) if gs and go else None
        if k in seen:
            continue
        if k in gold_rels:
            rels.tp += 1
            seen.add(k)
        else:
            rels.fp += 1
            rels.false_alarms.append(f"{s.rsplit('/', 1)[-1]} {p} {o.rsplit('/', 1)[-1]}")
    for k in sorted(gold_rels - seen):
        rels.fn += 1
        rels.misses.append(" ".join(k))
    return Evaluation(ents, rels)
