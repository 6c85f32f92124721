"""Arguments of a trigger: pronouns, "the two sides", prepositional phrases on a light verb, and
lists of people the parser reads as appositions."""
from __future__ import annotations

from extract_cases import extract_one, texts_of

from conftest import rows


def test_pronoun_subject_takes_the_person_before(nlp):
    x = extract_one(nlp, "General Qamar Javed Bajwa arrived in Tehran on Monday. He met President Hassan Rouhani.")
    meeting = next(e for e in x.events if e.type == "Meeting")
    assert texts_of(x, meeting.participants) == ["He", "Hassan Rouhani"] or \
        {x.mentions[i].entity for i in meeting.participants} == {"person/qamar-javed-bajwa", "person/hassan-rouhani"}


def test_two_sides_are_the_two_countries_named(nlp):
    x = extract_one(nlp, "Iran and Pakistan held talks in Islamabad. The two sides agreed to open a new crossing.")
    agreement = next(e for e in x.events if e.type == "Agreement")
    assert {x.mentions[i].entity for i in agreement.participants} == {"place/iran", "place/pakistan"}


def test_held_talks_with_each_party(nlp):
    """"held talks on Tuesday with A and B": the with-phrase hangs on the light verb."""
    x = extract_one(nlp, "Prime Minister Arif Zardani held talks on Tuesday with President Omar Baig and "
                         "Foreign Minister Karim Dost.")
    meeting = next(e for e in x.events if e.type == "Meeting")
    assert {x.mentions[i].entity for i in meeting.participants} == \
        {"person/arif-zardani", "person/omar-baig", "person/karim-dost"}


def test_subject_meets_each_listed_party_not_they_each_other(seed_store, tmp_path, nlp):
    from kg.build import build
    from kg.store import KGStore

    doc = tmp_path / "a.txt"
    doc.write_text("Talks in Kabul\n\nBy A Writer March 6, 2024\n\nKABUL - Foreign Minister Ishaq Dar met "
                   "Prime Minister Imran Khan, his counterpart Amir Khan Muttaqi and General Asim Munir on "
                   "Tuesday.\n", encoding="utf-8")
    with KGStore(tmp_path / "store") as store:
        build([doc], store)
        pairs = {frozenset((s.rsplit("/", 1)[-1], o.rsplit("/", 1)[-1])) for s, o in rows(
            store, "SELECT ?s ?o WHERE { ?s kg:meetsWith ?o }")}
    assert frozenset(("ishaq-dar", "asim-munir")) in pairs
    assert frozenset(("imran-khan", "asim-munir")) not in pairs


def test_a_relative_clause_is_about_its_own_noun_not_the_list_it_opens(nlp):
    from extract_cases import extract_one, triples_of

    x = extract_one(nlp, "The new cabinet includes Finance Minister-designate Tomas Brenn, who leads "
                         "the Zorra Party, Foreign Minister-designate Lucia Tarrant and Omar Fennick.")
    leads = {(s, o) for s, p, o in triples_of(x) if p == "leads"}
    assert {s for s, _ in leads} == {"person/tomas-brenn"}
