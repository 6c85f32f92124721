"""Arguments of a trigger: the mentions a dependency slot denotes.

A slot ("nsubj", "dobj", "prep:with", "host" ...) of a verb or noun is read off the parse and
turned into mention indices, following conjunctions, appositions, pronouns, group nouns ("the two
sides", "militants belonging to X") and subjects inherited through control and coordination.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.context import Context
from kg.extract.labels import ORG_TYPES, PLACE_TYPES
from kg.ontology.gazetteer import normalize

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["args", "host_args", "place_args", "prep_heads", "slot_args", "subject_of"]


def args(ctx: Context, tok: Token, depth: int = 0) -> list[int]:
    """The mentions a syntactic argument denotes, following conjunctions and the nouns
    that stand for a group ("militants belonging to X", "delegations from A, B and C")."""
    if depth > 4:
        return []
    out: list[int] = []
    mi = ctx.tok_mention.get(tok.i)
    if mi is not None:
        m = ctx.x.mentions[mi]
        if m.kind == "demonym":
            mi = None
        elif m.label != "Person" or m.kind == "role":
            # a role noun with an appositive name: "his counterpart, General X"
            for c in tok.children:
                if c.dep_ == "appos" and ctx.tok_mention.get(c.i) is not None:
                    pm = ctx.tok_mention[c.i]
                    if ctx.x.mentions[pm].label == "Person":
                        mi = pm
    if mi is None:
        for c in tok.children:
            if c.dep_ == "appos":
                cm = ctx.tok_mention.get(c.i)
                if cm is not None and ctx.x.mentions[cm].kind != "demonym":
                    mi = cm
                    break
    if mi is None and tok.i in ctx.role_person:
        mi = ctx.role_person[tok.i]
    if mi is None and tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.head.i in ctx.tok_mention:
        hm = ctx.tok_mention[tok.head.i]
        if ctx.x.mentions[hm].kind != "demonym":
            return [hm]  # "Sistan-Baluchestan, a province of Iran that ...": the named one
    if mi is None and tok.tag_ in ("PRP", "PRP$"):
        mi = _antecedent(ctx, tok)
    if mi is None and tok.i not in ctx.tok_mention and tok.lemma_.lower() in ctx.lex.pairs:
        out += _pair(ctx, tok)
    if mi is not None and ctx.spans[mi].root.dep_ == "amod" and ctx.x.mentions[mi].label != "Person":
        mi = None  # adjectives tagged as a name ("Sunni Baluchi group")
    if mi is None and tok.i not in ctx.tok_mention and tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ == "amod" and c.i in ctx.tok_mention:
                dm = ctx.tok_mention[c.i]
                if ctx.x.mentions[dm].kind == "demonym" and tok.lower_ in ctx.lex.forces:
                    out.append(dm)  # "the Iranian forces" act for Iran
    if mi is None and tok.pos_ in ("NOUN", "PROPN") and tok.i not in ctx.tok_mention:
        poss = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "from", "to"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += args(ctx, p, depth + 1)
            elif c.dep_ == "acl" and c.lemma_ in ("belong", "affiliate", "link", "loyal"):
                for p in c.children:
                    if p.dep_ == "prep":
                        for q in p.children:
                            if q.dep_ == "pobj":
                                out += args(ctx, q, depth + 1)
            elif c.dep_ in ("compound", "nmod") and c.i in ctx.tok_mention:
                cm = ctx.tok_mention[c.i]
                if ctx.x.mentions[cm].kind != "demonym" and ctx.spans[cm].root.dep_ != "amod":
                    out.append(cm)
            elif c.dep_ == "poss" and c.i in ctx.tok_mention:
                poss.append(ctx.tok_mention[c.i])
        if not out:
            out += [p for p in poss if ctx.x.mentions[p].kind != "demonym"]
    if mi is not None:
        out.append(mi)
    for c in tok.children:
        if c.dep_ == "conj":
            out += args(ctx, c, depth + 1)
    if mi is not None and ctx.x.mentions[mi].label == "Person":
        # "met Imran Khan, his counterpart Shah Mehmood Qureshi and General Bajwa": the parser
        # takes a list of people for appositions; another name there is another person
        for a in (c for c in tok.children if c.dep_ == "appos"):
            for b in [a, *(g for g in a.children if g.dep_ == "appos")]:
                bm = ctx.tok_mention.get(b.i)
                if bm is not None and bm != mi and ctx.x.mentions[bm].label == "Person" \
                        and ctx.x.mentions[bm].kind == "name":
                    out.append(bm)
                out += [m for g in b.children if g.dep_ == "conj" for m in args(ctx, g, depth + 1)]
    return list(dict.fromkeys(out))


def _antecedent(ctx: Context, tok: Token) -> int | None:
    """The mention a third-person pronoun stands for: the nearest earlier person ("he", "his")
    or organisation ("it", "its", "they") in this sentence or the two before, subjects first.

    Only subjects and possessors are resolved, where the nearest fitting name is usually right.
    """
    word = tok.lower_
    if word in ctx.lex.person_pronouns:
        fits = lambda m: m.label == "Person"  # noqa: E731
    elif word in ctx.lex.group_pronouns:
        fits = lambda m: m.label in ORG_TYPES  # noqa: E731
    else:
        return None
    if tok.dep_ not in ("nsubj", "nsubjpass", "poss"):
        return None
    first = ctx.sents[max(0, ctx.sent_of[tok.i] - 2)].start
    best, best_key = None, None
    for j in range(tok.i - 1, first - 1, -1):
        mi = ctx.mention_at(j)
        if mi is None:
            continue
        m = ctx.x.mentions[mi]
        if m.kind == "demonym" or not fits(m):
            continue
        span = ctx.spans[mi]
        subject = span.root.dep_ in ("nsubj", "nsubjpass")
        key = (ctx.sent_of[j] == ctx.sent_of[tok.i] or subject, -(tok.i - j))
        if best_key is None or key > best_key:
            best, best_key = mi, key
    return best


def _pair(ctx: Context, tok: Token) -> list[int]:
    """"the two sides", "both countries", "the two commanders": the two most recent distinct
    entities of the kind the noun names (pairs in lexicon.toml), when exactly two are in play."""
    if not any((c.dep_ == "nummod" and c.lower_ == "two") or (c.dep_ in ("det", "predet") and c.lower_ == "both")
               for c in tok.children):
        return []
    kinds = ctx.lex.pairs[tok.lemma_.lower()]
    found: list[int] = []
    keys: list[str] = []
    for j in range(tok.i - 1, -1, -1):
        mi = ctx.mention_at(j)
        if mi is None:
            continue
        m = ctx.x.mentions[mi]
        if m.label not in kinds:
            continue
        key = m.gaz_id or normalize(m.text).split()[-1]
        if m.kind == "demonym" and m.label == "Country":
            pass  # "the Iranian side" still names Iran as one of the two
        if key in keys:
            continue
        keys.append(key)
        found.append(mi)
        if len(found) == 2:
            break
    return [m for m in found if ctx.x.mentions[m].kind != "demonym"] if len(found) == 2 else []


def _without_conjuncts(ctx: Context, tok: Token) -> list[int]:
    """The mentions ``tok`` stands for, without those of its conjuncts and of other names the
    parser hung on it: a relative clause ("X, who leads the FDP, Y and Z") is about its own
    noun, not the list it opens."""
    mine = ctx.tok_mention.get(tok.i)
    others = {m for c in tok.children if c.dep_ in ("conj", "appos") for m in args(ctx, c)} - {mine}
    own = [m for m in args(ctx, tok) if m not in others]
    return own or args(ctx, tok)


def subject_of(ctx: Context, verb: Token, depth: int = 0) -> tuple[list[int], Token | None]:
    """The subject of a verb, inherited through control, coordination and participles."""
    if depth > 4:
        return [], None
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            if c.tag_ == "WDT" or c.lower_ in ("who", "which", "that"):
                if verb.dep_ == "relcl":
                    return _without_conjuncts(ctx, verb.head), verb.head
                if verb.dep_ == "ccomp" and verb.head.dep_ == "relcl":
                    # "X, which Iran says operates from Y": the relative clause's noun
                    return args(ctx, verb.head.head), verb.head.head
            return args(ctx, c), c
    if verb.dep_ == "xcomp":
        for c in verb.head.children:
            if c.dep_ == "dobj":
                return args(ctx, c), c
    if verb.dep_ == "relcl":
        return _without_conjuncts(ctx, verb.head), verb.head
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acl") and verb.head is not verb:
        head = verb.head
        if head.dep_ == "prep" or head.pos_ == "ADP":
            head = head.head
        if head.pos_ in ("VERB", "AUX"):
            for c in head.children:
                if c.dep_ == "nsubjpass":
                    return args(ctx, c), c
            return subject_of(ctx, head, depth + 1)
        if verb.dep_ == "acl":
            return args(ctx, head), head
    return [], None


def slot_args(ctx: Context, trig: Token, slot: str, is_noun: bool) -> list[int]:
    """The mentions in one slot of a trigger (triggers.toml): a dependency ("nsubj", "dobj",
    "agent" ...), a preposition path ("prep:with", "prep:in:of") or "host"."""
    if slot == "nsubj":
        return [] if is_noun else subject_of(ctx, trig)[0]
    if slot in ("dobj", "nsubjpass", "attr", "poss"):
        return [m for c in trig.children if c.dep_ == slot for m in args(ctx, c)]
    if slot == "agent":
        return [m for c in trig.children if c.dep_ == "agent" for p in c.children
                if p.dep_ == "pobj" for m in args(ctx, p)]
    if slot.startswith("prep:"):
        words = slot.split(":")[1:]
        out = []
        frontier = [trig]
        gov = _governor(ctx, trig) if is_noun and trig.dep_ == "dobj" else None
        if gov is not None and gov.lemma_ in ctx.trig.light_verbs:
            frontier.append(gov)  # "held talks on Tuesday with X": the phrase hangs on the verb
        if is_noun and trig.dep_ == "nsubj" and trig.head.lemma_ in ctx.trig.occurrence_verbs:
            frontier.append(trig.head)  # "fighting broke out between A and B"
        for w in words:
            nxt = []
            for f in frontier:
                for c in f.children:
                    if c.dep_ in ("prep", "agent") and c.lower_ == w:
                        # "with A, with B and with C": coordinated prepositions too
                        for prep in [c, *(g for g in c.children if g.dep_ == "conj" and g.lower_ == w)]:
                            nxt += [p for p in prep.children if p.dep_ == "pobj"]
            frontier = nxt
        for p in frontier:
            out += args(ctx, p)
        return out
    if slot == "host":
        return host_args(ctx, trig)
    return []


def prep_heads(trig: Token, is_noun: bool) -> list[Token]:
    """Where a verb trigger's place phrase may hang: the verb and its direct object.

    The parser often attaches the phrase to the object ("attacked a post near Saravan"), which
    for the event's place means the same as attaching it to the verb. Not for actor slots:
    "received a briefing on the army" does not meet the army.
    """
    if is_noun:
        return [trig]
    return [trig, *(c for c in trig.children if c.dep_ == "dobj")]


def _governor(ctx: Context, trig: Token) -> Token | None:
    """The verb a noun trigger hangs from, directly or through a preposition."""
    head = trig.head
    if trig.dep_ in ("dobj", "nsubjpass", "attr") and head.pos_ in ("VERB", "AUX"):
        return head
    if (trig.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "at", "during")
            and head.head.pos_ in ("VERB", "AUX")):
        return head.head
    return None


def host_args(ctx: Context, trig: Token) -> list[int]:
    """The subject of the verb a noun trigger hangs from: who "held talks", who was "at the
    meeting"."""
    gov = _governor(ctx, trig)
    if gov is None:
        return []
    if trig.dep_ == "dobj" and gov.lemma_ not in ctx.trig.light_verbs:
        return []
    subj, _ = subject_of(ctx, gov)
    if not subj:
        subj = [m for c in gov.children if c.dep_ == "nsubjpass" for m in args(ctx, c)] if trig.dep_ == "pobj" else []
    return subj


def place_args(ctx: Context, tok: Token) -> list[int]:
    """The most specific place in a locative noun phrase: Zahedan in "Iran's provincial
    capital of Zahedan"."""
    found = [m for m in args(ctx, tok) if ctx.x.mentions[m].label in PLACE_TYPES]
    inner = []
    for t in tok.subtree:
        mi = ctx.tok_mention.get(t.i)
        if mi is not None and ctx.x.mentions[mi].label in PLACE_TYPES and ctx.x.mentions[mi].kind != "demonym":
            if t.dep_ != "poss" and mi not in inner:
                inner.append(mi)
    return inner or found
