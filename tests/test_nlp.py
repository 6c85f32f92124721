import pytest

from kg.ingest import read_documents
from kg.nlp import load_model, load_pipeline, ruler_patterns
from kg.ontology.gazetteer import load_gazetteer, normalize

from conftest import DEV_ARTICLES, SEEDS


def test_pipeline_components_and_order(nlp):
    names = nlp.pipe_names
    assert names.index("kg_paragraphs") < names.index("parser")
    assert names.index("kg_names") < names.index("kg_phrases") < names.index("ner")
    assert load_pipeline(True) is nlp  # loaded once per process


def test_ruler_fixes_types_the_model_gets_wrong(nlp):
    # en_core_web_sm alone tags these PERSON and GPE (docs/sources.md)
    doc = nlp("On 8 July, four militants belonging to the designated terrorist group Jaish Al-Adl were killed. "
              "Iran's IRGC to work with Pakistan army.")
    ents = {e.text: (e.label_, e.ent_id_) for e in doc.ents}
    assert ents["Jaish Al-Adl"] == ("ArmedGroup", "jaish-al-adl")
    assert ents["IRGC"] == ("MilitaryOrganization", "irgc")
    assert ents["Pakistan army"] == ("MilitaryOrganization", "pakistan-army")


def test_blank_line_ends_a_sentence(nlp):
    doc = nlp("Iran's IRGC to work with Pakistan army on border security\n\nThe Chief of Army Staff met him.")
    starts = [s.text.strip() for s in doc.sents]
    assert starts[0] == "Iran's IRGC to work with Pakistan army on border security"


def test_gazetteer_patterns_cover_aliases(nlp):
    gaz = load_gazetteer()
    words, phrases = ruler_patterns(nlp, gaz)
    ids = {p["id"] for p in words + phrases if "id" in p}
    assert all(len(nlp.make_doc(p["pattern"])) == 1 for p in words)
    assert all(len(nlp.make_doc(p["pattern"])) > 1 for p in phrases)
    assert {"irgc", "jaish-al-adl", "sistan-and-baluchestan", "iran"} <= ids
    assert gaz.lookup("Jaysh al-Adl").id == "jaish-al-adl"
    assert gaz.lookup("Sistan-Balochistan").id == "sistan-and-baluchestan"
    assert gaz.country_of_demonym("Pakistani") == "pakistan"
    assert normalize("the Jaish Al-Adl's") == "jaish al adl"


def test_no_gazetteer_keeps_only_countries():
    gaz = load_gazetteer(enabled=False)
    assert gaz.lookup("IRGC") is None
    assert gaz.lookup("Iran").type == "Country"


def test_generic_names_are_typed_without_an_id(nlp):
    """"the foreign ministry" is a government body of whichever country the text is about."""
    words, phrases = ruler_patterns(nlp, load_gazetteer())
    generic = {p["pattern"].lower(): p["label"] for p in words + phrases if "id" not in p}
    assert generic["foreign ministry"] == "GovernmentBody"
    assert "parliament" not in generic  # a one-word common noun is not a name


def test_one_word_names_match_as_written_longer_names_in_any_case(nlp):
    doc = nlp("Dawn reported at dawn that the PAKISTAN ARMY and the Pakistan Army met.")
    ents = [(e.text, e.ent_id_) for e in doc.ents]
    assert ("Dawn", "dawn") in ents and ("dawn", "dawn") not in ents
    assert ("PAKISTAN ARMY", "pakistan-army") in ents and ("Pakistan Army", "pakistan-army") in ents


def test_a_longer_name_wins_over_the_one_word_name_inside_it(nlp):
    doc = nlp("Iran's Islamic Revolutionary Guard Corps met the Pakistan Army.")
    ents = {e.text: e.ent_id_ for e in doc.ents}
    assert ents.get("Pakistan Army") == "pakistan-army"
    assert "Pakistan" not in ents


@pytest.mark.slow
def test_phrase_rulers_find_the_entities_token_patterns_found(nlp):
    """The two phrase rulers give the same `doc.ents` on the seeds and the development set as one
    ruler of token patterns (ORTH for one word, LOWER per token for longer names) did."""
    words, phrases = ruler_patterns(nlp, load_gazetteer())
    tokens = [{**p, "pattern": [{"ORTH": p["pattern"]}]} for p in words]
    tokens += [{**p, "pattern": [{"LOWER": t.lower_} for t in nlp.make_doc(p["pattern"])]} for p in phrases]
    old = load_model()
    old.add_pipe("kg_paragraphs", before="parser")
    old.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True}).add_patterns(tokens)
    texts = [d.text for d in read_documents([SEEDS, DEV_ARTICLES])]
    assert len(texts) >= 50
    for new_doc, old_doc in zip(nlp.pipe(texts), old.pipe(texts)):
        assert [(e.start, e.end, e.label_, e.ent_id_) for e in new_doc.ents] == \
               [(e.start, e.end, e.label_, e.ent_id_) for e in old_doc.ents]
