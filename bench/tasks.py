"""One measurement per child process: `python -m bench.tasks NAME JSON-ARGS` prints one JSON line.

A fresh process per measurement, so peak RSS (`resource.getrusage`) is that of the measured work
alone and no cache of an earlier measurement helps a later one.
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _in_processes(ctx, run, processes: int) -> None:
    """``run(i)`` in ``processes`` child processes of ``ctx``, waited for; an error if one failed."""
    kids = [ctx.Process(target=run, args=(i,)) for i in range(processes)]
    for k in kids:
        k.start()
    for k in kids:
        k.join()
    if any(k.exitcode for k in kids):
        raise RuntimeError(f"a parsing process failed: exit codes {[k.exitcode for k in kids]}")

def _peak_mb() -> float:
    """This process's peak RSS in MB: VmHWM, which starts anew at ``exec``. (``ru_maxrss``
    carries over the RSS of the process that forked this one: a child of a 160 MB harness
    reported 160 MB before its first query.)"""
    try:
        for ln in Path("/proc/self/status").read_text().splitlines():
            if ln.startswith("VmHWM:"):
                return int(ln.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _words(texts) -> int:
    return sum(len(t.split()) for t in texts)


def pipe(corpus: str, batch_size: int = 16, processes: int = 1) -> dict:
    """Raw `nlp.pipe` of the same pipeline over the documents' clean texts (load excluded: the
    pipeline is loaded and has parsed the first text before the clock, as `build` with
    ``preload`` has built it).

    With ``processes`` N the loaded pipeline is forked into N processes that each parse every
    N-th text, and the clock stops when the last one ends: how much N processes of spaCy get
    from this machine, with no start-up and nothing but spaCy in them (the ceiling of the
    ``--jobs N`` ratio).
    """
    import multiprocessing as mp

    from kg.ingest import read_documents
    from kg.nlp import load_pipeline

    texts = [d.text for d in read_documents([corpus])]
    nlp = load_pipeline(True)
    for _ in nlp.pipe(texts[:1]):
        pass

    ctx = mp.get_context("fork")  # fork: the children share the loaded pipeline, so only parsing is timed
    parsed = ctx.Array("q", processes)

    def run(i: int) -> None:
        for _ in nlp.pipe(texts[i::processes], batch_size=batch_size):
            parsed[i] += 1

    t = time.perf_counter()
    if processes == 1:
        run(0)
    else:
        _in_processes(ctx, run, processes)
    s = time.perf_counter() - t
    return {"seconds": s, "docs": len(texts), "words": _words(texts), "processes": processes, "parsed": sum(parsed)}


def pipe_whole(corpus: str, pipeline: str = "stock", processes: int = 1) -> dict:
    """``nlp.pipe`` over the documents' clean texts as a whole process, load included: the
    reference a build is measured against (`bench/run.py` times this process from outside).

    ``pipeline`` "stock" is en_core_web_sm as installed (`kg.nlp.load_model`), "kg" newskg's
    own pipeline (the stock model plus its paragraph component and phrase entity rulers,
    `kg.nlp.load_pipeline`). With ``processes`` N the texts are split between N processes
    forked before the load, each loading its own pipeline: what N processes of bare spaCy get
    from this machine, start-up included, the ceiling of ``kg build --jobs N``.
    """
    import multiprocessing as mp
    import os

    from kg.ingest import read_documents

    texts = [d.text for d in read_documents([corpus])]

    def run(i: int) -> None:
        from kg.nlp import load_model, load_pipeline

        nlp = load_model() if pipeline == "stock" else load_pipeline(True)
        for _ in nlp.pipe(texts[i::processes]):
            pass

    if processes == 1:
        run(0)
    else:
        ctx = mp.get_context("fork")
        _in_processes(ctx, run, processes)
    return {"docs": len(texts), "words": _words(texts), "pipeline": pipeline, "processes": processes,
            "pid": os.getpid(), "peak_rss_mb": _peak_mb()}


# the serial parts of a build, timed by wrapping the functions where the build looks them up
_PHASES = (("kg.resolve", "Resolver.finish"), ("kg.build.engines", "link_events"),
           ("kg.build.run", "add_entities"), ("kg.build.run", "update_facts"),
           ("kg.build.facts", "FactSupport.write_facts"), ("kg.build.run", "store_counts"),
           ("kg.store", "KGStore.commit"))


def _time_phases(spent: dict[str, float]) -> None:
    import importlib

    import kg.build.engines as engines

    extract = engines.extract_documents

    def first_extraction(*a, **k):
        # from the build's call to the first document's extraction: the pipeline's load (in
        # each worker with --jobs N), reading the files, the first batch
        it = iter(extract(*a, **k))
        for i, item in enumerate(it):
            if i == 0:
                spent["until the first extraction"] = time.time() - _t_build_called[0]
            yield item

    engines.extract_documents = first_extraction

    for mod, attr in _PHASES:
        owner = importlib.import_module(mod)
        name = attr
        if "." in attr:
            cls, name = attr.split(".")
            owner = getattr(owner, cls)
        f = getattr(owner, name)

        def wrapped(*a, _f=f, _key=attr, **k):
            t = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                spent[_key] = spent.get(_key, 0.0) + time.perf_counter() - t

        setattr(owner, name, wrapped)


def build(corpus: str, store: str, jobs: int = 1, preload: bool = False, batch_size: int = 16,
          phases: bool = False, count_words: bool = True) -> dict:
    """`kg build` as the library call.

    With ``preload`` what a build loads once per process is loaded before the clock, as `pipe`
    loads its pipeline: the pipeline, and the rest by building the corpus's first document
    into a scratch store (imports, gazetteer, lexicon, event triggers, furniture rules: 0.24 s
    in a build of one document just after the pipeline's load, against 0.33-0.35 s for each
    one-document build after it). What is timed is then the per-document cost of both sides.
    """
    from kg.build import build as run
    from kg.ingest import read_documents
    from kg.store import KGStore

    inside = [0.0]
    spent: dict[str, float] = {}
    if phases:  # the serial parts: what the workers of --jobs N cannot share
        _time_phases(spent)
    if preload:
        import shutil
        import tempfile

        from kg.nlp import load_pipeline

        load_pipeline(True)
        with tempfile.TemporaryDirectory(prefix="kg-bench-warm-") as tmp:
            first = min(p for p in Path(corpus).iterdir() if p.is_file())
            shutil.copy(first, Path(tmp) / first.name)
            with KGStore(Path(tmp) / "store") as st:
                run([Path(tmp) / first.name], st, jobs=1, batch_size=batch_size)
        if jobs == 1:
            _time_inside_pipe(inside)
    _t_build_called[0] = time.time()
    t = time.perf_counter()
    with KGStore(store) as st:
        rep = run([corpus], st, jobs=jobs, batch_size=batch_size)
    s = time.perf_counter() - t
    # counted after the clock, but inside the process: a run timed as a whole process skips it
    words = _words(d.text for d in read_documents([corpus])) if count_words else None
    out = {"seconds": s, "docs": len(rep.built), "words": words, "triples": rep.triples,
           "entities": rep.entities, "peak_rss_mb": _peak_mb()}
    if inside[0]:
        out["seconds_inside_nlp_pipe"] = inside[0]
    if phases:
        import psutil

        # from the process's start to the build's call: interpreter, imports, the task's own set-up
        out["startup_seconds"] = _t_build_called[0] - psutil.Process().create_time()
        out["phases"] = spent
    return out


_t_build_called = [0.0]


def _time_inside_pipe(total: list[float]) -> None:
    """Add the time this process spends inside ``Language.pipe`` (spaCy's own work, one
    ``perf_counter`` pair per document) to ``total[0]``: a build's spaCy share measured in the
    same run, so a change of the machine's speed between two runs does not enter it."""
    from spacy.language import Language

    pipe = Language.pipe

    def timed(self, *args, **kwargs):
        it = pipe(self, *args, **kwargs)
        while True:
            t = time.perf_counter()
            try:
                doc = next(it)
            except StopIteration:
                total[0] += time.perf_counter() - t
                return
            total[0] += time.perf_counter() - t
            yield doc

    Language.pipe = timed


def add_one(store: str, doc: str) -> dict:
    """Time to add one document to an existing store, pipeline loaded before the clock."""
    from kg.build import build as run
    from kg.nlp import load_pipeline
    from kg.store import KGStore

    t0 = time.perf_counter()
    load_pipeline(True)
    load = time.perf_counter() - t0
    from kg.build import store_counts

    with KGStore(store) as st:
        before = len(st)
        t = time.perf_counter()
        run([doc], st, counts=False)
        s = time.perf_counter() - t
        # the summary `kg build` prints after the build, timed apart: it scans the whole store
        t = time.perf_counter()
        after = store_counts(st)["triples"]
        c = time.perf_counter() - t
    return {"seconds": s, "counts_seconds": c, "pipeline_load_seconds": load, "triples_before": before,
            "triples_after": after}


def queries(store: str, repeat: int = 3, only: str | None = None, max_gb: float = 4.0,
            max_rows: int | None = 10_000, before: str | None = None, all_rows: bool = True) -> dict:
    """Latency of every saved query (or only the one named ``only``) on the Oxigraph store, opened
    read-only as `kg query` opens it: first run and best of ``repeat``, each with `kg query`'s
    default row cap (``max_rows``: `kg.query.sandbox.DEFAULT_MAX_ROWS`), then one run that takes
    every row through Python (``all_rows``). Peak RSS is the process's, and ``open_rss_mb`` what
    it held before the first query (interpreter, imports, the open store). The address space is
    capped at ``max_gb``, so a query that runs away fails here instead of taking a shared
    machine's memory. The store's size is not counted here: counting its distinct triples holds
    them all in memory, which would be this process's peak. With ``before`` (a folder of .rq
    files, tests/query/before/) the query named ``only`` is read from there instead: a saved
    query as it was before it was rewritten."""
    from kg.query import list_saved_queries, run_query
    from kg.store import KGStore

    limit = int(max_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out = {}
    with KGStore(store, create=False, read_only=True) as st:
        opened = _peak_mb()
        for q in list_saved_queries():
            if only is not None and q.name != only:
                continue
            params = {p: "IRGC" for p in q.parameters}
            if before is not None:
                q = (Path(before) / f"{q.name}.rq").read_text(encoding="utf-8")
            times, rows = [], 0
            for _ in range(repeat):
                t = time.perf_counter()
                res = run_query(st, q, params, max_rows=max_rows)
                times.append(time.perf_counter() - t)
                rows = len(res.rows)
            name = only if before is not None else q.name
            out[name] = {"first": times[0], "best": min(times), "median": sorted(times)[len(times) // 2],
                         "rows": rows, "max_rows": max_rows, "peak_rss_mb_capped": _peak_mb(), "open_rss_mb": opened}
            if all_rows:
                t = time.perf_counter()
                out[name]["all_rows"] = len(run_query(st, q, params).rows)
                out[name]["all_rows_seconds"] = time.perf_counter() - t
            out[name]["peak_rss_mb"] = _peak_mb()
    return {"queries": out}


def varied(source: str, target: str, copies: int, scratch: str) -> dict:
    """A store of ``copies`` variants of the build at ``source`` (`bench.varied`)."""
    from bench.varied import varied_store

    return varied_store(source, target, copies, scratch)


def rdflib_query(nquads: str, name: str) -> dict:
    """One saved query on rdflib's in-memory store loaded from an N-Quads dump (for reference)."""
    from rdflib import Dataset, Literal

    from kg.namespaces import sparql_prefixes
    from kg.query import list_saved_queries

    q = {s.name: s for s in list_saved_queries()}[name]
    ds = Dataset(default_union=True)
    ds.parse(nquads, format="nquads")
    t = time.perf_counter()
    res = ds.query(sparql_prefixes() + q.sparql, initBindings={p: Literal("IRGC") for p in q.parameters})
    rows = len(list(res))
    return {"seconds": time.perf_counter() - t, "rows": rows}


def export(store: str, out: str) -> dict:
    """`kg export graphml` of the whole store (the actors view, `kg.network.export.export`): time and
    peak RSS."""
    from kg.network.export import export as run_export
    from kg.store import KGStore

    with KGStore(store, create=False, read_only=True) as st:
        t = time.perf_counter()
        counts = run_export(st, "graphml", out, "actors")
        s = time.perf_counter() - t
    return {"seconds": s, "peak_rss_mb": _peak_mb(), **counts, "bytes": Path(out).stat().st_size}


def replicate(source: str, target: str, copies: int, scratch: str) -> dict:
    """A store of ``copies`` renamed copies of ``source`` (copy 0 unchanged), bulk-loaded from
    N-Quads: every entity, event, assertion, fact and document IRI of copy k gets a suffix, so
    copies are distinct nodes with the same shape as the real build."""
    import re

    import pyoxigraph as ox

    from kg.store import KGStore

    with KGStore(source, create=False) as st:
        lines = st.dump_nquads().decode("utf-8").splitlines(keepends=True)
    iri = re.compile(r"<(https://w3id\.org/newskg/(?:id|doc)/[^>]+)>")
    path = Path(scratch)
    with path.open("w", encoding="utf-8") as f:
        for k in range(copies):
            if k == 0:
                f.writelines(lines)
                continue
            sub = lambda m: f"<{m.group(1)}-c{k}>"  # noqa: E731
            f.writelines(iri.sub(sub, ln) for ln in lines)
    t = time.perf_counter()
    store = ox.Store(target)
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    s = time.perf_counter() - t
    with KGStore(target, create=False) as st:
        triples = len(st)
    path.unlink()
    return {"seconds": s, "triples": triples}


TASKS = {f.__name__: f for f in (pipe, pipe_whole, build, add_one, queries, rdflib_query, export, replicate, varied)}

if __name__ == "__main__":
    name, args = sys.argv[1], json.loads(sys.argv[2])
    print("RESULT " + json.dumps(TASKS[name](**args)), flush=True)
