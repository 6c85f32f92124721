"""kg.extract.propagate: a name tagged once is a name everywhere in the document; a name the
model never tags is found when the document writes it alike twice. Made-up firms and people."""
from __future__ import annotations

from extract_cases import extract_one


def _labels(x, text):
    return [m.label for m in x.mentions if m.text == text]


def test_a_name_never_tagged_but_written_twice_is_found(nlp):
    # the model tags neither "Waymo" as a name (the second as a work of art); no data file lists it
    x = extract_one(nlp, "SAN DIEGO - Waymo, the self-driving company, has sued Brenwick Foods over a "
                         "recipe. A judge will hear the case in May, and Waymo wants damages.\n\n"
                         "Tags: Waymo Lawsuits")
    assert _labels(x, "Waymo") == ["Organization"] * 3
    assert not _labels(x, "Tags") and not _labels(x, "Lawsuits")


def test_a_place_the_data_knows_is_typed_by_it_when_found_this_way(nlp):
    x = extract_one(nlp, "Strikes hit Kramatorsk on Friday. Officials in Kramatorsk said Kramatorsk "
                         "had no power.")
    assert set(_labels(x, "Kramatorsk")) == {"City"}


def test_an_organisations_short_form_is_tagged_where_the_model_missed_it(nlp):
    x = extract_one(nlp, "Quorvana Technologies Inc. bought the startup in 2016. Later Quorvana put "
                         "its founder in charge, and Quorvana shares rose.")
    names = {m.text: m.entity for m in x.mentions}
    assert "Quorvana" in names
    assert names["Quorvana"] == names["Quorvana Technologies Inc."]
