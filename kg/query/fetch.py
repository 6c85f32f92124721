"""HTTP to a remote endpoint, bounded: an overall deadline, a size cap on the answer, redirects
only within the same server, and URLs shown without their password.

urllib's own timeout bounds each socket operation, not the exchange: a server that sends one
byte a second keeps it going for ever, and nothing stops an answer of any size. Here the
exchange runs in a thread that the caller stops waiting for at the deadline, and the body is
read as it arrives, counted against `MAX_ANSWER_BYTES`.
"""
from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from kg.errors import QueryError

MAX_ANSWER_BYTES = 256 * 1024 * 1024  # an endpoint's answer larger than this is refused
_CHUNK = 1 << 16


def redact(url: str) -> str:
    """``url`` without a password (``http://user:***@host/``), for messages."""
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)
        return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{netloc[-1]}"))
    except ValueError:
        return "<the endpoint URL>"


def check_url(url: str) -> str:
    """An http(s) URL with a host and a valid port, or QueryError (naming it without a password)."""
    shown = redact(url)
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise QueryError("the endpoint URL contains a space or a control character", shown)
    try:
        parts = urllib.parse.urlsplit(url)
        host, _port = parts.hostname, parts.port
    except ValueError as err:
        raise QueryError(f"the endpoint URL is malformed ({err})", shown) from None
    if parts.scheme not in ("http", "https") or not host:
        raise QueryError("the endpoint must be an http:// or https:// URL", shown)
    return url


class _SameServer(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if (new.scheme, new.netloc) != (old.scheme, old.netloc):
            raise QueryError(f"the endpoint redirected to another server ({redact(newurl)}); not followed",
                             redact(req.full_url))
        if code in (307, 308):  # the same request again, body and method kept (RFC 9110)
            return urllib.request.Request(urllib.parse.urljoin(req.full_url, newurl), data=req.data,
                                          headers=dict(req.header_items()), method=req.get_method())
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameServer)


def _exchange(req: urllib.request.Request, timeout: float | None, deadline: float | None, limit: int,
              box: dict[str, Any]) -> None:
    url = redact(req.full_url)
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.strip().isdigit() and int(length) > limit:
                raise QueryError(f"the endpoint's answer is too large ({int(length)} bytes; the limit is {limit})", url)
            parts, size = [], 0
            # read1: what has arrived, not a full chunk (a read of 64 KiB would wait for all of
            # them, past the deadline)
            while chunk := resp.read1(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise QueryError(f"the endpoint's answer is too large (over {limit} bytes)", url)
                if deadline is not None and time.monotonic() > deadline:
                    raise QueryError(f"no complete answer within {timeout:g} s (the time limit; raise it "
                                     "with --timeout)", url)
                parts.append(chunk)
            box["body"] = b"".join(parts)
    except QueryError as err:
        box["error"] = err
    except urllib.error.HTTPError as err:
        try:
            body = err.read(300).decode("utf-8", "replace").strip()
        except (OSError, http.client.HTTPException):
            body = ""
        body = " ".join(body.split())
        box["error"] = QueryError(f"the endpoint answered HTTP {err.code}: {body or err.reason}", url)
    except (TimeoutError, urllib.error.URLError) as err:
        reason = getattr(err, "reason", err)
        if isinstance(err, TimeoutError) or isinstance(reason, TimeoutError):
            box["error"] = QueryError(f"no answer within {timeout:g} s (the time limit; raise it with --timeout)", url)
        else:
            box["error"] = QueryError(f"cannot reach the endpoint ({' '.join(str(reason).split())[:200]})", url)
    except (http.client.HTTPException, OSError, ValueError) as err:
        what, text = type(err).__name__, " ".join(str(err).split())[:200]
        box["error"] = QueryError(f"the endpoint's answer is not valid HTTP ({what}: {text})", url)


def http_body(req: urllib.request.Request, timeout: float | None, *, limit: int | None = None) -> bytes:
    """The body of ``req``'s answer within ``timeout`` seconds in all (None: no limit) and
    ``limit`` bytes, or QueryError saying which bound failed, or what the server answered."""
    limit = MAX_ANSWER_BYTES if limit is None else limit
    deadline = None if timeout is None else time.monotonic() + timeout
    box: dict[str, Any] = {}
    worker = threading.Thread(target=_exchange, args=(req, timeout, deadline, limit, box), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        # the thread is left to end by itself (it is a daemon, and stops at its next read past
        # the deadline): closing its response from here would wait on the lock its read holds
        raise QueryError(f"no complete answer within {timeout:g} s (the time limit; raise it with --timeout)",
                         redact(req.full_url))
    if "error" in box:
        raise box["error"]
    return box["body"]
