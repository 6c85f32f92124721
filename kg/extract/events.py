"""Events from the trigger table (`ontology/triggers.toml`): a frame per trigger word fills its
roles from dependency slots, and the event gets its casualty figures, date and places."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg import dates
from kg.extract.arguments import args, host_args, place_args, prep_heads, slot_args
from kg.extract.claims import speaker_of
from kg.extract.context import Context, mention_keys
from kg.extract.irrealis import irrealis
from kg.extract.labels import AGENT_TYPES, CASUALTY_KIND, NUMBERS, PLACE_TYPES
from kg.model import Casualty, Event
from kg.ontology.lexicon import Frame

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["find_events"]


def find_events(ctx: Context) -> None:
    """An event for each trigger word (triggers.toml) whose frame's slots are filled, in text
    order; the first frame of a word that fits wins."""
    title_end = len(ctx.document.title) if ctx.document.title and ctx.document.text.startswith(ctx.document.title) else -1
    nouns = ctx.trig.nouns
    for i, lemma in enumerate(ctx.lemmas):
        pos = ctx.pos[i]
        if pos != "VERB" and (pos != "NOUN" or lemma not in nouns):
            continue  # no frame below can match
        tok = ctx.toks[i]
        if tok.idx < title_end:
            continue  # headline grammar is too loose for event frames; the body restates it
        phrasal = next((f"{lemma} {c.lower_}" for c in tok.children if c.dep_ in ("prep", "prt")
                        and f"{lemma} {c.lower_}" in ctx.trig.verbs), None) if tok.pos_ == "VERB" else None
        if phrasal is not None:
            frames, is_noun = ctx.trig.verbs[phrasal], False
        elif tok.pos_ in ("VERB",) and lemma in ctx.trig.verbs:
            frames, is_noun = ctx.trig.verbs[lemma], False
        elif tok.pos_ == "NOUN" and lemma in ctx.trig.nouns:
            frames, is_noun = ctx.trig.nouns[lemma], True
        else:
            continue
        if irrealis(ctx, tok):
            continue  # "would allow X to meet", "a proposal to resume talks": nothing happened
        for frame in frames:
            ev = _event(ctx, tok, frame, is_noun)
            if ev is not None:
                ctx.x.events.append(ev)
                break


def _event(ctx: Context, tok: Token, frame: Frame, is_noun: bool) -> Event | None:
    """The event ``frame`` makes of trigger ``tok``, or None when its slots are not filled
    as the frame needs."""
    sent_i = ctx.sent_of[tok.i]
    sent = ctx.sents[sent_i]
    roles, hub = _slot_roles(ctx, tok, frame, is_noun)
    places = _actors_and_places(ctx, frame, roles)
    casualties = _counts(ctx, tok, frame)
    actors = roles["agent"] + roles["participant"] + roles["target"]
    if frame.type != "Statement" and not places:
        places = _nearby_places(ctx, tok) or _sentence_places(ctx, sent, actors)
    if not actors and not casualties and not (places and frame.type in ("Attack", "Clash")):
        return None
    if frame.type == "Statement" and not roles["agent"]:
        return None
    # symmetric events need two sides; agent-target events need an agent or a casualty
    if frame.between == "participants" and len(set(mention_keys(ctx, roles["participant"]))) < 2 and frame.type not in ("Clash", "Meeting"):
        if frame.type != "Meeting" or not roles["participant"]:
            return None
    date, date_end, date_text = _event_date(ctx, tok, sent, own_clause=frame.type == "Statement")
    conf = 0.9 if not is_noun else 0.8
    if any(c.dep_ == "neg" for c in tok.children):
        conf = 0.2
    hedges = ctx.lex.hedges
    if any(c.lower_ in hedges for c in tok.children) or any(c.lower_ in hedges for c in tok.head.children if tok.dep_ in ("xcomp", "ccomp")):
        conf = min(conf, 0.5)
    ev = Event(
        type=frame.type, trigger=tok.text, trigger_i=tok.i, sent=sent_i, start=sent.start_char, end=sent.end_char,
        agents=roles["agent"], participants=roles["participant"], targets=roles["target"],
        places=list(dict.fromkeys(places)), date=date, date_end=date_end,
        date_text=date_text, casualties=casualties, confidence=conf,
    )
    if frame.type == "Statement":
        ev.quote = _quote(sent)
    else:
        speaker, denied = speaker_of(ctx, tok)
        if speaker is not None:
            ev.claimed_by = speaker
            ev.confidence = min(ev.confidence, 0.2 if denied else ctx.lex.reported_confidence)
        if denied or any(c.dep_ == "neg" for c in tok.children):
            ev.negated = True
    ev.relation, ev.between, ev.claim = frame.relation, frame.between, frame.claim
    ev.hub = [m for m in dict.fromkeys(hub) if m in ev.participants]
    return ev


def _slot_roles(ctx: Context, tok: Token, frame: Frame, is_noun: bool) -> tuple[dict[str, list[int]], list[int]]:
    """The mentions in each of the frame's slots by event role, and the hub: the participants
    in subject or possessor slots (who met the others)."""
    roles: dict[str, list[int]] = {"agent": [], "participant": [], "target": [], "place": []}
    explicit_between = False
    hub: list[int] = []
    for slot, role in frame.slots.items():
        if role not in roles:
            continue
        if slot == "host":
            continue
        if slot in ("nsubj", "poss") and role == "participant":
            hub += slot_args(ctx, tok, slot, is_noun)
        if role == "place" and slot.startswith("prep:"):
            found = [m for h in prep_heads(tok, is_noun) for c in h.children
                     if c.dep_ == "prep" and c.lower_ == slot.split(":")[1]
                     for p in c.children if p.dep_ == "pobj" for m in place_args(ctx, p)]
        else:
            found = slot_args(ctx, tok, slot, is_noun)
        if slot == "prep:between" and found:
            explicit_between = True
            if len(found) < 2:
                found += _between_surface(ctx, tok, found)
        roles[role] += found
    host_role = frame.slots.get("host")
    if host_role in roles and not explicit_between:
        hosted = host_args(ctx, tok)
        roles[host_role] += hosted
        if host_role == "participant":
            hub += hosted
    return roles, hub


def _actors_and_places(ctx: Context, frame: Frame, roles: dict[str, list[int]]) -> list[int]:
    """Keep only actors in the actor roles (in place) and return the places: place slots give
    places, and so does the target of a visit."""
    places = [m for m in roles["place"] if ctx.x.mentions[m].label in PLACE_TYPES]
    for role in ("agent", "participant", "target"):
        keep = []
        for m in roles[role]:
            lab = ctx.x.mentions[m].label
            if lab in AGENT_TYPES or ctx.x.mentions[m].kind == "role":
                keep.append(m)
            elif lab in PLACE_TYPES and role == "target" and frame.between in ("agent-target",):
                keep.append(m)
            elif lab in PLACE_TYPES and role == "target" and frame.type in ("Visit",):
                places.append(m)
        roles[role] = list(dict.fromkeys(keep))
    if frame.type == "Visit" and not places:
        places = [m for m in roles["target"] if ctx.x.mentions[m].label in PLACE_TYPES]
    return places


def _between_surface(ctx: Context, tok: Token, found: list[int]) -> list[int]:
    """The other side of "between A and B" when the parser attached B elsewhere: the people
    (or role phrases standing for them) after the "and" that follows A."""
    sent = ctx.sents[ctx.sent_of[tok.i]]
    prep = next((c for c in tok.children if c.lower_ == "between"), None)
    if prep is None:
        return []
    out = []
    seen_and = False
    for t in ctx.doc[prep.i + 1 : sent.end]:
        if t.lower_ == "and" and t.dep_ in ("cc",):
            seen_and = True
            continue
        if not seen_and:
            continue
        if t.pos_ in ("VERB",) and t.dep_ not in ("amod", "compound"):
            break
        mi = ctx.tok_mention.get(t.i)
        if mi is not None and ctx.x.mentions[mi].label == "Person" and mi not in found + out:
            out.append(mi)
            break
        if t.i in ctx.role_person and ctx.role_person[t.i] not in found + out:
            out.append(ctx.role_person[t.i])
            break
    return out


def _counts(ctx: Context, tok: Token, frame: Frame) -> list[Casualty]:
    kind = CASUALTY_KIND.get(frame.type)
    if kind is None:
        return []
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass") or (c.dep_ == "nsubj" and tok.tag_ == "VBN"):
            count = _number(ctx, c)
            mentions = args(ctx, c)
            aff = mentions[0] if mentions else None
            if count is not None or c.pos_ == "NOUN":
                who = c.lemma_ if c.pos_ == "NOUN" else ""
                if c.pos_ == "NOUN" and c.tag_ == "NNS":
                    who = c.text.lower()
                out.append(Casualty(kind, count, who.strip('"'), aff))
    return out


def _number(ctx: Context, tok: Token) -> int | None:
    for c in tok.children:
        if c.dep_ == "nummod":
            return _to_int(c.text)
    if tok.pos_ in ("NUM", "PRON", "DET") or tok.lower_ in NUMBERS:
        return _to_int(tok.text)
    return None


def _to_int(text: str) -> int | None:
    t = text.lower().strip('"')
    if t.isdigit():
        return int(t)
    return NUMBERS.get(t)


def _event_date(ctx: Context, tok: Token, sent: Span, own_clause: bool = False):
    """The date of an event: a DATE entity in the trigger's clause, else in its sentence.

    With ``own_clause`` (statements) no date of what is said: in "a woman was held two days
    ago, he said" and "he said that the guards were freed last year" the date is not the saying's.
    """
    ents = _date_ents(ctx, sent)
    if ents and own_clause:
        ents = [e for e in ents if not _reported(tok, _clause_verb(e.root))]
    if not ents:
        return None, None, None
    ranked = ents
    if len(ents) > 1:
        # prefer dates inside the trigger's subtree or its governing verb's subtree: tested
        # by the date's ancestors, not by walking the subtree (a clause's subtree can be
        # most of a long sentence, and the test runs for every event)
        doc = tok.doc
        gov = tok.head if tok.pos_ == "NOUN" else tok

        def under(root: Token, i: int) -> bool:
            return i == root.i or root.is_ancestor(doc[i])

        ranked = sorted(ents, key=lambda e: (not under(tok, e.start), not under(gov, e.start), abs(e.start - tok.i)))
    for e in ranked:
        start, end = dates.resolve(e.text, ctx.x.ref_date)
        if start is not None:
            return start, end, e.text
    return None, None, ranked[0].text


def _reported(say: Token, verb: Token) -> bool:
    """Whether the clause of ``verb`` is what ``say`` reports: its complement ("said that ...") or,
    in "..., he said", the clause ``say`` hangs from."""
    if verb is say:
        return False
    if say.dep_ in ("ccomp", "parataxis") and say.head is verb:
        return True
    return any(c.dep_ in ("ccomp", "xcomp") and (c is verb or c.is_ancestor(verb)) for c in say.children)


def _clause_verb(t: Token) -> Token:
    """The verb heading the clause ``t`` is in (``t`` itself for a verb; the root when none)."""
    while t.pos_ not in ("VERB", "AUX") and t.head is not t:
        t = t.head
    return t


def _date_ents(ctx: Context, sent: Span) -> list[Span]:
    """The DATE entities within ``sent`` (as ``sent.ents`` has them), from one pass over the
    document's entities: ``Span.ents`` walks all of them at every call, once per event."""
    if ctx.dates_in is None:
        ctx.dates_in = {}
        for e in ctx.doc.ents:
            if e.label_ == "DATE":
                ctx.dates_in.setdefault(ctx.sent_of.get(e.start, 0), []).append(e)
    i = ctx.sent_of.get(sent.start, 0)
    return [e for e in ctx.dates_in.get(i, ()) if sent.start <= e.start and e.end <= sent.end]


def _nearby_places(ctx: Context, tok: Token) -> list[int]:
    """Places in locative phrases of the trigger or its governing verb ("in Tehran")."""
    out = []
    heads = [tok] + ([tok.head] if tok.head is not tok else [])
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "near", "at", "outside", "inside"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += place_args(ctx, p)
    return out


def _sentence_places(ctx: Context, sent: Span, exclude: list[int]) -> list[int]:
    """Places named in a locative phrase anywhere in the sentence, when the trigger has none."""
    out = []
    for t in sent:
        mi = ctx.tok_mention.get(t.i)
        if mi is None or mi in exclude or ctx.x.mentions[mi].label not in PLACE_TYPES - {"Country"}:
            continue
        head = ctx.spans[mi].root
        while head.dep_ in ("compound", "appos", "pobj", "conj") and head.head is not head and head.dep_ != "pobj":
            head = head.head
        if head.dep_ == "pobj" and head.head.lower_ in ("in", "near", "at", "outside", "inside"):
            out.append(mi)
    return out


def _quote(sent: Span) -> str | None:
    m = re.search(r"[\"\u201c]([^\"\u201d]{3,})[\"\u201d]?", sent.text)
    return m.group(1).strip() if m else None
