"""Shared fixtures: spaCy is loaded once per session, the seeds are built once per session."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------------------------
# Two tiers: `pytest` runs the fast one; `pytest --runslow` adds the tests marked slow (fault
# injection, the 1M-triple store, Dask, parallel builds, the wheel, the bench harness).
# --------------------------------------------------------------------------------------------
def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False,
                     help="also run the tests marked slow (the README's test command does)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: part of the slow tier, run with --runslow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow tier: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
SEEDS = ROOT / "seeds"
SEED_IRGC = SEEDS / "000_cec75e075edad840.txt"
SEED_DEFENCE = SEEDS / "003_7e09eed4d988b256.txt"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline(True)


@pytest.fixture(scope="session")
def seed_extractions(nlp):
    from kg.extract import extract
    from kg.ingest import read_document

    docs = [read_document(SEED_IRGC), read_document(SEED_DEFENCE)]
    return list(extract(docs, nlp))


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, nlp):
    """A store built from seeds/ with the library call the CLI uses."""
    from kg.build import build
    from kg.store import KGStore

    store = KGStore(tmp_path_factory.mktemp("seedstore") / "store")
    report = build([SEEDS], store)
    store.report = report
    yield store
    store.close()


def knowledge_nquads(store) -> bytes:
    """The store's N-Quads without the build log (which records when each build ran)."""
    from kg.store.dump import dump_bytes
    from kg.namespaces import BUILD_LOG_GRAPH

    return dump_bytes(store, exclude=[BUILD_LOG_GRAPH])


def rows(store, sparql, **bindings):
    """Rows of a SELECT as tuples of plain strings (None for unbound)."""
    return [tuple(None if v is None else str(v) for v in r) for r in store.query(sparql, bindings)]


DEV_ARTICLES = ROOT / "tests" / "data" / "articles"
DEV_GOLD = ROOT / "tests" / "data" / "gold"
OTHER_NEWS = ("conflict", "ordinary")  # the gold kinds outside the region's security news


def dev_gold(half: str | None = None, kinds: tuple[str, ...] | None = None) -> list[Path]:
    """Gold files of the development set: one half of `tests/data/split.toml` and some kinds."""
    import json
    import tomllib

    split = tomllib.loads((ROOT / "tests" / "data" / "split.toml").read_text(encoding="utf-8"))
    stems = set(split[half]) if half else set(split["tune"]) | set(split["check"])
    paths = sorted(DEV_GOLD / f"{s}.json" for s in stems)
    if kinds:
        paths = [p for p in paths if json.loads(p.read_text(encoding="utf-8"))["kind"] in kinds]
    return paths


def gold_folder(tmp_path: Path, paths: list[Path]) -> Path:
    """A folder holding copies of ``paths``, for scorers that read a folder of gold files."""
    import shutil

    folder = tmp_path / "gold"
    folder.mkdir()
    for p in paths:
        shutil.copy(p, folder)
    return folder
SEED_GOLD = ROOT / "tests" / "gold" / "seeds"


@pytest.fixture(scope="session")
def dev_store(tmp_path_factory, nlp):
    """A store built from the development articles (tests/data/articles)."""
    from kg.build import build
    from kg.store import KGStore

    store = KGStore(tmp_path_factory.mktemp("devstore") / "store")
    build([DEV_ARTICLES], store)
    yield store
    store.close()


# --------------------------------------------------------------------------------------------
# A small hand-made store (two documents, known relations, a label full of XML-illegal
# characters), shared by the export, view and format tests.
# --------------------------------------------------------------------------------------------
from rdflib import Literal, Namespace, URIRef  # noqa: E402
from rdflib.namespace import DCTERMS, RDF, SKOS  # noqa: E402

from kg.namespaces import DOC, ENTITY_GRAPH, ID, KG  # noqa: E402

# An open namespace: pytest probes module attributes and the closed rdflib XSD warns on that.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

MUNIR = ID["person/asim-munir"]
SALAMI = ID["person/hossein-salami"]
IRGC = ID["org/irgc"]
ARMY = ID["org/pakistan-army"]
JAISH = ID["org/jaish-al-adl"]
IRAN = ID["place/iran"]
PAKISTAN = ID["place/pakistan"]
TEHRAN = ID["place/tehran"]
COAS = ID["position/chief-of-army-staff-of-the-pakistan-army"]
ADVISER = ID["position/adviser"]
DOC1 = DOC["00000000000000a1"]
DOC2 = DOC["00000000000000b2"]
MEETING = ID["event/meeting-1"]
ATTACK = ID["event/attack-1"]
DOC1_TEXT = "Munir met Salami in Tehran. The IRGC clashed with Jaish al-Adl. Munir visited the army."
NASTY = "Jaish\x01 al-Adl\x0c <JAA> & co \U0001F680"
NASTY_CLEAN = "Jaish al-Adl <JAA> & co \U0001F680"


def _entities():
    t = []

    def ent(iri, cls, label, country=None):
        t.extend([(iri, RDF.type, cls), (iri, SKOS.prefLabel, Literal(label))])
        if country is not None:
            t.append((iri, KG.country, country))

    ent(MUNIR, KG.Person, "Asim Munir", PAKISTAN)
    ent(SALAMI, KG.Person, "Hossein Salami", IRAN)
    ent(IRGC, KG.MilitaryOrganization, "Islamic Revolutionary Guard Corps", IRAN)
    ent(ARMY, KG.MilitaryOrganization, "Pakistan Army", PAKISTAN)
    ent(JAISH, KG.ArmedGroup, NASTY)
    ent(IRAN, KG.Country, "Iran")
    ent(PAKISTAN, KG.Country, "Pakistan")
    ent(TEHRAN, KG.City, "Tehran", IRAN)
    t.append((SALAMI, SKOS.altLabel, Literal("Salami")))
    return t


class Doc:
    def __init__(self, iri, title, date="2023-07-22", text=""):
        self.iri, self.n, self.m = iri, 0, 0
        self.t = [(iri, RDF.type, KG.Document), (iri, DCTERMS.title, Literal(title)),
                  (iri, DCTERMS.date, Literal(date, datatype=XSD.date)), (iri, KG.text, Literal(text))]
        self.text = text

    def mention(self, entity, sent, surface):
        """A mention of ``entity`` by the first ``surface`` in the text, in sentence ``sent``."""
        self.m += 1
        m, start = URIRef(f"{self.iri}#m{self.m}"), self.text.index(surface)
        self.t += [(m, RDF.type, KG.Mention), (m, KG.refersTo, entity), (m, KG.inDocument, self.iri),
                   (m, KG.sentenceIndex, Literal(sent)), (m, KG.charStart, Literal(start)),
                   (m, KG.charEnd, Literal(start + len(surface))), (m, KG.mentionText, Literal(surface))]

    def event(self, iri, cls, date, sent, label, **roles):
        self.t += [(iri, RDF.type, cls), (iri, SKOS.prefLabel, Literal(label)), (iri, KG.inDocument, self.iri),
                   (iri, KG.date, Literal(date, datatype=XSD.date)), (iri, KG.sentenceIndex, Literal(sent)),
                   (iri, KG.evidence, Literal(label))]
        for role, who in roles.items():
            self.t += [(iri, KG[role], w) for w in who]

    def mentions(self, *entities):
        self.t += [(self.iri, KG.mentions, e) for e in entities]

    def rel(self, s, p, o, evidence, confidence="0.8", assert_it=True):
        self.t.append((s, p, o))
        if not assert_it:
            return
        self.n += 1
        a = URIRef(f"{self.iri}#a-{self.n}")
        self.t += [(a, RDF.type, KG.Assertion), (a, RDF.subject, s), (a, RDF.predicate, p),
                   (a, RDF.object, o), (a, KG.evidence, Literal(evidence)),
                   (a, KG.sentenceIndex, Literal(self.n)), (a, KG.charStart, Literal(0)),
                   (a, KG.charEnd, Literal(len(evidence))),
                   (a, KG.confidence, Literal(confidence, datatype=XSD.decimal)),
                   (a, KG.inDocument, self.iri)]


def build_mini_store(path: Path):
    from kg.store import KGStore

    store = KGStore(path)
    store.replace_graph(ENTITY_GRAPH, _entities())
    d1 = Doc(DOC1, "First", text=DOC1_TEXT)
    d1.mentions(MUNIR, SALAMI, IRGC, ARMY, JAISH, TEHRAN)
    for entity, sent, surface in ((MUNIR, 0, "Munir"), (SALAMI, 0, "Salami"), (TEHRAN, 0, "Tehran"),
                                  (IRGC, 1, "IRGC"), (JAISH, 1, "Jaish"), (MUNIR, 2, "Munir visited")):
        d1.mention(entity, sent, surface)
    # The meeting of sentence 1 dates the first meetsWith statement (2023-07-15, before the
    # document's 2023-07-22); the attack of sentence 7 dates the attacks statement.
    d1.event(MEETING, KG.Meeting, "2023-07-15", 1, "Meeting of Asim Munir, Hossein Salami in Tehran, 2023-07-15",
             participant=[MUNIR, SALAMI], place=[TEHRAN])
    d1.event(ATTACK, KG.Attack, "2023-07-08", 7, "Attack of Jaish al-Adl in Zahedan, 2023-07-08",
             agent=[JAISH], place=[ID["place/zahedan"]])
    d1.rel(MUNIR, KG.meetsWith, SALAMI, "Munir met Salami in Tehran.", "0.9")
    d1.rel(MUNIR, KG.meetsWith, SALAMI, "The two generals met.", "0.7")
    d1.rel(MUNIR, KG.visits, TEHRAN, "Munir was on a two-day visit to Tehran.")
    d1.rel(IRGC, KG.clashesWith, JAISH, "The IRGC clashed with \x0bJaish al-Adl.")
    d1.rel(JAISH, KG.activeIn, TEHRAN, "No sentence for this one.", assert_it=False)
    d1.rel(MUNIR, KG.holdsPosition, COAS, "The Chief of Army Staff of the Pakistan Army, General Asim Munir")
    d1.t += [(COAS, RDF.type, KG.Position), (COAS, SKOS.prefLabel, Literal("Chief of Army Staff of the Pakistan Army")),
             (COAS, KG.positionTitle, Literal("Chief of Army Staff")), (COAS, KG.positionIn, ARMY)]
    # A position without an organization: no edge, but listed on the person.
    d1.rel(SALAMI, KG.holdsPosition, ADVISER, "Salami, an adviser")
    d1.t += [(ADVISER, RDF.type, KG.Position), (ADVISER, KG.positionTitle, Literal("Adviser"))]
    # A relation to something the entity graph does not describe.
    d1.rel(JAISH, KG.attacks, ID["place/zahedan"], "Jaish al-Adl attacked Zahedan.")
    store.replace_graph(DOC1, d1.t)
    d2 = Doc(DOC2, "Second", date="2023-08-02", text="Salami had met Munir.")
    d2.mentions(MUNIR, SALAMI)
    d2.mention(SALAMI, 0, "Salami")
    d2.mention(MUNIR, 0, "Munir")
    d2.rel(MUNIR, KG.meetsWith, SALAMI, "Salami had met Munir.", "0.6")
    store.replace_graph(DOC2, d2.t)
    return store




@pytest.fixture
def mini_store(tmp_path):
    """The hand-made store of ``build_mini_store``, open."""
    s = build_mini_store(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture
def listening_socket():
    """A real TCP server on 127.0.0.1 that records every connection it accepts."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            connections.append(conn)
            try:
                conn.sendall(b"HTTP/1.1 500 no\r\nContent-Length: 0\r\n\r\n")
            finally:
                conn.close()

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    yield srv.getsockname()[1], connections
    stop.set()
    th.join(2)
    srv.close()


def copy_store(store, path):
    """A closed copy of an open store at ``path`` (by dump and load): child processes and
    servers can open it, which they cannot do with a store this process holds open."""
    from kg.store.dump import FORMATS, dump_bytes
    from kg.store import KGStore

    import pyoxigraph as ox

    with KGStore(path) as copy:
        copy.ox.extend(list(ox.parse(dump_bytes(store), FORMATS["nquads"])))
    return path


@pytest.fixture(scope="session")
def seed_store_path(seed_store, tmp_path_factory):
    """A closed store folder holding what seed_store holds (for child processes and servers)."""
    return copy_store(seed_store, tmp_path_factory.mktemp("seedcopy") / "store")


def wait_for_http(url, proc, seconds=20.0):
    """Wait until ``url`` answers (any HTTP status) or ``proc`` ends; fail the test otherwise."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no answer from {url}")


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real, writable `oxigraph serve` on a free 127.0.0.1 port, union default graph (like a
    team's shared store); yields its base URL and is always stopped."""
    import subprocess

    from kg.query.serve import free_port, oxigraph_binary

    port = free_port("127.0.0.1")
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/query?query=ASK%7B%7D", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- unprivileged runs
# Root ignores permission bits, and the tests run as root. A test of an unreadable path runs the
# code in a child process without the two capabilities that let root past them (CAP_DAC_OVERRIDE,
# CAP_DAC_READ_SEARCH, dropped by util-linux's setpriv): the child is still uid 0, so it can run
# the interpreter under /root, but a file of mode 000 is as unreadable to it as to anyone.


@pytest.fixture
def run_unprivileged():
    """Run ``python -c CODE ARGS...`` where permission bits hold; returns the CompletedProcess."""
    import os
    import shutil
    import subprocess
    import sys

    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and util-linux setpriv is missing: cannot make a path unreadable")
        prefix = [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--"]

    def run(code: str, *args: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        # The timeout only guards against a hang; nothing here is timed.
        return subprocess.run([*prefix, sys.executable, "-c", code, *args], capture_output=True, text=True,
                              timeout=600, env=env)

    return run


@pytest.fixture(scope="session")
def seeds_dev_nquads(tmp_path_factory, nlp) -> bytes:
    """The N-Quads dump of a local, single-process build of seeds/ plus the development articles:
    the reference every other engine must reproduce exactly."""
    from kg.build import build
    from kg.store import KGStore

    store = KGStore(tmp_path_factory.mktemp("seedsdev") / "store")
    build([SEEDS, DEV_ARTICLES], store)
    dump = knowledge_nquads(store)
    store.close()
    return dump


# --------------------------------------------------------------------------- outside tools
# Browser and node tests need programs pip does not install (Chromium, node, npm). On a
# developer's machine without them those tests skip and say why (pytest -ra lists the reason);
# under CI=true, where .ci/run installs them, a missing program fails the test instead.
def in_ci() -> bool:
    import os

    return os.environ.get("CI", "").lower() == "true"


def require_program(*names: str, why: str) -> list[str]:
    """The full paths of ``names``; skips (fails under CI=true) when one is not installed."""
    import shutil

    found = [shutil.which(n) for n in names]
    missing = [n for n, f in zip(names, found) if not f]
    if missing:
        message = f"{' and '.join(missing)} not installed: {why}"
        if in_ci():
            pytest.fail(f"{message} (CI=true: this test must run)")
        pytest.skip(message)
    return found


def npm_folder(folder: Path, check_module: str) -> tuple[str, Path]:
    """node's path, after ``npm install`` in ``folder`` (tests/<name>/, on first use; its
    node_modules is gitignored); skips or fails as `require_program` does without node/npm."""
    import subprocess

    node, npm = require_program("node", "npm", why=f"the test opens exports with npm packages ({folder.name}/)")
    if not (folder / "node_modules" / check_module).is_dir():
        done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"],
                              cwd=folder, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            message = f"npm install in {folder} failed: {done.stderr.strip()[-500:]}"
            if in_ci():
                pytest.fail(message)
            pytest.skip(message)
    return node, folder


# --------------------------------------------------------------------------- a 1M-triple store
def replicate_store(source, target: Path, triples: int) -> Path:
    """A closed store at ``target`` of renamed copies of ``source`` (an open store), at least
    ``triples`` triples: copy k's entity, event, assertion and fact IRIs get a suffix ``-ck``, its
    source paths one ``.ck``, and its documents the IRIs those paths give (the hash of content
    hash and source path), so the copies are distinct nodes with the shape of a real build that
    still passes the shapes. Bulk-loaded from N-Quads like the bench's large stores."""
    import hashlib
    import re

    import pyoxigraph as ox

    lines = source.dump_nquads().decode("utf-8").splitlines(keepends=True)
    docs = {}  # hex of a document IRI -> (content hash, source path)
    for ln in lines:
        m = re.match(r'<https://w3id\.org/newskg/doc/([0-9a-f]{16})> <https://w3id\.org/newskg/ontology#'
                     r'(contentHash|sourcePath)> "((?:[^"\\]|\\.)*)"', ln)
        if m:
            docs.setdefault(m.group(1), {})[m.group(2)] = m.group(3)
    copies = -(-triples // len(source))
    ids = re.compile(r"<(https://w3id\.org/newskg/id/[^>#]+)>")
    doc_iri = re.compile(r"https://w3id\.org/newskg/doc/([0-9a-f]{16})")
    target.mkdir(parents=True, exist_ok=True)
    path = target.parent / "replicated.nq"
    with path.open("w", encoding="utf-8") as f:
        for k in range(copies):
            if k == 0:
                f.writelines(lines)
                continue
            new = {h: hashlib.sha256((d["contentHash"] + d["sourcePath"] + f".c{k}").encode()).hexdigest()[:16]
                   for h, d in docs.items()}
            sources = {d["sourcePath"] for d in docs.values()}
            for ln in lines:
                ln = ids.sub(lambda m: f"<{m.group(1)}-c{k}>", ln)
                ln = doc_iri.sub(lambda m: "https://w3id.org/newskg/doc/" + new.get(m.group(1), m.group(1)), ln)
                if "#sourcePath>" in ln:
                    for s in sources:
                        ln = ln.replace(f'"{s}"', f'"{s}.c{k}"')
                f.write(ln)
    store = ox.Store(str(target / "gen-000001"))
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    path.unlink()
    (target / "GENERATION").write_text("gen-000001\n", encoding="utf-8")
    (target / "KGSTORE").write_text("newskg store\n", encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def million_kg_store(tmp_path_factory, nlp) -> Path:
    """A closed store of a million triples with the shape of a real build: renamed copies of a
    build of seeds/ and the development articles (`replicate_store`)."""
    from kg.build import build
    from kg.store import KGStore

    base = tmp_path_factory.mktemp("million-kg")
    with KGStore(base / "source") as source:
        build([SEEDS, DEV_ARTICLES], source)
        return replicate_store(source, base / "store", 1_000_000)
