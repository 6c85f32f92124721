"""`kg serve` against hostile requests (issue 26): the checking front before the read-only server.

One server over a snapshot of the seeds serves the whole module, on 127.0.0.1; every refusal is
an HTTP 4xx whose body names the problem, and the loopback socket that the query points at sees
no connection.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from kg.query.serve import free_port, start

from test_hostile_query import SPELLINGS


@pytest.fixture(scope="module")
def server(seed_store_path):
    srv = start(seed_store_path, timeout_s=5)
    yield srv
    srv.stop()


def request(srv, method, path, body=None, headers=None, port=None):
    conn = http.client.HTTPConnection("127.0.0.1", port or srv.port, timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def get(srv, query, **kw):
    return request(srv, "GET", "/query?" + urllib.parse.urlencode({"query": query}), **kw)


def post_form(srv, query, **kw):
    return request(srv, "POST", "/query", urllib.parse.urlencode({"query": query}),
                   {"Content-Type": "application/x-www-form-urlencoded", **kw.pop("headers", {})}, **kw)


def post_direct(srv, query, **kw):
    return request(srv, "POST", "/query", query.encode("utf-8"), {"Content-Type": "application/sparql-query"}, **kw)


SENDERS = {"get": get, "form": post_form, "direct": post_direct}


@pytest.mark.parametrize("how", sorted(SENDERS))
@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_every_spelling_is_refused_and_nothing_connects(server, listening_socket, how, name):
    port, connections = listening_socket
    status, _, body = SENDERS[how](server, SPELLINGS[name].format(port=port))
    assert status == 400, body
    assert body.startswith(b"kg serve: ") and b"could not be checked" not in body
    threading.Event().wait(0.2)
    assert connections == []


def test_a_checked_query_is_answered_with_the_project_prefixes(server):
    for send in SENDERS.values():
        status, headers, body = send(server, "SELECT ?d WHERE { ?d a kg:Document }")
        assert status == 200, body
        assert len(json.loads(body)["results"]["bindings"]) == 2


def test_host_header_must_name_the_address_served(server):
    ok = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    status, _, body = get(server, ok, headers={"Host": f"evil.example:{server.port}"})
    assert status == 403 and b"Host" in body
    status, _, _ = get(server, ok, headers={"Host": f"127.0.0.1:{server.port + 1}"})
    assert status == 403
    status, _, _ = get(server, ok, headers={"Host": f"localhost:{server.port}"})
    assert status == 200


def test_pages_of_other_sites_are_refused_and_local_pages_get_cors(server):
    ok = "ASK { ?s ?p ?o }"
    status, _, body = post_form(server, ok, headers={"Origin": "http://evil.example"})
    assert status == 403 and b"evil.example" in body
    status, headers, _ = post_form(server, ok, headers={"Origin": "http://localhost:8080"})
    assert status == 200 and headers.get("Access-Control-Allow-Origin") == "http://localhost:8080"
    status, headers, _ = request(server, "OPTIONS", "/query", headers={
        "Origin": "http://127.0.0.1:3000", "Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]


def test_updates_and_the_graph_store_are_refused(server):
    status, _, body = request(server, "POST", "/update", "update=DROP%20ALL",
                              {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    status, _, _ = request(server, "GET", "/query?update=DROP%20ALL")
    assert status == 403
    status, _, _ = request(server, "GET", "/store")
    assert status == 403
    status, _, body = post_form(server, "DROP ALL")
    assert status == 400 and b"updates are not accepted" in body
    status, _, _ = request(server, "GET", "/query?" + urllib.parse.urlencode(
        {"query": "ASK {}", "default-graph-uri": "file:///etc/passwd"}))
    assert status == 400
    assert get(server, "SELECT ?d WHERE { ?d a kg:Document }")[0] == 200


def test_a_huge_query_and_a_deep_one_are_refused_and_the_server_lives(server):
    status, _, body = post_direct(server, "SELECT * WHERE { " + "?s ?p ?o . " * 24_000 + "}")  # 240 KB
    assert status in (400, 413), body
    t = time.monotonic()
    status, _, _ = post_direct(server, "SELECT * WHERE { " + "<< " * 300 + "?s ?p ?o" + " >> ?p ?o" * 300 + " }")
    assert status == 400 and time.monotonic() - t < 10
    assert server.process.poll() is None
    assert get(server, "ASK { ?s ?p ?o }")[0] == 200


def test_the_backend_listens_on_loopback_only(server):
    cmd = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().split(b"\0")
    assert cmd[cmd.index(b"--bind") + 1] == f"127.0.0.1:{server.backend_port}".encode()
    assert server.backend_port != server.port


def _serve(store, tmp_path, *args):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


def _running(path: str) -> list[int]:
    found = []
    for p in Path("/proc").iterdir():
        try:
            if p.name.isdigit() and path.encode() in (p / "cmdline").read_bytes():
                found.append(int(p.name))
        except OSError:
            pass
    return found


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_stops_both_servers_and_deletes_the_snapshot(seed_store_path, tmp_path, sig):
    proc = _serve(seed_store_path, tmp_path, "--port", "0")
    try:
        first = proc.stdout.readline()
        assert "serving a snapshot" in first, proc.stderr.read() if proc.poll() is not None else first
        snap = next(p for p in tmp_path.iterdir() if p.name.startswith("kg-serve-"))
        assert _running(str(snap))  # the oxigraph server over it
        proc.send_signal(sig)
        proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert not snap.exists()
    time.sleep(0.2)
    assert _running(str(snap)) == []


def test_ipv6_loopback_and_port_zero(seed_store_path, tmp_path):
    proc = _serve(seed_store_path, tmp_path, "--host", "::1", "--port", "0")
    try:
        first = proc.stdout.readline()
        assert "http://[::1]:" in first, proc.stderr.read() if proc.poll() is not None else first
        port = int(first.split("http://[::1]:")[1].split("/")[0])
        conn = http.client.HTTPConnection("::1", port, timeout=10)
        conn.request("GET", "/query?query=ASK%7B%7D")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0


def test_a_busy_port_is_one_line_naming_it(seed_store_path, listening_socket, tmp_path):
    port, _ = listening_socket
    proc = _serve(seed_store_path, tmp_path, "--port", str(port))
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and f"port {port}" in err
    assert list(tmp_path.iterdir()) == []
