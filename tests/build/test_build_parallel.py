"""kg.build.parallel: the --jobs worker pool gives the same extractions and graph as one process."""
from __future__ import annotations

import pickle

import pytest

from conftest import DEV_ARTICLES, SEEDS, SEED_IRGC, knowledge_nquads
from kg.build.parallel import chunks, extract_chunk, extract_documents

pytestmark = pytest.mark.slow  # worker processes, each loading spaCy


def test_chunks_are_bounded_and_keep_order():
    got = list(chunks(range(7), 3))
    assert got == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks([], 3)) == []
    assert list(chunks(range(2), 0)) == [[0], [1]]  # a size below one still makes progress


def test_extractions_survive_pickling(seed_extractions):
    # what a worker sends back must cross a process boundary unchanged
    for x in seed_extractions:
        back = pickle.loads(pickle.dumps(x))
        assert back == x
        assert back.mentions and back.sentence_text(0) == x.sentence_text(0)


def test_extract_chunk_matches_in_process_extraction(nlp, seed_extractions):
    docs = [x.doc for x in seed_extractions]
    assert extract_chunk(docs) == seed_extractions


def test_jobs_below_one_refused():
    with pytest.raises(ValueError):
        list(extract_documents([], jobs=0))


def test_jobs_2_builds_the_same_graph(tmp_path, seeds_dev_nquads):
    from kg.build import build
    from kg.store import KGStore

    with KGStore(tmp_path / "store") as store:
        report = build([SEEDS, DEV_ARTICLES], store, jobs=2, batch_size=4)
        dump = knowledge_nquads(store)
    assert report.documents == 17
    assert dump == seeds_dev_nquads


def test_jobs_2_keeps_document_order(nlp):
    from kg.ingest import read_documents

    docs = list(read_documents([DEV_ARTICLES, SEED_IRGC]))
    got = [x.doc.source for x in extract_documents(docs, jobs=2, batch_size=2)]
    assert got == [d.source for d in docs]


def test_one_local_pool_serves_both_rounds(nlp):
    """A `LocalPool` started once extracts, then makes the documents' graphs from the context
    it reads from a file: the same N-Quads as `document_quads` in this process, and as
    `write_documents` with workers of its own."""
    from kg import rdf
    from kg.build.derived import entity_index
    from kg.build.spill import PackedExtractions
    from kg.resolve.events import link_events
    from kg.ingest import read_documents
    from kg.build.parallel import LocalPool, document_quads, write_documents
    from kg.resolve import resolve

    docs = list(read_documents([SEED_IRGC, DEV_ARTICLES]))[:3]
    with LocalPool(2) as pool:
        xs = list(extract_documents(docs, batch_size=1, pool=pool))
        res = resolve(xs)
        keys = link_events(xs, res)
        described = entity_index(rdf.entity_triples(res.entities))
        with PackedExtractions() as packed:
            for x in xs:
                packed.append(x)
            made = list(write_documents(packed, res, keys, described, keep_rows=True, jobs=2, batch_size=1,
                                        pool=pool))
            # without a pool: workers of its own, which load no pipeline
            alone = list(write_documents(packed, res, keys, described, keep_rows=True, jobs=2, batch_size=2))
    here = [document_quads(i, x, res, keys, described, True) for i, x in enumerate(xs)]
    for got in (made, alone):
        assert [m[0] for m in got] == [d[0] for d in here]
        assert [sorted(m[1].splitlines()) for m in got] == [sorted(d[1].splitlines()) for d in here]
        assert [m[3] for m in got] == [d[3] for d in here]


def test_chunks_shrink_at_the_end_so_workers_finish_together():
    from kg.build.parallel import chunks

    got = list(chunks(range(200), 16, 200, 2))
    assert [x for c in got for x in c] == list(range(200))  # every item once, in order
    sizes = [len(c) for c in got]
    assert max(sizes) == 16 and sizes[0] == 16
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
    # each of the last four chunks (two per worker) is at most a quarter of what was left
    left = 200
    for n in sizes:
        assert n <= max(1, -(-left // 4))
        left -= n
    assert [len(c) for c in chunks(range(40), 16)] == [16, 16, 8]  # without a total: one size
