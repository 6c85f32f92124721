"""Tests for kg.ingest.reader: read_document and read_documents (errors per file, the log, limits, sources)."""
from __future__ import annotations

import logging
import os

import pytest
from ingest_helpers import BODY, assert_input_error, write

from kg.errors import InputError
from kg.ingest import iter_files, read_document, read_documents
from kg.limits import IngestLimits, parse_size


def test_read_documents_collects_errors_and_goes_on(tmp_path):
    good = write(tmp_path / "in" / "good.txt", f"Border talks resume\n\n{BODY}\n")
    write(tmp_path / "in" / "empty.txt", "")
    missing = tmp_path / "missing.txt"
    errors: list[InputError] = []
    docs = list(read_documents([tmp_path / "in", missing], on_error=errors.append))
    assert [d.source for d in docs] == [good.as_posix()]
    assert sorted(e.path for e in errors) == sorted([(tmp_path / "in" / "empty.txt").as_posix(), missing.as_posix()])
    with pytest.raises(InputError):
        list(read_documents([tmp_path / "in"], strict=True))


def test_read_documents_logs_when_no_callback(tmp_path, caplog):
    write(tmp_path / "empty.txt", "  \n")
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        assert list(read_documents([tmp_path])) == []
    assert "empty.txt" in caplog.text


def test_unreadable_folder_is_reported_and_the_rest_is_read(tmp_path, run_unprivileged):
    write(tmp_path / "in" / "good.txt", f"Border talks resume\n\n{BODY}\n")
    locked = tmp_path / "in" / "locked"
    write(locked / "hidden.txt", f"Border talks resume\n\n{BODY}\n")
    locked.chmod(0o000)
    code = """
import sys
from kg.ingest import read_documents
docs = list(read_documents([sys.argv[1]], on_error=lambda e: print("error", e)))
print("read", *[d.source for d in docs])
"""
    out = run_unprivileged(code, str(tmp_path / "in"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        f"error {locked.as_posix()}: cannot read folder: Permission denied",
        f"read {(tmp_path / 'in' / 'good.txt').as_posix()}",
    ]


def test_empty_and_whitespace_files(tmp_path):
    assert_input_error(write(tmp_path / "empty.txt", ""), "no article text")
    assert_input_error(write(tmp_path / "blank.html", " \n\t\n"), "no article text")


def test_article_text_too_long(tmp_path):
    path = write(tmp_path / "long.txt", f"Border talks resume\n\n{BODY}\n")
    assert_input_error(path, r"article text too long \(1[0-9]{2} characters; the limit is 50\)",
                       limits=IngestLimits(max_chars=50))


def test_limits_are_checked_and_sizes_parsed():
    with pytest.raises(ValueError, match="max_depth"):
        IngestLimits(max_depth=0)
    with pytest.raises(ValueError, match="at most"):
        IngestLimits(max_depth=5000)
    with pytest.raises(ValueError, match="max_bytes"):
        IngestLimits(max_bytes=-1)
    assert [parse_size(s) for s in ("700", "512K", "20M", "20MiB", "1g")] == [
        700, 512 * 1024, 20 * 1024 ** 2, 20 * 1024 ** 2, 1024 ** 3]
    with pytest.raises(ValueError, match="not a size"):
        parse_size("12Q")


def test_hostile_file_name_is_one_escaped_line(tmp_path):
    name = 'evil\n"<>\u202etxt.png.txt'
    path = write(tmp_path / name, f"Border talks resume\n\n{BODY}\n")
    doc = read_document(path)
    assert doc.source == (tmp_path / 'evil\\n"<>\\u202etxt.png.txt').as_posix()
    empty = write(tmp_path / f"{name}.txt", b"")
    with pytest.raises(InputError) as err:
        read_document(empty)
    assert err.value.path == empty.as_posix()  # the real name, for programs
    assert str(err.value) == f'{tmp_path.as_posix()}/evil\\n"<>\\u202etxt.png.txt.txt: empty file (0 bytes): no article text'


def test_file_name_that_is_not_utf8(tmp_path):
    raw_name = os.fsencode(tmp_path) + b"/caf\xe9 \xff.txt"  # Latin-1 bytes: no UTF-8 name
    with open(raw_name, "wb") as fh:
        fh.write(f"Border talks resume\n\n{BODY}\n".encode())
    (path,) = iter_files([tmp_path])
    doc = read_document(path)
    assert doc.source == f"{tmp_path.as_posix()}/caf\\udce9 \\udcff.txt"
    doc.source.encode("utf-8")  # printable and storable: no lone surrogate left
