"""Roles: titles before a name, ranks, office acronyms and offices in apposition, on the seeds
and on text the gazetteer has never seen."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract_doc

from extract_cases import UNSEEN, extract_one, roles_of


@pytest.fixture(scope="module")
def unseen(nlp):
    return extract_doc(UNSEEN, nlp(UNSEEN.text))


def test_seed_roles(seed_extractions):
    irgc, defence = seed_extractions
    roles = roles_of(irgc)
    assert ("Asim Munir", "Chief of Army Staff") in roles
    assert ("Ahmad Vahidi", "Interior Minister") in roles
    assert ("Hossein Salami", "commander-in-chief") in roles
    roles = roles_of(defence)
    assert ("Nasser Kanani", "Foreign Ministry Spokesperson") in roles
    assert ("Hamood uz Zaman Khan", "Defense Secretary of Pakistan") in roles
    ranks = {(irgc.mentions[r.person].text, r.rank) for r in irgc.roles if r.rank}
    assert ("Hossein Salami", "Major General") in ranks


def test_unseen_roles_and_meeting(unseen):
    x = unseen
    assert ("Zorak Belvani", "Interior Minister") in roles_of(x)
    meetings = [e for e in x.events if e.type == "Meeting"]
    assert meetings
    names = {x.mentions[i].text for i in meetings[0].participants}
    assert {"Zorak Belvani", "Rustam Dorov"} <= names
    assert meetings[0].date == dt.date(2021, 3, 8)


def test_abbreviated_ranks_and_office_acronyms(nlp):
    """Wire copy writes "Gen", "Lt Gen" and "COAS": ranks and an office, not names or bodies."""
    x = extract_one(nlp, "COAS Gen Omar Baig met Lt Gen Karim Dost in Quetta. Gen Baig said the talks went well.")
    people = {m.entity for m in x.mentions if m.label == "Person"}
    assert people == {"person/omar-baig", "person/karim-dost"}
    assert not any(m.text == "COAS" for m in x.mentions)
    offices = [(x.mentions[r.person].entity, r.title) for r in x.roles if r.title]
    assert offices == [("person/omar-baig", "Chief of Army Staff")]
    assert {r.rank for r in x.roles} == {"Gen", "Lt Gen"}


def test_an_of_inside_the_organisations_name_stays_in_the_name(nlp):
    x = extract_one(nlp, "The visitor was received by Maj Gen Reza Karimi, the commander-in-chief of the "
                         "Islamic Republic of Iran Army.")
    titles = {r.title for r in x.roles if r.title}
    assert titles == {"commander-in-chief"}, titles


def test_a_lower_case_title_before_a_name_is_a_role(nlp):
    from extract_cases import extract_one

    x = extract_one(nlp, "Ruritanian army spokesman Tomas Dragan said the border was calm. Later, "
                         "officials said Tomas Dragan had left.")
    roles = [(x.mentions[r.person].text, r.title) for r in x.roles if r.title]
    assert any(p == "Tomas Dragan" and t.endswith("army spokesman") for p, t in roles)
    # a verb stops the title: "said spokesman ..." has none
    x = extract_one(nlp, "The border was calm, said Tomas Dragan.")
    assert not [r for r in x.roles if r.title]


def test_a_list_of_titled_people_gives_each_their_own_title(nlp):
    from extract_cases import extract_one

    x = extract_one(nlp, "The talks were attended by Secretary of State Mara Quill, Ambassador to "
                         "Ruritania Tomas Brenn and Defence Minister Lucia Tarrant.")
    roles = {(x.mentions[r.person].text, r.title) for r in x.roles if r.title}
    assert ("Tomas Brenn", "Ambassador to Ruritania") in roles
    assert ("Mara Quill", "Secretary of State") in roles
    assert not any(m.text == "State" for m in x.mentions)  # a word of the title, not a place


def test_an_office_a_person_is_put_in_is_a_role(nlp):
    from extract_cases import extract_one

    x = extract_one(nlp, "Mateo Rivas was sworn in as Colombia's president on Sunday. Lucia Tarrant "
                         "was elected chancellor by the parliament. The board appointed Dana Whitlow "
                         "as chief executive.")
    roles = {(x.mentions[r.person].text, r.title) for r in x.roles if r.title}
    assert {("Mateo Rivas", "president"), ("Lucia Tarrant", "chancellor"),
            ("Dana Whitlow", "chief executive")} <= roles
    rivas = next(r for r in x.roles if x.mentions[r.person].text == "Mateo Rivas" and r.title)
    assert rivas.country == "colombia"
