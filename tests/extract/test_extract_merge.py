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


def _violent(x):
    return [e for e in x.events if e.type in ("Attack", "Killing")]


def test_attack_by_names_the_attacker(nlp):
    """"The attack by X" gives the attack mentioned before its agent; the by-phrase alone makes
    no event."""
    x = extract_one(nlp, "Gunmen stormed a market in Harsk on Monday, killing 12 civilians. "
                         "The attack by the Velmar Liberation Front was condemned by the government.")
    [attack] = _violent(x)
    assert texts_of(x, attack.agents) == ["Velmar Liberation Front"]


def test_passive_claim_names_the_attacker(nlp):
    x = extract_one(nlp, "A suicide bombing in Harsk killed 9 soldiers on Tuesday. "
                         "The bombing was claimed by the Velmar Liberation Front.")
    [attack] = _violent(x)
    assert texts_of(x, attack.agents) == ["Velmar Liberation Front"]


def test_claim_of_responsibility_and_killed_by(nlp):
    x = extract_one(nlp, "A car bomb exploded outside a police station in Tarvo, killing 14 people, police "
                         "said. The Velmar Liberation Front claimed responsibility for the blast.")
    assert [texts_of(x, e.agents) for e in _violent(x)] == [["Velmar Liberation Front"]]
    x = extract_one(nlp, "Seven soldiers were killed by fighters of the Northern Velmar Army near Tarvo "
                         "on Friday, the army said.")
    assert [texts_of(x, e.agents) for e in _violent(x)] == [["Northern Velmar Army"]]


def test_who_reports_a_toll_is_not_the_attacker(nlp):
    for text in ("Twelve soldiers were killed in the ambush near Tarvo, army spokesman Colonel Tomas Verin "
                 "said on Sunday.",
                 "An attack on a military convoy in Harsk killed 11 soldiers, the Valdorian defence "
                 "ministry said in a statement."):
        x = extract_one(nlp, text)
        assert [e.agents for e in _violent(x)] == [[]], text


def test_a_toll_reported_twice_is_one_figure_per_side(nlp):
    x = extract_one(nlp, "Gunmen attacked an army post in Harsk on Monday, killing 12 soldiers. "
                         "Twelve soldiers were killed in the attack, the army said.")
    [attack] = _violent(x)
    assert [(c.kind, c.count) for c in attack.casualties] == [("killed", 12)]
    x = extract_one(nlp, "Gunmen attacked an army post in Harsk on Monday, killing 12 soldiers. "
                         "Four militants were killed in the attack, the army said.")
    [attack] = _violent(x)
    assert sorted((c.count, c.who) for c in attack.casualties) == [(4, "militants"), (12, "soldiers")]
