"""kg.store.core: the store on disk, its generations and its one writer."""
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
