"""Data that must not be lost (issue 26): the store and the user's files stay as they were.

Each test builds a small store from two short articles in a folder of their own (stored
sources are paths, so a copy elsewhere would name other files).
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.ingest.files import iter_files
from kg.store import KGStore

ARTICLES = {
    "a.txt": "Border commanders meet in Taftan\n\nBorder commanders of Iran and Pakistan met in Taftan on "
             "Monday to discuss security along the frontier, officials said.\n",
    "b.txt": "Guards quote a web page\n\nThe page began with <!DOCTYPE html> and an <!ENTITY x \"y\"> line, "
             "the IRGC said in Tehran on Tuesday.\n",
}


@pytest.fixture
def work(tmp_path, nlp):
    from kg.build import build

    base = tmp_path / "w"
    folder = base / "prs"
    folder.mkdir(parents=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with KGStore(base / "store") as store:
        build([folder], store)
    return base


def kg(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def knowledge(store: Path) -> bytes:
    from kg.namespaces import BUILD_LOG_GRAPH
    from kg.store.dump import dump_bytes

    with KGStore(store, read_only=True) as s:
        return dump_bytes(s, exclude=[BUILD_LOG_GRAPH])


def documents(store: Path) -> int:
    from kg.query.stats import documents as docs

    with KGStore(store, read_only=True) as s:
        return len(docs(s))


def tree(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def one_error_line(r) -> str:
    assert r.exit_code != 0, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:") and "Traceback" not in r.output, r.output
    return lines[0]


# -- --prune --------------------------------------------------------------------------------------
def test_prune_of_a_missing_path_keeps_everything_under_it(work, monkeypatch):
    before = knowledge(work / "store")
    (work / "prs").rename(work / "elsewhere")  # unmounted, mistyped, moved
    r = kg("build", "--prune", "--store", work / "store", work / "prs")
    assert "removed" not in r.output, r.output
    assert knowledge(work / "store") == before


def test_prune_of_an_unreadable_path_keeps_everything_under_it(work, monkeypatch):
    from kg.build.incremental import missing_documents

    (work / "prs" / "a.txt").unlink()
    real_listdir = os.listdir

    def denied(path="."):
        if os.path.abspath(path).startswith(str(work / "prs")):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", denied)  # as root, chmod 000 denies nothing
    with KGStore(work / "store", read_only=True) as s:
        assert missing_documents(s, [work / "prs"]) == []
    monkeypatch.setattr(os, "listdir", real_listdir)
    with KGStore(work / "store", read_only=True) as s:
        assert [Path(d.source).name for d in missing_documents(s, [work / "prs"])] == ["a.txt"]


# -- --store on a folder that is not a store ---------------------------------------------------------
@pytest.mark.parametrize("layout", ["plain", "CURRENT", "gen-"])
def test_a_folder_that_is_not_a_store_is_refused_and_untouched(work, tmp_path, layout):
    folder = tmp_path / "mine"
    (folder / "notes").mkdir(parents=True)
    (folder / "notes" / "n.txt").write_text("mine")
    (folder / "todo.md").write_text("mine too")
    if layout == "CURRENT":
        (folder / "CURRENT").write_text("a file of mine called CURRENT")
    if layout == "gen-":
        (folder / "gen-2024").mkdir()
        (folder / "gen-2024" / "photo.jpg").write_bytes(b"\xff\xd8")
    before = tree(folder)
    for args in (["build", "--store", folder, work / "prs"], ["load", "--store", folder, tmp_path / "x.nq"],
                 ["stats", "--store", folder], ["remove", "--store", folder, "x"]):
        if args[0] == "load":
            (tmp_path / "x.nq").write_text("<http://s> <http://p> <http://o> <http://g> .\n")
        line = one_error_line(kg(*args))
        assert "not a knowledge-graph store" in line or "no knowledge-graph store" in line, line
        assert tree(folder) == before


def test_a_store_of_the_old_layout_without_the_marker_is_still_a_store(work):
    (work / "store" / "KGSTORE").unlink()
    assert (work / "store" / "GENERATION").exists()
    r = kg("stats", "--store", work / "store")
    assert r.exit_code == 0, r.output
    r = kg("build", "--store", work / "store", work / "prs")
    assert r.exit_code == 0 and "2 unchanged" in r.output, r.output
    assert (work / "store" / "KGSTORE").exists()


def test_store_that_is_a_file_or_cannot_be_created_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    assert "is a file" in one_error_line(kg("build", "--store", tmp_path / "file", tmp_path))
    one_error_line(kg("build", "--store", "/proc/kg-store-here", tmp_path))
    one_error_line(kg("load", "--store", "/proc/kg-store-here", tmp_path / "none.nq"))


# -- dump and export ----------------------------------------------------------------------------
def test_dump_writes_through_a_symlink(work, tmp_path):
    real = tmp_path / "real.nq"
    real.write_text("old")
    link = tmp_path / "link.nq"
    link.symlink_to(real)
    r = kg("dump", "--store", work / "store", link)
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and real.read_text().startswith("<")


def test_export_writes_through_a_symlink(work, tmp_path):
    real = tmp_path / "real.graphml"
    link = tmp_path / "link.graphml"
    link.symlink_to(real)
    r = kg("export", "graphml", link, "--store", work / "store")
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and real.read_bytes().startswith(b"<?xml")


def test_dump_and_export_refuse_special_files(work, tmp_path):
    fifo = tmp_path / "pipe.nq"
    os.mkfifo(fifo)
    assert "special file" in one_error_line(kg("dump", "--store", work / "store", fifo))
    fifo2 = tmp_path / "pipe.graphml"
    os.mkfifo(fifo2)
    assert "special file" in one_error_line(kg("export", "graphml", fifo2, "--store", work / "store"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.graphml", "pipe.nq", "w"]


def test_a_failed_dump_leaves_no_temporary_file(work, tmp_path, monkeypatch):
    import kg.store.dump as dumpmod

    def full(fh, data):
        fh.write(data[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(dumpmod, "write_hook", full)  # the documented seam for a full disk
    out = tmp_path / "out.nq"
    out.write_text("previous")
    line = one_error_line(kg("dump", "--store", work / "store", out))
    assert "No space left on device" in line
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nq", "w"]


def test_dump_then_load_with_doctype_in_an_article(work, tmp_path):
    out = tmp_path / "all.nq"
    assert kg("dump", "--store", work / "store", out).exit_code == 0
    assert b"<!DOCTYPE html>" in out.read_bytes()
    r = kg("load", "--store", tmp_path / "copy", out)
    assert r.exit_code == 0, r.output
    assert knowledge(tmp_path / "copy") == knowledge(work / "store")
    trig = tmp_path / "all.trig"
    assert kg("dump", "--store", work / "store", trig).exit_code == 0
    assert kg("load", "--store", tmp_path / "copy2", trig).exit_code == 0


# -- another spelling of the same files -------------------------------------------------------------
def test_another_spelling_of_the_path_is_the_same_documents(work, monkeypatch):
    before = knowledge(work / "store")
    monkeypatch.chdir(work)
    for spelling in ("./prs", "prs/", str(work / "prs") + "/", "prs/../prs"):
        r = kg("build", "--store", work / "store", spelling)
        assert r.exit_code == 0 and "built 0 document(s)" in r.output and "2 unchanged" in r.output, (spelling, r.output)
    assert documents(work / "store") == 2
    assert knowledge(work / "store") == before


# -- links and special files in a walked folder -------------------------------------------------------
def test_links_leaving_the_folder_fifos_and_dangling_links_are_skipped_and_reported(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "ok.txt").write_text("x")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (inbox / "passwd.txt").symlink_to("/etc/passwd")
    (inbox / "secret.txt").symlink_to(outside)
    (inbox / "sub" / "inside.txt").symlink_to(inbox / "ok.txt")  # a link within the folder is fine
    (inbox / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(inbox / "pipe.txt")
    reported: list[InputError] = []
    found = iter_files([inbox], on_error=reported.append)
    assert sorted(p.name for p in found) == ["inside.txt", "ok.txt"]
    problems = {Path(e.path).name: str(e) for e in reported}
    assert set(problems) == {"passwd.txt", "secret.txt", "gone.txt", "pipe.txt"}
    assert "outside the folder" in problems["passwd.txt"] and "dangling" in problems["gone.txt"]
    assert "named pipe" in problems["pipe.txt"]
