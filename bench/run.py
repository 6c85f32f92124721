"""The benchmark harness: `python -m bench` (full, about 30 minutes on two cores) or
`python -m bench --quick` (a few minutes, small sizes: checks the harness, not the thresholds).

Every figure comes from one run on one machine; each measurement runs in its own child process
(`bench/tasks.py`). Results go to a JSON file (`--out`, default bench/results.json) and to
bench/RESULTS.md, which this command rewrites.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.report import checks, markdown  # noqa: F401 - checks: the thresholds, for tests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = ROOT / "seeds"
DEV = ROOT / "tests" / "data" / "articles"

FULL = {"throughput_docs": 1000, "throughput_words": 150, "rounds": 3,
        "memory_docs": (1000, 10000), "memory_words": 80,
        "query_triples": (3_500_000, 10_000_000), "rdflib_timeout": 30,
        "query_timeout": 120}
QUICK = {"throughput_docs": 24, "throughput_words": 120, "rounds": 3,
         "memory_docs": (40, 400), "memory_words": 60,
         "query_triples": (120_000, 250_000), "rdflib_timeout": 20,
         "query_timeout": 60}


def task(name: str, /, timeout: float | None = None, allow_fail: bool = False, **args) -> dict:
    """Run one measurement in a child process; its peak RSS tree is sampled with psutil.
    With ``allow_fail`` a failed child gives ``{"failed": reason}`` instead of stopping the run."""
    import psutil

    cmd = [sys.executable, "-m", "bench.tasks", name, json.dumps(args)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]

    def sample() -> None:
        try:
            p = psutil.Process(proc.pid)
            while proc.poll() is None:
                rss = p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))
                peak[0] = max(peak[0], rss / 2**20)
                time.sleep(0.2)
        except psutil.Error:
            pass

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"timeout": timeout}
    th.join()
    line = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not line:
        if allow_fail:
            return {"failed": (err.strip().splitlines() or [f"exit status {proc.returncode}"])[-1][:200]}
        raise RuntimeError(f"bench task {name} failed:\n{err[-3000:]}")
    res = json.loads(line[-1][7:])
    res["tree_peak_rss_mb"] = round(peak[0], 1)
    return res


def whole(name: str, **args) -> dict:
    """Run task ``name`` as a whole process and take the kernel's account of it when it ends
    (``os.wait4``): CPU seconds (user + system, of the process and the children it waited for:
    a ``--jobs 2`` build's workers count), wall seconds from start to end, and peak RSS (the
    largest single process). Load, imports and start-up are all inside the figures."""
    cmd = [sys.executable, "-m", "bench.tasks", name, json.dumps(args)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err)
        _, status, ru = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    line = [ln for ln in text.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not line:
        raise RuntimeError(f"bench task {name} failed:\n{errors[-3000:]}")
    res = json.loads(line[-1][7:])
    # the task's own peak (VmHWM) when it gives one: ru_maxrss starts from this harness's RSS
    res.update(wall=seconds, cpu=ru.ru_utime + ru.ru_stime, wait4_maxrss_mb=ru.ru_maxrss / 1024)
    res.setdefault("peak_rss_mb", res["wait4_maxrss_mb"])
    return res


def wall(cmd: list[str], runs: int = 5) -> float:
    """Median wall time of a command (seconds)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine() -> dict:
    import psutil

    cpu = platform.processor() or ""
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# the runs of one round, in the order they run; every other round reversed (ABBA), and the two
# runs of each ratio neighbours: stock and build (CPU), build and jobs2 (wall), kgpipe and pipe2
THROUGHPUT_ORDER = ("stock", "build", "jobs2", "kgpipe", "pipe2")


def throughput_order(rnd: int) -> tuple[str, ...]:
    """The runs of throughput round ``rnd`` in the order they run: reversed every other round."""
    return THROUGHPUT_ORDER if rnd % 2 == 0 else THROUGHPUT_ORDER[::-1]


def spread(values: list[float]) -> dict:
    """Median, minimum and maximum of ``values``."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def run_throughput(cfg: dict, work: Path) -> dict:
    """Build CPU against the stock model's ``nlp.pipe``, newskg's own pipeline beside it, and
    ``--jobs 2`` against ``--jobs 1`` with bare spaCy's two-process ceiling: every run a whole
    process, load included, ``cfg["rounds"]`` rounds in ABBA order, ratios taken within a round."""
    from bench.corpus import CorpusGenerator

    corpus = work / "throughput"
    CorpusGenerator(seed=1, words=cfg["throughput_words"]).write(corpus, cfg["throughput_docs"])
    log(f"throughput corpus: {cfg['throughput_docs']} articles")
    kinds = {
        "stock": lambda rnd: whole("pipe_whole", corpus=str(corpus), pipeline="stock"),
        "kgpipe": lambda rnd: whole("pipe_whole", corpus=str(corpus), pipeline="kg"),
        "pipe2": lambda rnd: whole("pipe_whole", corpus=str(corpus), pipeline="kg", processes=2),
        "build": lambda rnd: whole("build", corpus=str(corpus), store=str(work / f"b1-{rnd}"), jobs=1,
                                   phases=True, count_words=False),
        "jobs2": lambda rnd: whole("build", corpus=str(corpus), store=str(work / f"b2-{rnd}"), jobs=2,
                                   phases=True, count_words=False),
    }
    runs: dict[str, list[dict]] = {k: [] for k in THROUGHPUT_ORDER}
    for rnd in range(cfg["rounds"]):
        for kind in throughput_order(rnd):
            runs[kind].append(kinds[kind](rnd))
            if rnd > 0 and kind in ("build", "jobs2"):
                shutil.rmtree(work / f"{'b1' if kind == 'build' else 'b2'}-{rnd}", ignore_errors=True)
        log("round %d: " % (rnd + 1) + ", ".join(
            f"{k} {runs[k][-1]['cpu']:.1f} s CPU / {runs[k][-1]['wall']:.1f} s" for k in THROUGHPUT_ORDER))

    def ratio(num: str, den: str, fig: str) -> dict:
        return spread([a[fig] / b[fig] for a, b in zip(runs[num], runs[den])])

    first = runs["stock"][0]
    return {
        "docs": first["docs"], "words": first["words"],
        "runs": {k: [{f: r[f] for f in ("cpu", "wall", "peak_rss_mb")} for r in v] for k, v in runs.items()},
        "cpu": {k: spread([r["cpu"] for r in v]) for k, v in runs.items()},
        "wall": {k: spread([r["wall"] for r in v]) for k, v in runs.items()},
        "build_cpu_to_stock": ratio("build", "stock", "cpu"),
        "kgpipe_cpu_to_stock": ratio("kgpipe", "stock", "cpu"),
        "build_cpu_to_kgpipe": ratio("build", "kgpipe", "cpu"),
        "jobs2_wall_to_jobs1": ratio("jobs2", "build", "wall"),
        "pipe2_wall_to_pipe": ratio("pipe2", "kgpipe", "wall"),
        "phases": {k: [{"startup_seconds": r["startup_seconds"], "build_seconds": r["seconds"], **r["phases"]}
                       for r in runs[k]] for k in ("build", "jobs2")},
        "triples": runs["build"][0]["triples"], "base_store": str(work / "b1-0"),
    }


def run_memory(cfg: dict, work: Path) -> dict:
    """CPU per document and peak RSS of real builds of 1,000 and 10,000 short articles (the large
    corpus starts with the small one), whole processes: small, large, small again."""
    from bench.corpus import CorpusGenerator

    small, large = cfg["memory_docs"]
    gen = CorpusGenerator(seed=2, words=cfg["memory_words"])
    mem = work / "memory"
    gen.write(mem / "small", small)
    (mem / "large").mkdir(parents=True, exist_ok=True)
    for p in (mem / "small").iterdir():
        shutil.copy(p, mem / "large" / p.name)
    gen.write(mem / "large", large - small, start=small)
    out: dict = {"small": [], "large": []}
    # what a build costs before its first document: a whole-process build of one document
    (mem / "one").mkdir(parents=True, exist_ok=True)
    shutil.copy(min((mem / "small").iterdir()), mem / "one")
    out["one"] = whole("build", corpus=str(mem / "one"), store=str(work / "m-one"), jobs=1)
    for i, which in enumerate(("small", "large", "small")):
        r = whole("build", corpus=str(mem / which), store=str(work / f"m-{which}-{i}"), jobs=1)
        r["cpu_per_doc"] = r["cpu"] / r["docs"]
        r["cpu_per_doc_after_startup"] = (r["cpu"] - out["one"]["cpu"]) / max(1, r["docs"] - 1)
        out[which].append(r)
        log(f"{r['docs']}-doc build: {r['cpu']:.1f} s CPU, {r['wall']:.1f} s, peak {r['peak_rss_mb']:.0f} MB")
        if which == "small":
            shutil.rmtree(work / f"m-{which}-{i}", ignore_errors=True)
    big = out["large"][0]
    out["cost_ratio"] = spread([big["cpu_per_doc"] / s["cpu_per_doc"] for s in out["small"]])
    out["rss_ratio"] = spread([big["peak_rss_mb"] / s["peak_rss_mb"] for s in out["small"]])
    out["net_cost_ratio"] = spread([big["cpu_per_doc_after_startup"] / s["cpu_per_doc_after_startup"]
                                    for s in out["small"]])
    out["large_store"] = str(work / "m-large-1")
    return out


def run_queries(cfg: dict, work: Path, base: str, base_triples: int) -> dict:
    """Every saved query, each in its own process, on a real build of the seeds and the
    development set and on stores of varied documents made from the ``base`` build
    (`bench.varied`) at about each of ``cfg["query_triples"]`` (copy 0 is the base itself)."""
    from kg.query import list_saved_queries

    s10k = work / "q10k"
    task("build", corpus=str(SEEDS), store=str(s10k), jobs=1)
    task("build", corpus=str(DEV), store=str(s10k), jobs=1)
    from kg.store import KGStore

    with KGStore(s10k, create=False, read_only=True) as st:
        dev_triples = len(st)
    stores: dict[str, dict] = {"dev": {"path": str(s10k), "triples": dev_triples,
                                       "how": "real build of seeds/ and tests/data/articles/"}}
    for target in cfg["query_triples"]:
        copies = max(1, round(target / base_triples))
        label = f"{target / 1e6:g}M"
        made = task("varied", source=base, target=str(work / f"v{label}"), copies=copies,
                    scratch=str(work / f"v{label}.nq"))
        log(f"{label} store: {copies} variants of the base build, {made['triples']} triples "
            f"(made in {made['generate_seconds']:.0f} s, bulk load {made['seconds']:.0f} s)")
        stores[label] = {"path": str(work / f"v{label}"), **made}
    out: dict = {"stores": stores, "queries": {}}
    for label, st in stores.items():
        entry = out["queries"][label] = {}
        for sq in list_saved_queries():
            r = task("queries", timeout=cfg["query_timeout"], allow_fail=True, store=st["path"], only=sq.name)
            entry[sq.name] = r["queries"][sq.name] if "queries" in r else r
            log(f"{label} {sq.name}: {entry[sq.name]}")
    # the queries as they were before issue 28 rewrote them, once each, on the variant stores
    before = ROOT / "tests" / "query" / "before"
    out["before"] = {}
    for label in list(stores)[1:]:
        entry = out["before"][label] = {}
        for name in sorted(p.stem for p in before.glob("*.rq")):
            r = task("queries", timeout=cfg["query_timeout"], allow_fail=True, store=stores[label]["path"],
                     only=name, before=str(before), repeat=1, all_rows=False)
            entry[name] = r["queries"][name] if "queries" in r else r
            log(f"{label} {name} before: {entry[name]}")
    return out


def run(cfg: dict, work: Path) -> dict:
    from bench.corpus import CorpusGenerator
    from kg.query import list_saved_queries
    from kg.store import KGStore

    R: dict = {"machine": machine(), "config": {k: v for k, v in cfg.items()},
               "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    kg_bin = str(Path(sys.executable).with_name("kg"))
    R["throughput"] = run_throughput(cfg, work)
    R["machine"]["load_average_after_throughput"] = [round(x, 2) for x in os.getloadavg()]
    R["memory"] = run_memory(cfg, work)
    # the variant stores start from the largest real build: 10,000 documents built for real
    R["queries"] = run_queries(cfg, work, R["memory"]["large_store"], R["memory"]["large"][0]["triples"])
    stores = R["queries"]["stores"]
    # rdflib's memory store on the real dev build, for reference
    nq = work / "q10k.nq"
    with KGStore(stores["dev"]["path"], create=False) as st:
        nq.write_bytes(st.dump_nquads())
    R["queries_rdflib_dev"] = {sq.name: task("rdflib_query", timeout=cfg["rdflib_timeout"], allow_fail=True,
                                             nquads=str(nq), name=sq.name) for sq in list_saved_queries()}
    # one more document into the smaller varied store; the export of its largest graph
    mid = stores[list(stores)[1]]
    one = work / "one"
    CorpusGenerator(seed=3, words=cfg["throughput_words"]).write(one, 1, start=123456)
    R["add_one"] = task("add_one", timeout=600, allow_fail=True, store=mid["path"], doc=str(next(one.iterdir())))
    log(f"add one document: {R['add_one']}")
    R["export"] = task("export", timeout=cfg["query_timeout"] * 3, allow_fail=True, store=mid["path"],
                       out=str(work / "big.graphml"))
    log(f"GraphML export {R['export']}")
    bare = wall([sys.executable, "-c", "import rdflib, pyoxigraph"])
    kgq = wall([kg_bin, "query", "ASK { ?s ?p ?o }", "--store", stores["dev"]["path"]])
    R["startup"] = {"bare_import_seconds": bare, "kg_query_seconds": kgq, "ratio": kgq / bare}
    R["finished"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    R["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return R


# hand-written sections of RESULTS.md that a new run keeps (everything from such a heading to the
# next "## " heading): the notes on a run, and figures of other harnesses
KEPT_SECTIONS = ("## What the figures say", "## Article text extraction")


def with_kept_sections(page: str, old: str) -> str:
    """``page`` followed by the sections of ``old`` whose headings start with `KEPT_SECTIONS`."""
    kept, keep = [], False
    for line in old.splitlines():
        if line.startswith("## "):
            keep = line.startswith(KEPT_SECTIONS)
        if keep:
            kept.append(line)
    return page.rstrip("\n") + "\n" + ("\n" + "\n".join(kept) + "\n" if kept else "")


def write_page(path: Path, page: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(with_kept_sections(page, old), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes: checks the harness in a few minutes")
    ap.add_argument("--out", type=Path, default=HERE / "results.json", help="JSON results file")
    ap.add_argument("--markdown", type=Path, default=HERE / "RESULTS.md", help="results page to rewrite")
    ap.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply the corpus sizes (article counts) by this, e.g. 0.5 on a busy machine")
    ap.add_argument("--note", default="", help="a line for RESULTS.md (e.g. 'machine shared with 4 other jobs')")
    ap.add_argument("--from-json", type=Path, default=None,
                    help="only rewrite RESULTS.md from an earlier results file")
    a = ap.parse_args(argv)
    if a.from_json:
        R = json.loads(a.from_json.read_text(encoding="utf-8"))
        write_page(a.markdown, markdown(R, a.note or R.get("note", "")))
        print(a.markdown.read_text(encoding="utf-8"))
        return 0
    cfg = dict(QUICK if a.quick else FULL, quick=a.quick, scale=a.scale)
    cfg["throughput_docs"] = max(4, round(cfg["throughput_docs"] * a.scale))
    cfg["query_triples"] = tuple(round(n * a.scale) for n in cfg["query_triples"])
    cfg["memory_docs"] = tuple(max(4, round(n * a.scale)) for n in cfg["memory_docs"])
    work = a.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        R = run(cfg, work)
    finally:
        if a.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    R["note"] = a.note
    a.out.write_text(json.dumps(R, indent=2) + "\n", encoding="utf-8")
    write_page(a.markdown, markdown(R, a.note))
    print(a.markdown.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
