import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import StoreError
from kg.namespaces import DOC, ID, KG
from kg.store import KGStore


def test_replace_graph_and_union_query(tmp_path):
    with KGStore(tmp_path / "s") as st:
        st.replace_graph(DOC["a"], [(ID["x"], KG.meetsWith, ID["y"])])
        st.replace_graph(DOC["b"], [(ID["x"], KG.meetsWith, ID["y"]), (ID["y"], KG.rank, Literal("General"))])
        assert len(st) == 2  # distinct triples over the union
        assert st.quad_count() == 3
        st.replace_graph(DOC["b"], [(ID["z"], KG.meetsWith, ID["y"])])
        got = sorted(str(s) for s, in st.query("SELECT ?s WHERE { ?s kg:meetsWith ?o }"))
        assert got == [str(ID["x"]), str(ID["z"])]
        assert st.named_graphs() == sorted([str(DOC["a"]), str(DOC["b"])])


def test_store_persists_on_disk(tmp_path):
    with KGStore(tmp_path / "s") as st:
        st.replace_graph(DOC["a"], [(ID["x"], KG.meetsWith, ID["y"])])
    with KGStore(tmp_path / "s", create=False) as st:
        assert len(st) == 1


def test_a_reopened_writer_keeps_what_it_wrote_unpublished(tmp_path):
    """`reopen` closes the writer's working copy and opens it again: what was written is there,
    rdflib's view works on the new handle, and nothing is published before `commit`."""
    with KGStore(tmp_path / "s") as st:
        st.replace_graph(DOC["a"], [(ID["x"], KG.meetsWith, ID["y"])])
        st.commit()
        st.replace_graph(DOC["b"], [(ID["y"], KG.meetsWith, ID["z"])])
        assert len(st.dataset) == 2  # rdflib's view of the old handle
        st.reopen()
        assert st.quad_count() == 2 and len(list(st.query("SELECT * WHERE { ?s ?p ?o }"))) == 2
        assert len(st.dataset) == 2  # and of the new one
        with KGStore(tmp_path / "s", read_only=True) as reader:
            assert reader.quad_count() == 1  # the second graph is not published yet
        st.commit()
    with KGStore(tmp_path / "s", read_only=True) as reader:
        assert reader.named_graphs() == sorted([str(DOC["a"]), str(DOC["b"])])


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="run `kg build` first"):
        KGStore(tmp_path / "nothing", create=False)


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
