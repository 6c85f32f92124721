"""One figure per event, kind and side: an article that repeats a toll ("12 soldiers were killed
... twelve soldiers died, the army said") or revises it ("at least 20 ... the toll rose to 21")
reports the same dead, so the figures are not summed; the largest stands. The attackers' dead
and their victims' are two sides and stay two figures."""
from __future__ import annotations

from kg.extract.context import Context
from kg.model import Casualty
from kg.ontology.gazetteer import normalize

__all__ = ["settle_casualties"]


def settle_casualties(ctx: Context) -> None:
    """Keep, for each event, one counted figure per (kind, side), the largest; figures with no
    count are kept when their side has no count."""
    for ev in ctx.x.events:
        if len(ev.casualties) < 2:
            continue
        best: dict[tuple[str, str], Casualty] = {}
        for c in ev.casualties:
            key = (c.kind, _side(ctx, c))
            old = best.get(key)
            if old is None or (c.count or -1) > (old.count or -1):
                best[key] = c
        kept = {id(c) for c in best.values()}  # by identity: a repeated figure is an equal object
        ev.casualties = [c for c in ev.casualties if id(c) in kept]


def _side(ctx: Context, c: Casualty) -> str:
    if c.who.lower() in ctx.lex.attacker_words:
        return "attackers"
    if c.affiliation is not None:
        return normalize(ctx.x.mentions[c.affiliation].text)
    return "victims"
