"""Tests for kg.ingest.listing and `kg ingest`: what a build would read, one line per document."""
from __future__ import annotations

import json

from click.testing import CliRunner
from ingest_helpers import BODY, HTML, write

from kg.cli import main

RUSSIAN = ("Министерство обороны заявило в субботу о новых переговорах на границе с Пакистаном и Ираном. "
           "По словам официальных лиц, стороны договорились расширить сотрудничество в области безопасности.")


def test_kg_ingest_lines_json_and_skips(tmp_path):
    page = HTML / "frontier_post.html"
    write(tmp_path / "a.jsonl", json.dumps({"title": "Border talks resume", "date": "2023-07-16", "text": BODY,
                                            "url": "https://news.example/a"}) + "\n"
          + json.dumps({"text": RUSSIAN}) + "\n")
    write(tmp_path / "empty.txt", "")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), str(page)])
    assert result.exit_code == 0, result.output
    # files are read in the order of their paths, which depends on where the checkout lies
    assert sorted(result.stdout.splitlines()) == sorted([
        f"{tmp_path.as_posix()}/a.jsonl#https://news.example/a\t2023-07-16\tBorder talks resume",
        f"{page.as_posix()}\t2023-07-18\tPakistan, Iran agree joint patrols along Balochistan border"])
    assert result.stderr.splitlines() == [
        f"kg: skipped {tmp_path.as_posix()}/a.jsonl#2: not in English (the text reads as Russian, 'ru'); "
        "newskg reads English articles only",
        f"kg: skipped {tmp_path.as_posix()}/empty.txt: empty file (0 bytes): no article text"]

    beside = tmp_path / "b.html"  # in the same folder, so the files' order does not depend on the checkout's path
    beside.write_bytes(page.read_bytes())
    result = CliRunner().invoke(main, ["ingest", "--format", "json", "--any-language", str(tmp_path / "a.jsonl"), str(beside)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["language"] for r in records] == ["en", "ru", "en"]
    first = records[0]
    assert set(first) >= {"source", "title", "date", "author", "outlet", "language", "text", "url"}
    assert (first["text"], first["title"], first["url"]) == (BODY, "Border talks resume", "https://news.example/a")
    assert records[2]["author"] == "Ayesha Siddiqa" and not records[2]["text"].startswith(records[2]["title"])
