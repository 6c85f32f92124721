"""Cross-document event linking: one event node per real event, whoever reports it.

Within one document extraction already merges the sentences that describe the same event. Across
documents, two outlets reporting the same attack give two extracted events; `link_events` decides
which of them are the same real event, so that `kg.rdf` writes them as ONE node
(``id:event/<key>``) described in each document's named graph.

The rule (general, no article or actor is special). Two events of different documents are the
same event when

1. they have the same type (Attack, Meeting, ...);
2. both dates are known (``Event.date``, ``Event.date_end`` for an interval, already resolved
   against each article's date) and the two intervals overlap or lie at most `MAX_GAP_DAYS` apart;
3. their places agree when both are known: they share a resolved place entity (a place and the
   place it lies in do not count as agreeing);
4. they share at least one resolved argument entity (agents, participants, targets), or they
   share a place.

Pairs that satisfy it are joined with union-find, so chains merge (A in one article, B in a
second, C in a third), best pairs first (more shared entities, then closer dates). A join that
would put two events of the same document into one node is refused: the extractor has already
decided, within that document, that they are different events.

The key of a group is the per-document key (``<first 16 hex of the content hash>-<event index>``)
of its least member by (content hash, event index): content-derived, so building the same files
again gives the same IRIs, and an event that joins no other keeps the IRI it always had.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kg.model import Event, Extraction
from kg.resolve.entities import Resolution

MAX_GAP_DAYS = 2  # two reports of one event may date it a day or two apart ("late on Wednesday")


def event_key(x: Extraction, n: int) -> str:
    """The key of event ``n`` of one document on its own: ``<16 hex of the content hash>-<n>``."""
    return f"{x.doc.content_hash[:16]}-{n}"


@dataclass(frozen=True)
class Candidate:
    """One event as `same_event` compares it: its document, type, dates and resolved entities."""

    xi: int
    n: int
    doc: str  # full content hash: two paths with the same text are one document
    type: str
    start: dt.date
    end: dt.date
    args: frozenset[str]
    places: frozenset[str]

    @property
    def order(self) -> tuple[str, int]:
        """The order of events within a group: by content hash, then event index."""
        return self.doc, self.n


def _keys(x: Extraction, res: Resolution | None, mentions: Sequence[int]) -> frozenset[str]:
    keys = {x.mentions[m].entity for m in mentions if 0 <= m < len(x.mentions)}
    keys.discard(None)
    if res is not None:
        keys = {k for k in keys if k in res.entities}
    return frozenset(keys)  # type: ignore[arg-type]


def _candidate(xi: int, x: Extraction, n: int, ev: Event, res: Resolution | None) -> Candidate | None:
    if ev.date is None:
        return None
    args = _keys(x, res, [*ev.agents, *ev.participants, *ev.targets])
    places = _keys(x, res, ev.places)
    if not args and not places:
        return None  # kg.rdf writes no node for it
    end = ev.date_end if ev.date_end is not None and ev.date_end >= ev.date else ev.date
    return Candidate(xi, n, x.doc.content_hash, ev.type, ev.date, end, args, places)


def _gap(a: Candidate, b: Candidate) -> int:
    """Days between two date intervals; 0 when they overlap."""
    return max(0, (max(a.start, b.start) - min(a.end, b.end)).days)


def same_event(a: Candidate, b: Candidate) -> bool:
    """The pairwise rule of the module docstring."""
    if a.doc == b.doc or a.type != b.type or _gap(a, b) > MAX_GAP_DAYS:
        return False
    if a.places and b.places and not (a.places & b.places):
        return False
    return bool(a.args & b.args) or bool(a.places & b.places)


def _strength(a: Candidate, b: Candidate) -> tuple:
    """Sort key, best pair first; ties broken by content, never by input order."""
    shared = len(a.args & b.args) + len(a.places & b.places)
    first, second = sorted((a.order, b.order))
    return -shared, _gap(a, b), first, second


def link_events(extractions: Sequence[Extraction], res: Resolution | None = None) -> dict[tuple[int, int], str]:
    """Map every event of ``extractions`` to the key of the real event it reports.

    Returns ``{(extraction index, event index): key}`` for every event; an event that is linked to
    none keeps its own key (`event_key`). Mentions must be resolved (``Mention.entity`` set by
    `kg.resolve.resolve`); ``res``, when given, restricts the compared entities to the resolved
    ones. See the module docstring for the rule.
    """
    keys: dict[tuple[int, int], str] = {}
    by_type: dict[str, list[Candidate]] = {}
    # one pass: each item of a build's packed extractions is unpickled when read
    for xi, x in enumerate(extractions):
        for n, ev in enumerate(x.events):
            keys[(xi, n)] = event_key(x, n)
            c = _candidate(xi, x, n, ev, res)
            if c is not None:
                by_type.setdefault(c.type, []).append(c)

    pairs: list[tuple[tuple, Candidate, Candidate]] = []
    for cands in by_type.values():
        cands.sort(key=lambda c: (c.start, c.order))
        for i, a in enumerate(cands):
            for b in cands[i + 1:]:
                if (b.start - a.end).days > MAX_GAP_DAYS:
                    break  # sorted by start: no later candidate can be close enough to a
                if same_event(a, b):
                    pairs.append((_strength(a, b), a, b))
    pairs.sort(key=lambda t: t[0])

    parent: dict[tuple[int, int], tuple[int, int]] = {}
    docs: dict[tuple[int, int], set[str]] = {}  # root -> documents of its group
    members: dict[tuple[int, int], list[Candidate]] = {}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent.get(k, k) != k:
            parent[k] = parent.get(parent[k], parent[k])
            k = parent[k]
        return k

    for _, a, b in pairs:
        ka, kb = (a.xi, a.n), (b.xi, b.n)
        for k, c in ((ka, a), (kb, b)):
            if k not in parent:
                parent[k], docs[k], members[k] = k, {c.doc}, [c]
        ra, rb = find(ka), find(kb)
        if ra == rb or docs[ra] & docs[rb]:
            continue  # already one event, or two events of one document
        parent[rb] = ra
        docs[ra] |= docs.pop(rb)
        members[ra] += members.pop(rb)

    for group in members.values():
        if len(group) < 2:
            continue
        least = min(group, key=lambda c: c.order)
        key = event_key(extractions[least.xi], least.n)
        for c in group:
            keys[(c.xi, c.n)] = key
    return keys


def shared_events(keys: dict[tuple[int, int], str]) -> dict[str, list[tuple[int, int]]]:
    """The groups of more than one event in a `link_events` result: key -> members, sorted."""
    groups: dict[str, list[tuple[int, int]]] = {}
    for member, key in keys.items():
        groups.setdefault(key, []).append(member)
    return {k: sorted(v) for k, v in sorted(groups.items()) if len(v) > 1}
