"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a snapshot of the store.

The `oxigraph` package's server does the answering (``oxigraph serve-read-only``, with
``--timeout-s`` and ``--union-default-graph`` so queries see what `kg query` sees) on a random
loopback port, behind a checking front on the user's address (`kg.query.front`: the query
check of `kg query`, a Host check, size and parse-time limits, CORS for this machine's pages),
because that server executes SERVICE and answers any Host (docs/sources.md). It serves a
snapshot (``Store.backup``) taken when it starts, not the live store: reading a store while
another process writes it is undefined behaviour (``oxigraph serve-read-only --help``), and the
snapshot leaves the store free for `kg build`. Restart `kg serve` to see a newer build.
"""
from __future__ import annotations

import errno
import ipaddress
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreError
from kg.limits import check_seconds
from kg.query.front import Front, die_with_parent

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program installed with the `oxigraph` package."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the `oxigraph` server program is not installed (pip install oxigraph)")
    return found


def _family(host: str) -> int:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on at ``host`` now."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``oxigraph serve-read-only`` process over a snapshot folder (``process``, on
    ``backend_port`` of 127.0.0.1) behind its checking front (``front``, on ``host:port``)."""

    process: subprocess.Popen
    host: str
    port: int
    snapshot: Path | None
    front: Front | None = None
    backend_port: int = 0
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        literal = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{literal}:{self.port}/query"

    @property
    def backend_url(self) -> str:
        return f"http://127.0.0.1:{self.backend_port}/query"

    def example(self) -> str:
        """A curl command that asks the server something."""
        return (f"curl -s {self.url} -H 'Accept: text/csv' "
                "--data-urlencode 'query=SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }'")

    def stop(self) -> None:
        """Stop the front and the server, and delete the snapshot."""
        if self.front is not None:
            if self.thread is not None:
                self.front.shutdown()
                self.thread.join(10)
            self.front.server_close()
            self.front = None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.snapshot is not None:
            shutil.rmtree(self.snapshot.parent, ignore_errors=True)
            self.snapshot = None


def snapshot(store_path: str | Path, target: Path) -> Path:
    """Copy the store at ``store_path`` into the new folder ``target`` (Oxigraph backup)."""
    from kg.store import KGStore

    with KGStore(store_path, read_only=True) as store:
        try:
            store.backup(target)
        except (OSError, RuntimeError) as err:
            raise StoreError(f"cannot snapshot the store ({err})", str(store_path)) from err
    return target


def check_host(host: str, allow_remote: bool = False) -> str:
    """``host`` if it is a loopback address, or allowed to be another one."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback and not allow_remote:
        raise StoreError(f"--host {host} would open the endpoint to other machines; "
                         "give --allow-remote if that is meant")
    return host


def _bind_front(host: str, port: int, backend: str, timeout_s: float) -> Front:
    try:
        return Front((host, port), backend, timeout_s, _family(host))
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise StoreError(f"port {port} on {host} is already in use; choose another with --port "
                             "(0 picks a free one)") from None
        raise StoreError(f"cannot listen on {host} port {port} ({err.strerror or err})") from None


def start(store_path: str | Path, *, host: str = DEFAULT_HOST, port: int | None = None,
          timeout_s: float = 30.0, allow_remote: bool = False, wait_s: float = 20.0) -> Server:
    """Snapshot the store and serve it read-only behind the checking front; returns once the
    server answers. ``port`` None or 0 picks a free one. The caller must ``stop()`` the server.
    """
    check_host(host, allow_remote)
    try:
        timeout_s = check_seconds(timeout_s)
    except ValueError as err:
        raise StoreError(str(err)) from None
    backend_port = free_port("127.0.0.1")
    front = _bind_front(host, port or 0, f"http://127.0.0.1:{backend_port}/query", timeout_s)
    folder: Path | None = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        snap = snapshot(store_path, folder / "store")
        cmd = [oxigraph_binary(), "serve-read-only", "--location", str(snap), "--bind", f"127.0.0.1:{backend_port}",
               "--union-default-graph", "--timeout-s", str(max(1, int(round(timeout_s))))]
        # a file, not a pipe: a long-running server that logs would block on a full pipe
        with open(folder / "server.log", "wb") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    preexec_fn=die_with_parent)
    except BaseException:
        front.server_close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    server = Server(proc, host, front.server_address[1], snap, front, backend_port)
    try:
        wait_until_up(server, wait_s)
        server.thread = threading.Thread(target=front.serve_forever, name="kg-serve-front", daemon=True)
        server.thread.start()
    except BaseException:
        server.stop()
        raise
    return server


def serve_until_stopped(store_path: str | Path, *, host: str = DEFAULT_HOST, port: int | None = None,
                        timeout_s: float = 30.0, allow_remote: bool = False,
                        say: Callable[[str], None] = print) -> None:
    """`kg serve`: `start` a server, tell ``say`` where it listens, and serve until SIGINT,
    SIGTERM or SIGHUP, then stop it (both servers, and the snapshot deleted). StoreError when the
    server stops by itself."""
    def stop(*_):
        raise KeyboardInterrupt

    # set before the snapshot is taken, so a signal at any moment still cleans up; all three
    # explicitly: a shell starts background jobs with SIGINT ignored, and a closed terminal
    # sends SIGHUP
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    server = None
    try:
        server = start(store_path, host=host, port=port, timeout_s=timeout_s, allow_remote=allow_remote)
        say(f"serving a snapshot of {store_path} read-only at {server.url} (Ctrl-C stops)")
        say(f"try: {server.example()}")
        code = server.process.wait()
    except KeyboardInterrupt:
        code = None
    finally:
        if server is not None:
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code is not None:
        raise StoreError(f"the oxigraph server on {server.host}:{server.port} stopped unexpectedly "
                         f"(exit code {code})")


def wait_until_up(server: Server, wait_s: float) -> None:
    """Block until ``server`` answers an ASK, or raise StoreError (with what it printed)."""
    deadline = time.monotonic() + wait_s
    probe = server.backend_url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.snapshot.parent / "server.log" if server.snapshot else None
            text = log.read_bytes() if log and log.exists() else b""
            err = text.decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"the oxigraph server on {server.host}:{server.port} stopped: "
                             f"{err[-1] if err else 'no message'}")
        try:
            with urllib.request.urlopen(probe, timeout=1) as resp:  # noqa: S310 - our own loopback URL
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise StoreError(f"the oxigraph server did not answer on 127.0.0.1:{server.backend_port} within {wait_s:g} s")
