"""Article text extraction on the public article-extraction benchmark (scrapinghub/
article-extraction-benchmark: 181 news and article pages with hand-made article bodies), read
through `kg ingest`'s library function, scored with the benchmark's own shingle matching.

    python -m bench.extraction DIR [--output FILE]

DIR is a checkout of the benchmark (its ``ground-truth.json`` and ``html/*.html.gz``); its data
stays out of this repository (see bench/RESULTS.md for how to get it). The pages are decompressed
into a temporary folder as ``<key>.html`` and read as `kg ingest --format json --any-language`
reads them (languages are not filtered: the benchmark has pages in eight). Printed: F1, precision
and recall of the article text (the body without the title), the pages with a date, and the pages
that lost their body (under 20% of it kept, or skipped). ``--output`` writes the predictions as
the benchmark's ``output/<name>.json``, for its own ``evaluate.py``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

LOST = 0.2  # a page that keeps less than this share of its body lost it

# The benchmark's evaluate.py, reimplemented: tokens are \w+ runs, shingles 4 tokens, each page's
# (tp, fp, fn) normalised to sum 1, precision and recall averaged over pages, F1 from the means.
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text: str, n: int = 4) -> Counter:
    """The text's 4-token shingles with their counts (a text under 4 tokens is one shingle)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle matches of one page, normalised so that long pages weigh no more than short ones."""
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def scores(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    """F1, precision and recall over pages, as the benchmark computes them."""
    p = statistics.mean([precision(*r) for r in rows if r[0] + r[1] > 0])
    r = statistics.mean([recall(*x) for x in rows if x[0] + x[2] > 0])
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r}


def predict(bench_dir: Path, work: Path) -> tuple[dict[str, dict], list[str]]:
    """Each page's `kg ingest` record (by the benchmark's key), and the skip messages."""
    from kg.ingest.listing import ingest

    for page in sorted((bench_dir / "html").glob("*.html.gz")):
        (work / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    skipped: list[str] = []
    found = {}
    for line in ingest([work], fmt="json", language=None, on_error=lambda err: skipped.append(str(err))):
        record = json.loads(line)
        found[Path(record["source"]).name.removesuffix(".html")] = record
    return found, skipped


def evaluate(bench_dir: Path) -> dict:
    """Run the benchmark: scores, dates found, lost pages, per-page recall and the predictions."""
    truth = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="kg-extraction-") as tmp:
        started = time.perf_counter()
        found, skipped = predict(bench_dir, Path(tmp))
        seconds = time.perf_counter() - started
    rows = {k: tp_fp_fn(v.get("articleBody", ""), (found.get(k) or {}).get("text", "")) for k, v in truth.items()}
    lost = sorted((recall(*rows[k]), k) for k in truth if recall(*rows[k]) < LOST)
    return {
        **scores(list(rows.values())), "pages": len(truth), "seconds": seconds, "skipped": skipped,
        "dated": sum(1 for k in truth if (found.get(k) or {}).get("date")),
        "lost": lost, "recall_by_page": {k: recall(*r) for k, r in rows.items()},
        "predictions": {k: {"articleBody": (found.get(k) or {}).get("text", "")} for k in truth},
    }


def report(result: dict) -> str:
    """The figures as printed."""
    lowest = sorted(result["recall_by_page"].items(), key=lambda kv: kv[1])[:5]
    lines = [
        f"pages {result['pages']}, read in {result['seconds']:.1f} s",
        f"F1 {result['f1']:.3f}  precision {result['precision']:.3f}  recall {result['recall']:.3f}",
        f"dates found on {result['dated']} of {result['pages']} pages",
        f"pages that lost their body (under {LOST:.0%} of it kept): {len(result['lost'])}",
        *[f"  {key}  recall {r:.2f}" for r, key in result["lost"]],
        "lowest recall: " + ", ".join(f"{k[:12]} {r:.2f}" for k, r in lowest),
    ]
    lines += [f"skipped: {s}" for s in result["skipped"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__.split("\n\n")[0])
    parser.add_argument("bench_dir", type=Path, help="checkout of scrapinghub/article-extraction-benchmark")
    parser.add_argument("--output", type=Path, help="write the predictions as the benchmark's output/<name>.json")
    args = parser.parse_args(argv)
    if not (args.bench_dir / "ground-truth.json").is_file():
        print(f"{args.bench_dir}: no ground-truth.json (see bench/RESULTS.md for how to get the benchmark)",
              file=sys.stderr)
        return 2
    result = evaluate(args.bench_dir)
    print(report(result))
    if args.output:
        from kg import __version__

        args.output.write_text(json.dumps({"version": __version__, "output": result["predictions"]},
                                          ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
