"""Tests for kg.ingest.files: which paths are article files, and reading their bytes (the size
limit, named pipes, folders, permissions)."""
from __future__ import annotations

import os

import pytest
from ingest_helpers import BODY, assert_input_error, write

from kg.errors import InputError
from kg.ingest import iter_files, read_document


_READ_ONE = """
import sys
from kg.errors import InputError
from kg.ingest import read_document
try:
    read_document(sys.argv[1])
except InputError as err:
    print(err)
"""


def test_iter_files_recursion_and_filter(tmp_path):
    write(tmp_path / "b.TXT", BODY)
    write(tmp_path / "a.html", BODY)
    write(tmp_path / "sub" / "deeper" / "c.htm", BODY)
    write(tmp_path / "sub" / "notes.md", BODY)
    write(tmp_path / "sub" / "image.png", b"\x89PNG\r\n")
    write(tmp_path / ".git" / "d.txt", BODY)
    write(tmp_path / "sub" / ".hidden.txt", BODY)
    files = iter_files([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.html", "b.TXT", "sub/deeper/c.htm"]
    assert iter_files([tmp_path / "sub", tmp_path / "a.html", tmp_path / "sub"]) == sorted(
        [tmp_path / "a.html", tmp_path / "sub" / "deeper" / "c.htm"]
    )
    (tmp_path / "empty-dir").mkdir()
    assert iter_files([tmp_path / "empty-dir"]) == []


def test_iter_files_missing_path_and_wrong_type(tmp_path):
    missing = tmp_path / "nope" / "gone.txt"
    with pytest.raises(InputError, match="no such file") as err:
        iter_files([missing])
    assert missing.as_posix() in str(err.value)
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.4")
    with pytest.raises(InputError, match="unsupported file type") as err:
        iter_files([pdf])
    assert pdf.as_posix() in str(err.value)


def test_missing_file(tmp_path):
    assert_input_error(tmp_path / "missing.txt", "no such file")


def test_folder_given_to_read_document(tmp_path):
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    assert_input_error(folder, "folder")


def test_unreadable_file(tmp_path, run_unprivileged):
    path = write(tmp_path / "secret.txt", f"Border talks resume\n\n{BODY}\n")
    path.chmod(0o000)
    out = run_unprivileged(_READ_ONE, str(path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"{path.as_posix()}: cannot read file: permission denied"
    path.chmod(0o644)  # the same file, readable, is read: the message was about permission
    out = run_unprivileged(_READ_ONE, str(path))
    assert out.returncode == 0 and out.stdout == "", out.stdout + out.stderr


def test_too_large(tmp_path):
    path = write(tmp_path / "big.txt", f"Border talks resume\n\n{BODY}\n")
    assert_input_error(path, "too large", max_bytes=50)
    assert read_document(path, max_bytes=10_000).title == "Border talks resume"


def test_size_limit_is_decided_by_stat_on_a_sparse_file(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MiB on paper, no blocks on disk
    assert_input_error(path, r"file too large \(200 MiB; the limit is 20 MiB, see --max-bytes\)")
    assert_input_error(path, r"file too large \(200 MiB; the limit is 1 MiB", max_bytes=1024 * 1024)


def test_named_pipe_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_input_error(fifo, "is a named pipe, not a regular file")  # a blocking open would hang here
    assert iter_files([tmp_path]) == []  # a folder walk passes over it
