"""Definite descriptions as mentions: "the Pakistani army chief", "Iran's top general", "the
group", "the Chief of Army Staff". Each is a mention of kind "role" that resolution links to the
name it stands for (lexicon.toml [coreference])."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.context import Context, add_mention, rank_at
from kg.extract.labels import PLACE_TYPES

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["national_bodies", "role_mentions"]


def role_mentions(ctx: Context) -> None:
    """Definite descriptions as role mentions: "the Pakistani army chief", "Iran's top
    general", "the group", "the provincial capital", "the Guards"."""
    for i, low in enumerate(ctx.lowers):
        if ctx.pos[i] not in ("NOUN", "PROPN"):
            continue
        is_person = low in ctx.lex.coref_person
        types = ctx.lex.type_nouns.get(low)
        if not is_person and types is None:
            continue
        _describe(ctx, ctx.toks[i], low, is_person, types)


def _describe(ctx: Context, tok: Token, low: str, is_person: bool, types: tuple[str, ...] | None) -> None:
    """A role mention for one description noun, when it stands alone behind a determiner or a
    possessor that names a country."""
    if not is_person and _bare_head(ctx, tok) and not any(
            c.dep_ in ("det", "poss") for t in (tok, *tok.lefts) for c in (t, *t.children)):
        # "a Guards colonel", "Guards intelligence personnel": the head of an earlier
        # name alone (the Revolutionary Guards); resolution keeps it only if one came before
        add_mention(ctx, ctx.doc[tok.i : tok.i + 1], "Organization", kind="role", role_words=(low,))
        return
    # "the Chief of Army Staff" standing alone; "Pakistan's Chief of Army Staff General X"
    # is the title of a name and stays part of that name's role
    title_of = _title_prep(ctx, tok) if is_person and any(
        c.dep_ == "det" and c.lower_ == "the" for c in tok.children) else None
    if tok.dep_ == "compound" or any(c.dep_ == "acl" or (c.dep_ == "prep" and (title_of is None or c.i != title_of.i))
                                     for c in tok.children):
        return  # "the group leader", "the head of X"
    if any(c.dep_ == "appos" and (not is_person or ctx.doc[c.left_edge.i - 1].text != ",")
           for c in tok.children):
        return  # "the group Jaish al-Adl" is a name; "the army chief, General X" a mention of X
    if any(c.dep_ == "relcl" and not any(t.text == "," for t in ctx.doc[tok.i : c.i]) for c in tok.children):
        return  # "the minister who resigned" picks someone out; ", who ..." does not
    taken = ctx.tok_mention.get(tok.i)
    if taken is not None and not _bare_description(ctx, taken, is_person):
        return
    det = _determiner(ctx, tok, low, is_person)
    if det is None:
        return
    country = None
    if det.dep_ == "poss" and det.pos_ != "PRON":
        # "Iran's top general", "Pakistan's army chief": a named country's office-holder,
        # not "its leader"
        mi = ctx.tok_mention.get(det.i)
        if not is_person or mi is None:
            return
        pm = ctx.x.mentions[mi]
        country = pm.gaz_id if pm.label == "Country" else pm.country
        if country is None and pm.gaz_id in ctx.gaz.entries:
            country = ctx.gaz.entries[pm.gaz_id].country
        if country is None:
            return
    elif det.dep_ == "det" and det.lower_ not in ("the", "this", "that"):
        return
    _add_description(ctx, tok, low, det, title_of, taken, country, is_person, types)


def _determiner(ctx: Context, tok: Token, low: str, is_person: bool) -> Token | None:
    """What makes a description noun definite: its determiner or possessor, or for a person
    a modifier ("army chief wraps up", "his Iranian counterpart")."""
    # the determiner may sit on a compound: "[Iran's armed forces] chief"
    det = next((c for t in (tok, *(c for c in tok.lefts if c.dep_ == "compound"))
                for c in t.children if c.dep_ in ("det", "poss")), None)
    if det is None and is_person and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") \
            and any(c.dep_ in ("amod", "compound") and c.pos_ != "PROPN" for c in tok.lefts):
        det = next(c for c in tok.lefts if c.dep_ in ("amod", "compound"))  # "army chief wraps up"
    if det is not None and det.dep_ == "poss" and det.pos_ == "PRON" and is_person and low in ctx.lex.any_role:
        det = next((c for c in tok.lefts if c.dep_ == "amod"), None)  # "his Iranian counterpart"
    return det


def _add_description(ctx: Context, tok: Token, low: str, det: Token, title_of: Token | None, taken: int | None,
                     country: str | None, is_person: bool, types: tuple[str, ...] | None) -> None:
    """The role mention from the determiner to the noun (or to the end of its title), with the
    office words and the country its modifiers name; it takes over a bare one-word name."""
    left = [c for c in tok.lefts if c.dep_ in ("amod", "compound")]
    # nouns only: "top" in "Iran's top general" says nothing about the office
    words = tuple(c.lower_ for c in left if c.pos_ in ("NOUN", "PROPN")) + (low,)
    for c in left:
        mi = ctx.tok_mention.get(c.i)
        if mi is not None:
            mm = ctx.x.mentions[mi]
            country = mm.gaz_id if mm.label == "Country" else mm.country
            if mm.label != "Country" and mm.gaz_id:
                country = country or (ctx.gaz.entries[mm.gaz_id].country if mm.gaz_id in ctx.gaz.entries else None)
        else:
            country = country or ctx.gaz.country_of_demonym(c.text)
    start = min(c.i for c in (det, *left))
    end = tok.i + 1
    if title_of is not None:  # "the Chief of Army Staff": the title's words all count
        end = ctx.title_end[title_of.i]
        words += tuple(t.lower_ for t in ctx.doc[tok.i + 1 : end] if t.pos_ in ("NOUN", "PROPN"))
    span = ctx.doc[start:end]
    label = "Person" if is_person else next((t for t in types or () if t in PLACE_TYPES), "Organization")
    if taken is not None:
        m = ctx.x.mentions[taken]
        m.text, m.start, m.end, m.kind, m.label = span.text, span.start_char, span.end_char, "role", label
        m.role_words = words
        ctx.spans[taken] = span
        idx = taken
    else:
        idx = add_mention(ctx, span, label, kind="role", role_words=words)
    ctx.x.mentions[idx].country = country


def _title_prep(ctx: Context, tok: Token) -> Token | None:
    """The "of" of a capitalised office title that names no organisation ("the Chief of Army
    Staff"), so the whole title is one description of its holder."""
    if not tok.is_title:
        return None
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if prep is None:
        return None
    # the title runs on over capitalised words, up to a name or punctuation ("..., General X")
    sub = []
    for t in ctx.doc[prep.i + 1 : prep.right_edge.i + 1]:
        if not t.is_title or t.i in ctx.tok_mention or rank_at(ctx, t.i, len(ctx.doc)):
            break
        sub.append(t)
    # a title run straight into a name ("Chief of Army Staff General Asim Munir") is part of
    # that name's mention, not a description of its own
    nxt = sub[-1].i + 1 if sub else None
    if sub and (nxt >= len(ctx.doc) or ctx.doc[nxt].is_punct
                or (not rank_at(ctx, nxt, len(ctx.doc)) and nxt not in ctx.tok_mention
                    and sub[-1].i == prep.right_edge.i)):
        ctx.title_end[prep.i] = sub[-1].i + 1
        return prep
    return None


def _bare_head(ctx: Context, tok: Token) -> bool:
    """A capitalised description noun standing alone, not inside a title or name ("Chief of
    Army Staff")."""
    prev = ctx.doc[tok.i - 1] if tok.i else None
    return (tok.is_title and not tok.is_sent_start and tok.i not in ctx.tok_mention
            and not (tok.head is not tok and tok.head.is_title)
            and (prev is None or (prev.lower_ not in ctx.lex.connectors and not prev.is_title)))


def _bare_description(ctx: Context, mi: int, is_person: bool) -> bool:
    """A one-word name the model found that is only a description noun ("the Guards")."""
    m, span = ctx.x.mentions[mi], ctx.spans[mi]
    return (not is_person and m.kind == "name" and not m.gaz_id and len(span) == 1
            and span[0].i > 0 and ctx.doc[span[0].i - 1].lower_ == "the")


def national_bodies(ctx: Context) -> None:
    """A state's force named by a demonym or a country's possessive and a noun of
    lexicon.toml [coreference.national_bodies]: "Ukrainian troops", "Mali's army", "the Colombian
    police". A role mention of the force, with its country; resolution makes one node per
    country and type (or finds the gazetteer's)."""
    bodies = ctx.lex.national_bodies
    for i, low in enumerate(ctx.lowers):
        if low not in bodies or ctx.pos[i] != "NOUN" or i in ctx.tok_mention:
            continue
        tok = ctx.toks[i]
        country, first = None, i
        for c in tok.lefts:
            mi = ctx.tok_mention.get(c.i)
            if mi is None or c.dep_ not in ("amod", "compound", "poss", "nmod"):
                continue
            m = ctx.x.mentions[mi]
            if m.label == "Country" and m.gaz_id:
                country, first = m.gaz_id, min(first, ctx.spans[mi].start)
        if country is None:
            continue
        # "the armed forces", "security forces": the adjectives between belong to the name
        words = tuple(ctx.lowers[j] for j in range(first, i + 1) if ctx.pos[j] in ("ADJ", "NOUN") and
                      ctx.tok_mention.get(j) is None) or (low,)
        idx = add_mention(ctx, ctx.doc[first : i + 1], bodies[low], kind="role", role_words=(*words[:-1], low))
        ctx.x.mentions[idx].country = country
