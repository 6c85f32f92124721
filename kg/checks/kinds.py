"""Scores by part of the news: the gold files' ``kind`` ("region": the tool's home ground, Iran,
Pakistan and Afghanistan security news; "conflict" and "ordinary": other news) summed apart, so a
good home score cannot hide a poor one elsewhere."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.checks.evaluate import Evaluation, Score
from kg.checks.failures import failures_dict

IN_DOMAIN = ("region",)
PARTS = {"in-domain": IN_DOMAIN, "other news": ("conflict", "ordinary")}


@dataclass
class PartScore:
    """Micro scores of the gold files of some kinds."""

    name: str
    documents: int = 0
    entities: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    events: Score = field(default_factory=Score)


def _add(total: Score, part: Score) -> None:
    total.tp += part.tp
    total.fp += part.fp
    total.fn += part.fn
    total.failures += part.failures


def has_kinds(ev: Evaluation) -> bool:
    """Whether any scored gold file says its kind."""
    return any(d.kind for d in ev.documents)


def by_kind(ev: Evaluation) -> list[PartScore]:
    """In-domain and other news (files of no kind left out), then each kind on its own."""
    out = []
    groups = [(name, kinds) for name, kinds in PARTS.items()]
    groups += [(k, (k,)) for k in sorted({d.kind for d in ev.documents if d.kind})]
    for name, kinds in groups:
        part = PartScore(name)
        for d in ev.documents:
            if d.kind in kinds:
                part.documents += 1
                _add(part.entities, d.entities)
                _add(part.relations, d.relations)
                _add(part.events, d.events)
        if part.documents:
            out.append(part)
    return out


def format_kinds(parts: list[PartScore], baseline: list[PartScore] | None = None) -> list[str]:
    """Lines of a table: F1 (and P/R) of entities, relations, events per part; with ``baseline``,
    the baseline's typed-entity F1 beside."""
    head = f"{'by kind (F1; P/R)':<22} {'docs':>4}  {'entities (typed)':>20}  {'relations':>20}  {'events':>20}"
    if baseline is not None:
        head += f"  {'spaCy NER entities':>20}"
    lines = [head]
    base = {b.name: b for b in baseline or []}

    def cell(s: Score) -> str:
        return f"{s.f1:.3f} ({s.precision:.2f}/{s.recall:.2f})"

    for p in parts:
        row = f"{p.name:<22} {p.documents:>4}  {cell(p.entities):>20}  {cell(p.relations):>20}  {cell(p.events):>20}"
        if baseline is not None:
            row += f"  {cell(base[p.name].entities) if p.name in base else '-':>20}"
        lines.append(row)
    return lines


def _part_dict(p: PartScore) -> dict:
    def sd(s: Score) -> dict:
        return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                "recall": round(s.recall, 4), "f1": round(s.f1, 4)}

    return {"documents": p.documents, "entities": sd(p.entities), "relations": sd(p.relations), "events": sd(p.events),
            "failures": failures_dict([*p.entities.failures, *p.relations.failures, *p.events.failures], False)}


def format_report(ev: Evaluation, fmt: str = "text", details: bool = True, kinds: bool | None = None,
                  baseline: Evaluation | None = None) -> str:
    """`format_evaluation`, with the scores by kind (``kinds`` None: when the gold files say their
    kind) and the raw spaCy baseline's typed entities (``baseline``: `evaluate_facts` of
    `kg.checks.baseline.baseline_facts`) after the overall scores. In json each part also counts
    its misses and false alarms by failure class (`kg.checks.failures`)."""
    import json

    from kg.checks.evaluate import format_evaluation

    kinds = has_kinds(ev) if kinds is None else kinds
    parts = by_kind(ev) if kinds else []
    base_parts = by_kind(baseline) if baseline is not None and kinds else None
    if fmt == "json":
        d = json.loads(format_evaluation(ev, "json", details))
        if kinds:
            d["by_kind"] = {p.name: _part_dict(p) for p in parts}
        if baseline is not None:
            b = {"entities": _part_dict(PartScore("all", len(baseline.documents), baseline.entities))["entities"]}
            if base_parts is not None:
                b["by_kind"] = {p.name: _part_dict(p)["entities"] for p in base_parts}
            d["baseline"] = b
        return json.dumps(d, indent=2)
    lines = format_evaluation(ev, "text", details).split("\n")
    extra = []
    if baseline is not None:
        s = baseline.entities
        extra.append(f"{'spaCy NER baseline':<30} {s.tp:>5} {s.fp:>5} {s.fn:>5} {s.precision:>6.3f} "
                     f"{s.recall:>6.3f} {s.f1:>6.3f}   (typed entities, kg.checks.baseline)")
    if parts:
        extra += [""] + format_kinds(parts, base_parts)
    return "\n".join(lines[:4] + extra + lines[4:])
