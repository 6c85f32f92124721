"""docs/ontology.md is generated from ontology/kg.ttl and kept identical to it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.namespaces import KG
from kg.ontology.doc import REGENERATE, main, render_markdown
from kg.paths import ONTOLOGY_DIR

ROOT = Path(__file__).resolve().parent.parent.parent
PAGE = ROOT / "docs" / "ontology.md"

SMALL = """\
@prefix kg:     <http://example.org/t#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .

# How the test store is laid out.
# - one graph per <document>

<http://example.org/t> a owl:Ontology ;
    owl:versionIRI <http://example.org/t/9.9> ;
    rdfs:label "Tiny"@en ;
    rdfs:comment "A tiny ontology."@en .

kg:Animal a owl:Class ; rdfs:label "Animal"@en ; rdfs:comment "Alive."@en .
kg:Dog a owl:Class ; rdfs:subClassOf kg:Animal ; owl:equivalentClass schema:Dog ;
    rdfs:label "Dog"@en .
kg:Puppy a owl:Class ; rdfs:subClassOf kg:Dog ; rdfs:label "Puppy"@en .
kg:Pet a owl:Class ; rdfs:label "Pet"@en .
kg:PetDog a owl:Class ; rdfs:subClassOf kg:Dog , kg:Pet ; rdfs:label "Pet dog"@en .

kg:owns a owl:ObjectProperty ; rdfs:domain kg:Animal ; rdfs:range kg:Pet ;
    owl:inverseOf kg:ownedBy ; rdfs:comment "either | or"@en .
kg:ownedBy a owl:ObjectProperty , owl:FunctionalProperty .
kg:name a owl:DatatypeProperty ; rdfs:range xsd:string .
"""


def _items(page: str) -> list[tuple[int, str]]:
    """(depth, name) of each class-list item, in page order."""
    section = page.split("## Classes", 1)[1].split("\n## ", 1)[0]
    return [
        (len(m.group(1)) // 2, m.group(2))
        for m in re.finditer(r"^( *)- `([^`]+)`", section, re.MULTILINE)
    ]


def _parent_of(items: list[tuple[int, str]], index: int) -> str | None:
    depth = items[index][0]
    for d, name in reversed(items[:index]):
        if d < depth:
            return name
    return None


def test_page_matches_the_ontology():
    expected = render_markdown()
    current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
    if current != expected:
        differing = next(
            (i + 1 for i, (a, b) in enumerate(zip(current.splitlines(), expected.splitlines()))
             if a != b),
            min(len(current.splitlines()), len(expected.splitlines())) + 1,
        )
        pytest.fail(
            f"docs/ontology.md is out of date with ontology/kg.ttl (first difference at line "
            f"{differing}); regenerate it with: {REGENERATE}",
            pytrace=False,
        )


def test_every_class_and_property_is_on_the_page():
    onto = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    page = render_markdown()
    terms = [
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in onto.subjects(RDF.type, kind)
        if isinstance(t, URIRef)
    ]
    assert len(terms) > 60
    missing = [t for t in terms if f"`kg:{str(t).removeprefix(str(KG))}`" not in page]
    assert not missing


def test_version_iri_and_store_layout_are_on_the_page():
    onto = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    page = render_markdown()
    versions = list(onto.objects(None, OWL.versionIRI))
    assert versions and all(str(v) in page for v in versions)
    assert "## Store layout" in page and "kg:Assertion" in page.split("## Classes")[0]


def test_small_ontology_nests_subclasses_under_parents(tmp_path):
    ttl = tmp_path / "tiny.ttl"
    ttl.write_text(SMALL, encoding="utf-8")
    page = render_markdown(ttl)
    items = _items(page)
    names = [name for _, name in items]
    assert names[0] == "kg:Animal" and items[0][0] == 0
    assert _parent_of(items, names.index("kg:Dog")) == "kg:Animal"
    assert _parent_of(items, names.index("kg:Puppy")) == "kg:Dog"
    # Two parents: described under the first, pointed to from the second.
    assert [_parent_of(items, i) for i, n in enumerate(names) if n == "kg:PetDog"] == [
        "kg:Dog",
        "kg:Pet",
    ]
    assert "≡ `schema:Dog`" in page and "⊑ `kg:Pet`" in page
    assert "# Tiny" in page and "http://example.org/t/9.9" in page and "A tiny ontology." in page
    assert "- one graph per \\<document>" in page
    assert "either \\| or" in page
    assert "inverse of `kg:owns`" in page and "inverse of `kg:ownedBy`" in page
    assert "| `schema:Dog` | `schema:` `https://schema.org/` | equivalent to `kg:Dog` |" in page
    assert render_markdown(ttl) == page


def test_check_option_reports_a_stale_page(tmp_path, capsys):
    ttl = tmp_path / "tiny.ttl"
    ttl.write_text(SMALL, encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(render_markdown(ttl), encoding="utf-8")
    assert main(["--ontology", str(ttl), "--check", str(page)]) == 0
    page.write_text("stale\n", encoding="utf-8")
    assert main(["--ontology", str(ttl), "--check", str(page)]) == 1
    assert "regenerate it with: python -m kg.ontology.doc" in capsys.readouterr().err
    assert main(["--ontology", str(ttl)]) == 0
    assert capsys.readouterr().out == render_markdown(ttl)
