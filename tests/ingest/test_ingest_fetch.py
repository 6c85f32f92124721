"""Tests for kg.ingest.fetch and `kg build --urls`, against an HTTP server the test starts on
127.0.0.1 (no other address is ever contacted)."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from ingest_helpers import BODY

from kg.errors import InputError
from kg.ingest import read_documents
from kg.ingest.fetch import fetch_urls, saved_path

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
PAGE = (f"<html><head><title>Border talks resume</title></head><body><article><h1>Border talks resume</h1>"
        f"<p>{BODY}</p><p>{BODY.replace('Saturday', 'Sunday')}</p></article></body></html>").encode()


class Site:
    """A small site: pages, a robots.txt, a slow page, a big one, a PDF; it counts the requests."""

    def __init__(self, robots: str | None = "User-agent: *\nDisallow: /private/\n"):
        self.requests: list[str] = []
        self.pages = {"/a": PAGE, "/dev02": (ARTICLES / "dev_02_khash-bomber-pakistani.html").read_bytes(),
                      "/dev05": (ARTICLES / "dev_05_guards-recovered.html").read_bytes(),
                      "/private/x": PAGE}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                site.requests.append(self.path)
                if self.path == "/robots.txt" and robots is not None:
                    return self.reply(200, robots.encode(), "text/plain")
                if self.path == "/slow":
                    time.sleep(1.5)
                    return self.reply(200, PAGE)
                if self.path == "/big":
                    return self.reply(200, b"<html><body><p>" + b"x " * 200_000 + b"</p></body></html>")
                if self.path == "/report.pdf":
                    return self.reply(200, b"%PDF-1.4 ...", "application/pdf")
                if self.path == "/moved":
                    self.send_response(301)
                    self.send_header("Location", "/a")
                    self.end_headers()
                    return None
                if self.path in site.pages:
                    return self.reply(200, site.pages[self.path])
                return self.reply(404, b"<html><body>Not found</body></html>")

            def reply(self, code: int, body: bytes, kind: str = "text/html; charset=utf-8"):
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def test_fetched_once_saved_as_warc_read_back_offline(site, tmp_path):
    urls = [f"{site.base}/a", f"{site.base}/moved"]
    files = fetch_urls(urls, tmp_path / "fetched", delay=0)
    assert files == [saved_path(tmp_path / "fetched", u) for u in urls] and all(f.exists() for f in files)
    assert site.requests == ["/robots.txt", "/a", "/moved", "/a"]
    docs = list(read_documents(files, strict=True))  # in the order of the files' (hashed) names
    assert sorted(d.url for d in docs) == sorted(urls) and all(d.title == "Border talks resume" for d in docs)
    assert sorted(d.source for d in docs) == sorted(f"{f.as_posix()}#{u}" for f, u in zip(files, urls))
    before = len(site.requests)
    assert fetch_urls(urls, tmp_path / "fetched", delay=0) == files
    assert len(site.requests) == before  # nothing requested again


def test_each_failure_is_one_error_naming_the_url(site, tmp_path):
    names = ["/missing", "/slow", "/big", "/report.pdf", "/private/x", "/a"]
    errors: list[InputError] = []
    files = fetch_urls([site.base + n for n in names] + ["file:///etc/passwd"], tmp_path / "f", on_error=errors.append,
                       timeout=0.5, max_bytes=100_000, delay=0)
    assert len(files) == 1 and files[0] == saved_path(tmp_path / "f", f"{site.base}/a")
    said = {e.path: str(e).split(": ", 1)[1] for e in errors}
    assert said == {
        f"{site.base}/missing": "HTTP 404 Not Found",
        f"{site.base}/slow": "timed out (no answer within 0.5 s)",
        f"{site.base}/big": "page too large (390.7 KiB; the limit is 97.7 KiB, see --max-bytes)",
        f"{site.base}/report.pdf": "not an HTML page (content type application/pdf)",
        f"{site.base}/private/x": "refused by the site's robots.txt",
        "file:///etc/passwd": "not an http(s) URL",
    }
    assert all("\n" not in str(e) for e in errors)
    assert "/private/x" not in site.requests


def test_requests_to_one_host_are_spaced(site, tmp_path):
    started = time.monotonic()
    fetch_urls([f"{site.base}/a", f"{site.base}/dev02"], tmp_path / "f", delay=0.3)
    assert time.monotonic() - started >= 0.6  # robots.txt, /a, /dev02: two waits


def test_unreachable_robots_txt_allows_nothing(tmp_path):
    s = Site(robots=None)
    try:
        s.pages["/robots.txt"] = b""  # served as HTML with status 200 and empty: allows everything
        assert len(fetch_urls([f"{s.base}/a"], tmp_path / "f", delay=0)) == 1
    finally:
        s.close()
    errors: list[InputError] = []
    # the server is gone: robots.txt cannot be read, so the page is not fetched
    assert fetch_urls([f"{s.base}/dev02"], tmp_path / "g", on_error=errors.append, delay=0, timeout=2) == []
    assert "robots.txt" in str(errors[0])


@pytest.mark.slow
def test_kg_build_urls_fetches_builds_and_rebuilds_offline(site, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    good = tmp_path / "urls.txt"
    good.write_text(f"# two pages of the dev set\n{site.base}/dev02\n\n{site.base}/dev05\n")
    store = tmp_path / "store"
    run = CliRunner().invoke(main, ["build", "--quiet", "--store", str(store), "--urls", str(good)])
    assert run.exit_code == 0, run.output
    assert run.stdout.startswith("built 2 document(s)") and run.stderr == ""
    assert sorted(site.requests) == ["/dev02", "/dev05", "/robots.txt"]
    again = CliRunner().invoke(main, ["build", "--quiet", "--store", str(store), "--urls", str(good)])
    assert again.exit_code == 0 and again.stdout.startswith("built 0 document(s) into") and "2 unchanged" in again.stdout
    assert len(site.requests) == 3  # rebuilt from STORE/fetched/, no request made
    docs = CliRunner().invoke(main, ["docs", "--store", str(store)])
    assert f"#{site.base}/dev02" in docs.stdout and "Guards commander says" in docs.stdout

    bad = tmp_path / "bad.txt"
    bad.write_text("".join(f"{site.base}{p}\n" for p in ("/missing", "/slow", "/big", "/report.pdf")))
    run = CliRunner().invoke(main, ["build", "--quiet", "--store", str(store), "--urls", str(bad),
                                    "--fetch-timeout", "0.5", "--max-bytes", "100K"])
    lines = run.stderr.splitlines()
    assert len(lines) == 4 and all(line.startswith(f"kg: skipped {site.base}/") for line in lines)
    for path, said in zip(("/missing", "/slow", "/big", "/report.pdf"),
                          ("HTTP 404", "timed out", "page too large", "not an HTML page")):
        assert any(line.startswith(f"kg: skipped {site.base}{path}: {said}") for line in lines), lines
