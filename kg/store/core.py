"""The persistent graph store: an Oxigraph database on disk, in generations, with one writer.

Oxigraph answers joins and aggregates in milliseconds where rdflib's memory store takes minutes
(docs/sources.md), and keeps the graph on disk between commands. Callers speak rdflib terms; the
pyoxigraph objects stay in this package (`kg.store.terms` converts).
"""
from __future__ import annotations

import fcntl
import gc
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from kg.errors import StoreError
from kg.paths import DEFAULT_STORE
from kg.namespaces import BUILD_LOG_GRAPH, PREFIXES, bind_namespaces
from kg.store.infer import INFERRED_GRAPH, drop, entailed_copy, materialize
from kg.store.terms import Triple, from_ox, rdflib_result, to_ox

_opened = False  # has this process opened an Oxigraph store (and started its threads)?


def opened_in_this_process() -> bool:
    """Whether a store was opened here: forking such a process is unsafe (kg.query.sandbox)."""
    return _opened


GENERATION_FILE = "GENERATION"  # names the published generation folder; replaced atomically
MARKER_FILE = "KGSTORE"  # written when a store is created: only a folder holding it (or GENERATION) is a store
_ROCKSDB_FILES = ("CURRENT", "IDENTITY", "MANIFEST-*", "OPTIONS-*")  # a store from before generations
LOCK_FILE = "write.lock"  # flock(2) of the one writer
KEEP_PREVIOUS = 1  # older generations kept for readers still on them


class KGStore:
    """A knowledge-graph store in folder ``path``.

    ``dataset`` is an rdflib ``Dataset`` whose default graph is the union of all named graphs,
    so SPARQL without GRAPH clauses sees every document's statements.

    The folder holds generations (``gen-000001`` ...), each a complete Oxigraph database, and a
    file ``GENERATION`` naming the published one. A reader (``read_only=True``) opens the
    published generation read-only: nobody ever writes to a published generation, so a reader
    sees the state before a running build or after it, never half of it. A writer takes the
    store's lock (one writer at a time; ``wait`` seconds, ``None`` for as long as it takes),
    works on a copy of the published generation (a RocksDB checkpoint: hard links, milliseconds)
    and publishes it by replacing ``GENERATION`` in one rename (`commit`, or leaving a ``with``
    block without an exception). A writer killed at any moment leaves ``GENERATION`` naming the
    old state; its half-written copy is deleted by the next writer.
    """

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False,
                 wait: float | None = None, on_wait: Any = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock_fd: int | None = None
        self._ox: ox.Store | None = None
        self._dataset: Dataset | None = None
        self._work: Path | None = None
        self._memory: ox.Store | None = None  # a copy with its entailments, for --infer on a reader
        self._memory_dir: Path | None = None  # its folder, deleted when the reader closes
        self.generation: Path | None = None  # the generation folder a reader opened
        if not self._is_store():
            if not create or read_only:
                raise StoreError("no knowledge-graph store here; run `kg build` first", str(self.path))
            self._create()
        if read_only:
            self._open_published()
        else:
            self._lock(wait, on_wait)
            try:
                self._migrate_legacy()
                if not (self.path / MARKER_FILE).exists():  # a store made before the marker
                    (self.path / MARKER_FILE).write_text("newskg store\n", encoding="utf-8")
                self._collect_garbage()
            except BaseException:
                self._unlock()
                raise

    def _is_store(self) -> bool:
        """Whether the folder holds a store; StoreError for anything that is neither a store nor
        an empty folder (nothing there is touched: a user's folder is never taken for a store)."""
        try:
            if self.path.exists() and not self.path.is_dir():
                raise StoreError("is a file, not a store folder", str(self.path))
            if not self.path.exists() or not any(self.path.iterdir()):
                return False
            if (self.path / MARKER_FILE).is_file() or (self.path / GENERATION_FILE).is_file():
                return True
            if all(any(self.path.glob(pattern)) for pattern in _ROCKSDB_FILES):
                return True
        except OSError as err:
            raise StoreError(f"cannot read the store folder ({err.strerror or err})", str(self.path)) from None
        raise StoreError("this folder is not a knowledge-graph store and is not empty; give --store a new "
                         "or empty folder", str(self.path))

    def _create(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            (self.path / MARKER_FILE).write_text("newskg store\n", encoding="utf-8")
        except OSError as err:
            raise StoreError(f"cannot create the store ({err.strerror or err})", str(self.path)) from None

    # -- generations ---------------------------------------------------------------------------
    def published(self) -> Path | None:
        """The folder of the published generation (None for a store never written)."""
        try:
            name = (self.path / GENERATION_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as err:
            raise StoreError(f"cannot read {GENERATION_FILE} ({err})", str(self.path)) from err
        if not name.startswith("gen-") or "/" in name or not (self.path / name).is_dir():
            raise StoreError(f"{GENERATION_FILE} names no generation of this store ({name!r})", str(self.path))
        return self.path / name

    def _open_published(self) -> None:
        gen = self.published()
        if gen is None:
            if (self.path / "CURRENT").exists():
                gen = self.path  # a store from before generations: read it where it lies
            else:
                raise StoreError("no knowledge-graph store here; run `kg build` first", str(self.path))
        self._ox = _open(gen, read_only=True)
        self.generation = gen

    @classmethod
    def reading(cls, generation: str | Path) -> KGStore:
        """A reader of the generation folder ``generation`` (another reader's `generation`): a
        process that shares a reader's work (`kg validate`'s workers) sees what it sees, even
        when a writer publishes a newer generation meanwhile."""
        reader = cls.__new__(cls)
        reader.path, reader.read_only, reader._lock_fd = Path(generation).parent, True, None
        reader._dataset = reader._work = reader._memory = reader._memory_dir = None
        reader.generation = Path(generation)
        reader._ox = _open(reader.generation, read_only=True)
        return reader

    def _lock(self, wait: float | None, on_wait: Any) -> None:
        try:
            fd = os.open(self.path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise StoreError(f"cannot write the store ({err.strerror or err})", str(self.path)) from None
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreError("the store is being written by another process (a build, removal "
                                     "or load); try again when it has finished", str(self.path)) from None
                if not told and on_wait is not None:
                    on_wait()
                    told = True
                time.sleep(0.1)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None

    def _migrate_legacy(self) -> None:
        """A store written before generations holds one database in the folder itself: move it
        into the first generation (renames only)."""
        if self.published() is not None or not (self.path / "CURRENT").exists():
            return
        gen = self.path / "gen-000001"
        gen.mkdir()
        for entry in self.path.iterdir():
            if entry.name not in (gen.name, LOCK_FILE, MARKER_FILE):
                entry.rename(gen / entry.name)
        _publish(self.path, gen.name)
        (self.path / MARKER_FILE).write_text("newskg store\n", encoding="utf-8")

    def _generations(self) -> list[Path]:
        return sorted(p for p in self.path.glob("gen-*") if p.is_dir())

    def _collect_garbage(self) -> None:
        """Delete unpublished copies (left by a killed writer) and generations older than the
        previous one. Called with the lock held, so no copy being written is touched."""
        live = self.published()
        gens = self._generations()
        keep = set()
        if live is not None:
            older = [g for g in gens if g.name < live.name]
            keep = {live, *older[len(older) - KEEP_PREVIOUS:]} if KEEP_PREVIOUS else {live}
        for g in gens:
            if g not in keep:
                shutil.rmtree(g, ignore_errors=True)

    def _ensure_open(self) -> ox.Store:
        if self._ox is None:
            if self.read_only:
                raise StoreError("the store was closed", str(self.path))
            live = self.published()
            gens = self._generations()
            n = int(gens[-1].name.split("-")[1]) + 1 if gens else 1
            work = self.path / f"gen-{n:06d}"
            if live is not None:
                src = _open(live, read_only=True)
                try:
                    src.backup(str(work))  # a checkpoint: hard links to the immutable files
                except (OSError, RuntimeError) as err:
                    raise StoreError(f"cannot copy the store's generation ({err})", str(self.path)) from err
                finally:
                    del src
            try:
                self._ox = _open(work, read_only=False)
            except StoreError:
                shutil.rmtree(work, ignore_errors=True)  # a copy that never opened holds nothing
                raise
            self._work = work
        return self._ox

    @property
    def ox(self) -> ox.Store:
        """The pyoxigraph store (for a writer, its working copy)."""
        return self._ensure_open()

    @property
    def dataset(self) -> Dataset:
        """An rdflib view of the store (its default graph the union of the named graphs)."""
        if self._dataset is None:
            # imported here: oxrdflib brings rdflib's SPARQL engine, which `kg query` never needs
            from oxrdflib import OxigraphStore

            self._dataset = Dataset(store=OxigraphStore(store=self.ox), default_union=True)
            bind_namespaces(self._dataset)
        return self._dataset

    def commit(self) -> None:
        """Publish what this writer wrote: flush its copy and name it in ``GENERATION``."""
        if self.read_only or self._work is None:
            return
        work = self._work
        self._release_handle()
        _publish(self.path, work.name)
        self._work = None
        self._collect_garbage()

    def reopen(self) -> None:
        """Close this writer's working copy and open it again, unpublished. RocksDB keeps
        memory for every bulk load it has taken in until the database is closed; closing frees it."""
        if self.read_only or self._work is None:
            return
        work = self._work
        self._release_handle()
        self._ox = _open(work, read_only=False)

    def abort(self) -> None:
        """Forget what this writer wrote since its last commit."""
        work = self._work
        self._release_handle(flush=False)  # what is thrown away need not reach the disk
        self._work = None
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _release_handle(self, flush: bool = True) -> None:
        if self._ox is not None and not self.read_only and flush:
            self._ox.flush()
        if self._memory_dir is not None:  # a reader's entailed copy (`entailed_copy`)
            self._memory = None
            shutil.rmtree(self._memory_dir, ignore_errors=True)
            self._memory_dir = None
        had_dataset = self._dataset is not None
        if had_dataset:
            self._dataset.store._store = None  # type: ignore[attr-defined]
        self._dataset = None
        self._ox = None
        if had_dataset or not self.read_only:
            # RocksDB closes with the last reference to the store, and a query's result caught
            # in a reference cycle (rdflib's Dataset keeps some) holds one: a writer's database
            # must be closed, its compactions done, before its folder is published or reopened,
            # or a reader may open a manifest whose files the compaction then deletes
            gc.collect()

    # -- writing -------------------------------------------------------------------------------
    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> int:
        """Make named graph ``graph`` hold exactly ``triples``; returns how many were written.

        The new quads go in with one ``extend`` call (one transaction) after the old graph is
        dropped, so re-building a document never leaves two versions of it.
        """
        g = ox.NamedNode(str(graph))
        quads = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples}
        self.drop_inferred()
        if self.ox.contains_named_graph(g):
            self.ox.remove_graph(g)
        self.ox.extend(quads)
        return len(quads)

    def replace_graph_nquads(self, graph: URIRef, data: bytes) -> None:
        """`replace_graph` from N-Quads whose quads all lie in ``graph`` (made by a worker
        process, `kg.build.parallel.write_documents`): parsed and written by Oxigraph in one step."""
        g = ox.NamedNode(str(graph))
        self.drop_inferred()
        if self.ox.contains_named_graph(g):
            self.ox.remove_graph(g)
        self.ox.load(data, format=ox.RdfFormat.N_QUADS)

    def add_new_graphs_nquads(self, data: bytes, *, lenient: bool = False) -> None:
        """Write named graphs the store does not hold yet (a build's new documents), or quads
        a build appends to the entity graph and the build log, given as N-Quads
        (`kg.build.parallel.document_quads`), with Oxigraph's bulk loader: no transaction,
        which a writer does not need, since it works on an unpublished copy that a failed build
        throws away (a transaction per document costs far more than loading many at once).
        Oxigraph parses them without holding the GIL, so two threads can load at once.

        ``lenient`` skips Oxigraph's check of every IRI while parsing: only for data made by
        `nquads`, which checked each IRI once already."""
        self.drop_inferred()
        if data:
            self.ox.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=lenient)

    def drop_inferred(self) -> None:
        """Forget the entailments of ``--infer``: after a write they may no longer hold."""
        drop(self.ox)

    def add_triples(self, graph: URIRef, triples: Iterable[Triple]) -> int:
        """Add ``triples`` to named graph ``graph`` (one transaction); returns how many were given."""
        g = ox.NamedNode(str(graph))
        quads = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples}
        self.drop_inferred()
        self.ox.extend(quads)
        return len(quads)

    def remove_graph(self, graph: URIRef) -> None:
        """Drop named graph ``graph`` (nothing when the store has no such graph)."""
        self.drop_inferred()
        g = ox.NamedNode(str(graph))
        if self.ox.contains_named_graph(g):
            self.ox.remove_graph(g)

    def remove_subjects(self, graph: URIRef, subjects: Iterable[Identifier]) -> None:
        """Remove every triple of named graph ``graph`` whose subject is one of ``subjects``."""
        self.drop_inferred()
        g = ox.NamedNode(str(graph))
        old = [q for s in subjects for q in self.ox.quads_for_pattern(to_ox(s), None, None, g)]
        for q in old:
            self.ox.remove(q)

    def flush(self) -> None:
        """Write a writer's buffered changes to disk (bounds RocksDB's write buffers)."""
        if not self.read_only:
            self.ox.flush()

    def backup(self, target: str | Path) -> None:
        """Copy the store's current state into the new folder ``target`` (Oxigraph backup: hard
        links to the immutable files). Raises OSError or RuntimeError when it cannot."""
        self.ox.backup(str(target))

    # -- reading -------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None, *,
              infer: bool = False) -> Result:
        """Run SPARQL over the union of all graphs. ``bindings`` are bound as values, not text.

        With ``infer`` the ontology's entailments (`kg.store.infer`) are part of the union; without,
        the graph that holds them is left out.
        """
        return rdflib_result(self.execute(sparql, bindings, infer=infer))

    def execute(self, sparql: str, bindings: Mapping[str, Identifier] | None = None, *,
                infer: bool = False) -> Any:
        """`query` without the conversion to rdflib: Oxigraph's own result (solutions, boolean
        or triples), for callers that convert many rows themselves (`term_converter`)."""
        inferred = ox.NamedNode(str(INFERRED_GRAPH))
        options = {
            "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
            "substitutions": {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()},
        }
        if infer and not self.ox.contains_named_graph(inferred) and self.read_only:
            # a published generation is never written: entail over a copy in memory
            if self._memory is None:
                self._memory, self._memory_dir = entailed_copy(self.ox, self.path)
            return self._memory.query(sparql, use_default_graph_as_union=True, **options)
        if infer and not self.ox.contains_named_graph(inferred):
            materialize(self.ox)
        if infer or not self.ox.contains_named_graph(inferred):
            return self.ox.query(sparql, use_default_graph_as_union=True, **options)
        graphs = [g for g in self.ox.named_graphs() if g != inferred]
        return self.ox.query(sparql, default_graph=graphs, named_graphs=graphs, **options)

    def graph(self, graph: URIRef) -> Graph:
        """A copy of one named graph in memory."""
        out = Graph()
        bind_namespaces(out)
        for q in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))):
            out.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return out

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.ox.named_graphs())

    def contains_graph(self, graph: URIRef) -> bool:
        """Whether the store holds named graph ``graph``."""
        return self.ox.contains_named_graph(ox.NamedNode(str(graph)))

    def contains(self, subject: Identifier | None = None, predicate: Identifier | None = None,
                 obj: Identifier | None = None, graph: URIRef | None = None) -> bool:
        """Whether any quad matches (None matches anything; no ``graph``: every graph)."""
        g = None if graph is None else ox.NamedNode(str(graph))
        pattern = [None if t is None else to_ox(t) for t in (subject, predicate, obj)]
        return next(iter(self.ox.quads_for_pattern(*pattern, g)), None) is not None

    def ask(self, sparql: str) -> bool:
        """The answer of an ASK query over the union of every graph as stored."""
        return bool(self.ox.query(sparql, use_default_graph_as_union=True))

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Identifier, Identifier, Identifier, URIRef | None]]:
        """Every quad (subject, predicate, object, graph) as rdflib terms, of named graph
        ``graph`` or of the whole store (graph None: the default graph)."""
        g = None if graph is None else ox.NamedNode(str(graph))
        for q in self.ox.quads_for_pattern(None, None, None, g):
            name = None if isinstance(q.graph_name, ox.DefaultGraph) else from_ox(q.graph_name)
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), name

    def graph_ntriples(self, graph: URIRef | str) -> tuple[bytes, int]:
        """Named graph ``graph`` as N-Triples written by Oxigraph, and its number of triples."""
        g = ox.NamedNode(str(graph))
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in self.ox.quads_for_pattern(None, None, None, g)]
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)

    def __len__(self) -> int:
        """Number of distinct triples over all graphs."""
        res = self.ox.query(
            "SELECT (COUNT(*) AS ?c) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        return int(next(iter(res))[0].value)

    def triple_count(self) -> int:
        """Triples of the knowledge graph, as the store holds them: every graph but the build log
        and the entailments of ``--infer`` (which change without the graph changing); a triple
        in two graphs (an entity's description in its documents and in the entity graph) counts
        twice.

        Counted from Oxigraph's own total, in constant memory: counting distinct triples would
        keep every triple of the store in a hash set.
        """
        total = len(self.ox)
        for g in (str(BUILD_LOG_GRAPH), str(INFERRED_GRAPH)):
            total -= self.graph_triple_count(URIRef(g))
        return total

    def graph_triple_count(self, graph: URIRef) -> int:
        """Triples in named graph ``graph`` (0 when the store has no such graph); reads that
        graph only."""
        node = ox.NamedNode(str(graph))
        if not self.ox.contains_named_graph(node):
            return 0
        res = self.ox.query("SELECT (COUNT(*) AS ?c) WHERE { GRAPH <%s> { ?s ?p ?o } }" % node.value)
        return int(next(iter(res))[0].value)

    def holds_knowledge(self) -> bool:
        """Whether the store holds any triple that `triple_count` counts: False for a new store,
        or one with only a build log. Stops at the first such graph: no scan of the store."""
        if next(iter(self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
            return True
        skip = {str(BUILD_LOG_GRAPH), str(INFERRED_GRAPH)}
        return any(g.value not in skip for g in self.ox.named_graphs())

    def quad_count(self) -> int:
        """Number of quads in the store, every graph counted."""
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, None))

    def dump_nquads(self) -> bytes:
        """The whole store as sorted N-Quads (a stable form for comparisons)."""
        lines = sorted(str(q) + " .\n" for q in self.ox.quads_for_pattern(None, None, None, None))
        return "".join(lines).encode("utf-8")

    def close(self) -> None:
        """Publish a writer's work (see `commit`), then release the store and its lock."""
        try:
            self.commit()
        finally:
            self._release_handle()
            self._unlock()

    def __enter__(self) -> KGStore:
        return self

    def __exit__(self, exc_type: Any, exc: Any, *_: Any) -> None:
        if exc_type is not None and not self.read_only:
            # a failed write publishes nothing: the store stays as it was before
            try:
                self.abort()
            finally:
                self._unlock()
            _as_store_error(exc, self.path, "nothing was written")
            return
        try:
            self.close()
        except (OSError, RuntimeError) as err:
            _as_store_error(err, self.path, "nothing was written")
            raise
        if exc is not None:
            _as_store_error(exc, self.path, "the store was not changed")


def _as_store_error(err: BaseException | None, path: Path, outcome: str) -> None:
    """Raise StoreError for what the database itself raised (a corrupt or truncated file, a full
    disk): one line for the user instead of a traceback. Other errors pass through."""
    if isinstance(err, RuntimeError) or (isinstance(err, OSError) and any(
            w in str(err) for w in ("Corruption", "IO error", "No space left"))):
        text = " ".join(str(err).split())[:300]
        raise StoreError(f"the store's database failed ({text}); {outcome}", str(path)) from None


def _open(folder: Path, *, read_only: bool) -> ox.Store:
    global _opened
    _opened = True
    try:
        return ox.Store.read_only(str(folder)) if read_only else ox.Store(str(folder))
    except (OSError, RuntimeError) as err:
        if "lock" in str(err).lower():
            raise StoreError("the store is in use by another process; try again when it has finished",
                             str(folder)) from err
        raise StoreError(f"cannot open the store ({err})", str(folder)) from err


def _publish(path: Path, name: str) -> None:
    """Name generation ``name`` in ``path/GENERATION``: write a new file, then rename it over the
    old one (atomic), with fsyncs so the name never points to what is not on disk."""
    tmp = path / f".{GENERATION_FILE}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    gen_fd = os.open(path / name, os.O_RDONLY)
    try:
        os.fsync(gen_fd)
    finally:
        os.close(gen_fd)
    os.replace(tmp, path / GENERATION_FILE)
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def open_store(path: str | Path = DEFAULT_STORE, *, read_only: bool = True) -> KGStore:
    """The store in folder ``path`` (`kg.open_store`): read-only unless ``read_only`` is False, in
    which case a new store is created if there is none. Close it (or use it in ``with``) so that
    other processes can open it."""
    return KGStore(path, read_only=read_only)


@contextmanager
def using_store(store: KGStore | str | Path) -> Iterator[KGStore]:
    """``store`` itself when it is an open store; else the store in that folder, opened read-only
    for the block and closed after it."""
    if isinstance(store, KGStore):
        yield store
        return
    with KGStore(store, read_only=True) as opened:
        yield opened
