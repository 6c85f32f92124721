"""One rule for every parenthesised acronym: "the paramilitary Northern Shield Forces (NSF)",
"Jama'at Nusrat al-Islam wal-Muslimin (JNIM)", "the Malian Armed Forces (FAMa)".

The words before the parenthesis whose initials the acronym spells are one name, whatever the
model made of them (nothing, a person "Nusrat al-Islam", a shorter organisation), and the acronym
in the parentheses is a mention of the same type. Resolution then joins the acronym, and every
later use of it, to the name (kg.resolve.entities).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.context import add_mention
from kg.extract.labels import ORG_TYPES
from kg.extract.placetypes import org_type
from kg.ontology.acronyms import ACRONYM, STOP, is_acronym_of, stands_for

if TYPE_CHECKING:
    from kg.extract.context import Context

__all__ = ["parenthesised_acronyms"]

_MAX_WORDS = 10  # tokens of the longest name an acronym is read against


def parenthesised_acronyms(ctx: Context) -> None:
    """A name and its acronym for every "NAME (ACRONYM)" of the document."""
    toks = ctx.toks
    for i in range(2, len(toks) - 1):
        short = toks[i].text
        if toks[i - 1].text != "(" or toks[i + 1].text != ")" or not ACRONYM.match(short) \
                or not 2 <= len(short) <= 8 or sum(c.isupper() for c in short) < 2:
            continue
        start = _name_start(ctx, i - 1, short)
        if start is None:
            start = _organisation_before(ctx, i - 1, short)
        if start is None:
            continue
        span = ctx.doc[start : i - 1]
        label = _label(ctx, start, i - 1)
        idx = _take(ctx, span, label)
        if idx is None:
            continue
        label = ctx.x.mentions[idx].label
        if i not in ctx.tok_mention:
            add_mention(ctx, ctx.doc[i : i + 1], label)
        # the letters are what they stand for, whatever the model or a cue word made of them
        # elsewhere ("AFP" of the Armed Forces of the Philippines is not the news agency)
        for m in ctx.x.mentions:
            if m.text == short and not m.gaz_id and m.kind == "name":
                m.label = label


def _name_start(ctx: Context, paren: int, short: str) -> int | None:
    """The first token of the words before ``paren`` whose initials ``short`` spells."""
    toks = ctx.toks
    sent_start = ctx.sents[ctx.sent_of[paren]].start
    best = None
    j = paren - 1
    while j >= max(sent_start, paren - _MAX_WORDS):
        t = toks[j]
        capital = t.text[:1].isupper()  # "Jama'at" is not title case to spaCy
        if not (capital or t.text in ("-", "'", "\u2019") or t.lower_ in STOP or "-" in t.text):
            break
        if capital and t.lower_ not in STOP and is_acronym_of(short, ctx.doc[j:paren].text):
            best = j
        j -= 1
    return best


def _organisation_before(ctx: Context, paren: int, short: str) -> int | None:
    """The first token of an organisation's name ending right before ``paren`` that ``short``
    stands for in the name's own language ("National Liberation Army (ELN)")."""
    mi = ctx.tok_mention.get(paren - 1)
    if mi is None:
        # no name tagged: the capitalised words right before, when the letters start as they do
        # ("the Social Democrats (SPD)")
        j = paren
        while j > 0 and ctx.toks[j - 1].is_title and (j - 1) not in ctx.tok_mention:
            j -= 1
        while j < paren and ctx.toks[j].lower_ in STOP:
            j += 1  # "The" opening the sentence
        words = ctx.toks[j:paren]
        if len(words) >= 2 and words[0].text[0] == short[0] and ctx.sent_of[j] == ctx.sent_of[paren] \
                and not any(t.is_sent_start for t in words[1:]):
            return j
        return None
    m, span = ctx.x.mentions[mi], ctx.spans[mi]
    if span.end != paren or m.kind != "name" or m.label not in ORG_TYPES:
        return None
    return span.start if stands_for(short, m.text, True, ctx.lex.junk["agencies"]) else None


def _label(ctx: Context, start: int, end: int) -> str:
    """The type of the name: that of a mention inside it that is not a person (the gazetteer's or
    a cue word's), else an organisation's subtype by its words."""
    for j in range(start, end):
        mi = ctx.tok_mention.get(j)
        if mi is not None and ctx.x.mentions[mi].label not in ("Person", "Country") \
                and ctx.x.mentions[mi].kind == "name":
            return ctx.x.mentions[mi].label
    return org_type(ctx.doc[start:end].text, ctx.lex)


def _take(ctx: Context, span, label: str) -> int | None:
    """The mention of ``span``: a new one, or the one name inside it grown to the whole name;
    None when the gazetteer already named a part, or two names share the words."""
    inside = sorted({ctx.tok_mention[j] for j in range(span.start, span.end) if j in ctx.tok_mention})
    names = [mi for mi in inside if ctx.x.mentions[mi].kind == "name"]
    if not names:
        return add_mention(ctx, span, label)
    idx = names[0]
    m, old = ctx.x.mentions[idx], ctx.spans[idx]
    if (old.start, old.end) == (span.start, span.end):
        return idx
    if len(names) > 1 or m.gaz_id:
        return None
    m.text, m.start, m.end, m.label = span.text, span.start_char, span.end_char, label
    ctx.spans[idx] = span
    for j in range(span.start, span.end):
        if ctx.tok_mention.get(j) in (None, idx):
            ctx.tok_mention[j] = idx
    return idx
