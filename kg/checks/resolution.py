"""Entity resolution scored against hand-made mention clusters: pairwise precision and recall
(`score_resolution`), and how a gold mention is found in the text and matched to a predicted one
(`locate`, `head_span`, `match_mention`, which `kg.checks.evaluate` aligns entities with too).
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.store import KGStore

__all__ = ["MIN_IOU", "ResolutionScore", "head_span", "locate", "match_mention", "score_resolution"]


@dataclass
class ResolutionScore:
    """Pairwise precision/recall of the store's mention clustering against gold clusters.

    Every gold mention is located in its document's clean text and matched to a predicted
    mention by head word (see `match_mention`); a gold mention with no matching predicted mention counts
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


def head_span(text: str, span: tuple[int, int]) -> tuple[int, int]:
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


def match_mention(span: tuple[int, int], head: tuple[int, int], predicted: list[tuple[int, int, str]]) -> str | None:
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


def locate(text: str, context: str, mention: str) -> tuple[int, int] | None:
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
            span = locate(text, gm["context"], gm["text"]) if text else None
            if span is None:
                score.unmatched.append(where + " not in the clean text")
                assigned.append((gm["entity"], alone))
                continue
            score.located += 1
            best = match_mention(span, head_span(text, span), predicted)
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
