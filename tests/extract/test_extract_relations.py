"""Relations without events: places inside places, and the possessor of a relation noun as its
subject."""
from __future__ import annotations

from extract_cases import extract_one, triples_of


def test_place_inside_a_place(nlp):
    x = extract_one(nlp, "The attack took place near the town of Mirjaveh in Sistan-Baluchestan province. "
                         "Later, Zahedan, the capital of Sistan-Baluchestan, was calm.")
    rels = triples_of(x)
    assert ("place/mirjaveh", "locatedIn", "place/sistan-and-baluchestan") in rels
    assert ("place/zahedan", "locatedIn", "place/sistan-and-baluchestan") in rels


def test_peers_in_a_list_are_not_inside_each_other(nlp):
    x = extract_one(nlp, "Protests spread to Zahedan, Mashhad and Tehran.")
    assert not [r for r in x.relations if r.predicate == "locatedIn"]


def test_a_nouns_possessor_is_the_subject_when_the_ontology_allows_it(nlp):
    x = extract_one(nlp, "Militants attacked the IRGC's base in Rask on Thursday, said Interior Minister Ali Rezaei.")
    assert ("org/irgc", "basedIn", "place/rask") in triples_of(x) or any(
        x.mentions[r.subject].entity == "org/irgc" and r.predicate == "basedIn" for r in x.relations)
    assert not any(r.predicate == "basedIn" and x.mentions[r.subject].label == "Person" for r in x.relations)


def test_designation_phrases_give_designated_as(nlp):
    from extract_cases import extract_one, triples_of

    x = extract_one(nlp, "The Zorra Front, a militant group that Colombia lists as a terrorist "
                         "organisation, denied it. The Zorra Front is classed as a terrorist group by "
                         "the European Union.\n\nBrenwick Foods is listed as a company in Ruritania.")
    got = {(s, o) for s, p, o in triples_of(x) if p == "designatedAs"}
    # the relative clause ("that Ruritania lists as") and the passive ("classed as ... by")
    assert got == {("org/zorra-front", "place/colombia"), ("org/zorra-front", "org/european-union")}


def test_branch_nouns_make_one_organisation_a_member_of_another(nlp):
    from extract_cases import extract_one, triples_of

    x = extract_one(nlp, "The Zorra Front said its Katiba Velo unit carried out the raid. Ansar "
                         "Dunya, the main Zorra Front affiliate in the north, denied it.")
    got = {(s, o) for s, p, o in triples_of(x) if p == "memberOf"}
    front = next(m.entity for m in x.mentions if m.text == "Zorra Front")
    velo = next(m.entity for m in x.mentions if m.text == "Katiba Velo")
    assert (velo, front) in got


def test_joining_or_signing_is_employment_between_an_organisation_and_a_person(nlp):
    from extract_cases import extract_one, triples_of

    x = extract_one(nlp, "Brenwick Foods hired Dana Whitlow in May. Omar Fennick joined Quorvana "
                         "Technologies last year. Ruritania joined the European Union in 2004.")
    got = {(s, o) for s, p, o in triples_of(x) if p == "employs"}
    ents = {m.text: m.entity for m in x.mentions}
    assert (ents["Brenwick Foods"], ents["Dana Whitlow"]) in got
    assert (ents["Quorvana Technologies"], ents["Omar Fennick"]) in got


def test_a_building_or_an_institution_lies_in_the_place_named_after_it(nlp):
    from extract_cases import extract_one, triples_of

    x = extract_one(nlp, "Two bombs tore through the Cathedral of Our Lady of Mount Carmel in Jolo on "
                         "Sunday. A day later a bomb exploded at Mindanao State University (MSU) in "
                         "Marawi.")
    located = {(s, o) for s, p, o in triples_of(x) if p == "locatedIn"}
    ents = {m.text: m.entity for m in x.mentions}
    assert (ents["Cathedral of Our Lady of Mount Carmel"], ents["Jolo"]) in located
    assert (ents["Mindanao State University"], ents["Marawi"]) in located
