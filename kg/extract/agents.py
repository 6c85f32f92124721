"""Who carried out an attack, from phrases that name the attacker beside the attack noun: "an
attack by X", "the killing of ... by X". The by-phrase of a noun is read only for an attack that
is an event already, or for a definite, undated mention of the document's main attack: a
by-phrase alone does not make an event, since "the bombing of a camp by troops last year" is
most often another, earlier event the article only recalls."""
from __future__ import annotations

from kg.extract.arguments import args
from kg.extract.context import Context
from kg.extract.labels import AGENT_TYPES, VIOLENT
from kg.model import Event

__all__ = ["by_agents"]


def by_agents(ctx: Context, main: Event | None) -> None:
    """Add the mentions in a violent noun trigger's by-phrase to the agents of its event (or of
    ``main`` for a definite mention in a sentence with no date of its own)."""
    attack_nouns = {w for w, frames in ctx.trig.nouns.items() if any(f.type in VIOLENT for f in frames)}
    by_trigger = {e.trigger_i: e for e in ctx.x.events if e.type in VIOLENT or e.type == "Operation"}
    for i, lemma in enumerate(ctx.lemmas):
        if ctx.pos[i] != "NOUN" or lemma not in attack_nouns:
            continue
        tok = ctx.toks[i]
        agents = [m for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"
                  for p in c.children if p.dep_ == "pobj" for m in args(ctx, p)
                  if ctx.x.mentions[m].label in AGENT_TYPES]
        if not agents:
            continue
        ev = by_trigger.get(i)
        if ev is None and main is not None and _definite(tok) and not _dated(ctx, tok):
            ev = main
        if ev is None:
            continue
        ev.agents += [m for m in agents if m not in ev.agents and m not in ev.targets]


def _definite(tok) -> bool:
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) for c in tok.children)


def _dated(ctx: Context, tok) -> bool:
    """Whether the trigger's sentence names a date (then it may be another event)."""
    sent = ctx.sents[ctx.sent_of[tok.i]]
    return any(e.label_ == "DATE" and sent.start <= e.start < sent.end for e in ctx.doc.ents)
