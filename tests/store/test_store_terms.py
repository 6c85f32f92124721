"""kg.store.terms: N-Quads written without pyoxigraph objects parse back to the same terms."""
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.namespaces import DOC, ID, KG
from kg.store import KGStore


TRICKY = [
    Literal('she said "no" \\ then left'),
    Literal("two\nlines\r\nand a\ttab"),
    Literal("Zāhedān, زاهدان, 🚀, \u200fright-to-left mark"),
    Literal("Sistan", lang="en"),
    Literal(7, datatype=XSD.integer),
    Literal("2024-01-16", datatype=XSD.date),
    Literal("0.85", datatype=XSD.decimal),
    Literal(True),
    Literal("typed string", datatype=XSD.string),
    Literal(""),
]


def test_nquads_parse_back_to_the_same_terms(tmp_path):
    """`nquads` writes what Oxigraph's own conversion of each term would store."""
    from kg.store import nquads, to_ox

    triples = [(ID[f"s{i}"], KG.evidence, lit) for i, lit in enumerate(TRICKY)]
    triples.append((ID["s"], KG.mentions, ID["person/asim-munir"]))
    with KGStore(tmp_path / "s") as st:
        st.add_new_graphs_nquads(nquads(triples, DOC["a"]))
        got = set(st.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(DOC["a"]))))
    want = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(DOC["a"]))) for s, p, o in triples}
    assert got == want
    assert len(got) == len(TRICKY) + 1


def test_nquads_refuses_an_invalid_iri():
    from kg.store import nquads

    with pytest.raises(ValueError):
        nquads([(URIRef("https://w3id.org/newskg/id/a b"), KG.mentions, ID["x"])], DOC["a"])
