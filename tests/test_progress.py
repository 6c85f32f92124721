"""kg.progress: bars only for a person at a terminal, never with --quiet."""
from __future__ import annotations

import io
import sys

import pytest

from conftest import SEEDS
from kg.progress import Progress, track, wanted


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_follows_the_terminal_and_quiet(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    monkeypatch.setattr(sys, "stdout", _Tty())
    assert not wanted()  # stdout on a terminal does not matter: the bar goes to stderr
    monkeypatch.setattr(sys, "stderr", _Tty())
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert wanted()
    assert not wanted(quiet=True)


def _run_with_a_terminal_on(stream: str, code: str, tmp_path) -> tuple[str, str]:
    """Run ``python -c code`` with one of stdout/stderr on a pseudo-terminal and the other in a
    file; returns (what the terminal got, what the file got)."""
    import os
    import pty
    import subprocess

    master, slave = pty.openpty()
    log = tmp_path / "other.log"
    with open(log, "wb") as fh:
        streams = {"stdout": slave, "stderr": fh} if stream == "stdout" else {"stdout": fh, "stderr": slave}
        p = subprocess.Popen([sys.executable, "-c", code], **streams)
        os.close(slave)
        got = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            got += chunk
        p.wait(600)
    os.close(master)
    return got.decode("utf-8", "replace"), log.read_text(encoding="utf-8", errors="replace")


def test_the_switch_is_stderr_in_a_real_process(tmp_path):
    code = "import sys; from kg.progress import wanted; sys.stdout.write(str(wanted()) + '\\n')"
    on_tty, in_file = _run_with_a_terminal_on("stderr", code, tmp_path)
    assert in_file.strip() == "True"  # `kg build arts >out.log`: the bar still shows on the terminal
    on_tty, _ = _run_with_a_terminal_on("stdout", code, tmp_path)
    assert on_tty.strip() == "False"  # `kg build arts 2>err.log`: no control codes in the log


@pytest.mark.slow
def test_kg_build_keeps_control_codes_out_of_a_redirected_stderr(tmp_path):
    code = ("import sys; from kg.cli import main; "
            f"main(['build', {str(SEEDS)!r}, '--store', {str(tmp_path / 'store')!r}])")
    on_tty, err_log = _run_with_a_terminal_on("stdout", code, tmp_path)
    assert "built 2 document(s)" in on_tty
    assert "\x1b" not in err_log and "\r" not in err_log, err_log[:300]


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
