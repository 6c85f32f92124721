"""Random names through IRI minting: always a valid IRI (pyoxigraph is the judge), never an error."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import HOSTILE, names

from kg.ontology.gazetteer import slug
from kg.iri import SLUG_MAX, mint
from kg.namespaces import ID
from kg.rdf import entity_iri

# Hostile examples are big by design; hypothesis warns when it prints them.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@HOSTILE
@given(name=names)
def test_slug_is_a_short_readable_segment(name):
    s = slug(name)
    assert _SLUG.match(s) and len(s) <= SLUG_MAX
    assert slug(name) == s  # the same name always gives the same node


@HOSTILE
@given(name=names, group=st.sampled_from(["person", "org", "place", "position", "event"]))
def test_entity_iris_are_valid(name, group):
    for key in (f"{group}/{slug(name)}", f"{group}/{slug(name)}--0123abcd", f"{group}/{name}"):
        iri = entity_iri(key)
        ox.NamedNode(str(iri))  # raises ValueError on an invalid IRI
        assert str(iri).startswith(str(ID))


@HOSTILE
@given(a=names, b=names)
def test_raw_keys_never_share_an_iri(a, b):
    # %-encoding is one-to-one: two different keys never become one node by accident.
    if a.encode("utf-8", "surrogatepass") != b.encode("utf-8", "surrogatepass"):
        assert mint(str(ID), a) != mint(str(ID), b)
