"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a snapshot of the store.

The `oxigraph` package's server does the serving (``oxigraph serve-read-only``, with
``--timeout-s`` and ``--union-default-graph`` so queries see what `kg query` sees). It serves a
snapshot (``Store.backup``) taken when it starts, not the live store: reading a store while
another process writes it is undefined behaviour (``oxigraph serve-read-only --help``), and the
snapshot leaves the store free for `kg build`. Restart `kg serve` to see a newer build.
"""
from __future__ import annotations

import ipaddress
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program installed with the `oxigraph` package."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the `oxigraph` server program is not installed (pip install oxigraph)")
    return found


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on at ``host`` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``oxigraph serve-read-only`` process over a snapshot folder."""

    process: subprocess.Popen
    host: str
    port: int
    snapshot: Path | None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/query"

    def example(self) -> str:
        """A curl command that asks the server something."""
        return (f"curl -s {self.url} -H 'Accept: text/csv' "
                "--data-urlencode 'query=SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }'")

    def stop(self) -> None:
        """Stop the server and delete the snapshot."""
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


def check_port_free(host: str, port: int) -> None:
    """StoreError naming ``host:port`` when something already listens there: otherwise the probe
    below would get its answer from that program and the server would fail only afterwards."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as err:
            raise StoreError(f"cannot serve on {host}:{port}: the port is in use ({err.strerror or err}); "
                             "choose another with --port (0: any free port)") from None


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


def start(store_path: str | Path, *, host: str = DEFAULT_HOST, port: int | None = None,
          timeout_s: float = 30.0, allow_remote: bool = False, wait_s: float = 20.0) -> Server:
    """Snapshot the store and serve it read-only; returns once the server answers.

    ``port`` None picks a free one. The caller must ``stop()`` the server.
    """
    check_host(host, allow_remote)
    if port:
        check_port_free(host, port)
    port = port or free_port(host)
    folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        snap = snapshot(store_path, folder / "store")
        cmd = [oxigraph_binary(), "serve-read-only", "--location", str(snap), "--bind", f"{host}:{port}",
               "--union-default-graph", "--timeout-s", str(max(1, int(round(timeout_s))))]
        # a file, not a pipe: a long-running server that logs would block on a full pipe
        with open(folder / "server.log", "wb") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    server = Server(proc, host, port, snap)
    try:
        wait_until_up(server, wait_s)
    except BaseException:
        server.stop()
        raise
    return server


def serve_until_stopped(store_path: str | Path, *, host: str = DEFAULT_HOST, port: int | None = None,
                        timeout_s: float = 30.0, allow_remote: bool = False,
                        say: Callable[[str], None] = print) -> None:
    """`kg serve`: `start` a server, tell ``say`` where it listens, and serve until SIGINT or
    SIGTERM, then stop it. StoreError when the server stops by itself."""
    server = start(store_path, host=host, port=port, timeout_s=timeout_s, allow_remote=allow_remote)

    def stop(*_):
        raise KeyboardInterrupt

    # both, explicitly: a shell starts background jobs with SIGINT ignored
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        say(f"serving a snapshot of {store_path} read-only at {server.url} (Ctrl-C stops)")
        say(f"try: {server.example()}")
        code = server.process.wait()
    except KeyboardInterrupt:
        code = None
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code is not None:
        raise StoreError(f"the oxigraph server on {server.host}:{server.port} stopped unexpectedly "
                         f"(exit code {code})")


def wait_until_up(server: Server, wait_s: float) -> None:
    """Block until ``server`` answers an ASK, or raise StoreError (with what it printed)."""
    deadline = time.monotonic() + wait_s
    probe = server.url + "?query=ASK%7B%7D"
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
    raise StoreError(f"the oxigraph server did not answer on {server.host}:{server.port} within {wait_s:g} s")
