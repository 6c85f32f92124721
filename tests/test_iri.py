"""Tests for kg.iri: IRIs minted from names are valid whatever the name holds."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg.ontology.gazetteer import normalize, slug
from kg.iri import SLUG_MAX, is_valid_iri, mint, slug_of_key
from kg.namespaces import ID
from kg.rdf import entity_iri

HOSTILE_NAMES = [
    "Asim Munir",
    "Jaish al-Adl",
    'The "Army" <of> Ghosts',
    "line one\nline two\ttab",
    "\u202eevil\u202c \u200fRTL\u200e",
    "a" * 10_000,
    "عبدالملک ریگی",
    "\ud800lone surrogate\udfff",
    "<http://evil.example/> ; DROP",
    "\x00\x07\x1b control",
    "",
    "   ",
    "%41 percent",
    "C:\\Windows\\path",
]
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_slug_and_entity_iri_always_valid(name):
    s = slug(name)
    assert SLUG.match(s) and len(s) <= SLUG_MAX
    iri = entity_iri(f"person/{s}")
    ox.NamedNode(str(iri))  # raises on an invalid IRI
    # A raw name, not slugged, is %-encoded into a valid IRI too.
    raw = entity_iri(f"person/{name}")
    ox.NamedNode(str(raw))
    assert str(raw).startswith(str(ID) + "person/")


def test_readable_names_keep_readable_slugs():
    assert slug("Asim Munir") == "asim-munir"
    assert slug("Zoë Çelik") == "zoe-celik"
    assert slug("The Islamic Revolutionary Guard Corps") == "islamic-revolutionary-guard-corps"
    assert entity_iri("person/asim-munir") == ID["person/asim-munir"]


def test_names_the_slug_cannot_show_do_not_collide():
    # Scripts other than Latin, names without letters, and names cut at the length limit all
    # used to collapse into one segment ("x", or the first 80 characters).
    names = ["عبدالملک ریگی", "محمد باقری", "!!!", "???", "a" * 100 + "b", "a" * 100 + "c"]
    slugs = [slug(n) for n in names]
    assert len(set(slugs)) == len(names)
    assert slug("a" * 10_000).startswith("a" * 60)
    assert slug_of_key("abc def") == "abc-def"
    assert slug_of_key(normalize("Mahdi Farahi")) == slug("Mahdi Farahi")


def test_mint_encodes_what_an_iri_cannot_hold():
    iri = mint("https://w3id.org/newskg/id/", 'x y"<>\n{}|\\^`')
    assert str(iri) == "https://w3id.org/newskg/id/x%20y%22%3C%3E%0A%7B%7D%7C%5C%5E%60"
    with pytest.raises(ValueError, match="cannot mint a valid IRI"):
        mint("not an iri base ", "x")
    assert is_valid_iri("https://w3id.org/newskg/id/a") and not is_valid_iri("https://x/a b")
    assert not is_valid_iri("https://x/a\nb")
