"""The main job: article files -> extraction -> resolution -> RDF in the store."""
from __future__ import annotations

import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from kg.errors import InputError
from kg.limits import IngestLimits
from kg.namespaces import ENTITY_GRAPH, FACTS_GRAPH, ID, KG
from kg.store import KGStore



@dataclass
class BuildReport:
    """What a build stored; the counts are of the whole store after the build."""

    built: list[str] = field(default_factory=list)  # extracted: new or changed
    unchanged: list[str] = field(default_factory=list)  # already in the store as they are
    replaced: list[str] = field(default_factory=list)  # IRIs of older graphs of changed files
    removed: list[str] = field(default_factory=list)  # sources pruned (file gone)
    skipped: list[str] = field(default_factory=list)  # "path: reason"
    documents: int = 0
    entities: int = 0
    relations: int = 0
    events: int = 0
    triples: int = 0


def store_counts(store: KGStore, triples: int | None = None) -> dict[str, int]:
    """Documents, entities, relations (distinct plain triples between entities), events, triples.

    Triples are those of the knowledge graph as stored (`KGStore.triple_count`): the build log
    and the entailments of ``--infer`` are not counted. A caller that knows that number passes
    it as ``triples``, sparing a scan of the whole store.
    """
    q = """
    SELECT
      (COUNT(DISTINCT ?doc) AS ?documents)
    WHERE { ?doc a kg:Document }
    """
    docs = int(next(iter(store.query(q)))[0])
    ents = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH <%s> { ?e a ?t } }" % ENTITY_GRAPH)))[0])
    if store.ox.contains_named_graph(ox.NamedNode(str(FACTS_GRAPH))):
        # the facts graph holds one kg:Fact per distinct asserted triple, kept up to date by
        # every build: counting them is one scan (0.01 s at 1M triples, against 1.1 s for the
        # DISTINCT over every assertion below)
        rels = int(next(iter(store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?f a kg:Fact } }" % FACTS_GRAPH)))[0])
    else:
        rels = int(next(iter(store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?a a kg:Assertion ; "
            "rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }")))[0])
    # events still in a document: only a document's graph describes an event, kg:trigger and
    # kg:inDocument together (`kg.rdf`), so the triggers alone count them. Joining the two, as
    # this once did, held every kg:inDocument of the store in a hash table: +17 MB of RSS on the
    # bench's 10k-document store, 0.24 s against 0.03 s, same count
    events = int(next(iter(store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:trigger ?t }")))[0])
    return {"documents": docs, "entities": ents, "relations": rels, "events": events, "triples": store.triple_count() if triples is None else triples}


_ASSERTIONS_BY_SENTENCE = """
SELECT ?s ?p ?o ?doc ?sent (MAX(?c) AS ?conf) (COUNT(?a) AS ?n)
       (GROUP_CONCAT(STR(?a); separator=" ") AS ?assertions)
       (SUM(?claimed) AS ?claims) (SUM(?denied) AS ?denials)
WHERE {
  {
    SELECT ?a ?s ?p ?o ?doc ?sent (MAX(?c0) AS ?c)
           (MAX(IF(BOUND(?by), 1, 0)) AS ?claimed) (MAX(IF(COALESCE(?neg, false), 1, 0)) AS ?denied)
    WHERE {
      ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inDocument ?doc .
      OPTIONAL { ?a kg:sentenceIndex ?sent }
      OPTIONAL { ?a kg:confidence ?c0 }
      OPTIONAL { ?a kg:claimedBy ?by }
      OPTIONAL { ?a kg:negated ?neg }
    }
    GROUP BY ?a ?s ?p ?o ?doc ?sent
  }
}
GROUP BY ?s ?p ?o ?doc ?sent
"""

MAX_FACT_CONFIDENCE = 0.99  # however many sentences say it, an extracted statement is never certain


def _fact_node(s, p, o):
    """The fact node of a triple: a hash of it, so the same triple always has the same node."""
    import hashlib

    return ID["fact/" + hashlib.sha1(f"{s}\x1f{p}\x1f{o}".encode("utf-8")).hexdigest()[:16]]


def _values(triples: Iterable[tuple]) -> str:
    """A SPARQL VALUES block binding ?s ?p ?o to ``triples``."""
    rows = " ".join(f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in sorted(triples, key=lambda t: tuple(map(str, t))))
    return "VALUES (?s ?p ?o) { %s }" % rows


def fact_triples(store: KGStore, only: set[tuple] | None = None) -> list[tuple]:
    """The facts graph: one kg:Fact per distinct (s, p, o) that an assertion in the store states.

    A fact has its triple (rdf:subject/predicate/object), kg:supportedBy each assertion,
    kg:supportCount (assertions), kg:documentCount (distinct documents), kg:confidence and
    kg:claimOnly true when every assertion is someone's claim (kg:claimedBy). The confidence
    combines the sentences that state it as a noisy-or, 1 - prod(1 - c) over distinct (document,
    sentence) (the best assertion of a sentence counts once; a sentence that denies the triple,
    kg:negated, adds nothing), capped at 0.99; a triple only ever denied keeps the highest
    confidence of its denials. Read from the whole store, so it covers every document built so far.
    With ``only``, just the facts of those (s, p, o) triples.
    """
    sparql = _ASSERTIONS_BY_SENTENCE
    if only is not None:
        # the VALUES block first, so Oxigraph starts from the touched triples, not every assertion
        sparql = sparql.replace("    WHERE {\n      ?a a kg:Assertion", "    WHERE {\n      %s\n      ?a a kg:Assertion"
                                % _values(only), 1)
    rows = ((s, p, o, doc, None if conf is None else float(conf), int(n), str(assertions).split(), int(claims),
             int(denials))
            for s, p, o, doc, _sent, conf, n, assertions, claims, denials in store.query(sparql))
    return _facts(rows)


def _facts(rows: Iterable[tuple]) -> list[tuple]:
    """Fact triples from one row per (s, p, o, document, sentence): (s, p, o, document, best
    confidence or None, assertions, their IRIs, how many are claims, how many are denials)."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from kg.rdf import int_literal as _int  # counts recur: each Literal made once

    facts: dict[tuple, dict] = {}
    for s, p, o, doc, conf, n, assertions, claims, denials in rows:
        f = facts.setdefault((s, p, o), {"n": 0, "docs": set(), "stated": [], "denied": [], "claims": 0,
                                          "assertions": set()})
        f["n"] += n
        f["docs"].add(doc)
        f["claims"] += claims
        f["assertions"].update(assertions)
        c = conf if conf is not None else 1.0
        # a sentence that only denies the triple is no support for it
        (f["denied"] if denials == n else f["stated"]).append(c)
    out: list[tuple] = []
    # rdflib resolves every Namespace attribute anew: looked up once, not per fact
    fact, support_count, document_count = KG.Fact, KG.supportCount, KG.documentCount
    confidence, claim_only, supported_by = KG.confidence, KG.claimOnly, KG.supportedBy
    rdf_type, rdf_s, rdf_p, rdf_o, decimal = RDF.type, RDF.subject, RDF.predicate, RDF.object, XSD.decimal
    true, false = Literal(True), Literal(False)
    for (s, p, o), f in sorted(facts.items(), key=lambda kv: tuple(map(str, kv[0]))):
        if f["stated"]:
            doubt = 1.0
            for c in f["stated"]:
                doubt *= 1.0 - min(max(c, 0.0), 1.0)
            conf = min(1.0 - doubt, MAX_FACT_CONFIDENCE)
        else:
            conf = min(max(f["denied"]), MAX_FACT_CONFIDENCE)
        node = _fact_node(s, p, o)
        out += [
            (node, rdf_type, fact),
            (node, rdf_s, s), (node, rdf_p, p), (node, rdf_o, o),
            (node, support_count, _int(f["n"])),
            (node, document_count, _int(len(f["docs"]))),
            (node, confidence, Literal(f"{conf:.2f}", datatype=decimal)),
            (node, claim_only, true if f["claims"] == f["n"] else false),
        ]
        out += [(node, supported_by, URIRef(a)) for a in sorted(f["assertions"])]
    return out


class _Support:
    """What the facts need from the assertions a build writes, gathered document by document:
    one row per (s, p, o, document, sentence), as `_ASSERTIONS_BY_SENTENCE` reads them from the
    store. A build into a store with no assertion yet computes its facts from these rows, with
    no query: the query's hash joins read every assertion and mention of the store once per
    chunk of triples, which was most of a 10k-document build's peak memory (bench/RESULTS.md)."""

    def __init__(self, keep_rows: bool = True) -> None:
        self.keep_rows = keep_rows  # False: only the (s, p, o) are wanted (the store has other assertions)
        self.rows: dict[tuple, list] = {}
        # one object per distinct term: every document makes its own copies of the same entity
        # and property IRIs, and the rows of a large corpus would keep them all
        self._terms: dict = {}

    def _spo(self, s: Any, p: Any, o: Any) -> tuple:
        t = self._terms
        return (t.setdefault(s, s), t.setdefault(p, p), t.setdefault(o, o))

    def merge(self, rows: dict[tuple, list], spos: set[tuple]) -> set[tuple]:
        """Take the rows and (s, p, o) that `add` gave in another process; returns the (s, p, o)."""
        for (s, p, o, doc, sent), row in rows.items():
            self.rows[(*self._spo(s, p, o), doc, sent)] = row
        return {self._spo(*spo) for spo in spos}

    def add(self, triples: Iterable[tuple]) -> set[tuple]:
        """Record the assertions among one document's ``triples``; returns their (s, p, o)."""
        nodes: dict[str, dict] = {}
        for s, p, o in triples:
            ps = str(p)
            if ps == _RDF_TYPE:
                if isinstance(o, URIRef) and str(o) == _ASSERTION:  # a node may have other types
                    nodes.setdefault(str(s), {})[_RDF_TYPE] = True
            elif ps in _SUPPORT_PREDICATES:
                nodes.setdefault(str(s), {})[ps] = o
        spos = set()
        for a, d in nodes.items():
            if _RDF_TYPE not in d:
                continue
            try:
                spo = self._spo(d[_SUBJ], d[_PRED], d[_OBJ])
            except KeyError:
                continue
            spos.add(spo)
            if not self.keep_rows:
                continue
            doc, sent = d.get(_IN_DOC), d.get(_SENT)
            conf = d.get(_CONF)
            neg = d.get(_NEG)
            row = self.rows.setdefault((*spo, doc, None if sent is None else int(sent)), [None, 0, [], 0, 0])
            if conf is not None:
                row[0] = float(conf) if row[0] is None else max(row[0], float(conf))
            row[1] += 1
            # an assertion's IRI is its document's plus "#a-...": keep only that tail, which is
            # most of what these rows hold for a large corpus
            ds = str(doc) if doc is not None else ""
            row[2].append(a[len(ds):] if ds and a.startswith(ds + "#") else a)
            row[3] += 1 if d.get(_CLAIMED) is not None else 0
            row[4] += 1 if neg is not None and bool(neg.toPython()) else 0
        return spos

    def fact_row(self, key: tuple) -> tuple:
        """The row of ``key`` as `_facts` reads it, assertion IRIs whole again."""
        s, p, o, doc, _sent = key
        conf, n, assertions, claims, denials = self.rows[key]
        ds = str(doc)
        return (s, p, o, doc, conf, n, [ds + a if a.startswith("#") else a for a in assertions], claims, denials)

    def fact_rows(self) -> Iterator[tuple]:
        """The rows as `_facts` reads them."""
        return (self.fact_row(key) for key in self.rows if key[3] is not None)

    def write_facts(self, store: KGStore) -> None:
        """Write the facts graph of these assertions (into a store that has none yet), a chunk
        of triples at a time."""
        from kg.store import nquads

        by_spo: dict[tuple, list] = {}
        for key in self.rows:
            if key[3] is not None:
                by_spo.setdefault(key[:3], []).append(key)
        ordered = list(by_spo)  # build order: the chunks only bound memory, the graph is the same
        for i in range(0, len(ordered), _FACTS_LOAD_CHUNK):
            # the rows made whole a chunk at a time: every assertion IRI of a build at once
            # was most of the peak RSS at its end (+18 MB at 3,000 documents)
            rows = [self.fact_row(k) for spo in ordered[i:i + _FACTS_LOAD_CHUNK] for k in by_spo[spo]]
            # bulk-loaded: written to files on disk, not into RocksDB's write buffers, which
            # once held every fact of the build in six indexes (+140 MB at 10k documents)
            store.add_new_graphs_nquads(nquads(_facts(rows), FACTS_GRAPH), lenient=True)


def build(paths: Iterable[str | Path], store: KGStore, *, use_gazetteer: bool = True, strict: bool = False,
          on_error: Callable[[InputError], None] | None = None, batch_size: int = 16,
          prune: bool = False, limits: IngestLimits | None = None, jobs: int = 1,
          engine: str = "local", scheduler: str | Any | None = None, progress: bool = False,
          counts: bool = True) -> BuildReport:
    """Read, extract, resolve and store the articles under ``paths``; publish the result.

    Only new or changed files are extracted (`kg.build.incremental`): a file whose source path and
    content the store already holds is left as it is, so building the same files again changes
    nothing but the build log. A changed file replaces its old graph. With ``prune``, documents
    whose source lies under ``paths`` but no longer exists are removed. Unreadable files are
    reported through ``on_error`` and skipped (raised with ``strict``); ``limits`` bound each
    input file (size, HTML depth, text length; `kg.limits` has the defaults). Every build is
    recorded in the build log (PROV-O), and published in one step (`KGStore.commit`).

    Extraction runs in this process, in ``jobs`` local processes, or with ``engine="dask"`` on
    the Dask cluster at ``scheduler`` (`kg.build.parallel`, `kg.build.dask_engine`); the graph is the same.
    Local workers are started first, so they load the pipeline while this process reads the
    files, and serve both rounds.
    ``progress`` draws bars on stderr (`kg.progress`). ``counts=False`` leaves the report's store
    counts at zero: counting relations and events scans the whole store (seconds at 1M triples).

    Resolution is corpus-level, so the build keeps every new document's extraction (text,
    mentions, roles, relations, events: no spaCy objects) until it is written, pickled in a
    temporary file (`PackedExtractions`); what stays in memory is the resolver's tables. Each
    document's triples are made and written one document at a time. A build that only adds
    documents updates the entity and facts graphs with what it added; one that replaces or
    removes documents recomputes them from the document graphs.
    """
    pool = None
    if engine == "local" and jobs > 1:
        from kg.build.parallel import LocalPool

        pool = LocalPool(jobs, use_gazetteer)
    try:
        return _build(paths, store, use_gazetteer=use_gazetteer, strict=strict, on_error=on_error,
                      batch_size=batch_size, prune=prune, limits=limits, jobs=jobs, engine=engine,
                      scheduler=scheduler, progress=progress, counts=counts, pool=pool)
    finally:
        if pool is not None:
            pool.close()


def _build(paths: Iterable[str | Path], store: KGStore, *, use_gazetteer: bool = True, strict: bool = False,
           on_error: Callable[[InputError], None] | None = None, batch_size: int = 16,
           prune: bool = False, limits: IngestLimits | None = None, jobs: int = 1,
           engine: str = "local", scheduler: str | Any | None = None, progress: bool = False,
           counts: bool = True, pool: Any = None) -> BuildReport:
    """`build`, with the local workers (`kg.build.parallel.LocalPool`) already started when ``pool``."""
    from kg.build import incremental
    from kg.progress import Progress

    started = incremental.now()
    paths = list(paths)
    report = BuildReport()

    docs = read_all(paths, report.skipped, on_error, strict=strict, limits=limits, progress=progress)
    todo = incremental.plan(store, docs)
    report.unchanged = [d.source for d in todo.unchanged]
    used = [d.source for d in docs]
    del docs
    generated: list[str] = []
    entities: list[tuple] = []
    touched: set[tuple] = set()  # (s, p, o) whose facts may change
    had_facts = store.ox.contains_named_graph(ox.NamedNode(str(FACTS_GRAPH)))
    # a store with no assertion yet: the triples this build asserts are all there are, so its
    # facts need no scan of the store
    fresh = not had_facts and not bool(store.ox.query("ASK { ?a a <%s> }" % KG.Assertion,
                                                      use_default_graph_as_union=True))
    support = _Support(keep_rows=fresh)
    # a store with no triple yet: the build's triple count is what it writes, counted as it
    # writes (`_GraphWriter.quads`), with no scan of the store at the end. That scan was the
    # peak RSS of a 3,000-document build (not of the bench's 10k one): reading every quad once
    # filled RocksDB's block cache (+28 MB on that store, 610k triples, RSS before and after
    # `triple_count`)
    count_written = counts and not store.holds_knowledge()
    written: int | None = None
    work = todo.todo
    report.built = [d.source for d in work]
    added, changed = len(todo.new), len(todo.changed)
    todo.new, todo.changed = [], []
    if work:
        extractions, res, event_keys, entities, described = extract_and_resolve(
            work, use_gazetteer=use_gazetteer, batch_size=batch_size, jobs=jobs, engine=engine,
            scheduler=scheduler, progress=progress, pool=pool)
        work = []  # each text lives on in its extraction: the Documents can go
        for old in todo.replaced:
            store.remove_graph(URIRef(old))
        with Progress("writing", len(extractions), enabled=progress) as bar:
            # every engine makes each document's graph as N-Quads (`kg.build.parallel.document_quads`):
            # in this process when jobs is 1, one document at a time, so the triples of a large
            # corpus are never all in memory; otherwise in the workers, since the writing is
            # most of what stays serial. This process parses them into the store.
            made = documents_as_nquads(extractions, res, event_keys, described, keep_rows=fresh, jobs=jobs,
                                       engine=engine, scheduler=scheduler, batch_size=batch_size, pool=pool)
            # the loads run beside the making of the next documents' N-Quads (`_GraphWriter`)
            with _GraphWriter(store, threads=2 if jobs > 1 or engine == "dask" else 1, count=count_written) as out:
                for iri_s, data, spos, rows in made:
                    out.add_nquads(URIRef(iri_s), data)
                    spos = support.merge(rows, spos)
                    if not fresh:  # a first build's facts come from the support rows alone
                        touched |= spos
                    generated.append(iri_s)
                    bar.update()
            # two files of one document would share a graph, counted twice above
            written = out.quads if len(set(generated)) == len(generated) else None
        report.replaced = list(todo.replaced)
        # written: what remains to do needs only the entity triples and the touched facts, so
        # the memory of the extractions is free for it (peak RSS of large builds, bench/)
        extractions.close()
        del extractions, res, event_keys, described
        _release_free_memory()
    removed: list[str] = []
    if prune:
        gone = incremental.missing_documents(store, paths)
        for d in gone:
            store.remove_graph(URIRef(d.iri))
        removed = [d.iri for d in gone]
        report.removed = [d.source for d in gone]
    # The log first: the entity graph is merged in build order, which the log records.
    incremental.record_activity(
        store, "Build", started, generated=generated, invalidated=[*todo.replaced, *removed],
        used=used,
        counts={"documentsAdded": added, "documentsChanged": changed,
                "documentsUnchanged": len(todo.unchanged), "documentsRemoved": len(removed)})
    if removed or todo.replaced:
        incremental.refresh_derived(store)  # what went away may have fixed a type or held up a fact
    elif generated:
        # only additions: the merge in build order is the old entity graph plus what this build
        # proposes, and only the facts of the triples it asserts can change
        _add_entities(store, entities)
        if fresh:
            support.write_facts(store)  # every assertion of the store is this build's
        else:
            _update_facts(store, touched if had_facts else None)
    # what only the writing needed, freed before the counts' scans of the store add their own
    del support, touched, entities
    _release_free_memory()
    if counts:
        known = None
        if written is not None and not removed and not todo.replaced:
            # the documents' graphs as counted while written, and the two graphs made since
            # (the build log is not counted)
            known = written + store.graph_triple_count(ENTITY_GRAPH) + store.graph_triple_count(FACTS_GRAPH)
        for k, v in store_counts(store, triples=known).items():
            setattr(report, k, v)
    store.commit()  # published in one rename: a build killed before this leaves the store as it was
    return report


class PackedExtractions(Sequence):
    """Extractions kept as pickles in a temporary file, one per document: ``xs[i]`` is a fresh
    copy, ``put(i, x)`` stores a changed one. A build needs every extraction of its corpus until
    it is written; on disk they cost memory only for their offsets, so a build's memory does not
    grow with its corpus through them (bench/RESULTS.md). ``close()`` (or the end of a ``with``
    block) removes the file."""

    def __init__(self) -> None:
        import tempfile
        from array import array

        self._file = tempfile.TemporaryFile(prefix="kg-extractions-")
        self._end = 0
        self._offsets = array("q")
        self._sizes = array("q")

    def _write(self, x: Any) -> tuple[int, int]:
        data = pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL)
        at = self._end
        # positional writes: reads may come between appends, and need no seek bookkeeping
        os.pwrite(self._file.fileno(), data, at)
        self._end += len(data)
        return at, len(data)

    def append(self, x: Any) -> None:
        at, size = self._write(x)
        self._offsets.append(at)
        self._sizes.append(size)

    def put(self, i: int, x: Any) -> None:
        # the old record stays in the file unread: puts are rare (resolution's remaps)
        self._offsets[i], self._sizes[i] = self._write(x)

    def __len__(self) -> int:
        return len(self._offsets)

    def raw(self, i: int) -> bytes:
        """The pickle of extraction ``i`` (what a worker process is sent)."""
        return os.pread(self._file.fileno(), self._sizes[i], self._offsets[i])

    def __getitem__(self, i: int) -> Any:  # type: ignore[override]
        return pickle.loads(self.raw(i))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> PackedExtractions:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def read_all(paths: Iterable[str | Path], skipped: list[str], on_error: Callable[[InputError], None] | None, *,
             strict: bool, limits: IngestLimits | None, progress: bool) -> list:
    """Every readable document under ``paths``; the others are added to ``skipped`` (and
    reported through ``on_error``), or raised with ``strict``."""
    from kg.ingest import read_documents
    from kg.progress import track

    def skip(err: InputError) -> None:
        skipped.append(str(err))
        if on_error is not None:
            on_error(err)

    return list(track(read_documents(paths, strict=strict, on_error=skip, limits=limits), "reading",
                      enabled=progress))


def extract_and_resolve(docs: list, *, use_gazetteer: bool, batch_size: int, jobs: int, engine: str,
                        scheduler: str | Any | None, progress: bool, pool: Any = None) -> tuple:
    """The first round of a build and the corpus-level steps after it: (packed extractions,
    resolution, event keys, entity triples, entity index)."""
    from kg import rdf
    from kg.build import incremental
    from kg.resolve.events import link_events
    from kg.ontology.gazetteer import load_gazetteer
    from kg.progress import track
    from kg.resolve import Resolver

    # Each extraction is resolved as it arrives (resolution's per-document pass) and kept
    # pickled in a temporary file: what the corpus-level steps below need of it is read back one
    # document at a time, so the build's memory does not grow with the extractions
    # (bench/RESULTS.md)
    extractions = PackedExtractions()
    resolver = Resolver(load_gazetteer(enabled=use_gazetteer))
    for xi, x in enumerate(track(_extractions(docs, use_gazetteer=use_gazetteer, batch_size=batch_size,
                                              jobs=jobs, engine=engine, scheduler=scheduler, pool=pool),
                                 "extracting", len(docs), enabled=progress)):
        resolver.document(xi, x)
        extractions.append(x)
    res = resolver.finish(extractions)
    # One node per real event: events of different documents that report the same one share it.
    event_keys = link_events(extractions, res)
    entities = list(rdf.entity_triples(res.entities))
    return extractions, res, event_keys, entities, incremental.entity_index(entities)


def documents_as_nquads(extractions: PackedExtractions, res: Any, event_keys: Any, described: Any, *,
                        keep_rows: bool, jobs: int, engine: str, scheduler: str | Any | None,
                        batch_size: int, pool: Any = None) -> Iterator[tuple[str, bytes, set, dict]]:
    """The second round: each document's graph as N-Quads (`kg.build.parallel.document_quads`), in
    order, made on the Dask cluster, in ``jobs`` local processes, or here when ``jobs`` is 1."""
    if engine == "dask":
        from kg.build.dask_engine import write_documents as on_cluster

        return on_cluster(extractions, res, event_keys, described, scheduler, keep_rows=keep_rows,
                          batch_size=batch_size)
    if jobs > 1:
        from kg.build.parallel import write_documents

        return write_documents(extractions, res, event_keys, described, keep_rows=keep_rows, jobs=jobs,
                               batch_size=batch_size, pool=pool)
    from kg.build.parallel import document_quads

    return (document_quads(xi, extractions[xi], res, event_keys, described, keep_rows)
            for xi in range(len(extractions)))


def _extractions(docs: list, *, use_gazetteer: bool, batch_size: int, jobs: int, engine: str,
                 scheduler: str | Any | None, pool: Any = None) -> Iterator:
    if engine == "dask":
        if scheduler is None:
            raise InputError("the Dask engine needs a scheduler address (--scheduler tcp://HOST:8786)")
        from kg.build import dask_engine

        return dask_engine.extract_documents(docs, scheduler, use_gazetteer=use_gazetteer, batch_size=batch_size)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}: expected 'local' or 'dask'")
    from kg.build.parallel import extract_documents

    return extract_documents(docs, use_gazetteer=use_gazetteer, batch_size=batch_size, jobs=jobs, pool=pool)


_RDF_TYPE, _ASSERTION = str(RDF.type), str(KG.Assertion)
_SUBJ, _PRED, _OBJ = str(RDF.subject), str(RDF.predicate), str(RDF.object)
_IN_DOC, _SENT, _CONF = str(KG.inDocument), str(KG.sentenceIndex), str(KG.confidence)
_CLAIMED, _NEG = str(KG.claimedBy), str(KG.negated)
_SUPPORT_PREDICATES = frozenset({_RDF_TYPE, _SUBJ, _PRED, _OBJ, _IN_DOC, _SENT, _CONF, _CLAIMED, _NEG})


_WRITE_EVERY = 16  # documents per bulk load (`KGStore.add_new_graphs_nquads`)
# documents written between two reopenings of the store (`KGStore.reopen`): RocksDB keeps memory
# for every bulk load it took in (48 MB after the 10,000 documents of bench/, freed by closing it)
_REOPEN_EVERY = 1000


class _GraphWriter:
    """A build's new documents' graphs, bulk-loaded ``_WRITE_EVERY`` documents a load per
    thread (a transaction per document was most of the writing's cost); a graph the store
    already holds is replaced in its own transaction.

    Oxigraph parses N-Quads bytes and builds its index files without holding the GIL, so the
    loads run on ``threads`` loading threads (at least one) while the calling thread makes the
    next documents' N-Quads. A build with worker processes uses two, loading twice as many
    documents each, since its one writer is what stays serial after extraction: 200 articles'
    graphs (106k quads) took 1.0 s in 13 loads on two threads, 0.8 s in 7, against 1.6 s in 13
    loads on one (this disk, three alternating runs of each).

    A single-process build uses one, loading 16 documents at a time: the writing phase of a
    preloaded 200-article build took 1.5-2.1 s instead of 2.7-2.9 (three alternating runs of
    each). It once raised the peak RSS of a 10,000-document build from 324 to 335 MB, through
    the store counts that then scanned the store after the writing; with those counted as
    written (`_build`) and the store reopened every `_REOPEN_EVERY` documents, the bench's
    builds peaked at 215-216 MB (1k) and 279-282 MB (10k) with it, against 214 and 275-285 MB
    without (four builds each with it, three without; bench/RESULTS.md).
    """

    def __init__(self, store: KGStore, threads: int = 1, count: bool = False) -> None:
        from kg.store import infer

        self.store = store
        # with ``count``: the quads of the graphs written, while every graph is new to the
        # store (None once one was not); each document's N-Quads may repeat a quad, which the
        # store holds once, so its distinct lines are counted
        self.quads: int | None = 0 if count else None
        self.nquads: list[bytes] = []
        self.threads = max(1, threads)
        # fewer, larger loads cost less CPU (1.5 -> 1.3 s for the 200 articles above); one
        # loading thread keeps the size whose peak RSS bench/RESULTS.md reports
        self.every = _WRITE_EVERY * self.threads
        self.since_reopen = 0
        self._pool: ThreadPoolExecutor | None = None
        self._loading: deque[Future] = deque()
        infer.drop(store.ox)  # here, once: the loads below may run in other threads

    def add_nquads(self, iri: URIRef, data: bytes) -> None:
        if self.store.ox.contains_named_graph(ox.NamedNode(str(iri))):
            self.write()
            self.wait()
            self.store.replace_graph_nquads(iri, data)
            self.quads = None
            return
        if self.quads is not None:
            self.quads += len(set(data.splitlines()))
        self.nquads.append(data)
        if len(self.nquads) >= self.every:
            self.write()
        self.since_reopen += 1
        if self.since_reopen >= _REOPEN_EVERY:
            self.write()
            self.wait()
            self.store.reopen()
            _release_free_memory()
            self.since_reopen = 0

    def write(self) -> None:
        """Start loading the documents added since the last load, on a loading thread."""
        if not self.nquads:
            return
        data = b"".join(self.nquads)
        self.nquads = []
        # made by `kg.store.nquads`, whose IRIs Oxigraph has checked: the loader need not again
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="kg-load")
        while len(self._loading) >= self.threads:  # bounded: at most ``threads`` loads in memory
            self._loading.popleft().result()
        self._loading.append(self._pool.submit(self.store.add_new_graphs_nquads, data, lenient=True))

    def wait(self) -> None:
        """Wait for the loads under way; the first one that failed raises."""
        while self._loading:
            self._loading.popleft().result()

    def __enter__(self) -> _GraphWriter:
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        try:
            if kind is None:  # a failed build's copy is thrown away: nothing more to write
                self.write()
                self.wait()
        finally:
            if self._pool is not None:
                # no load may still run when the store closes, after a failure too
                self._pool.shutdown(wait=True, cancel_futures=True)


def _release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing): malloc keeps what the loads and the writing freed, and the steps after them
    would otherwise stack their own memory on top of it (a 3,000-document build with a
    loading thread: peak RSS 250 MB without, 243-245 with)."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (macOS, musl)


_FACTS_CHUNK = 2000  # triples whose facts are recomputed per query: bounds memory on a large build
# triples whose facts a first build loads at once: with 2,000 a load was the peak RSS of the
# bench's 10,000-document build (+17 MB over the step before it)
_FACTS_LOAD_CHUNK = 500


def _update_facts(store: KGStore, touched: set[tuple] | None) -> None:
    """Bring the facts graph up to date after documents were written.

    A fact depends only on the assertions of its own (s, p, o), so only the facts of ``touched``
    triples are recomputed, a chunk at a time; the rest stay as they are. ``None`` (no facts graph
    yet) recomputes the facts of every asserted triple in the store. Either way the result
    equals `fact_triples` of the store.
    """
    from kg.store import infer
    from kg.store import to_ox

    if touched is None:
        touched = {tuple(r) for r in store.query(
            "SELECT DISTINCT ?s ?p ?o WHERE { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }")}
    g = ox.NamedNode(str(FACTS_GRAPH))
    infer.drop(store.ox)
    ordered = sorted(touched, key=lambda t: tuple(map(str, t)))
    for i in range(0, len(ordered), _FACTS_CHUNK):
        chunk = set(ordered[i:i + _FACTS_CHUNK])
        old = [q for spo in chunk for q in store.ox.quads_for_pattern(to_ox(_fact_node(*spo)), None, None, g)]
        for q in old:
            store.ox.remove(q)
        store.ox.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in fact_triples(store, only=chunk)])
        store.flush()  # bounds RocksDB's write buffers, which otherwise hold every fact written


def _add_entities(store: KGStore, new: Iterable[tuple]) -> None:
    """Add this build's entity descriptions to the entity graph.

    An entity already described keeps its type, label and country, so a later build never gives
    a node a second type; aliases and links accumulate. Only the new triples are written, so the
    cost follows the build, not the size of the store. They are bulk-loaded a chunk at a time.
    """
    from kg.store import infer
    from kg.store import nquads, to_ox

    g = ox.NamedNode(str(ENTITY_GRAPH))
    fixed_preds = (RDF.type, SKOS.prefLabel, KG.country)
    triples = []
    fixed: dict[tuple, bool] = {}
    infer.drop(store.ox)
    for s, p, o in new:
        if p in fixed_preds:
            if (s, p) not in fixed:
                fixed[(s, p)] = next(iter(store.ox.quads_for_pattern(to_ox(s), to_ox(p), None, g)), None) is not None
            if fixed[(s, p)]:
                continue
        triples.append((s, p, o))
        if len(triples) >= _FACTS_CHUNK * 4:  # in chunks: one write of every entity grew with the corpus
            store.add_new_graphs_nquads(nquads(triples, ENTITY_GRAPH), lenient=True)
            triples = []
    if triples:
        store.add_new_graphs_nquads(nquads(triples, ENTITY_GRAPH), lenient=True)
