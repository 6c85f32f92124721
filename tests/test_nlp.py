from kg.nlp import load_pipeline, ruler_patterns
from kg.ontology.gazetteer import load_gazetteer, normalize


def test_pipeline_components_and_order(nlp):
    names = nlp.pipe_names
    assert names.index("kg_paragraphs") < names.index("parser")
    assert names.index("entity_ruler") < names.index("ner")
    assert load_pipeline(True) is nlp  # loaded once per process


def test_ruler_fixes_types_the_model_gets_wrong(nlp):
    # en_core_web_sm alone tags these PERSON and GPE (REFERENCE.md)
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
    pats = ruler_patterns(nlp, gaz)
    ids = {p["id"] for p in pats if "id" in p}
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
    pats = ruler_patterns(nlp, load_gazetteer())
    generic = [p for p in pats if "id" not in p]
    lowered = {tuple(t.get("LOWER", t.get("ORTH")) for t in p["pattern"]): p["label"] for p in generic}
    assert lowered[("foreign", "ministry")] == "GovernmentBody"
    assert ("parliament",) not in lowered  # a one-word common noun is not a name
