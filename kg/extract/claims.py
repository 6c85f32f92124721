"""Who a statement is reported from, and the relations recorded with their claimant, negation
and confidence (lexicon.toml [claims])."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.arguments import args, subject_of
from kg.extract.context import Context
from kg.model import Relation

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["add_relation", "speaker_of"]


def speaker_of(ctx: Context, tok: Token) -> tuple[int | None, bool]:
    """Who a clause is reported from: "Iran says X operates from Pakistan" gives Iran; the
    flag is True when the speaker denies it ("Islamabad denied that ..."). The nearest
    reporting verb above ``tok`` (lexicon [claims] reporting/denying) decides."""
    lex = ctx.lex
    cur = tok
    for _ in range(8):
        head = cur.head
        if head is cur:
            break
        lemma = head.lemma_.lower()
        if head.pos_ in ("VERB", "AUX") and (lemma in lex.reporting or lemma in lex.denying) \
                and cur.dep_ in ("ccomp", "parataxis"):
            subj = [m for m in subject_of(ctx, head)[0] if ctx.x.mentions[m].kind != "demonym"]
            if not subj:
                subj = [m for c in head.children if c.dep_ == "agent" for p in c.children
                        if p.dep_ == "pobj" for m in args(ctx, p)]
            return (subj[0] if subj else None), lemma in lex.denying
        cur = head
    return None, False


def add_relation(ctx: Context, s: int, pred: str, o: int, tok: Token, conf: float = 0.8) -> None:
    """Record ``s pred o`` stated at ``tok`` (once per sentence): negated under a negation or a
    denial, less sure when hedged or reported from someone else."""
    sent_i = ctx.sent_of[tok.i]
    sent = ctx.sents[sent_i]
    neg = any(c.dep_ == "neg" for c in tok.children)
    for r in ctx.x.relations:
        if (r.subject, r.predicate, r.object, r.sent) == (s, pred, o, sent_i):
            return
    speaker, denied = speaker_of(ctx, tok)
    if speaker in (s, o):
        speaker = None  # "X said it was based in Y": X speaks of itself; kept as reported
    if denied:
        neg = True
    if any(c.lower_ in ctx.lex.hedges for c in tok.children):
        conf = min(conf, 0.5)
    if speaker is not None:
        conf = min(conf, ctx.lex.reported_confidence)
    ctx.x.relations.append(Relation(s, pred, o, sent_i, sent.start_char, sent.end_char,
                                    0.2 if neg else conf, claimed_by=speaker, negated=neg))
