"""The extractor's word lists and trigger table, read from `ontology/lexicon.toml` and
`ontology/triggers.toml` into frozen objects (once per folder and process).
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.ontology import schema
from kg.paths import ONTOLOGY_DIR

__all__ = ["Frame", "Lexicon", "RelFrame", "Triggers", "load_lexicon", "load_triggers"]

@dataclass(frozen=True)
class Lexicon:
    ranks: tuple[tuple[str, ...], ...]  # lower-cased token sequences, longest first
    office_heads: frozenset[str]
    commands: frozenset[str]
    leads: frozenset[str]
    subordinate: frozenset[str]
    connectors: frozenset[str]
    not_title_starts: frozenset[str]
    particles: frozenset[str]
    descriptors: frozenset[str]
    org_type_order: tuple[str, ...]
    org_cues: dict[str, tuple[str, ...]]
    context_types: dict[str, frozenset[str]]
    type_nouns: dict[str, tuple[str, ...]]  # "province" -> ("Province",): definite descriptions
    coref_person: frozenset[str]
    any_role: frozenset[str]
    synonyms: dict[str, frozenset[str]]
    forces: frozenset[str]
    hedges: frozenset[str]
    city_nouns: frozenset[str]
    city_verbs: frozenset[str]
    object_verbs: frozenset[str]
    relation_words: frozenset[str]
    object_phrasal: frozenset[str]
    government_nouns: frozenset[str]
    salient_types: frozenset[str]
    org_nouns: frozenset[str]  # the type nouns that can stand for an organisation ("the group")
    not_entities: frozenset[str] = frozenset()
    junk: dict[str, frozenset[str]] = field(default_factory=dict)  # [junk]: credits, units
    place_ranks: dict[str, int] = field(default_factory=dict)
    office_acronyms: dict[str, str] = field(default_factory=dict)  # "coas" -> "Chief of Army Staff"
    place_nouns: frozenset[str] = frozenset()
    place_kind_words: frozenset[str] = frozenset()  # "oblast", "province": parts of subdivision names
    facilities: frozenset[str] = frozenset()
    pairs: dict[str, frozenset[str]] = field(default_factory=dict)
    responsibility_verbs: frozenset[str] = frozenset()
    responsibility_nouns: frozenset[str] = frozenset()
    responsibility_adjectives: frozenset[str] = frozenset()
    reaction_predicates: frozenset[str] = frozenset()
    attack_words: frozenset[str] = frozenset()
    reporting: frozenset[str] = frozenset()
    denying: frozenset[str] = frozenset()
    reported_confidence: float = 0.6
    unit_heads: frozenset[str] = frozenset()
    named_units: frozenset[str] = frozenset()
    membership_types: frozenset[str] = frozenset()
    employer_types: frozenset[str] = frozenset()
    national_bodies: dict[str, str] = field(default_factory=dict)  # "troops" -> MilitaryOrganization
    designation_verbs: frozenset[str] = frozenset()
    branch_nouns: frozenset[str] = frozenset()  # [branches] nouns
    sites: dict[str, frozenset[str]] = field(default_factory=dict)  # [sites]
    report_verbs: frozenset[str] = frozenset()  # [reports] verbs
    blame_verbs: frozenset[str] = frozenset()  # [reports] blame_verbs  # [designations] verbs
    national_offices: tuple[str, ...] = ()
    former_words: frozenset[str] = frozenset()  # [offices] former
    taking_office: frozenset[str] = frozenset()  # [offices] taking_office
    business_offices: tuple[str, ...] = ()  # [offices] business: a firm's or a club's posts  # [offices] national: a state's offices
    not_national: frozenset[str] = frozenset()
    active_in: dict[str, tuple[str, ...]] = field(default_factory=dict)
    person_pronouns: frozenset[str] = frozenset()
    group_pronouns: frozenset[str] = frozenset()
    irrealis: dict[str, frozenset[str]] = field(default_factory=dict)  # [irrealis]: modals, marks, cues
    attacker_words: frozenset[str] = frozenset()  # [casualties]: the attackers' side of a toll


@dataclass(frozen=True)
class Frame:
    type: str
    slots: dict[str, str]
    relation: str | None
    between: str | None
    claim: bool


@dataclass(frozen=True)
class RelFrame:
    predicate: str
    objects: tuple[str, ...]
    inverse: bool = False  # the object slot holds the relation's subject ("X, a stronghold of Y")


@dataclass(frozen=True)
class Triggers:
    verbs: dict[str, tuple[Frame, ...]]
    nouns: dict[str, tuple[Frame, ...]]
    relations: dict[str, tuple[RelFrame, ...]]
    light_verbs: frozenset[str]
    occurrence_verbs: frozenset[str] = frozenset()  # "fighting broke out between A and B"


def _split_words(words: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    seqs = {tuple(w.lower().replace("-", " - ").replace(".", " . ").split()) for w in words}
    return tuple(sorted(seqs, key=len, reverse=True))


@lru_cache(maxsize=2)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    d = tomllib.loads(((directory or ONTOLOGY_DIR) / "lexicon.toml").read_text(encoding="utf-8"))
    t, o = d["titles"], d["offices"]
    return Lexicon(
        ranks=_split_words(t["ranks"] + t["honorifics"]),
        # an office acronym ("COAS Munir") heads a title like the office it stands for
        office_heads=frozenset(o["heads"]) | {k.lower() for k in o.get("acronyms", {})},
        commands=frozenset(o["commands"]),
        leads=frozenset(o["leads"]),
        subordinate=frozenset(o["subordinate"]),
        connectors=frozenset(o["connectors"]),
        not_title_starts=frozenset(o["not_title_starts"]),
        particles=frozenset(d["names"]["particles"]),
        descriptors=frozenset(w.lower() for w in d["names"]["descriptors"]),
        org_type_order=tuple(d["org_types"]["order"]),
        org_cues={k: tuple(v) for k, v in d["org_types"].items() if k != "order"},
        context_types={k: frozenset(v) for k, v in d["context_types"].items()},
        type_nouns={k: tuple(v) for k, v in d["coreference"]["type_nouns"].items()},
        org_nouns=frozenset(k for k, v in d["coreference"]["type_nouns"].items() if set(v) & schema.subclasses("Organization")),
        salient_types=frozenset(d["coreference"]["salient_types"]),
        coref_person=frozenset(d["coreference"]["person_nouns"]),
        any_role=frozenset(d["coreference"]["any_role"]),
        synonyms={k: frozenset(v) for k, v in d["coreference"]["synonyms"].items()},
        forces=frozenset(d["coreference"]["forces"]),
        hedges=frozenset(d["claims"]["hedges"]),
        city_nouns=frozenset(d["metonymy"]["city_nouns"]),
        city_verbs=frozenset(d["metonymy"]["city_verbs"]),
        object_verbs=frozenset(d["metonymy"]["object_verbs"]),
        relation_words=frozenset(d["metonymy"]["relation_words"]),
        object_phrasal=frozenset(d["metonymy"]["object_phrasal"]),
        government_nouns=frozenset(d["metonymy"]["government_nouns"]),
        not_entities=frozenset(w.lower() for w in d["names"]["not_entities"]),
        junk={k: frozenset(w.lower() for w in v) for k, v in d["junk"].items()},
        place_ranks=dict(d["places"]["ranks"]),
        place_nouns=frozenset(d["places"]["nouns"]),
        place_kind_words=frozenset(d["places"].get("kind_words", ())),
        facilities=frozenset(d["places"]["facilities"]),
        pairs={k: frozenset(v) for k, v in d["pronouns"]["pairs"].items()},
        responsibility_verbs=frozenset(d["responsibility"]["verbs"]),
        responsibility_nouns=frozenset(d["responsibility"]["nouns"]),
        responsibility_adjectives=frozenset(d["responsibility"]["adjectives"]),
        reaction_predicates=frozenset(d["responsibility"]["reaction_predicates"]),
        attack_words=frozenset(d["responsibility"]["attack_words"]),
        reporting=frozenset(d["claims"]["reporting"]),
        denying=frozenset(d["claims"]["denying"]),
        reported_confidence=float(d["claims"]["reported_confidence"]),
        unit_heads=frozenset(d["units"]["heads"]),
        named_units=frozenset(d["units"]["named"]),
        membership_types=frozenset(d["relations"]["membership_types"]),
        employer_types=frozenset(d["relations"].get("employer_types", ())),
        national_offices=tuple(o.get("national", ())),
        former_words=frozenset(o.get("former", ())),
        taking_office=frozenset(o.get("taking_office", ())),
        designation_verbs=frozenset(d.get("designations", {}).get("verbs", ())),
        branch_nouns=frozenset(d.get("branches", {}).get("nouns", ())),
        sites={k: frozenset(v) for k, v in d.get("sites", {}).items()},
        report_verbs=frozenset(d.get("reports", {}).get("verbs", ())),
        blame_verbs=frozenset(d.get("reports", {}).get("blame_verbs", ())),
        business_offices=tuple(o.get("business", ())),
        national_bodies=dict(d["coreference"].get("national_bodies", {})),
        not_national=frozenset(o.get("not_national", ())),
        active_in={k: tuple(v) for k, v in d["active_in"].items()},
        person_pronouns=frozenset(d["pronouns"]["person"]),
        group_pronouns=frozenset(d["pronouns"]["group"]),
        irrealis={k: frozenset(v) for k, v in d.get("irrealis", {}).items()},
        attacker_words=frozenset(d.get("casualties", {}).get("attacker_words", ())),
        office_acronyms={k.lower(): v for k, v in o.get("acronyms", {}).items()},
    )


@lru_cache(maxsize=2)
def load_triggers(directory: Path | None = None) -> Triggers:
    d = tomllib.loads(((directory or ONTOLOGY_DIR) / "triggers.toml").read_text(encoding="utf-8"))
    verbs: dict[str, list[Frame]] = {}
    nouns: dict[str, list[Frame]] = {}
    for ev in d.get("event", []):
        rel = ev.get("relation") or {}
        frame = Frame(ev["type"], dict(ev.get("slots", {})), rel.get("predicate"), rel.get("between"),
                      bool(ev.get("claim", False)))
        for v in ev.get("verbs", []):
            verbs.setdefault(v, []).append(frame)
        for n in ev.get("nouns", []):
            nouns.setdefault(n, []).append(frame)
    relations: dict[str, list[RelFrame]] = {}
    for r in d.get("relation", []):
        for w in r["words"]:
            relations.setdefault(w, []).append(RelFrame(r["predicate"], tuple(r["objects"]),
                                                         bool(r.get("inverse", False))))
    return Triggers(
        {k: tuple(v) for k, v in verbs.items()},
        {k: tuple(v) for k, v in nouns.items()},
        {k: tuple(v) for k, v in relations.items()},
        frozenset(d.get("light_verbs", [])),
        frozenset(d.get("occurrence_verbs", [])),
    )
