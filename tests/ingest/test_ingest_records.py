"""Tests for kg.ingest.records: a collection's records named FILE#URL or FILE#N, and the same
articles built from a JSON Lines, CSV, WARC or RSS file giving the graph their .txt/.html files give."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import BODY, article_rows, write, write_csv, write_jsonl, write_rss, write_warc

from kg.errors import InputError
from kg.ingest import read_document, read_documents
from kg.ingest.records import Record, record_from_fields, record_source

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
TXT = [ARTICLES / n for n in ("dev_01_khash-bus-bombing.txt", "dev_04_mirjaveh-guards-abducted.txt",
                              "dev_06_bajwa-in-tehran.txt")]
HTML = [ARTICLES / n for n in ("dev_02_khash-bomber-pakistani.html", "dev_05_guards-recovered.html",
                               "dev_07_bagheri-hosts-bajwa.html")]


def test_field_names_ignore_case_spaces_and_separators():
    rec = record_from_fields(7, {"Article Body": BODY, "DATE-PUBLISHED": "2023-07-17", "Canonical_URL": " u ",
                                 "by": ["A B", {"name": "C D"}], "title": "   "})
    assert (rec.text, str(rec.date), rec.url, rec.author, rec.title) == (BODY, "2023-07-17", "u", "A B and C D", None)


def test_record_names_url_first_number_when_repeated_or_missing():
    seen: set[str] = set()
    names = [record_source("x.jsonl", Record(number=n, url=u), seen)
             for n, u in ((1, "https://a/1"), (2, None), (3, "https://a/1"), (4, "https://a/2"))]
    assert names == ["x.jsonl#https://a/1", "x.jsonl#2", "x.jsonl#3", "x.jsonl#https://a/2"]


def test_collections_read_the_same_documents_as_the_files(tmp_path):
    docs = [read_document(f) for f in TXT]
    rows = article_rows(docs)
    made = [write_jsonl(tmp_path / "a.jsonl", rows), write_csv(tmp_path / "a.csv", rows),
            write_rss(tmp_path / "a.rss", rows)]
    for path in made:
        got = list(read_documents([path], strict=True))
        assert [(d.text, d.title, d.date, d.author, d.outlet) for d in got] == [
            (d.text, d.title, d.date, d.author, d.outlet) for d in docs], path.name
    pages = [read_document(f) for f in HTML]
    warc = write_warc(tmp_path / "a.warc.gz", [(f"https://news.example/{f.stem}", f.read_bytes()) for f in HTML])
    got = list(read_documents([warc], strict=True))
    assert [(d.text, d.title, d.date, d.author, d.outlet) for d in got] == [
        (d.text, d.title, d.date, d.author, d.outlet) for d in pages]


def _graph(store) -> tuple[set, set]:
    """The store's entities (IRI, type, label) and asserted relations (s, p, o)."""
    from kg.namespaces import ENTITY_GRAPH

    entities = {tuple(map(str, r)) for r in store.query(
        f"SELECT ?e ?t ?l WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?e a ?t ; skos:prefLabel ?l }} }}")}
    relations = {tuple(map(str, r)) for r in store.query(
        "SELECT DISTINCT ?s ?p ?o WHERE { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }")}
    return entities, relations


def _built(paths, where: Path) -> tuple[set, set]:
    from kg.build import build
    from kg.store import KGStore

    with KGStore(where) as store:
        report = build(paths, store, strict=True)
        assert len(report.built) == 3
        return _graph(store)


@pytest.mark.slow
def test_collections_build_to_the_same_entities_and_relations(tmp_path, nlp):
    rows = article_rows([read_document(f) for f in TXT])
    expected = _built(TXT, tmp_path / "txt")
    assert expected[0] and expected[1]
    for path in (write_jsonl(tmp_path / "in" / "a.jsonl", rows), write_csv(tmp_path / "in" / "a.csv", rows),
                 write_rss(tmp_path / "in" / "a.rss", rows)):
        assert _built([path], tmp_path / path.suffix) == expected, path.name
    pages = [(f"https://news.example/{f.stem}", f.read_bytes()) for f in HTML]
    assert _built([write_warc(tmp_path / "in" / "a.warc.gz", pages)], tmp_path / "warc") == _built(HTML, tmp_path / "html")


def test_a_record_without_text_is_named(tmp_path):
    path = write(tmp_path / "x.jsonl", json.dumps({"title": "Only a title", "url": "https://a/x"}) + "\n")
    with pytest.raises(InputError, match="no article text") as err:
        list(read_documents([path], strict=True))
    assert err.value.path == f"{path.as_posix()}#https://a/x"


@pytest.mark.slow
def test_records_are_built_changed_removed_and_pruned_one_by_one(tmp_path, nlp):
    from kg.build import build
    from kg.build import remove
    from kg.store import stored_documents
    from kg.store import KGStore

    rows = article_rows([read_document(f) for f in TXT])
    path = write_jsonl(tmp_path / "in" / "a.jsonl", rows)
    name = path.as_posix()
    with KGStore(tmp_path / "store") as store:
        assert len(build([path], store).built) == 3
        again = build([path], store)
        assert (again.built, len(again.unchanged)) == ([], 3)
        rows[1]["text"] += "\n\nA correction was added to this report on Friday."
        write_jsonl(path, rows)
        changed = build([path], store)
        assert changed.built == [f"{name}#https://news.example/2"] and len(changed.replaced) == 1
        assert remove(store, f"{name}#https://news.example/3")
        assert [d.source for d in stored_documents(store)] == [f"{name}#https://news.example/1",
                                                                 f"{name}#https://news.example/2"]
        back = build([path.parent], store, prune=True)  # the record is still in the file: built again
        assert (back.removed, back.built) == ([], [f"{name}#https://news.example/3"])
        path.unlink()
        assert len(build([path.parent], store, prune=True).removed) == 3
