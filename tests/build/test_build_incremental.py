"""kg.build.incremental, kg.build.removal, kg.build.log: builds add only new or changed files,
removal restores the store exactly, and the build log records both.

"Exactly" compares the sorted N-Quads of every graph but the build log (kg.store.dump.dump_bytes with
BUILD_LOG_GRAPH excluded): the build log is the one graph that changes on every run, and gains
a prov:Activity per build and per removal, which the tests check separately.
"""
import shutil

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.build.removal import remove
from kg.store.dump import dump_bytes
from kg.errors import StoreError
from kg.namespaces import BUILD_LOG_GRAPH, ENTITY_GRAPH
from kg.store import KGStore, stored_documents

from conftest import DEV_ARTICLES, SEED_DEFENCE, SEED_IRGC, SEEDS, rows

THIRD = DEV_ARTICLES / "dev_01_khash-bus-bombing.txt"


def _kg_dump(store):
    return dump_bytes(store, exclude=[BUILD_LOG_GRAPH])


def _graph_dump(store, iri):
    return sorted(str(q) for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(iri)))


def _activities(store, kind):
    return rows(store, "SELECT ?a WHERE { GRAPH <%s> { ?a a kg:%s } }" % (BUILD_LOG_GRAPH, kind))


@pytest.fixture()
def seeds_store(tmp_path, nlp):
    store = KGStore(tmp_path / "store")
    build([SEEDS], store)
    yield store
    store.close()


def test_building_seeds_twice_changes_nothing_but_the_log(seeds_store):
    before, triples = _kg_dump(seeds_store), seeds_store.triple_count()
    report = build([SEEDS], seeds_store)
    assert report.built == [] and len(report.unchanged) == 2
    assert seeds_store.triple_count() == triples == report.triples
    assert _kg_dump(seeds_store) == before
    assert len(_activities(seeds_store, "Build")) == 2


def test_third_article_adds_only_its_graph_and_removing_it_restores_the_dump(seeds_store):
    before = _kg_dump(seeds_store)
    docs_before = {d.iri: _graph_dump(seeds_store, d.iri) for d in stored_documents(seeds_store)}
    assert len(docs_before) == 2

    report = build([SEEDS, THIRD], seeds_store)
    assert report.built == [str(THIRD)] and len(report.unchanged) == 2
    after = {d.iri: d for d in stored_documents(seeds_store)}
    (new,) = set(after) - set(docs_before)
    for iri, quads in docs_before.items():  # the seeds' graphs are untouched
        assert _graph_dump(seeds_store, iri) == quads
    assert report.documents == 3
    # the third article's people are described in the entity graph
    assert rows(seeds_store, "SELECT ?e WHERE { GRAPH <%s> { ?e skos:prefLabel ?l FILTER(CONTAINS(?l, 'Zarif')) } }"
                % ENTITY_GRAPH)

    removed = remove(seeds_store, str(THIRD))
    assert removed == [new]
    assert _kg_dump(seeds_store) == before
    (removal,) = _activities(seeds_store, "Removal")
    assert rows(seeds_store, "SELECT ?g WHERE { GRAPH <%s> { <%s> prov:invalidated ?g } }"
                % (BUILD_LOG_GRAPH, removal[0])) == [(new,)]


def test_changed_file_replaces_its_graph_and_prune_removes_deleted_files(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    shutil.copy(SEED_IRGC, a)
    shutil.copy(SEED_DEFENCE, b)
    store = KGStore(tmp_path / "store")
    build([folder], store)
    salami = "SELECT ?e WHERE { GRAPH <%s> { ?e skos:prefLabel 'Hossein Salami' } }" % ENTITY_GRAPH
    assert rows(store, salami)  # only a.txt names him
    old_a = {d.source: d.iri for d in stored_documents(store)}[str(a)]

    text = a.read_text(encoding="utf-8")
    assert "killing two policemen" in text
    a.write_text(text.replace("killing two policemen", "killing three policemen"), encoding="utf-8")
    report = build([folder], store)
    assert report.built == [str(a)] and report.replaced == [old_a]
    docs = stored_documents(store)
    assert len(docs) == 2 and old_a not in {d.iri for d in docs}

    a.unlink()
    report = build([folder], store)  # without --prune the document stays
    assert report.removed == [] and len(stored_documents(store)) == 2
    report = build([folder], store, prune=True)
    assert report.removed == [str(a)] and report.documents == 1
    # nothing of a.txt is left: not its graph, its entities, or facts its sentences supported
    assert rows(store, salami) == []
    assert b"a.txt" not in _kg_dump(store) and old_a.encode() not in _kg_dump(store)
    assert rows(store, "SELECT ?f WHERE { ?f a kg:Fact ; kg:supportedBy ?a . "
                       "FILTER NOT EXISTS { GRAPH ?g { ?a a kg:Assertion } } }") == []
    store.close()



def test_remove_unknown_document_is_a_clear_error(seeds_store):
    before = _kg_dump(seeds_store)
    with pytest.raises(StoreError, match="no such document"):
        remove(seeds_store, "seeds/nothing.txt")
    assert _kg_dump(seeds_store) == before



def test_build_log_records_files_version_and_counts(seeds_store):
    from kg import __version__

    got = rows(seeds_store, """SELECT ?t ?v ?added (COUNT(DISTINCT ?f) AS ?files) (COUNT(DISTINCT ?g) AS ?graphs)
        WHERE { GRAPH <%s> { ?a a kg:Build, prov:Activity ; prov:startedAtTime ?t ; kg:toolVersion ?v ;
                             kg:documentsAdded ?added ; kg:sourceFile ?f ; prov:generated ?g } }
        GROUP BY ?t ?v ?added""" % BUILD_LOG_GRAPH)
    assert len(got) == 1
    t, v, added, files, graphs = got[0]
    assert v == __version__ and added == "2" and files == "2" and graphs == "2" and t.endswith(("Z", "+00:00"))
