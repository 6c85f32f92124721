"""The gazetteer data (ontology/gazetteer.toml) and its loader's checks."""
from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import unquote

import pytest

from kg.errors import InputError
from kg.ontology.gazetteer import entity_classes, load_gazetteer, normalize
from kg.paths import ONTOLOGY_DIR

GAZETTEER = ONTOLOGY_DIR / "gazetteer.toml"
WIKI = "https://en.wikipedia.org/wiki/"
DBPEDIA = "https://dbpedia.org/resource/"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _id(gaz, name: str) -> str | None:
    hit = gaz.lookup(name)
    return hit.id if hit else None


# -- aliases, transliterations, demonyms ---------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["Jaish al-Adl", "Jaish ul-Adl", "Jaysh al-Adl", "Jaish-ul-Adl", "Jaish-e-Adl", "JAISH AL ADL",
     "the Jaish al-Adl's", "Jaish al-Zolm"],
)
def test_jaish_al_adl_transliterations_are_one_group(gaz, name):
    assert _id(gaz, name) == "jaish-al-adl"


@pytest.mark.parametrize(
    "name",
    ["Sistan and Baluchestan", "Sistan-Baluchestan", "Sistan and Balochistan", "Sistan-Balochistan",
     "Sistan and Baluchistan", "Sistan va Baluchestan", "Sistan-o-Baluchestan", "Sistan-Baluchestan province"],
)
def test_iranian_province_spellings(gaz, name):
    assert _id(gaz, name) == "sistan-and-baluchestan"


@pytest.mark.parametrize("name", ["Balochistan", "Baluchistan", "Balochistan province", "Baluchistan province"])
def test_pakistani_province_spellings(gaz, name):
    assert _id(gaz, name) == "balochistan"


def test_the_two_baloch_provinces_stay_apart(gaz):
    iran, pak = gaz.entries["sistan-and-baluchestan"], gaz.entries["balochistan"]
    assert (iran.country, iran.type) == ("iran", "Province")
    assert (pak.country, pak.type) == ("pakistan", "Province")
    # "Baluchestan" alone usually means the Iranian side: it must not resolve to Pakistan's province
    assert _id(gaz, "Baluchestan") != "balochistan"


@pytest.mark.parametrize(
    "names, gid",
    [
        (["TTP", "Tehrik-i-Taliban Pakistan", "Tehreek-e-Taliban Pakistan", "Pakistani Taliban", "Fitna al-Khawarij"], "ttp"),
        (["ISKP", "ISIS-K", "Islamic State Khorasan Province", "Islamic State – Khorasan Province"], "iskp"),
        (["BLA", "Baloch Liberation Army", "Balochistan Liberation Army"], "bla"),
        (["Jundallah", "Jundollah", "Jondollah"], "jundallah"),
        (["Nimroz", "Nimruz"], "nimroz"),
        (["Khyber Pakhtunkhwa", "Khyber-Pakhtunkhwa", "KPK", "North-West Frontier Province"], "khyber-pakhtunkhwa"),
        (["FARAJA", "Law Enforcement Command of the Islamic Republic of Iran", "Law Enforcement Force of Iran"], "iran-police"),
        (["Mohammad Bagheri", "Mohammad Baqeri"], "mohammad-bagheri"),
        (["Shah Mahmood Qureshi", "Shah Mehmood Qureshi"], "shah-mahmood-qureshi"),
        (["Hibatullah Akhundzada", "Haibatullah Akhundzada"], "hibatullah-akhundzada"),
    ],
)
def test_spelling_variants_share_an_id(gaz, names, gid):
    assert {_id(gaz, n) for n in names} == {gid}


@pytest.mark.parametrize(
    "word, country",
    [("Iranian", "iran"), ("Pakistani", "pakistan"), ("Afghan", "afghanistan"), ("iranian", "iran")],
)
def test_demonyms(gaz, word, country):
    assert gaz.country_of_demonym(word) == country


def test_generic_names_need_their_country(gaz):
    assert gaz.lookup_generic("Foreign Office", "pakistan").id == "pakistan-ministry-of-foreign-affairs"
    assert gaz.lookup_generic("Interior Ministry", "afghanistan").id == "afghanistan-ministry-of-interior"
    assert gaz.lookup_generic("Interior Ministry", "iran").id == "iran-ministry-of-interior"
    assert gaz.lookup_generic("Interior Ministry", None) is None


# -- coverage and hygiene of the data ------------------------------------------------------------
@pytest.mark.parametrize(
    "gid, type_, country",
    [
        # provinces along the three borders
        ("punjab-pakistan", "Province", "pakistan"), ("sindh", "Province", "pakistan"),
        ("gilgit-baltistan", "Province", "pakistan"), ("razavi-khorasan", "Province", "iran"),
        ("south-khorasan", "Province", "iran"), ("kerman", "Province", "iran"), ("hormozgan", "Province", "iran"),
        ("herat-province", "Province", "afghanistan"), ("farah-province", "Province", "afghanistan"),
        ("kandahar-province", "Province", "afghanistan"), ("helmand", "Province", "afghanistan"),
        ("nangarhar", "Province", "afghanistan"), ("kunar", "Province", "afghanistan"),
        ("khost-province", "Province", "afghanistan"), ("paktia", "Province", "afghanistan"),
        ("paktika", "Province", "afghanistan"),
        # armed forces, ministries, armed groups
        ("pakistan-navy", "MilitaryOrganization", "pakistan"), ("frontier-corps-balochistan", "MilitaryOrganization", "pakistan"),
        ("frontier-corps-khyber-pakhtunkhwa", "MilitaryOrganization", "pakistan"), ("irgc-navy", "MilitaryOrganization", "iran"),
        ("irgc-aerospace-force", "MilitaryOrganization", "iran"), ("iran-border-guard", "MilitaryOrganization", "iran"),
        ("islamic-emirate-armed-forces", "MilitaryOrganization", "afghanistan"),
        ("afghanistan-ministry-of-foreign-affairs", "GovernmentBody", "afghanistan"),
        ("afghanistan-ministry-of-defence", "GovernmentBody", "afghanistan"),
        ("afghanistan-ministry-of-interior", "GovernmentBody", "afghanistan"),
        ("haqqani-network", "ArmedGroup", "afghanistan"), ("jaish-e-mohammed", "ArmedGroup", "pakistan"),
        # leaders
        ("raheel-sharif", "Person", "pakistan"), ("abbas-araghchi", "Person", "iran"),
        ("amir-khan-muttaqi", "Person", "afghanistan"), ("sirajuddin-haqqani", "Person", "afghanistan"),
    ],
)
def test_regional_actors_are_covered(gaz, gid, type_, country):
    e = gaz.entries[gid]
    assert (e.type, e.country) == (type_, country)


def test_countries_and_places_are_known_ids(gaz):
    countries = {i for i, e in gaz.entries.items() if e.type == "Country"}
    for e in gaz.entries.values():
        assert e.country is None or e.country in countries, e.id
        assert e.part_of is None or e.part_of in gaz.entries, e.id


def test_person_aliases_are_never_a_bare_name(gaz):
    """A surname alone ("Sharif", "Khan") names many people: it must not be a person's alias."""
    for e in gaz.entries.values():
        if e.type == "Person":
            for alias in (e.name, *e.aliases):
                assert len(normalize(alias).split()) >= 2, (e.id, alias)


def test_an_airport_named_after_a_person_is_a_place(nlp):
    doc = nlp("The bombing at Kabul's Hamid Karzai International Airport killed 13 US troops.")
    ents = {e.text: (e.label_, e.ent_id_) for e in doc.ents}
    assert ents["Hamid Karzai International Airport"] == ("Place", "kabul-airport")


def test_ruler_tags_transliterations(nlp):
    doc = nlp("Jaish ul-Adl attacked a post in Sistan and Baluchistan province, near Saravan.")
    ents = {e.text: e.ent_id_ for e in doc.ents}
    assert ents["Jaish ul-Adl"] == "jaish-al-adl"
    assert ents["Sistan and Baluchistan province"] == "sistan-and-baluchestan"


# -- sameAs links --------------------------------------------------------------------------------
def test_every_same_as_has_a_source_and_a_wikipedia_title(gaz):
    linked = [e for e in gaz.entries.values() if e.same_as]
    assert len(linked) >= 15  # the verified links of the real file
    for e in linked:
        assert e.same_as_source and e.same_as_source.startswith(("https://", "http://")), e.id
        wiki = {unquote(s[len(WIKI):]) for s in e.same_as if s.startswith(WIKI)}
        dbp = {unquote(s[len(DBPEDIA):]) for s in e.same_as if s.startswith(DBPEDIA)}
        assert wiki, e.id
        assert dbp <= wiki, e.id
        assert len(wiki) + len(dbp) == len(e.same_as), e.id


def test_the_file_itself_pairs_same_as_with_its_source():
    """Checked on the raw TOML too, independently of the loader."""
    raw = tomllib.loads(GAZETTEER.read_text(encoding="utf-8"))["entity"]
    for r in raw:
        assert ("sameAs" in r) == ("sameAs_source" in r), r["id"]


def test_entries_without_links_have_none(gaz):
    assert gaz.entries["taliban"].same_as == []
    assert gaz.entries["taliban"].same_as_source is None
    assert gaz.entries["basij"].same_as_source == "https://en.wikipedia.org/wiki/Basij"


# -- the loader's checks on a broken file --------------------------------------------------------
def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "gazetteer.toml"
    p.write_text(text, encoding="utf-8")
    return p


GOOD = '[[entity]]\nid = "kestrel-front"\nname = "Kestrel Front"\ntype = "ArmedGroup"\ncountry = "iran"\n'
LINK = '"https://en.wikipedia.org/wiki/Kestrel_Front", "https://dbpedia.org/resource/Kestrel_Front"'


def test_a_good_temporary_file_loads(tmp_path):
    p = _write(tmp_path, GOOD + f'sameAs = [{LINK}]\nsameAs_source = "https://example.org/kestrel"\n')
    g = load_gazetteer(path=p)
    e = g.entries["kestrel-front"]
    assert e.same_as_source == "https://example.org/kestrel"
    assert g.lookup("Kestrel Front").id == "kestrel-front"
    assert "irgc" not in g.entries  # the real file was not read
    assert g.lookup("Iran").type == "Country"  # countries still come from countries.tsv


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD + f"sameAs = [{LINK}]\n", "needs a sameAs_source"),
        (GOOD + 'sameAs = ["https://example.org/wiki/Kestrel"]\nsameAs_source = "https://example.org/k"\n',
         "not an English Wikipedia page"),
        (GOOD + 'sameAs = ["en.wikipedia.org/wiki/Kestrel"]\nsameAs_source = "https://example.org/k"\n',
         "not an English Wikipedia page"),
        (GOOD + 'sameAs = ["https://dbpedia.org/resource/Kestrel_Front"]\nsameAs_source = "https://example.org/k"\n',
         "no Wikipedia page of the same title"),
        (GOOD + f'sameAs = [{LINK}]\nsameAs_source = "a page I read"\n', "sameAs_source must be"),
        (GOOD + 'sameAs_source = "https://example.org/k"\n', "there is no sameAs"),
        (GOOD.replace("ArmedGroup", "Militia"), "type 'Militia' is not an entity class"),
        (GOOD.replace('"iran"', '"persia"'), "country 'persia' is not a country id"),
        (GOOD + GOOD, "duplicate id"),
        (GOOD.replace('"kestrel-front"', '"iran"'), "already a country"),
        (GOOD + GOOD.replace('id = "kestrel-front"', 'id = "kestrel-two"'), "already a name of 'kestrel-front'"),
        (GOOD + 'same_as = ["x"]\n', "unknown field(s) same_as"),
        (GOOD + 'part_of = "atlantis"\n', "part_of 'atlantis' is not a known id"),
        (GOOD + 'aliases = "Kestrels"\n', "aliases must be a list"),
        ('[[entity]]\nid = "Kestrel Front"\nname = "K"\ntype = "ArmedGroup"\n', "lower-case letters"),
        ('[[entity]]\nname = "K"\ntype = "ArmedGroup"\n', "id is missing"),
        ("[[entity]\nid = 1\n", "not valid TOML"),
    ],
)
def test_broken_file_gives_a_clear_error(tmp_path, text, message):
    p = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_gazetteer(path=p)
    text_ = str(err.value)
    assert text_.startswith(f"{p}: "), text_  # names the file
    assert message in text_, text_
    if "id =" in text and "not valid TOML" not in message and "id is missing" not in message:
        assert "entity " in text_  # and the entry


def test_error_names_the_entry_by_position_and_id(tmp_path):
    p = _write(tmp_path, GOOD + '[[entity]]\nid = "bad-one"\nname = "Bad"\ntype = "Nation"\n')
    with pytest.raises(InputError, match=r"entity 2 \('bad-one'\): type 'Nation'"):
        load_gazetteer(path=p)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read the gazetteer"):
        load_gazetteer(path=tmp_path / "nowhere.toml")


def test_disabled_gazetteer_reads_no_file(tmp_path):
    g = load_gazetteer(enabled=False, path=_write(tmp_path, "not toml at all ["))
    assert g.lookup("Iran").type == "Country"


def test_entity_classes_come_from_the_ontology():
    classes = entity_classes()
    assert {"Person", "ArmedGroup", "MilitaryOrganization", "GovernmentBody", "Province", "City"} <= classes
    assert "Position" not in classes and "Event" not in classes  # not entities
