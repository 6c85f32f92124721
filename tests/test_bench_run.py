"""The benchmark's threshold checks (bench/run.py): what the results page says holds."""
from __future__ import annotations

import pytest

from bench.run import checks, task
from conftest import SEEDS

pytestmark = pytest.mark.slow  # the bench harness: the slow tier


def _results(pipe: list[float], build: list[float], j1: list[float], j2: list[float], rss: tuple) -> dict:
    t = {"rounds": {"pipe": pipe, "build": build, "jobs1": j1, "jobs2": j2},
         "ratio_build_to_pipe": min(pipe) / min(build), "ratio_jobs2_to_jobs1": min(j1) / min(j2)}
    small, large = rss
    return {"throughput": t,
            "memory": {"small": {"docs": 1000, "peak_rss_mb": small}, "large": {"docs": 10000, "peak_rss_mb": large},
                       "ratio_peak_rss": large / small},
            "queries": {"1M": {"triples": 10**6, "queries": {"q": {"first": 0.5, "best": 0.4}}}},
            "add_one": {"triples_before": 10**6, "seconds": 1.0}, "startup": {"ratio": 1.2}}


def test_a_bound_one_round_misses_does_not_hold():
    """The fastest runs give 0.90, but the first round's own ratio is 0.78: within the noise."""
    got = {name.split(" (")[0]: ok for name, _, ok in checks(_results([31.8, 34.9], [40.8, 35.4], [40.0, 41.0],
                                                                        [22.0, 23.0], (244, 366)))}
    assert got["build throughput / raw nlp.pipe >= 0.85"] is False
    assert got["--jobs 2 / --jobs 1 >= 1.7"] is True
    assert got["peak RSS 10000-doc / 1000-doc build <= 1.5"] is True


def test_every_round_reaching_the_bound_holds():
    got = {name.split(" (")[0]: (val, ok) for name, val, ok in checks(_results([30.0, 31.0], [34.0, 35.0], [40.0, 41.0],
                                                                                 [26.0, 27.0], (244, 370)))}
    assert got["build throughput / raw nlp.pipe >= 0.85"] == ("0.88 (0.88, 0.89)", True)
    assert got["--jobs 2 / --jobs 1 >= 1.7"][1] is False
    assert got["peak RSS 10000-doc / 1000-doc build <= 1.5"] == ("1.516", False)


def test_raw_pipe_in_two_processes_parses_every_text():
    """The machine's ceiling for --jobs 2 is measured on the whole corpus, split between two
    forked processes, with the same word count as the one-process run."""
    one, two = task("pipe", corpus=str(SEEDS)), task("pipe", corpus=str(SEEDS), processes=2)
    assert two["processes"] == 2 and two["parsed"] == two["docs"] == one["parsed"] == one["docs"] == 2
    assert two["words"] == one["words"] > 0


def test_a_preloaded_build_warms_up_outside_the_measured_store(tmp_path):
    """With ``preload`` the corpus's first document is built once before the clock, into a
    scratch store: the measured build still finds every document new and builds it."""
    got = task("build", corpus=str(SEEDS), store=str(tmp_path / "s"), preload=True)
    assert got["docs"] == 2 and got["triples"] > 0
    assert 0 < got["seconds_inside_nlp_pipe"] < got["seconds"]


def test_the_runs_of_a_ratio_run_back_to_back_in_alternating_order():
    """Each ratio's two runs are neighbours in every round, and which goes first alternates, so a
    steady drift of the machine's speed favours neither side over two rounds."""
    from bench.run import throughput_order

    first, second = throughput_order(0), throughput_order(1)
    assert sorted(first) == sorted(second) == ["build", "jobs1", "jobs2", "pipe", "pipe2"]
    for a, b in (("pipe", "build"), ("jobs1", "jobs2")):
        for order in (first, second):
            assert abs(order.index(a) - order.index(b)) == 1
        assert (first.index(a) < first.index(b)) != (second.index(a) < second.index(b))
