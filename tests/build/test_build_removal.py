"""kg.build.removal: removing documents recomputes only what they contributed, and gives the
entity and facts graphs a full recomputation gives."""
from __future__ import annotations

import pytest
from rdflib import URIRef

from kg.build import build, refresh_derived
from kg.build.derived import contributions
from kg.build.removal import remove
from kg.namespaces import BUILD_LOG_GRAPH
from kg.store import KGStore, stored_documents
from kg.store.dump import dump_bytes

from conftest import DEV_ARTICLES, SEED_IRGC, SEEDS, copy_store

LATER = [DEV_ARTICLES / "dev_06_bajwa-in-tehran.txt", DEV_ARTICLES / "dev_07_bagheri-hosts-bajwa.html"]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, nlp):
    """Seeds, then two articles naming some of the same people and places, in a second build."""
    store = KGStore(tmp_path_factory.mktemp("removal") / "store")
    build([SEEDS], store)
    build([SEEDS, *LATER], store)
    yield store
    store.close()


@pytest.mark.parametrize("gone", [SEED_IRGC, LATER[0]], ids=["first build", "second build"])
def test_removal_equals_a_full_recomputation(two_builds, tmp_path, gone):
    with KGStore(copy_store(two_builds, tmp_path / "a")) as a, KGStore(copy_store(two_builds, tmp_path / "b")) as b:
        remove(a, str(gone))
        remove(b, str(gone))
        refresh_derived(b)  # everything derived, recomputed from the documents left
        b.commit()
        assert dump_bytes(a, exclude=[BUILD_LOG_GRAPH]) == dump_bytes(b, exclude=[BUILD_LOG_GRAPH])


def test_a_documents_contributions_are_its_entities_and_statements(two_builds):
    doc = next(d for d in stored_documents(two_builds) if d.source.endswith(LATER[0].name))
    entities, stated = contributions(two_builds, URIRef(doc.iri))
    names = {str(e).rsplit("/", 1)[-1] for e in entities}
    assert "qamar-javed-bajwa" in names and "pakistan" in names
    assert stated and all(len(t) == 3 for t in stated)
    assert {str(p).rsplit("#", 1)[-1] for _, p, _ in stated} >= {"meetsWith"}
