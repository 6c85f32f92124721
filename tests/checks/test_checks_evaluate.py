"""Precision and recall of builds against hand-made gold: the seeds (tests/gold/seeds.json) and
the development set of 15 real-event articles (tests/data/gold/, never used to write rules).

Floors are the figures the build reached (2026-11-25), measured with `kg eval`:
seeds entities P 0.943 / R 0.971, relations P 0.964 / R 0.931; dev set micro-F1 entities 0.877,
relations 0.611. The dev floors sit 0.02 below (the issue allows at most 0.05).
"""
from pathlib import Path

from kg.checks.evaluate import evaluate

GOLD = Path(__file__).resolve().parent.parent / "gold" / "seeds.json"


def test_seed_entities_against_gold(seed_store):
    ev = evaluate(seed_store, GOLD)
    e = ev.entities
    assert e.precision >= 0.94, (e.precision, e.false_alarms)
    assert e.recall >= 0.96, (e.recall, e.misses)


def test_seed_relations_against_gold(seed_store):
    ev = evaluate(seed_store, GOLD)
    r = ev.relations
    assert r.precision >= 0.96, (r.precision, r.false_alarms)
    assert r.recall >= 0.93, (r.recall, r.misses)


def test_dev_set_scores(dev_store):
    from conftest import DEV_GOLD

    ev = evaluate(dev_store, DEV_GOLD)
    assert len(ev.documents) == 15
    assert ev.entities.f1 >= 0.857, (ev.entities.f1, ev.entities.misses, ev.entities.false_alarms)
    assert ev.relations.f1 >= 0.59, (ev.relations.f1, ev.relations.misses, ev.relations.false_alarms)
    # the tables add up to the totals
    assert sum(s.tp for s in ev.predicates.values()) == ev.relations.tp
    assert sum(s.fn for s in ev.entity_types.values()) == ev.entities.fn
    assert sum(d.relations.tp for d in ev.documents) == ev.relations.tp


def test_roles_count_once_per_pair():
    from kg.checks.evaluate import collapse_roles

    rels = {("holdsPosition", "a", "x"), ("commands", "a", "x"), ("holdsPosition", "b", "x")}
    assert collapse_roles(rels) == {("commands", "a", "x"), ("holdsPosition", "b", "x")}


def test_scores_drop_when_the_gold_disagrees(seed_store, tmp_path):
    """The scorer is not a constant: gold with an extra relation and a wrong type scores lower."""
    import json

    gold = json.loads(GOLD.read_text())
    gold["relations"].append({"s": "iran", "p": "attacks", "o": "china"})
    next(g for g in gold["entities"] if g["id"] == "tehran")["type"] = "Province"
    bad = tmp_path / "gold.json"
    bad.write_text(json.dumps(gold))
    base, worse = evaluate(seed_store, GOLD), evaluate(seed_store, bad)
    assert worse.relations.recall < base.relations.recall
    assert worse.entities.precision < base.entities.precision
    assert "gold.json: iran attacks china" in worse.relations.misses
