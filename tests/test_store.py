import pytest
from rdflib import Literal

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


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="run `kg build` first"):
        KGStore(tmp_path / "nothing", create=False)
