"""Relations without events: relation words of the trigger table ("based in", "cooperation
with", "stronghold of") between their slots, and places inside places from possessives, "of"
phrases and the shape of the noun phrase ("Mirjaveh in Sistan-Baluchestan province")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.arguments import args, place_args, slot_args, subject_of
from kg.extract.claims import add_relation
from kg.extract.context import Context, np_head
from kg.extract.labels import ORG_TYPES
from kg.ontology.gazetteer import normalize
from kg.ontology.schema import fits, symmetric_relations

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["find_relations"]


def find_relations(ctx: Context) -> None:
    """Relations from relation words between their subject and object slots (every pair of
    the objects for a symmetric relation with no subject), then between places."""
    relations = ctx.trig.relations
    for i, lemma in enumerate(ctx.lemmas):
        frames = relations.get(lemma) or relations.get(ctx.lowers[i])
        if not frames:
            continue
        tok = ctx.toks[i]
        for fr in frames:
            subj = _rel_subject(ctx, tok, fr.predicate)
            objs: list[int] = []
            for slot in fr.objects:
                objs += slot_args(ctx, tok, slot, tok.pos_ == "NOUN")
                if slot.startswith("prep:"):
                    # "in cooperation with X": the preposition hangs from a noun under the word
                    for c in tok.children:
                        if c.dep_ == "prep":
                            for p in c.children:
                                if p.dep_ == "pobj" and p.lemma_ in ctx.trig.relations:
                                    objs += slot_args(ctx, p, slot, True)
            for s in subj:
                for o in objs:
                    if s != o:
                        add_relation(ctx, *((o, fr.predicate, s) if fr.inverse else (s, fr.predicate, o)), tok)
            # "cooperation between A and B": every pair, when the frame has no subject and the
            # ontology declares the relation symmetric (owl:SymmetricProperty)
            sides = objs if not subj else []
            if len(sides) > 1 and fr.predicate in symmetric_relations():
                for a in sides:
                    for b in sides:
                        if a < b:
                            add_relation(ctx, a, fr.predicate, b, tok)
    _place_relations(ctx)
    _designation_phrases(ctx)
    _branches(ctx)


def _branches(ctx: Context) -> None:
    """memberOf between organisations from a branch noun ([branches]): "its Katiba Macina
    unit" (the owner by its possessive, the member by its name), "JNIM, the main al-Qaeda
    affiliate" (the member in apposition), "the group's regional branch, known as ISIS-K"."""
    for i, lemma in enumerate(ctx.lemmas):
        if lemma not in ctx.lex.branch_nouns or ctx.pos[i] != "NOUN":
            continue
        tok = ctx.toks[i]
        named = [ctx.tok_mention[c.i] for c in tok.children if c.dep_ in ("compound", "nmod")
                 and c.i in ctx.tok_mention and _is_org(ctx, ctx.tok_mention[c.i])]
        poss = [c for c in tok.children if c.dep_ == "poss"]
        owners: list[int] = []
        for p in poss:
            if p.lower_ in ("its", "their"):
                owners += _org_before(ctx, tok, exclude=set(named))
            elif p.i in ctx.tok_mention and _is_org(ctx, ctx.tok_mention[p.i]):
                owners.append(ctx.tok_mention[p.i])
        owners += [m for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                   for q in c.children if q.dep_ == "pobj" for m in args(ctx, q) if _is_org(ctx, m)]
        members = list(named) if owners else []
        if not owners:
            owners, members = named, []
        # the member named beside the phrase: in apposition, or "known as X"
        if tok.dep_ == "appos" and tok.head.i in ctx.tok_mention:
            members.append(ctx.tok_mention[tok.head.i])
        members += [m for c in tok.children if c.dep_ == "appos" for m in args(ctx, c)]
        members += [m for c in tok.children if c.dep_ == "acl" and c.lemma_ in ("know", "call", "name")
                    for p in c.children if p.dep_ == "prep" for q in p.children if q.dep_ == "pobj"
                    for m in args(ctx, q)]
        if not members:
            before = _named_before_comma(ctx, tok)
            members += [before] if before is not None else []
        for m in dict.fromkeys(members):
            for o in dict.fromkeys(owners):
                if m != o and _is_org(ctx, m) and ctx.x.mentions[m].text != ctx.x.mentions[o].text:
                    add_relation(ctx, m, "memberOf", o, tok)


def _is_org(ctx: Context, mi: int) -> bool:
    return ctx.x.mentions[mi].label in ORG_TYPES and ctx.x.mentions[mi].kind != "demonym"


def _org_before(ctx: Context, tok: Token, exclude: set[int]) -> list[int]:
    """The organisation named last before ``tok`` in its sentence ("its" refers back to it)."""
    sent = ctx.sents[ctx.sent_of[tok.i]]
    for j in range(tok.i - 1, sent.start - 1, -1):
        mi = ctx.tok_mention.get(j)
        if mi is not None and mi not in exclude and _is_org(ctx, mi):
            return [mi]
    return []


def _named_before_comma(ctx: Context, tok: Token) -> int | None:
    """"JNIM, the main al-Qaeda affiliate": the name right before the comma that opens the
    noun phrase of ``tok``."""
    start = tok.left_edge.i
    while start > 0 and ctx.toks[start].dep_ in ("det", "amod", "compound", "preconj", "punct") \
            and ctx.toks[start].text != ",":
        start -= 1
    if ctx.toks[start].text != "," or start == 0:
        return None
    mi = ctx.tok_mention.get(start - 1)
    return mi if mi is not None and ctx.spans[mi].end == start else None


def _designation_phrases(ctx: Context) -> None:
    """designatedAs from "A lists X as a terrorist organisation", "X is classed as a terrorist
    group by A", "X, a group that A lists as ...", "A designated X a terrorist group"
    (lexicon.toml [designations]); the designation noun must carry a word of [context_types]
    ArmedGroup ("terrorist"), so "listed as a company" says nothing."""
    armed = ctx.lex.context_types["ArmedGroup"]
    for i, lemma in enumerate(ctx.lemmas):
        if lemma not in ctx.lex.designation_verbs or ctx.pos[i] != "VERB":
            continue
        verb = ctx.toks[i]
        nouns = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children
                 if p.dep_ == "pobj"]
        nouns += [c for c in verb.children if c.dep_ in ("dobj", "oprd", "xcomp") and c.pos_ == "NOUN"]
        if not any({ctx.lemmas[t.i] for t in n.subtree} & armed for n in nouns):
            continue
        designators = [m for c in verb.children if c.dep_ == "nsubj" for m in args(ctx, c)]
        designators += [m for n in (verb, *nouns) for c in n.children if c.dep_ in ("agent", "prep")
                        and c.lower_ == "by" for p in c.children if p.dep_ == "pobj" for m in args(ctx, p)]
        designated = [m for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ != "NOUN"
                      for m in args(ctx, c)]
        designated += [m for c in verb.children if c.dep_ == "dobj" and c.pos_ == "PROPN" for m in args(ctx, c)]
        if verb.dep_ == "relcl":  # "X, a group that A lists as ...": the noun's name
            designated += args(ctx, verb.head)
        for x in dict.fromkeys(designated):
            for a in dict.fromkeys(designators):
                if x != a and ctx.x.mentions[x].label not in ("Person",):
                    add_relation(ctx, x, "designatedAs", a, verb)


def _rel_subject(ctx: Context, tok: Token, predicate: str) -> list[int]:
    if tok.pos_ in ("VERB", "AUX"):
        subj, _ = subject_of(ctx, tok)
        if subj:
            return subj
        return [m for c in tok.children if c.dep_ == "nsubjpass" for m in args(ctx, c)]
    # a noun's possessor first: "the Guards' base in Rask" is the Guards', whoever the verb's
    # subject; when the ontology lets it be the relation's subject ("the army's border" is not)
    if tok.pos_ in ("NOUN", "PROPN"):
        owner = [m for c in tok.children if c.dep_ == "poss" for m in args(ctx, c)
                 if fits(predicate, ctx.x.mentions[m].label, None)]
        if owner:
            return owner
    # adjectives and nouns: the noun they describe, or the subject of "X is a ... group"
    head = tok.head if tok.dep_ in ("amod", "acl", "acomp", "dobj", "pobj", "attr", "nsubj", "appos") else tok
    if tok.dep_ == "pobj":
        head = head.head  # through the preposition
    for _ in range(3):
        found = args(ctx, head)
        if found:
            return found
        if head.dep_ in ("attr", "acomp", "dobj") and head.head.pos_ in ("VERB", "AUX"):
            subj, _ = subject_of(ctx, head.head)
            return subj
        if head.dep_ == "relcl" or head.pos_ in ("VERB", "AUX"):
            subj, _ = subject_of(ctx, head)
            return subj
        if head.head is head:
            break
        head = head.head
    return []


def _place_relations(ctx: Context) -> None:
    """partOf / locatedIn from possessives and "of" phrases: "Iran's Sistan-Baluchestan
    province", "Iran's provincial capital of Zahedan"."""
    for mi, (m, span) in enumerate(zip(ctx.x.mentions, ctx.spans)):
        if m.label not in ("Province", "City", "Place", "BorderArea") or m.kind != "name":
            continue
        head = np_head(span)
        for t in (*head.children, *span.root.children):
            if t.dep_ != "poss":
                continue
            oi = ctx.tok_mention.get(t.i)
            if oi is None or oi == mi:
                continue
            om = ctx.x.mentions[oi]
            if om.label in ("Country", "Province"):
                pred = "partOf" if m.label == "Province" and om.label == "Country" else "locatedIn"
                add_relation(ctx, mi, pred, oi, head)
    _containment(ctx)


def _containment(ctx: Context) -> None:
    """locatedIn / partOf between places from the shape of the noun phrase: "Mirjaveh in
    Sistan-Baluchestan province", "CHAMAN, Balochistan", "Zahedan, the capital of Sistan-
    Baluchestan", "the town of Mirjaveh in ...", "the Balochistan border town of Chaman",
    "the Mirjaveh area of ...". The container must rank above the contained place
    (place_ranks in lexicon.toml), so lists of peers ("Zahedan, Mashhad") give nothing."""
    ranks = ctx.lex.place_ranks
    nouns = ctx.lex.place_nouns
    sites = ctx.lex.facilities | ctx.lex.sites["institutions"]
    for mi, (m, span) in enumerate(zip(ctx.x.mentions, ctx.spans)):
        if m.kind != "name":
            continue
        if m.label not in ranks:
            # an institution with a site ("Mindanao State University in Marawi") lies where it is
            if m.label not in ORG_TYPES or not set(normalize(m.text).split()) & sites:
                continue
        root = span.root
        anchors = [root]
        # the place noun the name hangs from: "the town of X", "the X area", "border town of X"
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_ in nouns:
            anchors.append(root.head.head)
        if root.dep_ == "compound" and root.head.lemma_ in nouns:
            anchors.append(root.head)
        containers: list[int] = []
        for a in anchors:
            for c in a.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "of") and not (a is root and c.lower_ == "of"):
                    containers += [o for p in c.children if p.dep_ == "pobj" for o in place_args(ctx, p)]
                elif c.dep_ == "appos":
                    cm = ctx.tok_mention.get(c.i)
                    if cm is not None:
                        containers.append(cm)
                    elif c.lemma_ in nouns:  # "X, the capital of Y"
                        containers += [o for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                                       for q in p.children if q.dep_ == "pobj" for o in place_args(ctx, q)]
                elif a is not root and c.dep_ in ("compound", "poss", "nmod") and c.i in ctx.tok_mention:
                    containers.append(ctx.tok_mention[c.i])
        # "Mindanao State University (MSU) in Marawi": the parser hangs "in" on the verb; read
        # the words right after the name (a parenthesised acronym skipped)
        j = span.end
        if j + 2 < len(ctx.doc) and ctx.doc[j].text == "(" and ctx.doc[j + 2].text == ")":
            j += 3
        if j + 1 < len(ctx.doc) and ctx.doc[j].lower_ == "in" and (j + 1) in ctx.tok_mention \
                and m.label not in ("City", "Province", "Country"):
            containers.append(ctx.tok_mention[j + 1])
        # "CHAMAN, Balochistan": a name, a comma, a bigger place and no list going on
        end = span.end
        if end + 1 < len(ctx.doc) and ctx.doc[end].text == "," and (end + 1) in ctx.tok_mention:
            ci = ctx.tok_mention[end + 1]
            after = ctx.spans[ci].end
            if after >= len(ctx.doc) or ctx.doc[after].text not in (",", "and", "or"):
                containers.append(ci)
        for ci in dict.fromkeys(containers):
            c = ctx.x.mentions[ci]
            if ci == mi or c.kind == "demonym" or c.label not in ranks or ranks[c.label] <= ranks.get(m.label, 1):
                continue
            pred = "partOf" if m.label == "Province" and c.label == "Country" else "locatedIn"
            add_relation(ctx, mi, pred, ci, root)
