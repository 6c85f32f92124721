"""kg.extract.acronyms: every parenthesised acronym names the words before it that it spells,
whatever the model made of them. Made-up groups."""
from __future__ import annotations

from extract_cases import extract_one


def test_the_name_an_acronym_spells_is_one_node_with_it(nlp):
    x = extract_one(nlp, "The paramilitary Northern Shield Forces (NSF) shelled the town on Monday. "
                         "The NSF denied it, and a spokesman for Northern Shield Forces said so again.")
    ents = {m.text: m.entity for m in x.mentions}
    assert ents["NSF"] == ents["Northern Shield Forces"]


def test_an_arabic_name_with_particles_is_grown_to_what_its_acronym_spells(nlp):
    x = extract_one(nlp, "BAMAKO - Jama'at Nasr al-Din wal-Mujahidin (JNDM), an al-Qaeda affiliate, "
                         "said it carried out the raid. JNDM fighters then withdrew.")
    names = {m.text for m in x.mentions}
    assert "Jama'at Nasr al-Din wal-Mujahidin" in names
    full = next(m for m in x.mentions if m.text == "Jama'at Nasr al-Din wal-Mujahidin")
    acr = next(m for m in x.mentions if m.text == "JNDM")
    assert full.entity == acr.entity and full.label != "Person"


def test_letters_that_spell_nothing_before_them_make_no_name(nlp):
    x = extract_one(nlp, "Prices rose sharply in March (CPI), officials said.")
    assert not any(m.text == "CPI" for m in x.mentions)


def test_a_name_cut_after_of_runs_on_and_its_acronym_takes_its_type(nlp):
    x = extract_one(nlp, "The Armed Forces of the Philippines (AFP) said troops were deployed. "
                         "AFP spokesman Col. Mario Lanto said the area was calm.")
    names = {m.text: m for m in x.mentions}
    assert "Armed Forces of the Philippines" in names
    assert names["Armed Forces of the Philippines"].label == "MilitaryOrganization"
    assert {m.label for m in x.mentions if m.text == "AFP"} == {"MilitaryOrganization"}


def test_an_acronym_in_the_names_own_language_after_an_organisation(nlp):
    x = extract_one(nlp, "The National Liberation Front (FLN) claimed the attack. The FLN said more "
                         "would follow.\n\nISLAMABAD (Reuters) - Talks resumed.")
    ents = {m.text: m.entity for m in x.mentions}
    assert ents.get("FLN") == ents.get("National Liberation Front")
    assert "Reuters" not in ents or ents["Reuters"] != ents.get("ISLAMABAD")
