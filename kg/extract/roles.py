"""Roles of named people: a title before the name ("Iran's Interior Minister Ahmad Vahidi"),
a rank ("Brigadier-General"), or an office in apposition ("X, commander of the IRGC", "the Chief
of ..., General X"), with the organisation and country it belongs to."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.context import Context, rank_at, rank_before
from kg.extract.labels import PLACE_TYPES
from kg.model import Role

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["expand_titles", "find_roles"]


def find_roles(ctx: Context) -> None:
    """The roles of every person named in full: a title before the name, an apposition, or an
    office the person is put in ("was sworn in as president")."""
    for pi, (m, span) in enumerate(zip(ctx.x.mentions, ctx.spans)):
        if m.label != "Person" or m.kind != "name":
            continue
        _title_before(ctx, pi, span)
        _appositive_roles(ctx, pi, span)
        _office_taken(ctx, pi, span)


def _office_taken(ctx: Context, pi: int, span: Span) -> None:
    """"X was sworn in as Brazil's president", "X was elected chancellor", "appointed X as chief
    executive" (lexicon.toml [offices] taking_office): the office becomes X's role, its owner the
    possessive before it."""
    root = span.root
    verb = root.head
    if root.dep_ not in ("nsubjpass", "dobj") or verb.pos_ != "VERB" or ctx.lemmas[verb.i] not in ctx.lex.taking_office:
        return
    nouns = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
    nouns += [c for c in verb.children if c.dep_ in ("oprd", "attr", "xcomp") and c.pos_ == "NOUN"]
    for noun in nouns:
        if noun.lower_ not in ctx.lex.office_heads:
            continue
        words = [t for t in noun.lefts if t.dep_ in ("amod", "compound") and t.i not in ctx.tok_mention] + [noun]
        words.sort(key=lambda t: t.i)
        owner = next((ctx.tok_mention[c.i] for c in noun.children if c.dep_ == "poss" and c.i in ctx.tok_mention), None)
        country = None
        if owner is not None and ctx.x.mentions[owner].label == "Country":
            country = ctx.x.mentions[owner].gaz_id
        title = " ".join(t.text for t in words)
        s, e = min(span.start_char, words[0].idx), max(span.end_char, noun.idx + len(noun.text))
        ctx.x.roles.append(Role(pi, title, owner, None, None, ctx.sent_of[span.start], s, e, country))
        return


def _title_before(ctx: Context, pi: int, span: Span) -> None:
    """A title phrase right before a name: "Iran's Interior Minister Ahmad Vahidi"."""
    doc, lex = ctx.doc, ctx.lex
    i = span.start - 1
    toks: list[Token] = []
    owner = None
    while i >= 0:
        t = doc[i]
        dm = ctx.tok_mention.get(i)
        if dm is not None and ctx.x.mentions[dm].kind == "demonym":
            owner = dm
            break
        if t.is_sent_start and t.i != span.start:
            if t.is_title or t.is_upper:
                toks.append(t)
            break
        if t.text in ("'s", "\u2019s"):
            owner = ctx.tok_mention.get(i - 1)
            break
        mi = ctx.tok_mention.get(i)
        if mi is not None and ctx.x.mentions[mi].label == "Person":
            break
        if mi is not None and ctx.x.mentions[mi].kind == "demonym":
            owner = mi
            break
        if t.is_title or t.is_upper or t.lower_ in lex.connectors or t.text == "-":
            toks.append(t)
            i -= 1
            continue
        # a title in lower case, as most style books write it before a name with a modifier:
        # "army spokesman Louie Dema-ala", "Kremlin spokesman Dmitry Peskov"
        if t.is_lower and t.pos_ in ("NOUN", "ADJ") and (t.lower_ in lex.office_heads or any(
                x.lower_ in lex.office_heads for x in toks)):
            toks.append(t)
            i -= 1
            continue
        break
    toks.reverse()
    while toks and (toks[0].lower_ in lex.connectors or toks[0].text == "-"):
        toks.pop(0)
    if not toks:
        return
    # split a trailing rank/honorific run ("Brigadier-General Seyyed") from the office
    rank_start = len(toks)
    j = 0
    while j < len(toks):
        n = rank_at(ctx, toks[j].i, toks[-1].i + 1)
        if n and j + n <= len(toks):
            if rank_start == len(toks) or rank_start > j:
                rank_start = min(rank_start, j)
            j += n
        else:
            rank_start = len(toks)
            j += 1
    office, rank = toks[:rank_start], toks[rank_start:]
    if office and not any(t.lower_ in lex.office_heads for t in office):
        office = []
    if not office and not rank:
        return
    org = None
    for t in office:
        mi = ctx.tok_mention.get(t.i)
        if mi is not None and ctx.x.mentions[mi].label != "Person":
            org = mi
            if ctx.x.mentions[mi].label != "Country":
                break
    country = None
    if owner is not None:
        om = ctx.x.mentions[owner]
        if om.label == "Country":
            country = om.gaz_id
        if org is None:
            org = owner if om.kind != "demonym" else None
    title = doc[office[0].i : office[-1].i + 1].text if office else ""
    rank_text = doc[rank[0].i : rank[-1].i + 1].text if rank else None
    if title or rank_text:
        s, e = (office or rank)[0].idx, span.end_char
        if title and _not_a_title(ctx, title):
            return
        ctx.x.roles.append(Role(pi, title, org, None, rank_text, ctx.sent_of[span.start], s, e, country))


def _appositive_roles(ctx: Context, pi: int, span: Span) -> None:
    """Roles in apposition: "X, commander of the IRGC" and "the Chief of ..., General X"."""
    root = span.root
    cands = []
    if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN"):
        cands.append(root.head)
    cands += [c for c in root.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")]
    before = len(ctx.x.roles)
    for head in cands:
        if head.lower_ not in ctx.lex.office_heads and not head.lower_.startswith("commander"):
            continue
        skip = set(t.i for t in root.subtree) if head is root.head else set()
        toks = [t for t in head.subtree if t.i not in skip and t.i not in range(span.start, span.end)]
        toks = [t for t in toks if t.i >= head.left_edge.i]
        # contiguous phrase around the head, without leading determiners and edge punctuation
        toks.sort(key=lambda t: t.i)
        phrase = []
        for t in toks:
            if phrase and t.i != phrase[-1].i + 1:
                if t.i > head.i:
                    break
                phrase = []
            phrase.append(t)
        while phrase and (phrase[0].dep_ in ("det", "punct") or phrase[0].text in ("'s",)):
            phrase.pop(0)
        while phrase and (phrase[-1].is_punct and phrase[-1].text != ")"):
            phrase.pop()
        if not phrase:
            continue
        owner_country = None
        org = None
        ents_in = [ctx.tok_mention[t.i] for t in phrase if t.i in ctx.tok_mention]
        # the possessor before the office ("Pakistan's Chief of Army Staff") is the owner
        title_start = 0
        first_office = next((k for k, t in enumerate(phrase) if _is_office(ctx, t)), len(phrase))
        poss_org = None
        for k, t in enumerate(phrase[:first_office]):
            if t.text in ("'s", "\u2019s"):
                title_start = k + 1
                om = ctx.tok_mention.get(phrase[k - 1].i) if k else None
                if om is not None and ctx.x.mentions[om].label == "Country":
                    owner_country = ctx.x.mentions[om].gaz_id
                elif om is not None and ctx.x.mentions[om].label != "Person":
                    poss_org = om  # "the group's spokesman", "the TTP's spokesman"
        # the last organisation named, the outer one first ("the Guards' ground forces")
        for mi in sorted(set(ents_in), key=lambda k: (ctx.x.mentions[k].label not in PLACE_TYPES,
                                                      ctx.spans[k].end, len(ctx.spans[k])), reverse=True):
            mm = ctx.x.mentions[mi]
            if mm.label != "Person" and mm.kind != "demonym" and ctx.spans[mi].start >= phrase[title_start].i:
                org = mi
                if mm.label != "Country":
                    break
        if org is None:
            org = poss_org
        if org is None:
            for mi in ents_in:
                if ctx.x.mentions[mi].label == "Country":
                    org = mi
        title_toks = phrase[title_start:]
        # the office title stops before "of <organisation>"
        title_toks = _until_comma(title_toks)
        cut = _cut_before_org(title_toks, org, ctx.tok_mention)
        title = " ".join(t.text for t in title_toks[:cut]).replace(" - ", "-").strip()
        if not title:
            continue
        s = phrase[0].idx
        e = phrase[-1].idx + len(phrase[-1].text)
        if _not_a_title(ctx, title):
            continue
        ctx.x.roles.append(Role(pi, title, org, None, None, ctx.sent_of[head.i], min(s, span.start_char),
                                max(e, span.end_char), owner_country))
        _mark_role_phrase(ctx, phrase, pi)
    if len(ctx.x.roles) == before:
        _surface_apposition(ctx, pi, span)


def _mark_role_phrase(ctx: Context, phrase: list[Token], pi: int) -> None:
    for t in phrase:
        if t.lower_ in ctx.lex.office_heads or t.lower_.startswith("commander"):
            ctx.role_person.setdefault(t.i, pi)


def _surface_apposition(ctx: Context, pi: int, span: Span) -> None:
    """Appositions the parser missed, read from punctuation: "ROLE, [rank] NAME," and
    "NAME, ROLE,"; the role phrase must contain an office word."""
    doc, lex = ctx.doc, ctx.lex
    sent = ctx.sents[ctx.sent_of[span.start]]
    # "ROLE, [rank] NAME": skip a rank before the name, then expect a comma
    j = span.start - 1
    while j > sent.start and (doc[j].is_title or doc[j].text == "-") and rank_before(ctx, j):
        j -= 1
    phrases = []
    if j > sent.start and doc[j].text == ",":
        k = j - 1
        while k >= sent.start and not (doc[k].is_punct and doc[k].text not in ("-", "(", ")", "'s")) \
                and doc[k].lower_ not in ("between", "and", "with", "by", "to", "from") and doc[k].pos_ not in ("VERB", "AUX"):
            k -= 1
        phrases.append(list(doc[k + 1 : j]))
    # "NAME, ROLE,"
    j = span.end
    if j < sent.end and doc[j].text == ",":
        k = j + 1
        while k < sent.end and not (doc[k].is_punct and doc[k].text not in ("-", "(", ")", "'s")) and doc[k].pos_ not in ("VERB", "AUX"):
            k += 1
        if doc[j + 1].pos_ != "CCONJ":
            phrases.append(list(doc[j + 1 : k]))
    for phrase in phrases:
        while phrase and phrase[0].dep_ in ("det",) or (phrase and phrase[0].lower_ in ("the", "a", "an", "his", "her", "its", "their")):
            phrase.pop(0)
        while phrase and phrase[-1].text in ("(", "-"):
            phrase.pop()
        if not phrase or not any(t.lower_ in lex.office_heads or t.lower_.startswith("commander") for t in phrase):
            continue
        if any(ctx.tok_mention.get(t.i) is not None and ctx.x.mentions[ctx.tok_mention[t.i]].label == "Person" for t in phrase):
            continue
        owner_country, org, title_start = None, None, 0
        first_office = next((k for k, t in enumerate(phrase) if _is_office(ctx, t)), len(phrase))
        for k, t in enumerate(phrase[:first_office]):
            if t.text in ("'s", "\u2019s") and k:
                title_start = k + 1
                om = ctx.tok_mention.get(phrase[k - 1].i)
                if om is not None and ctx.x.mentions[om].label == "Country":
                    owner_country = ctx.x.mentions[om].gaz_id
        title_toks = _until_comma(phrase[title_start:])
        ents_in = [ctx.tok_mention[t.i] for t in title_toks if t.i in ctx.tok_mention]
        for mi in dict.fromkeys(ents_in):
            if ctx.x.mentions[mi].kind != "demonym":
                org = mi
                if ctx.x.mentions[mi].label != "Country":
                    break
        cut = _cut_before_org(title_toks, org, ctx.tok_mention)
        title = doc[title_toks[0].i : title_toks[cut - 1].i + 1].text if cut else ""
        if not title or not any(t.lower_ in lex.office_heads or t.lower_.startswith("commander") for t in title_toks[:cut]):
            continue
        if org is None and owner_country is not None:
            org = ctx.tok_mention.get(phrase[title_start - 2].i) if title_start >= 2 else None
        if _not_a_title(ctx, title):
            continue
        # the phrase may stand after the name ("Skilling, the former boss of Enron"): the role
        # spans both, whichever comes first
        end = max(span.end_char, phrase[-1].idx + len(phrase[-1].text))
        ctx.x.roles.append(Role(pi, title, org, None, None, ctx.sent_of[span.start],
                                min(phrase[0].idx, span.start_char), end, owner_country))
        _mark_role_phrase(ctx, phrase, pi)


def _is_office(ctx: Context, t: Token) -> bool:
    return t.lower_ in ctx.lex.office_heads or t.lower_.startswith("commander")


def _not_a_title(ctx: Context, title: str) -> bool:
    """A phrase the parse offered as a title that is a circumstance ("at the General
    Headquarters on Wednesday"), not an office."""
    words = title.split()
    return not words or words[0] in ctx.lex.not_title_starts


def expand_titles(ctx: Context) -> None:
    """"COAS" in a title is the Chief of Army Staff (lexicon.toml [offices] acronyms), so the
    acronym and the spelt-out office are one position."""
    if ctx.lex.office_acronyms:
        for r in ctx.x.roles:
            r.title = _expand(r.title, ctx.lex.office_acronyms)
    for r in ctx.x.roles:
        # "Chief of the Army Staff" and "Chief of Army Staff" are one office
        r.title = re.sub(r"\bof the\b", "of", r.title)
        # "former chairman", "ex-minister": the office, held no longer
        words = re.sub(r"^(ex)-(?=\w)", r"\1 ", r.title, flags=re.I).split()
        while len(words) > 1 and words[0].lower() in ctx.lex.former_words:
            words.pop(0)
            r.former = True
        if r.former:
            r.title = " ".join(words)


def _expand(title: str, acronyms: dict[str, str]) -> str:
    return " ".join(acronyms.get(w.lower().strip("."), w) for w in title.split())


def _until_comma(toks: list[Token]) -> list[Token]:
    for k, t in enumerate(toks):
        if t.text == ",":
            return toks[:k]
    return toks


def _cut_before_org(title: list[Token], org: int | None, tok_mention: dict[int, int]) -> int:
    """Where an office title ends: before the "of" that introduces its organisation ("Chief of
    Army Staff | of the Pakistan Army"), the one right before the organisation's name, so an "of"
    inside that name ("the Islamic Republic of Iran Army") stays in the name."""
    if org is None:
        return len(title)
    cut = len(title)
    for k, t in enumerate(title):
        if t.lower_ != "of":
            continue
        rest = [r for r in title[k + 1 :] if r.lower_ != "the"][:1]
        if rest and tok_mention.get(rest[0].i) == org and \
                (rest[0].i == 0 or tok_mention.get(rest[0].i - 1) != org):
            return k  # the organisation's name starts right after this "of"
        if any(tok_mention.get(r.i) == org for r in title[k + 1 :]):
            cut = k
    return cut
