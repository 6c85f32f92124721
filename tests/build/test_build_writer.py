"""kg.build.writer: the bulk loads of a build's document graphs."""
import pytest

from kg.store import KGStore


@pytest.mark.parametrize("threads", [1, 2])
def test_graph_writer_loads_every_document_and_reports_a_failed_load(tmp_path, threads):
    """The writer holds documents back to load them together, on one or two loading threads:
    what it was given is all there when its block ends, and a load that fails raises from the
    block."""
    from rdflib import URIRef

    from kg.build.writer import WRITE_EVERY, GraphWriter
    from kg.namespaces import DOC, ID, KG
    from kg.store import nquads

    docs = [DOC[f"d{i}"] for i in range(2 * WRITE_EVERY * threads + 3)]  # two full loads and a partial one
    with KGStore(tmp_path / "s") as st:
        with GraphWriter(st, threads=threads) as out:
            assert out.every == WRITE_EVERY * threads
            for i, d in enumerate(docs):
                out.add_nquads(d, nquads([(ID[f"e{i}"], KG.mentions, ID["x"])], d))
        assert st.named_graphs() == sorted(map(str, docs))
        assert {(q.subject.value, q.graph_name.value) for q in st.ox} == {
            (str(ID[f"e{i}"]), str(d)) for i, d in enumerate(docs)}
        with pytest.raises(SyntaxError):
            with GraphWriter(st, threads=threads) as out:
                out.add_nquads(URIRef(DOC["bad"]), b"<not n-quads\n")
        assert out.pool is not None and out.pool._shutdown  # no loading thread outlives the block
