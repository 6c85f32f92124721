"""kg serve: a real `oxigraph serve-read-only` process on a free loopback port, over a snapshot."""
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import StoreError
from kg.query.serve import check_host, free_port, start

from conftest import rows

DOCS = "SELECT ?d ?title WHERE { ?d a kg:Document ; dcterms:title ?title } ORDER BY ?d"
PREFIXES = "PREFIX kg: <https://w3id.org/newskg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "


def _post(url, field, text, accept="application/sparql-results+json"):
    data = urllib.parse.urlencode({field: text}).encode()
    req = urllib.request.Request(url, data=data, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.headers.get("Content-Type", ""), resp.read()


@pytest.fixture
def server(seed_store_path):
    srv = start(seed_store_path, port=free_port(), timeout_s=10)
    yield srv
    srv.stop()


def test_serve_answers_select_as_sparql_json(server, seed_store):
    assert server.host == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")
    ctype, body = _post(server.url, "query", PREFIXES + DOCS)
    assert ctype.startswith("application/sparql-results+json")
    got = [(b["d"]["value"], b["title"]["value"]) for b in json.loads(body)["results"]["bindings"]]
    assert got == rows(seed_store, DOCS) and len(got) == 2


def test_serve_refuses_an_update_and_keeps_the_data(server):
    base = server.url.rsplit("/", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as err:
        _post(base + "/update", "update", "DROP ALL")
    assert 400 <= err.value.code < 500
    _, body = _post(server.url, "query", PREFIXES + DOCS)
    assert len(json.loads(body)["results"]["bindings"]) == 2


def test_stop_ends_the_process_and_deletes_the_snapshot(seed_store_path):
    srv = start(seed_store_path, port=free_port(), timeout_s=10)
    snap = srv.snapshot
    assert snap.is_dir()
    srv.stop()
    assert srv.process.poll() is not None and not snap.exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(srv.url + "?query=ASK%7B%7D", timeout=2)


def test_kg_serve_command_prints_url_and_curl_and_stops_cleanly(seed_store_path, tmp_path):
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # so the test sees the snapshot go
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(seed_store_path),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            text=True)
    try:
        first, second = proc.stdout.readline(), proc.stdout.readline()
        url = f"http://127.0.0.1:{port}/query"
        assert url in first and second.startswith("try: curl") and url in second
        assert any(p.name.startswith("kg-serve-") for p in tmp_path.iterdir())
        ctype, body = _post(url, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert ctype.startswith("application/sparql-results+json")
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 1000
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "stopped" in out
    assert not any(p.name.startswith("kg-serve-") for p in tmp_path.iterdir())


def test_serve_refuses_a_non_loopback_host_without_binding(seed_store_path):
    r = CliRunner().invoke(main, ["serve", "--store", str(seed_store_path), "--host", "0.0.0.0"])
    assert r.exit_code == 1 and "--allow-remote" in r.output and len(r.output.strip().splitlines()) == 1
    assert check_host("127.0.0.1") == "127.0.0.1" and check_host("localhost") == "localhost"
    with pytest.raises(StoreError):
        check_host("192.168.1.10")


def test_serve_on_a_missing_store_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "none")])
    assert r.exit_code == 1 and "run `kg build` first" in r.output


def test_port_in_use_is_a_clear_error_and_leaves_nothing(seed_store_path, listening_socket, tmp_path, monkeypatch):
    import tempfile

    port, _ = listening_socket
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(StoreError, match=f"port {port} on 127.0.0.1 is already in use"):
        start(seed_store_path, port=port)
    assert list(tmp_path.iterdir()) == []


def test_kg_serve_on_a_busy_port_names_the_port(seed_store_path, listening_socket):
    port, _ = listening_socket
    r = CliRunner().invoke(main, ["serve", "--store", str(seed_store_path), "--port", str(port)])
    assert r.exit_code == 1 and r.stdout == ""  # no "serving ... at ..." first
    assert r.stderr == (f"kg: error: port {port} on 127.0.0.1 is already in use; choose another with --port "
                        "(0 picks a free one)\n")
