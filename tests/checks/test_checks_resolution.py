"""Entity resolution against hand-made mention clusters (issue 4): pairwise precision >= 0.95 and
recall >= 0.90 on the seeds and on the development set's first 15 articles, scored by
`kg.checks.resolution.score_resolution`; on the whole set of 50, precision >= 0.95 and recall 0.03
below what it measured last (2026-12-08: P 0.960 / R 0.825, 1,930 mentions; 2026-12-07: P 0.959 /
R 0.776).

Figures when written (2026-11-25): seeds P 1.000 / R 0.943; dev_01-dev_15 P 0.985 / R 0.904.
"""
import json

import pytest

from kg.checks.resolution import head_span, score_resolution

from conftest import DEV_GOLD, SEED_GOLD


def test_seed_resolution(seed_store):
    sc = score_resolution(seed_store, sorted(SEED_GOLD.glob("*.json")))
    assert sc.mentions > 70 and sc.located == sc.mentions
    assert sc.precision >= 0.95, sc.wrong_merges
    assert sc.recall >= 0.90, (sc.splits, sc.unmatched)


def test_dev_set_resolution(dev_store):
    first = [p for p in sorted(DEV_GOLD.glob("*.json")) if int(p.stem[4:6]) <= 15]
    sc = score_resolution(dev_store, first)
    assert sc.mentions > 500 and sc.located == sc.mentions
    assert sc.precision >= 0.95, sc.wrong_merges
    assert sc.recall >= 0.90, (sc.splits, sc.unmatched[:20])


def test_whole_dev_set_resolution(dev_store):
    sc = score_resolution(dev_store, sorted(DEV_GOLD.glob("*.json")))
    assert sc.mentions > 1800 and sc.located == sc.mentions
    assert sc.precision >= 0.95, sc.wrong_merges
    assert sc.recall >= 0.795, (sc.recall, sc.splits[:20])


def test_the_scorer_sees_wrong_merges_and_splits(dev_store, tmp_path):
    """Gold that joins two real people, or splits one, lowers precision or recall."""
    golds = []
    for p in sorted(DEV_GOLD.glob("*.json")):
        g = json.loads(p.read_text())
        for m in g["mentions"]:
            if m["entity"] == "asim-bajwa":
                m["entity"] = "qamar-javed-bajwa"  # the system keeps them apart: a "wrong split"
            if m["entity"] == "iran" and m["text"] == "Iran":
                m["entity"] = "iran-" + m["context"][:3]  # many gold ids the system joins
        out = tmp_path / p.name
        out.write_text(json.dumps(g))
        golds.append(out)
    base = score_resolution(dev_store, sorted(DEV_GOLD.glob("*.json")))
    worse = score_resolution(dev_store, golds)
    assert worse.recall < base.recall
    assert worse.precision < base.precision
    assert any(s.startswith("qamar-javed-bajwa ->") for s in worse.splits)


@pytest.mark.parametrize("text,head", [
    ("the foreign ministry in Tehran", "ministry"),
    ("Chief of Army Staff General Qamar Javed Bajwa", "Bajwa"),
    ("the government of Pakistan", "government"),
    ("Defense Secretary of Pakistan Hamood uz Zaman Khan", "Khan"),
    ("Iran's top general", "general"),
    ("The Guards' ground forces", "forces"),
])
def test_head_words(text, head):
    s, e = head_span(text, (0, len(text)))
    assert text[s:e] == head
