"""The document's events settled after every trigger was read: alleged content dropped,
casualty clauses folded into their attack, victims' groups as targets, claims of responsibility,
coreferent mentions of one attack joined, one event per type, date and actors, and
condemnations aimed at the attackers."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.agents import by_agents
from kg.extract.arguments import args, subject_of
from kg.extract.casualties import settle_casualties
from kg.extract.context import Context, mention_keys
from kg.extract.labels import AGENT_TYPES, CASUALTY_KIND, PLACE_TYPES, VIOLENT
from kg.model import Event
from kg.ontology.gazetteer import normalize

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["settle_events"]


def settle_events(ctx: Context) -> None:
    """Run the document-level passes over the events found. The order matters: the main
    attack is chosen after casualty clauses are folded in and victims' groups made targets."""
    _drop_claim_content(ctx)
    _fold_casualties(ctx)
    _victims_as_targets(ctx)
    _responsibility(ctx)
    by_agents(ctx, _attack_at(ctx, None))
    _corefer_attacks(ctx)
    _merge_same_events(ctx)
    settle_casualties(ctx)
    _blamed_on(ctx)
    _places_seized(ctx)
    _reactions(ctx)
    _armed_agents(ctx)
    _drop_outlet_reports(ctx)


def _places_seized(ctx: Context) -> None:
    """"Captured Shusha", "seized the town": an arrest verb whose object is a place is a military
    operation against it (it attacks the place), not an arrest."""
    for e in ctx.x.events:
        if e.type == "Arrest" and e.targets and all(ctx.x.mentions[t].label in PLACE_TYPES for t in e.targets):
            e.type, e.relation, e.between = "Operation", "attacks", "agent-target"


def _blamed_on(ctx: Context) -> None:
    """"Blamed the bombing on X", "attributed the attack to X": the parser hangs "on X" on the
    attack noun, where it would be the attack's target; it names the attacker the speaker
    accuses."""
    by_trigger = {e.trigger_i: e for e in ctx.x.events}
    for acc in [e for e in ctx.x.events if e.type == "Accusation"]:
        verb = ctx.doc[acc.trigger_i]
        if ctx.lemmas[verb.i] not in ctx.lex.blame_verbs:
            continue
        for d in (c for c in verb.children if c.dep_ == "dobj"):
            named = [m for c in d.children if c.dep_ == "prep" and c.lower_ in ("on", "to")
                     for p in c.children if p.dep_ == "pobj" for m in args(ctx, p)]
            if not named:
                continue
            acc.targets += [m for m in named if m not in acc.targets]
            attack = by_trigger.get(d.i)
            if attack is not None and attack.type in VIOLENT:
                attack.targets = [m for m in attack.targets if m not in named]
                attack.agents += [m for m in named if m not in attack.agents]


def _drop_outlet_reports(ctx: Context) -> None:
    """"IRNA reported", "RIA Novosti said": an outlet telling the news is where the story comes
    from, not an event of it (what it reports is extracted as the events it names)."""
    ctx.x.events = [e for e in ctx.x.events if not (
        e.type == "Statement" and e.agents and not e.targets
        and all(ctx.x.mentions[a].label == "MediaOrganization" for a in e.agents))]


def _armed_agents(ctx: Context) -> None:
    """An organisation of no known kind that carries out an attack or a killing is an armed
    group: a state's forces, ministries and firms have their kinds from the gazetteer, their
    names' cue words or their country's demonym, so what is left is a group ("Katiba Macina").
    One that reports is an outlet."""
    for e in ctx.x.events:
        if e.type in VIOLENT:
            kind = "ArmedGroup"
        elif e.type == "Statement" and ctx.lemmas[e.trigger_i] in ctx.lex.report_verbs:
            kind = "MediaOrganization"  # "RIA Novosti reported": what reports is an outlet
        else:
            continue
        for a in e.agents:
            m = ctx.x.mentions[a]
            if m.label == "Organization" and m.kind in ("name", "acronym") and not m.gaz_id:
                m.label = kind


def _drop_claim_content(ctx: Context) -> None:
    """"Iran accuses X of inciting locals to clash": the clash is what is alleged, not a
    reported event; the accusation keeps it."""
    claims = [ctx.doc[e.trigger_i] for e in ctx.x.events if e.claim]
    if not claims:
        return
    inside = {t.i for c in claims for t in c.subtree if t.i != c.i}
    ctx.x.events = [e for e in ctx.x.events if e.claim or e.trigger_i not in inside]


def _fold_casualties(ctx: Context) -> None:
    """Killing/arrest clauses without an agent of their own are casualty figures of the
    attack, clash or operation in the same sentence or the one before."""
    main_types = ("Attack", "Clash", "Operation")
    kept: list[Event] = list(ctx.x.events)
    # the main events by sentence, in document order: a casualty clause looks up its own
    # sentence and the two before, not every event of the document
    by_sent: dict[int, list[tuple[int, Event]]] = {}
    for order, e in enumerate(kept):
        if e.type in main_types:
            by_sent.setdefault(e.sent, []).append((order, e))
    out = []
    for ev in kept:
        if ev.type in CASUALTY_KIND and ev.casualties:
            host = None
            same = by_sent.get(ev.sent)
            if same:
                host = same[0][1]
            elif not ev.agents:
                prev = [by_sent[s][-1] for s in (ev.sent - 2, ev.sent - 1) if s in by_sent]
                host = max(prev, key=lambda oe: oe[0])[1] if prev else None
            if host is not None:
                host.casualties += ev.casualties
                if ev.agents and not host.agents:
                    host.agents = ev.agents
                if ev.sent != host.sent and ev.sent not in host.extra_sents:
                    host.extra_sents.append(ev.sent)
                continue
        out.append(ev)
    ctx.x.events = out


def _victims_as_targets(ctx: Context) -> None:
    """"killed 27 members of the IRGC": the group the victims belong to was the target."""
    for ev in ctx.x.events:
        if ev.type in VIOLENT:
            for c in ev.casualties:
                if c.affiliation is not None and c.kind != "arrested" and c.affiliation not in ev.targets \
                        and c.affiliation not in ev.agents \
                        and ctx.x.mentions[c.affiliation].label in AGENT_TYPES - {"Country"}:
                    ev.targets.append(c.affiliation)


def _attack_at(ctx: Context, tok: Token | None) -> Event | None:
    """The violent event a phrase refers to: the one triggered by ``tok``, else the
    document's main one (the first with victims or targets, else the first)."""
    violent = [e for e in ctx.x.events if e.type in VIOLENT]
    if tok is not None:
        for e in violent:
            if e.trigger_i == tok.i:
                return e
    main = [e for e in violent if e.targets or e.casualties]
    return (main or violent or [None])[0]


def _responsibility(ctx: Context) -> None:
    """Claims of responsibility make the claimant the agent of the attack: "X claimed
    (responsibility for) the attack", "a bombing claimed by X", "X said it was responsible".
    The claim itself is a Statement by X."""
    lex = ctx.lex
    attack_nouns = {w for w, frames in ctx.trig.nouns.items() if any(f.type in VIOLENT for f in frames)}
    for i, lemma in enumerate(ctx.lemmas):
        if not ((ctx.pos[i] == "VERB" and lemma in lex.responsibility_verbs)
                or ctx.lowers[i] in lex.responsibility_adjectives):
            continue  # neither branch below can match
        tok = ctx.toks[i]
        claimant: list[int] = []
        target_tok: Token | None = None
        if tok.pos_ == "VERB" and lemma in lex.responsibility_verbs:
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            obj = objs[0] if objs else None
            if obj is not None and obj.lemma_.lower() in lex.responsibility_nouns:
                target_tok = next((p for c in obj.children if c.dep_ == "prep" and c.lower_ == "for"
                                   for p in c.children if p.dep_ == "pobj"), None)
            elif obj is not None and obj.lemma_.lower() in attack_nouns:
                target_tok = obj
            elif tok.dep_ in ("acl", "relcl") and tok.head.lemma_.lower() in attack_nouns:
                target_tok = tok.head  # "a suicide bombing claimed by Jaish al-Adl"
            elif (passive := next((c for c in tok.children if c.dep_ == "nsubjpass"
                                   and c.lemma_.lower() in attack_nouns), None)) is not None:
                target_tok = passive  # "the bombing was claimed by X": only the by-phrase claims it
            else:
                continue
            by = [m for c in tok.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
                  for m in args(ctx, p)]
            claimant = by or ([] if tok.dep_ in ("acl",) else subject_of(ctx, tok)[0])
        elif tok.lower_ in lex.responsibility_adjectives and tok.dep_ == "acomp":
            claimant = subject_of(ctx, tok.head)[0]
            target_tok = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"
                               for p in c.children if p.dep_ == "pobj"), None)
        else:
            continue
        claimant = [m for m in claimant if ctx.x.mentions[m].label in AGENT_TYPES - {"Country"}]
        if not claimant:
            continue
        ev = _attack_at(ctx, target_tok)
        if ev is None:
            sent_i = ctx.sent_of[tok.i]
            sent = ctx.sents[sent_i]
            ev = Event("Attack", tok.text, sent_i, sent.start_char, sent.end_char, trigger_i=tok.i,
                       relation="attacks", between="agent-target", confidence=0.7)
            ctx.x.events.append(ev)
        ev.agents += [m for m in claimant if m not in ev.agents]


def _corefer_attacks(ctx: Context) -> None:
    """Definite or undated mentions of an attack ("the bombing", "last Wednesday's attack")
    are the document's main violent event when their dates do not disagree: one event with
    the agent from one sentence and the victims from another."""
    main = _attack_at(ctx, None)
    if main is None:
        return
    out = []
    for ev in ctx.x.events:
        if ev is main or ev.type not in VIOLENT:
            out.append(ev)
            continue
        trig = ctx.doc[ev.trigger_i]
        definite = trig.pos_ == "NOUN" and any(
            c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) for c in trig.children)
        dated_apart = ev.date is not None and main.date is not None and ev.date != main.date
        counts_apart = any(c.count != d.count for c in ev.casualties for d in main.casualties if c.kind == d.kind
                           and c.count is not None and d.count is not None)
        if not definite or dated_apart or counts_apart:
            out.append(ev)
            continue
        for attr in ("agents", "targets", "places"):
            getattr(main, attr).extend(m for m in getattr(ev, attr) if m not in getattr(main, attr))
        main.casualties += [c for c in ev.casualties if c not in main.casualties]
        if main.date is None and ev.date is not None:
            main.date, main.date_end, main.date_text = ev.date, ev.date_end, ev.date_text
        if ev.type == "Attack":
            main.type, main.relation, main.between = "Attack", ev.relation, ev.between
        if ev.sent != main.sent and ev.sent not in main.extra_sents:
            main.extra_sents.append(ev.sent)
    ctx.x.events = out


def _merge_same_events(ctx: Context) -> None:
    """Within one document: one event per type, date and overlapping actors; and one
    statement per speaker for plain reported speech.

    Each event joins the first earlier event it matches (`_same_event`); the earlier events
    it could match are looked up in `_Candidates` rather than compared one by one, so a long
    article with thousands of events costs about as much per event as a short one."""
    full_names: dict[str, set[str]] = {}
    for m in ctx.x.mentions:
        words = normalize(m.text).split()
        if m.label == "Person" and len(words) > 1:
            full_names.setdefault(words[-1], set()).add(" ".join(words))
    out: list[Event] = []
    index = _Candidates(ctx, full_names)
    for ev in ctx.x.events:
        keys, speaker = index.keys_of(ev)
        pos = next((p for p in index.candidates(ev, keys, speaker) if index.matches(p, ev, keys, speaker)), None)
        if pos is None:
            index.add(len(out), ev)
            out.append(ev)
            continue
        twin = out[pos]
        index.remove(pos)
        for attr in ("agents", "participants", "targets", "places"):
            merged = getattr(twin, attr) + [m for m in getattr(ev, attr) if m not in getattr(twin, attr)]
            setattr(twin, attr, merged)
        twin.casualties += [c for c in ev.casualties if c not in twin.casualties]
        if ev.sent != twin.sent and ev.sent not in twin.extra_sents:
            twin.extra_sents.append(ev.sent)
        if twin.date is None and ev.date is not None:
            twin.date, twin.date_end, twin.date_text = ev.date, ev.date_end, ev.date_text
        index.add(pos, twin)  # its actors and date may have changed
    ctx.x.events = out


def _same_event(ev: Event, keys: frozenset, speaker: frozenset | None, o: Event, o_keys: frozenset,
                o_speaker: frozenset | None) -> bool:
    """Whether ``ev`` is the earlier event ``o`` told again."""
    if speaker and o_speaker is not None and (o.date == ev.date or None in (o.date, ev.date)) \
            and o_speaker == speaker:
        return True  # what one speaker says in one article is one statement
    if o.type != ev.type or o.date != ev.date:
        return False
    if (o.sent == ev.sent and o.type != "Statement") or (keys and keys <= o_keys) or (o_keys and o_keys <= keys):
        return not (ev.type == "Statement" and o.sent != ev.sent)
    return False


class _Candidates:
    """The events kept so far (by position), indexed by what a match needs: the speaker of plain
    speech; type, date and sentence; type, date and each actor key (an event whose actors
    include all of another's shares each of its keys); type, date and the smallest actor key (an
    event whose actors are all among another's has its smallest key among them)."""

    def __init__(self, ctx: Context, full_names: dict[str, set[str]]) -> None:
        self.ctx, self.full_names = ctx, full_names
        self.entries: dict[int, tuple] = {}  # position -> (event, keys, speaker, index keys)
        self.where: dict[tuple, set[int]] = {}

    def keys_of(self, ev: Event) -> tuple[frozenset, frozenset | None]:
        keys = frozenset(mention_keys(self.ctx, ev.agents + ev.participants + ev.targets))
        speaker = _speaker_keys(self.ctx, ev.agents, self.full_names) if _plain_speech(ev) else None
        return keys, speaker

    def add(self, pos: int, ev: Event) -> None:
        keys, speaker = self.keys_of(ev)
        slots = [("sent", ev.type, ev.date, ev.sent)] + [("key", ev.type, ev.date, k) for k in keys]
        if keys:
            slots.append(("min", ev.type, ev.date, min(keys)))
        if speaker is not None:
            slots.append(("speaker", speaker))
        for slot in slots:
            self.where.setdefault(slot, set()).add(pos)
        self.entries[pos] = (ev, keys, speaker, slots)

    def remove(self, pos: int) -> None:
        for slot in self.entries.pop(pos)[3]:
            self.where[slot].discard(pos)

    def candidates(self, ev: Event, keys: frozenset, speaker: frozenset | None) -> list[int]:
        """Positions of every kept event ``ev`` could match (a superset), in document order."""
        found = set(self.where.get(("sent", ev.type, ev.date, ev.sent), ()))
        if speaker:
            found |= self.where.get(("speaker", speaker), set())
        if keys:
            holding = [self.where.get(("key", ev.type, ev.date, k), set()) for k in keys]
            found |= min(holding, key=len)  # events holding all of ev's keys hold its rarest
            for k in keys:
                found |= self.where.get(("min", ev.type, ev.date, k), set())
        return sorted(found)

    def matches(self, pos: int, ev: Event, keys: frozenset, speaker: frozenset | None) -> bool:
        o, o_keys, o_speaker, _ = self.entries[pos]
        return _same_event(ev, keys, speaker, o, o_keys, o_speaker)


def _speaker_keys(ctx: Context, mentions: list[int], full_names: dict[str, set[str]]) -> frozenset[str]:
    """Keys that read a bare surname as the one full name in this document that ends with it
    ("Zardani" is "Arif Zardani"); with two such names it stays apart."""
    out = set()
    for k in mention_keys(ctx, mentions):
        names = full_names.get(k, set()) if " " not in k else set()
        out.add(next(iter(names)) if len(names) == 1 else k)
    return frozenset(out)


def _plain_speech(ev: Event) -> bool:
    """A statement that only reports speech: no target and no relation (not a warning or a
    condemnation, which stay events of their own)."""
    return ev.type == "Statement" and ev.relation is None and not ev.targets and not ev.negated


def _reactions(ctx: Context) -> None:
    """Condemning or blaming an attack ("condemned the shelling") is aimed at whoever
    carried it out, when the text names them."""
    for ev in ctx.x.events:
        if ev.relation not in ctx.lex.reaction_predicates or ev.targets:
            continue
        trig = ctx.doc[ev.trigger_i]
        objs = [c for c in trig.children if c.dep_ == "dobj"]
        objs += [p for c in trig.children if c.dep_ == "prep" and c.lower_ in ("for", "over", "of")
                 for p in c.children if p.dep_ == "pobj"]
        for obj in objs:
            if obj.lemma_.lower() not in ctx.trig.nouns and obj.lemma_.lower() not in ctx.lex.attack_words:
                continue
            attack = _attack_at(ctx, obj)
            if attack is not None:
                ev.targets += [m for m in attack.agents if m not in ev.targets and m not in ev.agents]
                break
