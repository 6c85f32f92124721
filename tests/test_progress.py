"""kg.progress: bars only for a person at a terminal, never with --quiet."""
from __future__ import annotations

import io
import sys

from conftest import SEEDS
from kg.progress import Progress, track, wanted


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_follows_the_terminal_and_quiet(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert not wanted()
    monkeypatch.setattr(sys, "stdout", _Tty())
    assert wanted()
    assert not wanted(quiet=True)


def test_track_yields_everything_silently_or_not(capsys):
    assert list(track(range(5), "x")) == list(range(5))
    assert capsys.readouterr().err == ""
    assert list(track(range(5), "counting", 5, enabled=True)) == list(range(5))
    assert "counting" in capsys.readouterr().err


def test_disabled_progress_writes_nothing(capsys):
    with Progress("silent", 3) as bar:
        bar.update(3)
    assert capsys.readouterr().err == ""


def test_build_with_progress_draws_its_stages(tmp_path, capsys, nlp):
    from kg.build import build
    from kg.store import KGStore

    with KGStore(tmp_path / "s") as store:
        build([SEEDS], store, progress=True)
    err = capsys.readouterr().err
    assert "extracting" in err and "writing" in err
