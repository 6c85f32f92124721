"""kg.resolve.fuzzy: names spelt otherwise in another document merge, and only those (made-up
names that no gazetteer or data file knows)."""
import datetime as dt

import pytest

from kg.build import build
from kg.build.removal import remove
from kg.query.explain import explain
from kg.resolve.fuzzy import Candidate, candidates, similarity, spelling_key, spelling_merges
from kg.store import KGStore


def cand(key, *names, type="Person", country=None, known=False, weight=1, place_of=lambda w: None):
    class E:  # what `candidates` reads of a resolution entity
        pass
    e = E()
    e.label, e.names, e.aliases, e.type, e.country, e.gaz_id = names[0], set(names), set(names), type, country, \
        ("x" if known else None)
    e.mentions = [(0, i) for i in range(weight)]
    return candidates({key: e}, place_of=place_of)[0] if candidates({key: e}, place_of=place_of) else None


def test_spelling_key_drops_case_accents_punctuation_and_particles():
    assert spelling_key("Abú al-Ḥasan Al-Muhajir") == "abu hasan muhajir"
    assert similarity("Jaish al-Zalfar", "Jaish ul-Zalfar") == 100


def test_transliteration_variants_merge():
    a = cand("person/mohammed-quorbani", "Mohammed Quorbani", weight=3)
    b = cand("person/mohammad-quorbani", "Mohammad Quorbani")
    c = cand("person/hosein-darvishpour", "Hosein Darvishpour")
    d = cand("person/hossein-darvishpour", "Hossein Darvishpour", weight=2)
    merges = spelling_merges([a, b, c, d])
    assert merges["person/mohammad-quorbani"][0] == "person/mohammed-quorbani"  # the heavier one stays
    assert merges["person/hosein-darvishpour"][0] == "person/hossein-darvishpour"
    assert all(s >= 92 for _, s in merges.values())


def test_different_people_with_similar_names_stay_apart():
    pairs = [("Ali Reza Tangsiri", "Ali Reza Tavakoli"), ("Sara Kholdani", "Dara Kholdani"),
             ("Jane Morrowby", "Jane Marrowbly")]
    for x, y in pairs:
        assert not spelling_merges([cand("person/a", x), cand("person/b", y)]), (x, y)


def test_one_word_names_types_and_countries_never_merge():
    assert cand("person/zalfarani", "Zalfarani") is None  # a lone word says too little
    assert not spelling_merges([cand("person/a", "Hosein Darvishpour"),
                                cand("org/b", "Hossein Darvishpour", type="Organization")])
    assert not spelling_merges([cand("person/a", "Hosein Darvishpour", country="place/iran"),
                                cand("person/b", "Hossein Darvishpour", country="place/iraq")])
    # two gazetteer entries: the gazetteer already tells them apart
    assert not spelling_merges([cand("person/a", "Hosein Darvishpour", known=True),
                                cand("person/b", "Hossein Darvishpour", known=True)])


def test_names_of_other_places_or_with_a_word_more_stay_apart():
    place = {"ruritania": "ruritania", "ruritanian": "ruritania", "rurislavia": "rurislavia"}.get
    a = cand("org/a", "Ministry of Mines of Ruritania", type="Organization", place_of=place)
    b = cand("org/b", "Ministry of Mines of Rurislavia", type="Organization", place_of=place)
    assert not spelling_merges([a, b])
    a = cand("org/a", "Northern Shield Liberation Army", type="ArmedGroup")
    b = cand("org/b", "Shield Liberation Army", type="ArmedGroup")
    assert not spelling_merges([a, b])


def test_merges_do_not_chain():
    a = cand("person/a", "Karim Zalfarani", weight=3)
    b = cand("person/b", "Karim Zalfarany", weight=2)
    c = cand("person/c", "Karin Zalfarany")
    merges = spelling_merges([a, b, c])
    assert all(to == "person/a" for to, _ in merges.values())


ARTICLES = {
    "one.txt": "TEHRAN - Commander Hosein Darvishpour of the Zagros Regiment inspected troops in "
               "Kermanshah on Monday, the regiment said.\n",
    "two.txt": "TEHRAN - Hossein Darvishpour, a commander of the Zagros Regiment, met officers in "
               "Kermanshah on Tuesday, state media reported.\n",
}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _people(store):
    return {str(r[0]) for r in store.query(
        "SELECT ?e WHERE { GRAPH <https://w3id.org/newskg/graph/entities> { ?e a kg:Person } }")}


def test_build_merges_explains_switches_off_and_removal_undoes(corpus, tmp_path, nlp):
    with KGStore(tmp_path / "on") as store:
        build([corpus], store)
        people = [p for p in _people(store) if "darvishpour" in p]
        assert len(people) == 1
        (x,) = explain(store, people[0].rsplit("/id/", 1)[-1])
        reasons = {m.text: m.reason for m in x.mentions}
        spelt = [r for r in reasons.values() if r.startswith("a spelling of ")]
        assert spelt and "(similarity" in spelt[0]
        remove(store, str(corpus / "two.txt"))
        (x,) = explain(store, people[0].rsplit("/id/", 1)[-1])
        assert not [m for m in x.mentions if m.kind == "spelling"]
        assert x.aliases == ["Hosein Darvishpour"]
    with KGStore(tmp_path / "off") as store:
        build([corpus], store, fuzzy_merge=False)
        assert len([p for p in _people(store) if "darvishpour" in p]) == 2
