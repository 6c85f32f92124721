"""Extraction on the seeds and on text the gazetteer has never seen."""
import datetime as dt

import pytest

from kg.extract import extract_doc, org_type, load_lexicon
from kg.model import Document


def _by_text(x):
    return {m.text: m for m in x.mentions}


def _roles(x):
    return {(x.mentions[r.person].text, r.title) for r in x.roles if r.title}


def test_seed_roles(seed_extractions):
    irgc, defence = seed_extractions
    roles = _roles(irgc)
    assert ("Asim Munir", "Chief of Army Staff") in roles
    assert ("Ahmad Vahidi", "Interior Minister") in roles
    assert ("Hossein Salami", "commander-in-chief") in roles
    roles = _roles(defence)
    assert ("Nasser Kanani", "Foreign Ministry Spokesperson") in roles
    assert ("Hamood uz Zaman Khan", "Defense Secretary of Pakistan") in roles
    ranks = {(irgc.mentions[r.person].text, r.rank) for r in irgc.roles if r.rank}
    assert ("Hossein Salami", "Major General") in ranks


def test_seed_reference_date_falls_back_to_latest_full_date(seed_extractions):
    irgc, defence = seed_extractions
    assert irgc.doc.date is None and irgc.ref_date == dt.date(2023, 7, 17)
    assert defence.ref_date == dt.date(2023, 6, 17)


def test_zahedan_attack_with_casualties(seed_extractions):
    x = seed_extractions[0]
    attacks = [e for e in x.events if e.type == "Attack"]
    assert len(attacks) == 1
    a = attacks[0]
    assert [x.mentions[i].text for i in a.agents] == ["Jaish Al-Adl"]
    assert [x.mentions[i].text for i in a.places] == ["Zahedan"]
    assert a.date == dt.date(2023, 7, 8)
    assert ("killed", 2, "policemen") in {(c.kind, c.count, c.who) for c in a.casualties}
    assert ("killed", 4, "militants") in {(c.kind, c.count, c.who) for c in a.casualties}


def test_meetings_between_and_with(seed_extractions):
    x = seed_extractions[0]
    meetings = [e for e in x.events if e.type == "Meeting"]
    sides = [sorted(x.mentions[i].text for i in e.participants) for e in meetings]
    assert ["Asim Munir", "Hossein Salami"] in sides
    assert ["Mohammad Baqeri", "Munir"] in sides
    salami = next(e for e in meetings if "Hossein Salami" in [x.mentions[i].text for i in e.participants])
    assert [x.mentions[i].text for i in salami.places] == ["Tehran"]
    assert salami.date == dt.date(2023, 7, 15)  # "on Saturday" before Monday 17 July


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


def test_no_event_from_page_furniture(seed_extractions):
    for x in seed_extractions:
        for m in x.mentions:
            assert "Newsroom" not in m.text and "Show Comments" not in m.text


UNSEEN = Document(
    source="unseen.txt",
    title="Border talks",
    date=dt.date(2021, 3, 10),
    text=(
        "Border talks\n\n"
        "Afghanistan's Interior Minister Zorak Belvani met with his Tajik counterpart, General Rustam Dorov, "
        "in Dushanbe on Monday. The two ministers agreed to step up patrols.\n\n"
        "Separately, gunmen of the Kestrel Liberation Front attacked a checkpoint near Faizabad on March 8, "
        "killing three soldiers. The group has been active in Badakhshan since 2019."
    ),
)


@pytest.fixture(scope="module")
def unseen(nlp):
    return extract_doc(UNSEEN, nlp(UNSEEN.text))


def test_unseen_roles_and_meeting(unseen):
    x = unseen
    assert ("Zorak Belvani", "Interior Minister") in _roles(x)
    meetings = [e for e in x.events if e.type == "Meeting"]
    assert meetings
    names = {x.mentions[i].text for i in meetings[0].participants}
    assert {"Zorak Belvani", "Rustam Dorov"} <= names
    assert meetings[0].date == dt.date(2021, 3, 8)


def test_unseen_armed_group_attack(unseen):
    x = unseen
    m = _by_text(x)
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
