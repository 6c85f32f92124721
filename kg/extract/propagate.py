"""Names the model tagged once and missed elsewhere, and names it never tagged.

The statistical NER decides each occurrence on its own, so a name it tags in one sentence is
often missed in the next ("Uber Technologies Inc." tagged, "Uber" alone not; "Waymo" never). A
document names a thing the same way throughout, so:

- every untagged occurrence of a name (or an organisation's short form) that is a mention
  elsewhere in the document becomes a mention with that mention's type;
- a run of capitalised proper nouns the model never tagged, written the same way at least twice
  in the document and at least once inside a sentence, is a name: a person when it starts with a
  given name (`kg.ontology.people`) and has two words or more, else an organisation.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from kg.dates import MONTHS, WEEKDAYS
from kg.extract.context import add_mention
from kg.extract.placetypes import is_junk, short_forms
from kg.ontology.gazetteer import normalize
from kg.ontology.people import is_given_name
from kg.ontology.places import load_places

if TYPE_CHECKING:
    from kg.extract.context import Context

__all__ = ["propagate_names", "unseen_names"]

_LONGEST = 6  # tokens of the longest name matched again


def propagate_names(ctx: Context) -> None:
    """Untagged occurrences of the document's names (and of its organisations' short forms)."""
    known: dict[tuple[str, ...], str] = {}
    for m, span in zip(ctx.x.mentions, ctx.spans):
        if m.kind != "name" or (len(span) == 1 and _description_word(ctx, span[0].lower_)):
            continue  # "Guards" alone is a description ("the Guards"), read as one later
        known.setdefault(tuple(t.text for t in span), m.label)
        if m.label != "Person" and len(span) > 1:
            for form in short_forms(ctx.lex, ctx.gaz, m.text):
                words = tuple(form.split())
                # a short form as written: "Uber" of "Uber Technologies Inc."
                written = tuple(t.text for t in span[: len(words)])
                if tuple(w.lower() for w in written) == words:
                    known.setdefault(written, m.label)
    if not known:
        return
    toks = ctx.toks
    i = 0
    while i < len(toks):
        if i in ctx.tok_mention or not (toks[i].is_title or toks[i].is_upper):
            i += 1
            continue
        for n in range(min(_LONGEST, len(toks) - i), 0, -1):
            key = tuple(t.text for t in toks[i : i + n])
            if key in known and not any(j in ctx.tok_mention for j in range(i, i + n)) \
                    and (i + n >= len(toks) or not toks[i + n].is_title or ctx.pos[i + n] != "PROPN"):
                add_mention(ctx, ctx.doc[i : i + n], known[key])
                i += n
                break
        else:
            i += 1


def unseen_names(ctx: Context) -> None:
    """Runs of proper nouns the model never tagged, written alike twice or more."""
    runs: list[tuple[int, int]] = []
    i = 0
    toks = ctx.toks
    while i < len(toks):
        if ctx.pos[i] == "PROPN" and _capital(toks[i]) and i not in ctx.tok_mention:
            j = i
            while j < len(toks) and ctx.pos[j] == "PROPN" and _capital(toks[j]) and j not in ctx.tok_mention:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    texts = Counter(ctx.doc[a:b].text for a, b in runs)
    inside = {ctx.doc[a:b].text for a, b in runs if not toks[a].is_sent_start}
    for a, b in runs:
        span = ctx.doc[a:b]
        if texts[span.text] < 2 or span.text not in inside or not _name_like(ctx, span):
            continue
        words = [t.lower_ for t in span]
        place = load_places().lookup(span.text, alternates=False)
        if place is not None:
            label = place.type  # "Donetsk", "Rwanda": the place data's type
        else:
            label = "Person" if len(words) > 1 and is_given_name(words[0]) else "Organization"
        add_mention(ctx, span, label)


def _description_word(ctx: Context, low: str) -> bool:
    lex = ctx.lex
    return low in lex.type_nouns or low in lex.coref_person or low in lex.national_bodies


def _capital(tok) -> bool:
    """Title case, or an acronym in capitals ("ELN", "M23")."""
    return tok.is_title or (tok.is_upper and 2 <= len(tok.text) <= 6)


def _name_like(ctx: Context, span) -> bool:
    """Not a word of a title, rank, date, demonym, or a word any dictionary has in lower case."""
    lex = ctx.lex
    for t in span:
        low = t.lower_
        if low in MONTHS or low in WEEKDAYS or low in lex.office_heads or low in lex.connectors \
                or low in ctx.ranks_from or low in ctx.ranks_to \
                or ctx.gaz.country_of_demonym(t.text) or low in lex.junk["units"]:
            return False
    words = normalize(span.text).split()
    if not words or tuple(words) in lex.ranks or is_junk(ctx, span) or _description_word(ctx, words[-1]):
        return False
    # a capitalised common word ("Tags", "Related", "Share") is a furniture word or one the
    # document also writes in lower case; a name is not ("Waymo", "Ottomotto")
    furniture = lex.junk["furniture_words"]
    return not (len(span) == 1 and (span[0].lower_ in furniture or span[0].lower_ in ctx.lower_words))
