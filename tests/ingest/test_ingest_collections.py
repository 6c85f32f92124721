"""Tests for kg.ingest.collections: JSON Lines, JSON and CSV exports, a record at a time."""
from __future__ import annotations

import datetime as dt
import json

from ingest_helpers import BODY, write, write_csv

from kg.errors import InputError
from kg.ingest import read_documents
from kg.limits import IngestLimits


def read(path, **kw):
    errors: list[InputError] = []
    docs = list(read_documents([path], on_error=errors.append, **kw))
    return docs, errors


def test_jsonl_records_keys_and_errors_each_on_their_own(tmp_path):
    lines = [
        json.dumps({"Headline": "Border talks resume", "Published_At": "2023-07-17T09:00:00Z",
                    "articleBody": BODY, "Link": "https://news.example/a", "authors": ["Jane Doe", "John Roe"],
                    "source": {"id": "x", "name": "Daily Bulletin"}}),
        "",
        "{not json",
        json.dumps({"title": "No body here"}),
        json.dumps(["a", "list"]),
        json.dumps({"body": BODY.replace("Saturday", "Sunday")}),
    ]
    path = write(tmp_path / "export.jsonl", "\n".join(lines) + "\n")
    docs, errors = read(path)
    name = path.as_posix()
    assert [d.source for d in docs] == [f"{name}#https://news.example/a", f"{name}#5"]
    first = docs[0]
    assert (first.title, first.date, first.author, first.outlet, first.url) == (
        "Border talks resume", dt.date(2023, 7, 17), "Jane Doe and John Roe", "Daily Bulletin", "https://news.example/a")
    assert first.text == f"Border talks resume\n\n{BODY}" and first.language == "en"
    assert [e.path for e in errors] == [f"{name}#2", f"{name}#3", f"{name}#4"]
    for err, said in zip(errors, ("line is not JSON", "no article text", "record 4 is not an object")):
        assert str(err).startswith(f"{err.path}: {said}")


def test_jsonl_record_over_the_size_limit(tmp_path):
    path = write(tmp_path / "big.jsonl", json.dumps({"text": BODY * 50}) + "\n" + json.dumps({"text": BODY}) + "\n")
    docs, errors = read(path, limits=IngestLimits(max_bytes=2000))
    assert [d.source for d in docs] == [f"{path.as_posix()}#2"]
    assert "record too large" in str(errors[0]) and errors[0].path == f"{path.as_posix()}#1"


def test_json_list_wrapped_list_and_single_object(tmp_path):
    one = {"title": "Border talks resume", "content": BODY}
    for data in ([one, one | {"url": "https://news.example/b"}], {"status": "ok", "articles": [one]}, one):
        path = write(tmp_path / "x.json", json.dumps(data))
        docs, errors = read(path)
        assert not errors and docs and all(d.text.endswith(BODY) for d in docs)
    path = write(tmp_path / "bad.json", "[1, 2")
    assert "not valid JSON" in str(read(path)[1][0])


def test_csv_semicolons_multiline_text_and_a_header_without_text(tmp_path):
    rows = [{"Title": "Border talks resume", "Date": "17 July 2023", "Full Text": f"{BODY}\n\n{BODY.upper()}"},
            {"Title": "Second", "Date": "", "Full Text": BODY.replace("Saturday", "Sunday")}]
    path = write_csv(tmp_path / "export.csv", rows, delimiter=";")
    docs, errors = read(path)
    assert not errors and len(docs) == 2
    assert docs[0].date == dt.date(2023, 7, 17) and docs[0].text.split("\n\n")[1:] == [BODY, BODY.upper()]
    assert docs[1].source == f"{path.as_posix()}#2"
    path = write_csv(tmp_path / "nope.csv", [{"id": "1", "summary": BODY}])
    docs, errors = read(path)
    assert not docs and "no article text column" in str(errors[0]) and errors[0].path == path.as_posix()


def test_collections_are_found_in_folders(tmp_path):
    write(tmp_path / "a.jsonl", json.dumps({"text": BODY}) + "\n")
    write_csv(tmp_path / "sub" / "b.csv", [{"text": BODY}])
    docs, errors = read(tmp_path)
    assert not errors and [d.source.rsplit("/", 1)[-1] for d in docs] == ["a.jsonl#1", "b.csv#1"]
