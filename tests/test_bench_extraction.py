"""bench/extraction.py: the article-extraction benchmark's shingle scoring, and a run on a
two-page copy of its layout (the real data stays outside the repository)."""
from __future__ import annotations

import gzip
import json

import pytest

from bench.extraction import main, scores, tp_fp_fn

BODY = ("Iran and Pakistan agreed on Saturday to expand border cooperation after talks in Tehran "
        "between senior military officials from both countries, officials said.")


def test_shingle_scoring_as_the_benchmark_computes_it():
    assert tp_fp_fn(BODY, BODY) == (1.0, 0.0, 0.0)
    tp, fp, fn = tp_fp_fn(BODY, BODY + " Share this article on Facebook and Twitter today")
    assert fn == 0 and fp > 0 and abs(tp + fp - 1) < 1e-9
    assert tp_fp_fn(BODY, "") == (0.0, 0.0, 1.0)
    s = scores([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)])  # a perfect page and an empty one
    assert (s["precision"], s["recall"]) == (1.0, 0.5)  # no prediction: no precision to average


@pytest.mark.slow
def test_run_on_a_small_copy_of_the_benchmark(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    pages = {
        "a": f"<html><head><title>Talks</title><meta property='article:published_time' content='2023-07-16'>"
             f"</head><body><article><h1>Talks</h1><p>{BODY}</p><p>{BODY.upper()}</p></article></body></html>",
        "b": "<html><head><title>Loading</title></head><body><div id='app'></div></body></html>",
    }
    for key, page in pages.items():
        (tmp_path / "html" / f"{key}.html.gz").write_bytes(gzip.compress(page.encode()))
    truth = {"a": {"articleBody": f"{BODY}\n{BODY.upper()}"}, "b": {"articleBody": BODY}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    assert main([str(tmp_path), "--output", str(tmp_path / "out.json")]) == 0
    out = capsys.readouterr().out
    assert "F1 0.667  precision 1.000  recall 0.500" in out
    assert "dates found on 1 of 2 pages" in out
    assert "lost their body (under 20% of it kept): 1\n  b  recall 0.00" in out
    assert "skipped: " in out and "b.html: no article text" in out
    predictions = json.loads((tmp_path / "out.json").read_text())["output"]
    assert predictions["a"]["articleBody"] == f"{BODY}\n\n{BODY.upper()}" and predictions["b"]["articleBody"] == ""
