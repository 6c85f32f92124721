"""The document-level passes over events: alleged content, casualty clauses folded into their
operation, claims of responsibility, condemnations, and one statement per speaker."""
from __future__ import annotations

import datetime as dt

from extract_cases import extract_one, texts_of


def test_accusation_is_a_claim_not_a_clash(seed_extractions):
    x = seed_extractions[1]
    acc = [e for e in x.events if e.type == "Accusation"]
    assert acc and acc[0].claim
    # "inciting locals ... to clash" is what Iran alleges, not a reported clash
    assert not [e for e in x.events if e.type == "Clash" and e.sent == acc[0].sent]


def test_casualties_of_the_next_sentence_join_the_operation(seed_extractions):
    x = seed_extractions[1]
    ops = [e for e in x.events if e.type == "Operation" and e.date == dt.date(2023, 6, 14)]
    assert len(ops) == 1
    kinds = {(c.kind, c.count) for c in ops[0].casualties}
    assert kinds == {("killed", 2), ("arrested", 1)}


def test_claim_of_responsibility_names_the_attacker(nlp):
    x = extract_one(nlp, "A bomb killed five soldiers of the Frontier Corps in Turbat on Tuesday. "
                         "The Balochistan Liberation Army claimed responsibility for the attack.")
    attack = next(e for e in x.events if e.type in ("Attack", "Killing") and e.agents)
    assert "Balochistan Liberation Army" in texts_of(x, attack.agents)
    assert "Frontier Corps" in " ".join(texts_of(x, attack.targets))


def test_condemning_an_attack_targets_its_author(nlp):
    x = extract_one(nlp, "Gunmen of the Tehreek-e-Taliban Pakistan attacked a school in Peshawar on Tuesday. "
                         "The United Nations condemned the attack.")
    statement = next(e for e in x.events if e.relation == "condemns")
    assert any("Taliban" in t for t in texts_of(x, statement.targets))


def test_what_one_speaker_says_in_an_article_is_one_statement(nlp):
    x = extract_one(nlp, "President Arif Zardani said the border would stay open. The talks were long. "
                         "Zardani said trade had doubled. Zardani also warned Afghanistan against sheltering militants.")
    speech = [e for e in x.events if e.type == "Statement" and e.relation is None]
    assert len(speech) == 1 and len(speech[0].extra_sents) == 1
    # a warning is a statement with a target: it stays an event of its own
    assert any(e.relation == "warns" for e in x.events)
