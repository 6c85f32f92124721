"""Fetching a list of URLs over HTTP(S), politely and within limits, into files a build reads.

Each page is saved as a one-record web archive (``<folder>/<host>/<hash>.warc.gz``, the format
crawlers use; warc.py reads it), so a rebuild needs no network: a URL whose file exists is not
requested again. Every request has a timeout and a size cap, only HTML is kept, robots.txt is
respected (RFC 9309: a missing one allows everything, an unreachable one nothing), and requests to
one host are spaced by a delay (or the host's Crawl-delay, when longer). Each URL that fails is
reported on its own, naming it.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kg import __version__
from kg.errors import InputError
from kg.limits import DEFAULT_MAX_BYTES, format_size

USER_AGENT = f"newskg/{__version__}"
DEFAULT_TIMEOUT = 20.0  # seconds for one URL, connection and body together
DEFAULT_DELAY = 1.0  # seconds between two requests to the same host
_MAX_CRAWL_DELAY = 30.0  # a robots.txt asking for more is not followed that far
_ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB of it
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects followed to http(s) only (urllib would follow one to ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 (urllib's API)
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to a non-HTTP address ({newurl})", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class _Response:
    status: str  # "200 OK"
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Fetcher:
    """Fetches pages under the limits; one instance keeps the robots.txt and timing of each host."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    delay: float = DEFAULT_DELAY
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # no ProxyHandler argument: the environment's proxies still apply, as for any client
        self._opener = urllib.request.build_opener(_HttpOnlyRedirects())

    def _wait_turn(self, host: str, delay: float) -> None:
        last = self._last.get(host)
        if last is not None:
            time.sleep(max(0.0, last + delay - time.monotonic()))
        self._last[host] = time.monotonic()

    def _get(self, url: str, max_bytes: int) -> _Response:
        """The response to a GET of ``url``; `InputError` naming it for anything but a body read whole."""
        host = urlsplit(url).netloc.lower()
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay(USER_AGENT) if robots is not None else None
        self._wait_turn(host, min(max(self.delay, float(crawl_delay or 0)), _MAX_CRAWL_DELAY))
        deadline = time.monotonic() + self.timeout
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.1"})
        try:
            with self._opener.open(request, timeout=self.timeout) as resp:
                size = resp.headers.get("Content-Length")
                if size and size.isdigit() and int(size) > max_bytes:
                    raise InputError(f"page too large ({format_size(int(size))}; the limit is "
                                     f"{format_size(max_bytes)}, see --max-bytes)", url)
                body = _read_until(resp, max_bytes, deadline, url)
                return _Response(f"{resp.status} {resp.reason}", list(resp.headers.items()), body)
        except urllib.error.HTTPError as err:
            failed = InputError(f"HTTP {err.code} {err.reason}", url)
            failed.status = err.code  # type: ignore[attr-defined]
            raise failed from None
        except (TimeoutError, OSError) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                raise InputError(f"timed out (no answer within {self.timeout:g} s)", url) from None
            raise InputError(f"cannot fetch ({reason})", url) from None

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets newskg fetch ``url`` (read once per host)."""
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            self._robots[host] = self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        robots = self._robots[host]
        return robots is None or robots.can_fetch(USER_AGENT, url)

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parser = urllib.robotparser.RobotFileParser(url)
        try:
            resp = self._get(url, _ROBOTS_MAX_BYTES)
        except InputError as err:
            if 400 <= getattr(err, "status", 0) < 500:
                return None  # no robots.txt: everything is allowed
            parser.disallow_all = True  # unreachable or a server error: nothing is
            return parser
        parser.parse(resp.body.decode("utf-8", "replace").splitlines())
        return parser

    def fetch(self, url: str) -> _Response:
        """The HTML page at ``url``; `InputError` naming it when refused, failed or not HTML."""
        if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
            raise InputError("not an http(s) URL", url)
        if not self.allowed(url):
            raise InputError("refused by the site's robots.txt", url)
        resp = self._get(url, self.max_bytes)
        kind = next((v for k, v in resp.headers if k.lower() == "content-type"), "")
        if kind.split(";")[0].strip().lower() not in _HTML_TYPES:
            raise InputError(f"not an HTML page (content type {kind or 'not given'})", url)
        return resp


def _read_until(resp, max_bytes: int, deadline: float, url: str) -> bytes:
    """The body, read in pieces so that neither its size nor a slow sender can exceed the limits."""
    chunks, total = [], 0
    while True:
        if time.monotonic() > deadline:
            raise InputError("timed out while reading the page", url)
        chunk = resp.read(65536)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise InputError(f"page too large (more than {format_size(max_bytes)}; see --max-bytes)", url)
        chunks.append(chunk)


def saved_path(folder: Path, url: str) -> Path:
    """Where the page of ``url`` is kept: ``<folder>/<host>/<hash of the URL>.warc.gz``."""
    host = re.sub(r"[^A-Za-z0-9.\-]", "_", urlsplit(url).netloc.lower()) or "_"
    return folder / host / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:16] + ".warc.gz")


def _save(path: Path, url: str, resp: _Response) -> None:
    """Write the response as a one-record WARC, whole or not at all (a temporary name, renamed)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders(resp.status, resp.headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(resp.body),
                                                      http_headers=headers))
    os.replace(tmp, path)


def read_url_list(path: str | Path) -> list[str]:
    """The URLs of a list file: one a line; blank lines and lines starting with "#" skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError as err:
        raise InputError(f"cannot read the URL list: {err.strerror or err}", Path(path).as_posix()) from err
    return list(dict.fromkeys(s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")))


def fetch_urls(urls: Iterable[str], folder: str | Path, *, on_error: Callable[[InputError], None] | None = None,
               timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
               delay: float = DEFAULT_DELAY) -> list[Path]:
    """Fetch each URL not fetched before into ``folder``; return the files of all that are there.

    A URL that fails (refused by robots.txt, an HTTP error, a timeout, too large, not HTML) goes
    to ``on_error`` as an `InputError` naming it, and is tried again on the next run.
    """
    folder = Path(folder)
    fetcher = Fetcher(timeout=timeout, max_bytes=max_bytes, delay=delay)
    out: list[Path] = []
    for url in urls:
        path = saved_path(folder, url)
        if not path.exists():
            try:
                _save(path, url, fetcher.fetch(url))
            except InputError as err:
                if on_error is None:
                    raise
                on_error(err)
                continue
        out.append(path)
    return out
