"""Score a built store against hand-made gold: precision and recall of typed entities and relations.

Gold (JSON): ``entities`` with id, name, type and aliases; ``relations`` with s, p, o (gold ids).
A predicted entity matches a gold one when one of its labels equals one of the gold names (after
`normalize`) and, for typed scores, the types are equal. A predicted relation matches when both
ends match and the predicate is the same (either direction for symmetric predicates). A person's
position counts as ``holdsPosition`` between the person and the organisation of the position.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.gazetteer import normalize
from kg.namespaces import ENTITY_GRAPH, KG
from kg.paths import ONTOLOGY_DIR
from kg.store import KGStore



@lru_cache(maxsize=1)
def symmetric_predicates() -> frozenset[str]:
    """Local names of the ontology's owl:SymmetricProperty relations (kg.ttl), scored either way."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    g = Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")
    return frozenset(str(p).rsplit("#", 1)[-1] for p in g.subjects(RDF.type, OWL.SymmetricProperty))


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
        return (p, *sorted((s, o))) if p in symmetric_predicates() else (p, s, o)

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


# -- entity resolution: pairwise scores over hand-made mention clusters ----------------------------

@dataclass
class ResolutionScore:
    """Pairwise precision/recall of the store's mention clustering against gold clusters.

    Every gold mention is located in its document's clean text and matched to a predicted
    mention by head word (see `_match`); a gold mention with no matching predicted mention counts
    as a cluster of its own. A pair of gold mentions is a predicted link when both point at one entity node,
    a gold link when they share a gold id. Pairs run across documents too, so cross-document
    merges and splits count.
    """

    mentions: int = 0
    located: int = 0
    matched: int = 0
    pred_pairs: int = 0
    gold_pairs: int = 0
    both_pairs: int = 0
    wrong_merges: list[str] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    links: list[tuple[str, str, str, str]] = field(default_factory=list)  # doc, text, gold, predicted

    @property
    def precision(self) -> float:
        return self.both_pairs / self.pred_pairs if self.pred_pairs else 0.0

    @property
    def recall(self) -> float:
        return self.both_pairs / self.gold_pairs if self.gold_pairs else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


MIN_IOU = 0.5
# lower-case words inside a title or name: "Minister of Defense for ...", "Hamood uz Zaman Khan"
_CONNECTORS = {"of", "for", "and", "the", "uz", "ul", "al", "bin", "ibn", "ud", "ur"}
_TAIL = re.compile(r"\s+(?:of|in|at|from|for|on|who|which|that)\s|,|\s+\(")


def _head(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Character span of a mention's head word: the last word before a prepositional or clausal
    tail ("ministry" in "the foreign ministry in Tehran", "Bajwa" in "General Qamar Javed Bajwa")."""
    s, e = span
    cut = _TAIL.search(text, s, e)
    end = cut.start() if cut else e
    if cut and cut.group().strip() == "of" and text[s:end].split()[-1][:1].isupper() \
            and all(w[:1].isupper() or w in _CONNECTORS for w in text[cut.end():e].split()):
        end = e  # a title before a name: "Chief of Army Staff General Qamar Javed Bajwa"
    words = list(re.finditer(r"[\w\-\u2019']+", text[s:end]))
    if not words:
        return span
    w = words[-1]
    stem = re.sub(r"(?:'s|\u2019s|')$", "", w.group())
    return s + w.start(), s + w.start() + len(stem)


def _match(span: tuple[int, int], head: tuple[int, int], predicted: list[tuple[int, int, str]]) -> str | None:
    """The entity of the predicted mention that matches a gold one: it must contain the gold head
    word and lie inside the gold span or overlap it by at least one half (intersection over
    union). Titles and ranks are then no matter of convention: "Bajwa" matches "General Bajwa",
    but "Iran" does not match "Iran's top general" nor "the Guards" "the Guards' ground forces"."""
    best, score = None, -1.0
    for s, e, ent in predicted:
        if s > head[0] or e < head[1]:
            continue
        inter = min(e, span[1]) - max(s, span[0])
        iou = inter / (max(e, span[1]) - min(s, span[0]))
        if (s >= span[0] and e <= span[1]) or iou >= MIN_IOU:
            if iou > score:
                best, score = ent, iou
    return best


def _locate(text: str, context: str, mention: str) -> tuple[int, int] | None:
    """Span of ``mention`` inside the first place ``context`` occurs in ``text``.

    Ingest normalises whitespace, so the context is matched with any run of space for a space.
    """
    pattern = r"\s+".join(re.escape(tok) for tok in context.split())
    m = re.search(pattern, text)
    if not m:
        return None
    inner = r"\s+".join(re.escape(tok) for tok in mention.split())
    k = re.search(inner, text[m.start():m.end()])
    if not k:
        return None
    return m.start() + k.start(), m.start() + k.end()


def _store_mentions(store: KGStore) -> dict[str, tuple[str, list[tuple[int, int, str]]]]:
    """source file name -> (clean text, [(start, end, entity IRI)])."""
    docs: dict[str, tuple[str, list[tuple[int, int, str]]]] = {}
    by_iri: dict[str, str] = {}
    for doc, src, text in store.query("SELECT ?d ?src ?t WHERE { ?d a kg:Document ; kg:sourcePath ?src ; kg:text ?t }"):
        name = Path(str(src)).name
        docs[name] = (str(text), [])
        by_iri[str(doc)] = name
    for doc, s, e, ent in store.query("""
        SELECT ?d ?s ?e ?ent WHERE {
          ?m a kg:Mention ; kg:inDocument ?d ; kg:charStart ?s ; kg:charEnd ?e ; kg:refersTo ?ent }"""):
        if str(doc) in by_iri:
            docs[by_iri[str(doc)]][1].append((int(s), int(e), str(ent)))
    return docs


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score_resolution(store: KGStore, gold_paths: list[str | Path]) -> ResolutionScore:
    """Pairwise resolution scores of ``store`` against the ``mentions`` of gold files."""
    from collections import Counter, defaultdict

    docs = _store_mentions(store)
    score = ResolutionScore()
    assigned: list[tuple[str, str]] = []  # (gold id, predicted cluster)
    for path in gold_paths:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
        name = gold["document"]
        text, predicted = docs.get(name, ("", []))
        for i, gm in enumerate(gold.get("mentions", [])):
            score.mentions += 1
            where = f"{name}: {gm['text']!r} ({gm['entity']})"
            alone = f"unmatched:{name}:{i}"
            span = _locate(text, gm["context"], gm["text"]) if text else None
            if span is None:
                score.unmatched.append(where + " not in the clean text")
                assigned.append((gm["entity"], alone))
                continue
            score.located += 1
            best = _match(span, _head(text, span), predicted)
            if best is None:
                score.unmatched.append(where + " has no predicted mention")
                assigned.append((gm["entity"], alone))
                continue
            score.matched += 1
            assigned.append((gm["entity"], best))
            score.links.append((name, gm["text"], gm["entity"], best))
    by_pred, by_gold, by_both = Counter(p for _, p in assigned), Counter(g for g, _ in assigned), Counter(assigned)
    score.pred_pairs = sum(_pairs(n) for n in by_pred.values())
    score.gold_pairs = sum(_pairs(n) for n in by_gold.values())
    score.both_pairs = sum(_pairs(n) for n in by_both.values())
    golds_of: dict[str, Counter] = defaultdict(Counter)
    preds_of: dict[str, Counter] = defaultdict(Counter)
    for (g, p), n in by_both.items():
        golds_of[p][g] += n
        if not p.startswith("unmatched:"):
            preds_of[g][p.rsplit("/id/", 1)[-1]] += n
    score.wrong_merges = sorted(
        f"{p.rsplit('/id/', 1)[-1]} <- {dict(gs)}" for p, gs in golds_of.items() if len(gs) > 1)
    score.splits = sorted(f"{g} -> {dict(ps)}" for g, ps in preds_of.items() if len(ps) > 1)
    return score
