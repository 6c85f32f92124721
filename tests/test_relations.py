"""Relations and events on text nobody wrote a rule for: the parse-based rules one by one on
small made-up sentences, then the seeds' events end to end in the store, then claims."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract
from kg.model import Document
from kg.resolve import resolve

from conftest import rows


def _one(nlp, text: str, date=dt.date(2024, 3, 6)):
    x = next(iter(extract([Document(source="t.txt", text=text, date=date)], nlp)))
    resolve([x])
    return x


def _names(x, idxs):
    return sorted(x.mentions[i].text for i in idxs)


def _rels(x):
    return {(x.mentions[r.subject].entity, r.predicate, x.mentions[r.object].entity) for r in x.relations}


def test_pronoun_subject_takes_the_person_before(nlp):
    x = _one(nlp, "General Qamar Javed Bajwa arrived in Tehran on Monday. He met President Hassan Rouhani.")
    meeting = next(e for e in x.events if e.type == "Meeting")
    assert _names(x, meeting.participants) == ["He", "Hassan Rouhani"] or \
        {x.mentions[i].entity for i in meeting.participants} == {"person/qamar-javed-bajwa", "person/hassan-rouhani"}


def test_two_sides_are_the_two_countries_named(nlp):
    x = _one(nlp, "Iran and Pakistan held talks in Islamabad. The two sides agreed to open a new crossing.")
    agreement = next(e for e in x.events if e.type == "Agreement")
    assert {x.mentions[i].entity for i in agreement.participants} == {"place/iran", "place/pakistan"}


def test_dateline_is_not_the_subject(nlp):
    x = _one(nlp, "Iran and Pakistan agree\n\nQUETTA, March 5 - Iran and Pakistan have agreed to reopen the border.")
    agreement = next(e for e in x.events if e.type == "Agreement")
    assert {x.mentions[i].entity for i in agreement.participants} == {"place/iran", "place/pakistan"}


def test_claim_of_responsibility_names_the_attacker(nlp):
    x = _one(nlp, "A bomb killed five soldiers of the Frontier Corps in Turbat on Tuesday. "
                  "The Balochistan Liberation Army claimed responsibility for the attack.")
    attack = next(e for e in x.events if e.type in ("Attack", "Killing") and e.agents)
    assert "Balochistan Liberation Army" in _names(x, attack.agents)
    assert "Frontier Corps" in " ".join(_names(x, attack.targets))


def test_condemning_an_attack_targets_its_author(nlp):
    x = _one(nlp, "Gunmen of the Tehreek-e-Taliban Pakistan attacked a school in Peshawar on Tuesday. "
                  "The United Nations condemned the attack.")
    statement = next(e for e in x.events if e.relation == "condemns")
    assert any("Taliban" in t for t in _names(x, statement.targets))


def test_reported_speech_is_a_claim_of_the_speaker(nlp):
    x = _one(nlp, "The Jundallah group, which Iran says operates from bases in Pakistan, denied the report.")
    based = [r for r in x.relations if r.predicate == "basedIn"]
    assert based, x.relations
    assert x.mentions[based[0].claimed_by].entity == "place/iran"
    assert based[0].confidence <= 0.6


def test_denied_statement_is_negated(nlp):
    x = _one(nlp, "Islamabad denied that its army attacked the Afghan border post.")
    attacks = [e for e in x.events if e.type == "Attack"]
    assert all(e.negated and e.confidence <= 0.2 for e in attacks)


def test_unit_of_an_organisation_is_its_member(nlp):
    x = _one(nlp, "Iran's Islamic Revolutionary Guard Corps lost two men. The Guards' ground forces said the "
                  "commander of the ground forces of the Guards, Brigadier General Mohammad Pakpour, had arrived.")
    units = [m for m in x.mentions if m.kind == "unit"]
    assert units and all(m.entity == "org/irgc-ground-force" for m in units)
    assert ("org/irgc-ground-force", "memberOf", "org/irgc") in _rels(x)


def test_place_inside_a_place(nlp):
    x = _one(nlp, "The attack took place near the town of Mirjaveh in Sistan-Baluchestan province. "
                  "Later, Zahedan, the capital of Sistan-Baluchestan, was calm.")
    rels = _rels(x)
    assert ("place/mirjaveh", "locatedIn", "place/sistan-and-baluchestan") in rels
    assert ("place/zahedan", "locatedIn", "place/sistan-and-baluchestan") in rels


def test_peers_in_a_list_are_not_inside_each_other(nlp):
    x = _one(nlp, "Protests spread to Zahedan, Mashhad and Tehran.")
    assert not [r for r in x.relations if r.predicate == "locatedIn"]


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


# -- the seeds, end to end ---------------------------------------------------------------------

EVENTS = """
SELECT ?type ?date ?place (GROUP_CONCAT(DISTINCT ?who; separator="|") AS ?who) WHERE {
  ?e kg:trigger ?t ; a ?cls .
  BIND (STRAFTER(STR(?cls), "#") AS ?type)
  OPTIONAL { ?e kg:date ?date }
  OPTIONAL { ?e kg:place/skos:prefLabel ?place }
  OPTIONAL { ?e kg:agent|kg:participant|kg:target ?a . ?a skos:prefLabel ?who }
} GROUP BY ?type ?date ?place"""


def _event(store, type_, date=None, place=None):
    found = [r for r in rows(store, EVENTS) if r[0] == type_ and (date is None or r[1] == date)
             and (place is None or r[2] == place)]
    assert found, (type_, date, place, rows(store, EVENTS))
    return found[0]


def _counts(store, type_, date):
    q = """SELECT ?kind ?n ?who WHERE { ?e a ?cls ; kg:date ?d ; kg:casualty ?c .
             ?c kg:casualtyKind ?kind ; kg:count ?n . OPTIONAL { ?c kg:victims ?who }
             FILTER (STRAFTER(STR(?cls), "#") = ?type && STR(?d) = ?date) }"""
    return {(k, int(n), w) for k, n, w in rows(store, q.replace("?type", f'"{type_}"').replace("?date", f'"{date}"'))}


def test_seed_zahedan_attack_is_complete(seed_store):
    _, _, place, who = _event(seed_store, "Attack", "2023-07-08", "Zahedan")
    assert "Jaish al-Adl" in who.split("|")
    counts = _counts(seed_store, "Attack", "2023-07-08")
    assert ("killed", 2, "policemen") in counts and ("killed", 4, "militants") in counts


def test_seed_meetings_are_complete(seed_store):
    _, _, _, who = _event(seed_store, "Meeting", "2023-07-15", "Tehran")
    assert {"Hossein Salami", "Asim Munir"} <= set(who.split("|"))
    _, _, _, who = _event(seed_store, "Meeting", "2023-06-14", "Tehran")
    assert {"Mahdi Farahi", "Hamood uz Zaman Khan"} <= set(who.split("|"))
    _, _, _, who = _event(seed_store, "Meeting", "2023-06-07", "Beijing")
    assert {"Pakistan", "Iran", "China"} <= set(who.split("|"))


def test_seed_operation_and_clash_are_complete(seed_store):
    _, _, place, who = _event(seed_store, "Operation", "2023-06-14")
    assert place == "Sistan and Baluchestan" and "Islamic Revolutionary Guard Corps" in who.split("|")
    assert {("killed", 2), ("arrested", 1)} <= {(k, n) for k, n, _ in _counts(seed_store, "Operation", "2023-06-14")}
    _event(seed_store, "Clash", "2023-05-20", "Mok-e Sukhteh")


# -- claims --------------------------------------------------------------------------------------

def test_claims_query_tells_claims_from_reported_facts(dev_store):
    from kg.query import run_query

    from kg.query import load_query

    result = run_query(dev_store, load_query("claims"))
    status = {r[0] for r in result.rows}
    assert {"claim", "accusation", "reported"} <= {str(s) for s in status}
    claims = [tuple(map(str, r[:5])) for r in result.rows if str(r[0]) == "claim"]
    assert ("claim", "Iran", "Jaish al-Adl", "basedIn", "Pakistan") in claims
    reported = [r for r in result.rows if str(r[0]) == "reported"]
    assert all(r[1] is None for r in reported)


@pytest.mark.parametrize("fixture", ["seed_store", "dev_store"])
def test_every_assertion_has_a_confidence_in_range(fixture, request):
    store = request.getfixturevalue(fixture)
    confs = [float(c) for (c,) in rows(store, "SELECT ?c WHERE { ?a a kg:Assertion ; kg:confidence ?c }")]
    missing = rows(store, "SELECT ?a WHERE { ?a a kg:Assertion FILTER NOT EXISTS { ?a kg:confidence ?c } }")
    assert confs and not missing
    assert all(0.0 < c <= 1.0 for c in confs)


def test_place_phrase_on_the_object_is_the_events_place(nlp):
    """The parser hangs "near Saravan" on "post"; for the attack it is still where it happened."""
    x = _one(nlp, "Militants of Jaish al-Adl attacked a border post near Saravan on Monday.")
    attack = next(e for e in x.events if e.type == "Attack")
    assert _names(x, attack.places) == ["Saravan"]



def test_what_one_speaker_says_in_an_article_is_one_statement(nlp):
    x = _one(nlp, "President Arif Zardani said the border would stay open. The talks were long. "
                  "Zardani said trade had doubled. Zardani also warned Afghanistan against sheltering militants.")
    speech = [e for e in x.events if e.type == "Statement" and e.relation is None]
    assert len(speech) == 1 and len(speech[0].extra_sents) == 1
    # a warning is a statement with a target: it stays an event of its own
    assert any(e.relation == "warns" for e in x.events)


def test_a_nouns_possessor_is_the_subject_when_the_ontology_allows_it(nlp):
    x = _one(nlp, "Militants attacked the IRGC's base in Rask on Thursday, said Interior Minister Ali Rezaei.")
    assert ("org/irgc", "basedIn", "place/rask") in _rels(x) or any(
        x.mentions[r.subject].entity == "org/irgc" and r.predicate == "basedIn" for r in x.relations)
    assert not any(r.predicate == "basedIn" and x.mentions[r.subject].label == "Person" for r in x.relations)


def test_abbreviated_ranks_and_office_acronyms(nlp):
    """Wire copy writes "Gen", "Lt Gen" and "COAS": ranks and an office, not names or bodies."""
    x = _one(nlp, "COAS Gen Omar Baig met Lt Gen Karim Dost in Quetta. Gen Baig said the talks went well.")
    people = {m.entity for m in x.mentions if m.label == "Person"}
    assert people == {"person/omar-baig", "person/karim-dost"}
    assert not any(m.text == "COAS" for m in x.mentions)
    offices = [(x.mentions[r.person].entity, r.title) for r in x.roles if r.title]
    assert offices == [("person/omar-baig", "Chief of Army Staff")]
    assert {r.rank for r in x.roles} == {"Gen", "Lt Gen"}


def test_an_of_inside_the_organisations_name_stays_in_the_name(nlp):
    x = _one(nlp, "The visitor was received by Maj Gen Reza Karimi, the commander-in-chief of the "
                  "Islamic Republic of Iran Army.")
    titles = {r.title for r in x.roles if r.title}
    assert titles == {"commander-in-chief"}, titles


def test_held_talks_with_each_party(nlp):
    """"held talks on Tuesday with A and B": the with-phrase hangs on the light verb."""
    x = _one(nlp, "Prime Minister Arif Zardani held talks on Tuesday with President Omar Baig and "
                  "Foreign Minister Karim Dost.")
    meeting = next(e for e in x.events if e.type == "Meeting")
    assert {x.mentions[i].entity for i in meeting.participants} == \
        {"person/arif-zardani", "person/omar-baig", "person/karim-dost"}
