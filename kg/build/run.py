"""The main job: article files -> extraction -> resolution -> RDF in the store (`build`)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from kg.build.derived import add_entities, contributions, refresh_entities
from kg.build.engines import documents_as_nquads, extract_and_resolve, read_all
from kg.build.facts import FactSupport, update_facts
from kg.build.incremental import missing_documents, plan
from kg.build.log import now, record_activity
from kg.build.parallel import LocalPool
from kg.build.writer import REOPEN_EVERY, GraphWriter, release_free_memory
from kg.errors import InputError
from kg.ingest import check_paths
from kg.limits import IngestLimits
from kg.namespaces import ENTITY_GRAPH, FACTS_GRAPH, KG
from kg.progress import Progress
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
    if store.contains_graph(FACTS_GRAPH):
        # the facts graph holds one kg:Fact per distinct asserted triple, kept up to date by
        # every build: counting them is one scan of one graph, where the DISTINCT below reads
        # every assertion of the store
        rels = int(next(iter(store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?f a kg:Fact } }" % FACTS_GRAPH)))[0])
    else:
        rels = int(next(iter(store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?a a kg:Assertion ; "
            "rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }")))[0])
    # events still in a document: only a document's graph describes an event, kg:trigger and
    # kg:inDocument together (`kg.rdf`), so the triggers alone count them; joining the two would
    # hold every kg:inDocument of the store in a hash table
    events = int(next(iter(store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:trigger ?t }")))[0])
    return {"documents": docs, "entities": ents, "relations": rels, "events": events, "triples": store.triple_count() if triples is None else triples}


def build(paths: Iterable[str | Path], store: KGStore, *, use_gazetteer: bool = True, strict: bool = False,
          on_error: Callable[[InputError], None] | None = None, batch_size: int = 16,
          prune: bool = False, limits: IngestLimits | None = None, jobs: int = 1,
          engine: str = "local", scheduler: str | Any | None = None, progress: bool = False,
          counts: bool = True, reopen_every: int = REOPEN_EVERY, fuzzy_merge: bool = True) -> BuildReport:
    """Read, extract, resolve and store the articles under ``paths``; publish the result.

    Only new or changed files are extracted (`kg.build.incremental`): a file whose source path and
    content the store already holds is left as it is, so building the same files again changes
    nothing but the build log. A changed file replaces its old graph. With ``prune``, documents
    whose source lies under ``paths`` but no longer exists are removed. Unreadable files are
    reported through ``on_error`` and skipped (raised with ``strict``); ``limits`` bound each
    input file (size, HTML depth, text length; `kg.limits` has the defaults). Every build is
    recorded in the build log (PROV-O), and published in one step (`KGStore.commit`).

    Extraction runs in this process, in ``jobs`` local processes, or with ``engine="dask"`` on
    the Dask cluster at ``scheduler`` (`kg.build.engines`); the graph is the same. Local workers
    are started first, so they load the pipeline while this process reads the files, and serve
    both rounds.
    ``progress`` draws bars on stderr (`kg.progress`). ``counts=False`` leaves the report's store
    counts at zero: counting relations and events scans the whole store, which takes long on a large one.
    ``reopen_every``: documents written between two reopenings of the store (`GraphWriter`).
    ``fuzzy_merge=False`` keeps names spelt otherwise in another document apart (`kg.resolve.fuzzy`
    merges them: "Hosein Salami" / "Hossein Salami").

    Resolution is corpus-level, so the build keeps every new document's extraction (text,
    mentions, roles, relations, events: no spaCy objects) until it is written, pickled in a
    temporary file (`PackedExtractions`); what stays in memory is the resolver's tables. Each
    document's triples are made and written one document at a time. The entity and facts graphs
    are updated with what the build added, replaced and removed, as `kg remove` updates them
    (`_update_derived`): the cost of replacing or pruning a document follows the document, not
    the store.
    """
    pool = LocalPool(jobs, use_gazetteer) if engine == "local" and jobs > 1 else None
    try:
        return _build(paths, store, strict=strict, on_error=on_error, prune=prune, limits=limits, counts=counts,
                      reopen_every=reopen_every,
                      engine=_Engine(use_gazetteer, batch_size, jobs, engine, scheduler, progress, pool, fuzzy_merge))
    finally:
        if pool is not None:
            pool.close()


def build_at(paths: Iterable[str | Path], store_path: str | Path, *, on_wait: Callable[[], None] | None = None,
             **options: Any) -> BuildReport:
    """`build` into the store at ``store_path`` (created if new), after checking that every named
    path exists: a missing one raises `InputError` before the store is opened or created.
    ``options`` are `build`'s; ``on_wait`` is called while another process writes the store."""
    paths = list(paths)
    check_paths(paths)
    with KGStore(store_path, on_wait=on_wait) as store:
        return build(paths, store, **options)


def fetch_into_store(urls_file: str | Path, store_path: str | Path, **options: Any) -> list[Path]:
    """Fetch the URLs listed in ``urls_file`` into the store's ``fetched/`` folder (`kg.ingest.fetch`)
    and return the saved files to build. The store is made first, so the folder it fetches into
    is a store's and a later build accepts it; ``options`` are `fetch_urls`'s."""
    from kg.ingest.fetch import fetch_urls, read_url_list

    KGStore(store_path).close()
    return list(fetch_urls(read_url_list(urls_file), Path(store_path) / "fetched", **options))


@dataclass
class _Engine:
    """Where and how the per-document work runs (`kg.build.engines`)."""

    use_gazetteer: bool
    batch_size: int
    jobs: int
    engine: str
    scheduler: str | Any | None
    progress: bool
    pool: LocalPool | None  # the local workers, already started
    fuzzy_merge: bool = True  # spelling variants of other documents merge


@dataclass
class _FactsState:
    """What a build knows of the facts graph before it writes, and gathers while it writes."""

    had_facts: bool  # the store has a facts graph
    fresh: bool  # the store has no assertion yet: the build's own are all there are
    support: FactSupport
    touched: set[tuple] = field(default_factory=set)  # (s, p, o) whose facts may change
    dropped: set = field(default_factory=set)  # entities proposed by graphs this build removed


def _build(paths: Iterable[str | Path], store: KGStore, *, strict: bool,
           on_error: Callable[[InputError], None] | None, prune: bool, limits: IngestLimits | None,
           counts: bool, reopen_every: int, engine: _Engine) -> BuildReport:
    """`build`, with the local workers (`kg.build.parallel.LocalPool`) already started."""
    started = now()
    paths = list(paths)
    report = BuildReport()

    docs = read_all(paths, report.skipped, on_error, strict=strict, limits=limits, progress=engine.progress)
    todo = plan(store, docs)
    report.unchanged = [d.source for d in todo.unchanged]
    used = [d.source for d in docs]
    del docs
    facts = _facts_state(store)
    # a store with no triple yet: the build's triple count is what it writes, counted as it
    # writes (`GraphWriter.quads`), with no scan of the store at the end, which would fill
    # RocksDB's block cache with every quad of the store
    count_written = counts and not store.holds_knowledge()
    work = todo.todo
    report.built = [d.source for d in work]
    added, changed = len(todo.new), len(todo.changed)
    todo.new, todo.changed = [], []
    generated: list[str] = []
    entities: list[tuple] = []
    written: int | None = None
    if work:
        generated, entities, written = _write_documents(store, work, todo.replaced, facts, engine,
                                                        count=count_written, reopen_every=reopen_every)
        report.replaced = list(todo.replaced)
    removed = _prune(store, paths, report, facts) if prune else []
    # The log first: the entity graph is merged in build order, which the log records.
    record_activity(
        store, "Build", started, generated=generated, invalidated=[*todo.replaced, *removed],
        used=used,
        counts={"documentsAdded": added, "documentsChanged": changed,
                "documentsUnchanged": len(todo.unchanged), "documentsRemoved": len(removed)})
    recompute = bool(removed or todo.replaced)
    if generated or removed:
        _update_derived(store, entities, facts)
    # what only the writing needed, freed before the counts' scans of the store add their own
    del facts, entities
    release_free_memory()
    if counts:
        _count(store, report, None if recompute else written)
    store.commit()  # published in one rename: a build killed before this leaves the store as it was
    return report


def _facts_state(store: KGStore) -> _FactsState:
    had_facts = store.contains_graph(FACTS_GRAPH)
    # a store with no assertion yet: the triples this build asserts are all there are, so its
    # facts need no scan of the store
    fresh = not had_facts and not store.ask("ASK { ?a a <%s> }" % KG.Assertion)
    return _FactsState(had_facts, fresh, FactSupport(keep_rows=fresh))


def _write_documents(store: KGStore, work: list, replaced: list[str], facts: _FactsState, engine: _Engine, *,
                     count: bool, reopen_every: int) -> tuple[list[str], list[tuple], int | None]:
    """Extract, resolve and write the documents of ``work`` (emptied once extracted), after
    dropping the ``replaced`` graphs: (graphs written, entity triples, quads written when
    counted and every graph was new, else None)."""
    e = engine
    extractions, res, event_keys, entities, described = extract_and_resolve(
        work, use_gazetteer=e.use_gazetteer, batch_size=e.batch_size, jobs=e.jobs, engine=e.engine,
        scheduler=e.scheduler, progress=e.progress, pool=e.pool, fuzzy_merge=e.fuzzy_merge)
    work.clear()  # each text lives on in its extraction: the Documents can go
    _drop_graphs(store, replaced, facts)
    generated: list[str] = []
    with Progress("writing", len(extractions), enabled=e.progress) as bar:
        # every engine makes each document's graph as N-Quads (`kg.build.parallel.document_quads`):
        # in this process when jobs is 1, one document at a time, so the triples of a large
        # corpus are never all in memory; otherwise in the workers, since the writing is
        # most of what stays serial. This process parses them into the store.
        made = documents_as_nquads(extractions, res, event_keys, described, keep_rows=facts.fresh, jobs=e.jobs,
                                   engine=e.engine, scheduler=e.scheduler, batch_size=e.batch_size, pool=e.pool)
        # the loads run beside the making of the next documents' N-Quads (`GraphWriter`)
        threads = 2 if e.jobs > 1 or e.engine == "dask" else 1
        with GraphWriter(store, threads=threads, count=count, reopen_every=reopen_every) as out:
            for iri_s, data, spos, rows in made:
                out.add_nquads(URIRef(iri_s), data)
                spos = facts.support.merge(rows, spos)
                if not facts.fresh:  # a first build's facts come from the support rows alone
                    facts.touched |= spos
                generated.append(iri_s)
                bar.update()
        # two files of one document would share a graph, counted twice above
        written = out.quads if len(set(generated)) == len(generated) else None
    # written: what remains to do needs only the entity triples and the touched facts, so
    # the memory of the extractions is free for it
    extractions.close()
    del extractions, res, event_keys, described, made
    release_free_memory()
    return generated, entities, written


def _prune(store: KGStore, paths: list, report: BuildReport, facts: _FactsState) -> list[str]:
    """Remove the stored documents under ``paths`` whose file is gone; their graph IRIs."""
    gone = missing_documents(store, paths)
    _drop_graphs(store, [d.iri for d in gone], facts)
    report.removed = [d.source for d in gone]
    return [d.iri for d in gone]


def _drop_graphs(store: KGStore, graphs: list[str], facts: _FactsState) -> None:
    """Remove document graphs (replaced or pruned), noting what they gave the derived graphs
    (`kg.build.derived.contributions`) in ``facts``, as `kg remove` does: the entities their
    proposals describe and the triples their assertions state."""
    for iri in graphs:
        entities, stated = contributions(store, URIRef(iri))
        facts.dropped |= entities
        facts.touched |= stated
        store.remove_graph(URIRef(iri))


def _update_derived(store: KGStore, entities: list[tuple], facts: _FactsState) -> None:
    """Bring the entity and facts graphs up to date with what the build wrote and removed.

    Only what changed is recomputed, so the cost follows the build, not the store: the
    descriptions of the entities that removed graphs proposed (from the proposals left, this
    build's among them, in build order: what went away may have fixed a type), this build's
    descriptions of the others added after what the entity graph holds (the merge in build
    order is the old graph plus them), and the facts of the triples written or removed.
    """
    refresh_entities(store, facts.dropped)
    add_entities(store, [t for t in entities if t[0] not in facts.dropped] if facts.dropped else entities)
    if facts.fresh:
        facts.support.write_facts(store)  # every assertion of the store is this build's
    elif facts.touched or not facts.had_facts:
        update_facts(store, facts.touched if facts.had_facts else None)


def _count(store: KGStore, report: BuildReport, written: int | None) -> None:
    """The store counts into ``report``; ``written``: the quads of the documents' graphs as
    counted while written (None: unknown, scan the store)."""
    known = None
    if written is not None:
        # the documents' graphs as counted while written, and the two graphs made since
        # (the build log is not counted)
        known = written + store.graph_triple_count(ENTITY_GRAPH) + store.graph_triple_count(FACTS_GRAPH)
    for k, v in store_counts(store, triples=known).items():
        setattr(report, k, v)
