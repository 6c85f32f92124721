"""Saved queries rewritten for large stores (issue 28) give the answers of the queries they
replace on a build of the seeds and the development set. The queries as they were are kept in
tests/query/before/, with the reason each was rewritten in the new query's comments: `claims`
grew past 4 GB on a 3.1M-triple store of varied documents (an accusation's agent met every
evidence of every document that reported it), `armed-groups` took 21 s there (every date times
every place of a merged event), `positions` grew faster than the store (every label of the
union made DISTINCT)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DEV_ARTICLES, SEEDS
from kg.query import list_saved_queries, run_query

BEFORE = Path(__file__).resolve().parent / "before"
REWRITTEN = sorted(p.stem for p in BEFORE.glob("*.rq"))


@pytest.fixture(scope="module")
def seeds_dev_store(tmp_path_factory, nlp):
    from kg.build import build
    from kg.store import KGStore

    store = KGStore(tmp_path_factory.mktemp("rewrites") / "store")
    build([SEEDS, DEV_ARTICLES], store)
    yield store
    store.close()


def test_every_rewritten_query_is_still_saved():
    assert REWRITTEN and set(REWRITTEN) <= {q.name for q in list_saved_queries()}


@pytest.mark.parametrize("name", REWRITTEN)
def test_a_rewritten_query_answers_as_before(seeds_dev_store, name):
    saved = {q.name: q for q in list_saved_queries()}[name]
    params = {p: "IRGC" for p in saved.parameters}
    new = run_query(seeds_dev_store, saved, params)
    old = run_query(seeds_dev_store, (BEFORE / f"{name}.rq").read_text(encoding="utf-8"), params)
    assert new.vars == old.vars
    assert len(new.rows) > 0
    assert new.rows == old.rows  # the same rows in the same order
