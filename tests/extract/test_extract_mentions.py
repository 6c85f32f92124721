"""Mentions: names and their types (cue words, the gazetteer), datelines, units of an
organisation, and what is not a name."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract_doc, load_lexicon, org_type

from extract_cases import UNSEEN, extract_one, mentions_by_text, triples_of


@pytest.fixture(scope="module")
def unseen(nlp):
    return extract_doc(UNSEEN, nlp(UNSEEN.text))


def test_no_event_from_page_furniture(seed_extractions):
    for x in seed_extractions:
        for m in x.mentions:
            assert "Newsroom" not in m.text and "Show Comments" not in m.text


def test_unseen_armed_group_attack(unseen):
    x = unseen
    m = mentions_by_text(x)
    assert m["Kestrel Liberation Front"].label == "ArmedGroup"  # from the name's cue words
    attack = next(e for e in x.events if e.type == "Attack")
    assert [x.mentions[i].text for i in attack.agents] == ["Kestrel Liberation Front"]
    assert attack.date == dt.date(2021, 3, 8)
    assert ("killed", 3) in {(c.kind, c.count) for c in attack.casualties}


def test_org_type_cues():
    lex = load_lexicon()
    assert org_type("Tasnim News Agency", lex) == "MediaOrganization"
    assert org_type("Ministry of Interior", lex) == "GovernmentBody"
    assert org_type("Frontier Corps", lex) == "MilitaryOrganization"
    assert org_type("Balochistan Liberation Army", lex) == "ArmedGroup"
    assert org_type("Acme Holdings", lex) == "Organization"


def test_dateline_is_not_the_subject(nlp):
    x = extract_one(nlp, "Iran and Pakistan agree\n\nQUETTA, March 5 - Iran and Pakistan have agreed to reopen the border.")
    agreement = next(e for e in x.events if e.type == "Agreement")
    assert {x.mentions[i].entity for i in agreement.participants} == {"place/iran", "place/pakistan"}


def test_unit_of_an_organisation_is_its_member(nlp):
    x = extract_one(nlp, "Iran's Islamic Revolutionary Guard Corps lost two men. The Guards' ground forces said the "
                         "commander of the ground forces of the Guards, Brigadier General Mohammad Pakpour, had arrived.")
    units = [m for m in x.mentions if m.kind == "unit"]
    assert units and all(m.entity == "org/irgc-ground-force" for m in units)
    assert ("org/irgc-ground-force", "memberOf", "org/irgc") in triples_of(x)


def test_the_words_around_a_name_overrule_a_person_tag(nlp):
    from extract_cases import extract_one

    x = extract_one(nlp, "Tomas Varga, who founded the fashion chain Ilse Brandt in 1988, stepped down. "
                         "Troops moved on Koke Sarn, a village in Chana district, and shelled Aghdol, "
                         "Kelbor and Lachvar.")
    labels = {m.text: m.label for m in x.mentions}
    assert labels.get("Ilse Brandt") == "Organization"
    assert labels.get("Koke Sarn") == "Place"
    assert labels.get("Tomas Varga") == "Person"


def test_an_outlet_is_what_reports(nlp):
    from extract_cases import extract_one

    # the model tags "Ukrinform" an organisation, with no cue word in the name
    x = extract_one(nlp, "Fighting continued overnight near the border, Ukrinform reported.")
    assert {m.label for m in x.mentions if m.text == "Ukrinform"} == {"MediaOrganization"}


def test_a_capitalised_common_word_is_not_an_organisation(nlp):
    from extract_cases import extract_one

    x = extract_one(nlp, "The Queen's Speech set out the plans. In her speech, ministers were named. "
                         "Indigenous communities will get funds.")
    assert not {"Speech", "Indigenous"} & {m.text for m in x.mentions}


def test_a_party_the_model_took_for_a_group_of_people_is_a_party(nlp):
    from extract_cases import extract_one

    x = extract_one(nlp, "The Social Democrats (SPD) and the Greens signed the coalition deal. The SPD "
                         "won the election.")
    labels = {m.text: m.label for m in x.mentions}
    assert labels.get("Social Democrats") == "PoliticalParty"
    ents = {m.text: m.entity for m in x.mentions}
    assert ents.get("SPD") == ents.get("Social Democrats")


def test_names_grow_over_a_hyphenated_end_and_a_places_kind_word(nlp):
    from extract_cases import extract_one

    x = extract_one(nlp, "Fighting raged in the Kherson region on Friday, army spokesman Louie Dema-ala "
                         "said.")
    labels = {m.text: m.label for m in x.mentions}
    assert labels.get("Kherson region") == "Province"  # the model: "Kherson" a person
    assert labels.get("Louie Dema-ala") == "Person"  # the model: "Louie Dema"
