"""The checking front of `kg serve`: an HTTP server on the user's host and port that lets through
only checked, read-only queries to the ``oxigraph serve-read-only`` process behind it.

Neither pyoxigraph nor the oxigraph server can be told not to execute ``SERVICE``, and the
server answers any ``Host:`` header (docs/sources.md, "Measured 2026-12-07"), so the server
listens on a random loopback port and this front decides what reaches it:

- the ``Host:`` header must name the address served (a page using DNS rebinding sends its own
  name), and a request carrying an ``Origin:`` must come from a page served by this machine
  (localhost, 127.0.0.1, [::1]); those get CORS headers, so browser tools on the same machine work;
- only ``/query`` answers, by GET or POST (form or ``application/sparql-query`` body); updates,
  the Graph Store Protocol and dataset parameters are refused;
- the query is checked as `kg query` checks it (`kg.query.checker`, in its own process with a
  time limit on parsing), within `MAX_BODY` bytes, and the checked text, the project's
  PREFIXes predeclared, is what the server runs.
"""
from __future__ import annotations

import ctypes
import json
import select
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kg.query.guard import MAX_QUERY_CHARS

MAX_BODY = 4 * MAX_QUERY_CHARS  # form encoding may take three bytes per character
CHECK_TIME_S = 5.0  # a query that takes longer than this to check is refused
START_TIME_S = 60.0  # the checker process's imports, on a busy machine
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


class Checker:
    """One `kg.query.checker` process, restarted when a check runs past `CHECK_TIME_S`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            # no die_with_parent here: it would fire when the request's thread ends; the checker
            # ends by itself when its stdin closes, as it does when this process dies
            self._proc = subprocess.Popen([sys.executable, "-m", "kg.query.checker"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            ready, _, _ = select.select([self._proc.stdout], [], [], START_TIME_S)
            if not ready or self._proc.stdout.readline() != b"ready\n":
                self.close()
                raise OSError("the query checker did not start")
        return self._proc

    def check(self, text: str) -> dict:
        """``{"text": ..., "kind": ...}`` or ``{"error": ...}`` for ``text``."""
        with self._lock:
            try:
                proc = self._start()
                proc.stdin.write((json.dumps({"q": text}) + "\n").encode("utf-8"))
                proc.stdin.flush()
                ready, _, _ = select.select([proc.stdout], [], [], CHECK_TIME_S)
                line = proc.stdout.readline() if ready else b""
            except OSError:
                line = b""
            if not line:
                self.close()
                return {"error": f"the query could not be checked within {CHECK_TIME_S:g} s; it is refused"}
            return json.loads(line)

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self._proc = None


def _prctl():
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()  # looked up here: a child between fork and exec must not import or allocate


def die_with_parent() -> None:
    """In a child before exec: be sent SIGTERM when the parent dies (Linux), so a `kg serve`
    killed with SIGKILL leaves no server running. The signal comes when the *thread* that
    started the child ends: call it only for children started by the main thread."""
    if _PRCTL is not None:
        _PRCTL(1, 15)  # PR_SET_PDEATHSIG, SIGTERM


def host_names(host: str, port: int) -> set[str]:
    """The ``Host:`` values a request to ``host:port`` may carry (lower case)."""
    literal = f"[{host}]" if ":" in host else host
    names = {f"{literal}:{port}".lower()}
    if literal.lower() in LOOPBACK_NAMES or host.startswith("127."):
        names |= {f"{n}:{port}" for n in LOOPBACK_NAMES}
    return names


def origin_allowed(origin: str) -> bool:
    """Whether a page from ``origin`` may use the endpoint: pages served by this machine."""
    parts = urllib.parse.urlsplit(origin)
    try:
        hostname = parts.hostname or ""
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and (hostname in ("localhost", "::1") or hostname.startswith("127."))


class Front(ThreadingHTTPServer):
    """The front server: ``backend`` is the read-only server's query URL."""

    daemon_threads = True

    def __init__(self, address: tuple, backend: str, timeout_s: float, family: int) -> None:
        self.address_family = family
        self.checker = Checker()  # before binding: a failed bind closes the server
        super().__init__(address, Handler)
        self.checker.check("ASK {}")  # started now, not by the first request
        self.backend = backend
        self.timeout_s = timeout_s
        self.hosts = host_names(address[0], self.server_address[1])
        self.wildcard = address[0] in ("0.0.0.0", "::")

    def server_close(self) -> None:
        super().server_close()
        self.checker.close()


class Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"
    server_version = "kg-serve"

    def log_message(self, *args) -> None:  # quiet: the terminal shows where it serves, not each request
        pass

    # -- answers -------------------------------------------------------------------------------
    def _cors(self) -> None:
        origin = self.headers.get("Origin")
        if origin and origin_allowed(origin):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")

    def _error(self, code: int, message: str) -> None:
        body = f"kg serve: {message}\n".encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._cors()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _admitted(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if not self.server.wildcard and host not in self.server.hosts:
            self._error(403, f"the Host header {host!r} is not the address served "
                             f"({', '.join(sorted(self.server.hosts))})")
            return False
        origin = self.headers.get("Origin")
        if origin and not origin_allowed(origin):
            self._error(403, f"requests from pages of {origin} are refused (only pages served by this machine)")
            return False
        return True

    # -- methods -------------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        if not self._admitted():
            return
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if not self._admitted():
            return
        path, _, query = self.path.partition("?")
        if path == "/":
            self._error(200, "a read-only SPARQL endpoint: send queries to /query (GET ?query=... or POST)")
            return
        if path != "/query":
            self._refuse_path(path)
            return
        self._run(urllib.parse.parse_qs(query, keep_blank_values=True))

    def do_POST(self) -> None:
        if not self._admitted():
            return
        path, _, query = self.path.partition("?")
        if path != "/query":
            self._refuse_path(path)
            return
        body = self._body()
        if body is None:
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        if ctype == "application/sparql-query":
            params.setdefault("query", []).append(body.decode("utf-8", "replace"))
        elif ctype == "application/x-www-form-urlencoded":
            for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        else:
            self._error(415, f"unsupported Content-Type {ctype!r}: send application/sparql-query "
                             "or a form (application/x-www-form-urlencoded)")
            return
        self._run(params)

    def do_PUT(self) -> None:
        if self._admitted():
            self._error(405, "the endpoint is read-only: updates and uploads are refused")

    do_DELETE = do_PATCH = do_PUT

    def _refuse_path(self, path: str) -> None:
        if path.rstrip("/") in ("/update", "/store"):
            self._error(403, "the endpoint is read-only: updates and the Graph Store Protocol are refused")
        else:
            self._error(404, f"no such path {path!r}: queries go to /query")

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self._error(411, "a POST needs a Content-Length")
            return None
        n = int(length)
        if n > MAX_BODY:
            self.close_connection = True
            self._error(413, f"the request is too large ({n} bytes; the limit is {MAX_BODY})")
            return None
        return self.rfile.read(n)

    def _run(self, params: dict) -> None:
        if "update" in params:
            self._error(403, "updates are refused: the endpoint is read-only")
            return
        if "default-graph-uri" in params or "named-graph-uri" in params:
            self._error(400, "default-graph-uri and named-graph-uri are refused: the default graph is the "
                             "union of the store's graphs; use GRAPH <...> { ... } in the query")
            return
        texts = params.get("query", [])
        if len(texts) != 1:
            self._error(400, "give exactly one query parameter")
            return
        checked = self.server.checker.check(texts[0])
        if "error" in checked:
            self._error(400, checked["error"])
            return
        self._forward(checked["text"])

    def _forward(self, text: str) -> None:
        data = urllib.parse.urlencode({"query": text}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.headers.get("Accept"):
            headers["Accept"] = self.headers["Accept"]
        req = urllib.request.Request(self.server.backend, data=data, method="POST", headers=headers)
        try:
            resp = urllib.request.urlopen(req, timeout=self.server.timeout_s + 5)  # noqa: S310 - our loopback URL
        except urllib.error.HTTPError as err:
            resp = err
        except (urllib.error.URLError, OSError) as err:
            self._error(502, f"the query server did not answer ({getattr(err, 'reason', err)})")
            return
        with resp:
            self.send_response(resp.status if hasattr(resp, "status") else resp.code)
            self.send_header("Content-Type", resp.headers.get("Content-Type", "application/octet-stream"))
            self.send_header("Transfer-Encoding", "chunked")
            self._cors()
            self.end_headers()
            while chunk := resp.read(65536):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
