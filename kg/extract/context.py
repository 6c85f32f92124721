"""The shared state of one document's extraction, and small helpers over its parse.

Every phase (`mentions`, `roles`, `events`, `relations` ...) is a function of a `Context`: the
spaCy parse, the `Extraction` being built, the word lists and triggers, the gazetteer, and the
maps from tokens to the mentions found so far.
"""
from __future__ import annotations

import datetime as dt
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from kg import dates
from kg.model import Document, Extraction, Mention
from kg.ontology.gazetteer import Gazetteer, normalize
from kg.ontology.lexicon import Lexicon, Triggers

if TYPE_CHECKING:  # annotations only: resolution imports this package, and needs no spaCy
    from spacy.tokens import Doc, Span, Token

__all__ = ["Context", "add_mention", "mention_keys", "np_head", "rank_at", "rank_before"]


@lru_cache(maxsize=4)
def _rank_index(ranks: tuple[tuple[str, ...], ...]) -> tuple[dict, dict]:
    """The rank sequences by first and by last word, each list in the lexicon's order."""
    first: dict[str, list] = {}
    last: dict[str, list] = {}
    for seq in ranks:
        if seq:
            first.setdefault(seq[0], []).append(seq)
            last.setdefault(seq[-1], []).append(seq)
    return first, last


class Context:
    """One document under extraction: its parse, what was found so far, and the data the rules
    read. ``x`` is the `Extraction` the phases fill in."""

    def __init__(self, document: Document, doc: Doc, gaz: Gazetteer, lex: Lexicon, trig: Triggers):
        self.document, self.doc, self.gaz, self.lex, self.trig = document, doc, gaz, lex, trig
        self.sents = [s for s in doc.sents]
        self.sent_of: dict[int, int] = {}
        for i, s in enumerate(self.sents):
            for t in range(s.start, s.end):
                self.sent_of[t] = i
        # the tokens and what the rule loops test first, read once: every doc[i] makes a new
        # Token object, and the rank rules look at every position, so a token that cannot match
        # costs a list lookup, not a Token and its attributes
        self.toks = list(doc)
        self.lowers = [t.lower_ for t in self.toks]
        self.lemmas = [t.lemma_.lower() for t in self.toks]
        self.pos = [t.pos_ for t in self.toks]
        self.ranks_from, self.ranks_to = _rank_index(lex.ranks)
        self.x = Extraction(document, [(s.start_char, s.end_char) for s in self.sents])
        self.tok_mention: dict[int, int] = {}  # token index -> mention index
        self.role_person: dict[int, int] = {}  # office-word token -> the person it describes
        self.spans: list[Span] = []  # the token span of each mention
        self.datelines: set[int] = set()  # first token of the dateline place
        self.title_end: dict[int, int] = {}  # "of" of an office title -> token after the title
        self.dates_in: dict[int, list[Span]] | None = None  # sentence -> its DATE entities (events)
        self.x.ref_date = document.date or self._latest_date()

    def _latest_date(self) -> dt.date | None:
        found = dates.full_dates(self.document.text)
        return max(found) if found else None

    @cached_property
    def lower_words(self) -> frozenset[str]:
        """The words the document writes in lower case: a capitalised one among them is a
        common word, not a name ("Speech", "Tags")."""
        return frozenset(t.text for t in self.toks if t.is_lower)

    def mention_at(self, i: int) -> int | None:
        """The mention token ``i`` belongs to, or the person a role phrase there stands for."""
        mi = self.tok_mention.get(i)
        return self.role_person.get(i) if mi is None else mi


def add_mention(ctx: Context, span: Span, label: str, kind: str = "name", gaz_id: str | None = None,
                role_words: tuple[str, ...] = ()) -> int:
    """Record a mention of ``span`` and point its tokens at it (those not taken already);
    returns its index."""
    idx = len(ctx.x.mentions)
    m = Mention(span.text, label, span.start_char, span.end_char, ctx.sent_of.get(span.start, 0),
                kind=kind, gaz_id=gaz_id or None, role_words=role_words)
    ctx.x.mentions.append(m)
    ctx.spans.append(span)
    for t in span:
        ctx.tok_mention.setdefault(t.i, idx)
    return idx


def rank_at(ctx: Context, i: int, limit: int) -> int:
    """Length of a rank/honorific token sequence starting at token i (0 when none)."""
    if i >= len(ctx.lowers):
        return 0
    lowers = ctx.lowers
    for seq in ctx.ranks_from.get(lowers[i], ()):
        n = len(seq)
        if i + n <= limit and tuple(lowers[i : i + n]) == seq:
            return n
    return 0


def rank_before(ctx: Context, j: int) -> bool:
    """Whether a rank/honorific token sequence ends at token j."""
    if not 0 <= j < len(ctx.lowers):
        return False
    lowers = ctx.lowers
    for seq in ctx.ranks_to.get(lowers[j], ()):
        n = len(seq)
        if j - n + 1 >= 0 and tuple(lowers[j - n + 1 : j + 1]) == seq:
            return True
    return False


def np_head(span: Span) -> Token:
    """The noun a mention names or modifies: "Jaish" in "group Jaish", "province" in
    "Balochistan province"."""
    root = span.root
    if root.dep_ in ("compound", "appos", "nmod") and root.head.pos_ in ("NOUN", "PROPN"):
        return root.head
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        return root.head.head
    return root


def mention_keys(ctx: Context, mentions: list[int]) -> list[str]:
    """The normalised texts of mentions, to compare who takes part in two events."""
    return [normalize(ctx.x.mentions[m].text) for m in mentions]
