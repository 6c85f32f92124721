"""Consistency of the hand-made mention gold (dev set and seeds).

Every mention must be locatable: its `context` occurs exactly once in the article's text (the
whole file for `.txt`, the visible text for `.html`) and contains the mention `text`; the
mention is the first occurrence of `text` inside `context`. Mentions do not overlap, every
mention points at an annotated entity, an entity's `aliases` are exactly its mention texts,
and an id means the same thing (name, type, country) in every gold file.
"""

import html
import json
import re
import tomllib
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DEV_GOLD = sorted((TESTS / "data" / "gold").glob("*.json"))
SEED_GOLD = sorted((TESTS / "gold" / "seeds").glob("*.json"))
GOLD = DEV_GOLD + SEED_GOLD

# Known defects in gold files this test does not own; strict, so a fix makes the test fail
# until the entry is removed.
KNOWN_NESTED: dict[str, str] = {}


def _with_known(paths, known):
    return [
        pytest.param(p, id=p.stem, marks=pytest.mark.xfail(reason=known[p.stem], strict=True))
        if p.stem in known else pytest.param(p, id=p.stem)
        for p in paths
    ]

ENTITY_TYPES = {
    "Person", "Organization", "MilitaryOrganization", "ArmedGroup", "GovernmentBody",
    "PoliticalParty", "MediaOrganization", "InternationalOrganization", "Country", "Place",
    "Province", "City", "BorderArea",
}


def _article(gold_path: Path, doc: str) -> Path:
    base = ROOT / "seeds" if gold_path in SEED_GOLD else TESTS / "data" / "articles"
    return base / doc


def visible_text(raw: str) -> str:
    """Text outside <head>, <script> and <style>, tags removed, entities decoded."""
    raw = re.sub(r"(?is)<(head|script|style)\b.*?</\1\s*>", "\n", raw)
    raw = re.sub(r"(?s)<[^>]*>", "\n", raw)
    return html.unescape(raw)


def article_text(gold_path: Path, doc: str) -> str:
    raw = _article(gold_path, doc).read_text(encoding="utf-8")
    return visible_text(raw) if doc.endswith(".html") else raw


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


KINDS = {"region", "conflict", "ordinary"}


def test_gold_files_exist():
    assert len(DEV_GOLD) >= 50
    assert {p.stem for p in SEED_GOLD} == {p.stem for p in (ROOT / "seeds").glob("*.txt")}
    articles = {p.stem for p in (TESTS / "data" / "articles").iterdir()}
    assert articles == {p.stem for p in DEV_GOLD}


def test_the_split_holds_every_article_once_and_every_kind_in_check():
    split = tomllib.loads((TESTS / "data" / "split.toml").read_text(encoding="utf-8"))
    check, tune = split["check"], split["tune"]
    assert sorted(check + tune) == sorted(p.stem for p in DEV_GOLD), "every article in one half, once"
    kinds = {p.stem: _load(p)["kind"] for p in DEV_GOLD}
    assert set(kinds.values()) == KINDS
    assert len(check) >= 20
    for half in (check, tune):
        assert {kinds[s] for s in half} == KINDS, "each half holds every kind"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_shape(path):
    gold = _load(path)
    for key in ("document", "published", "outlet", "entities", "mentions"):
        assert key in gold, key
    assert _article(path, gold["document"]).is_file()
    assert Path(gold["document"]).stem == path.stem
    if gold["published"] is not None:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold["published"])
    ids = [e["id"] for e in gold["entities"]]
    assert len(ids) == len(set(ids)), "duplicate entity ids"
    for e in gold["entities"]:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e["id"]), e["id"]
        assert e["type"] in ENTITY_TYPES, (e["id"], e["type"])
        assert e["name"]
        assert "country" in e


@pytest.mark.parametrize("path", _with_known(GOLD, KNOWN_NESTED))
def test_mentions_are_located(path):
    gold = _load(path)
    text = article_text(path, gold["document"])
    spans = []
    problems = []
    for m in gold["mentions"]:
        ctx, t = m["context"], m["text"]
        n = text.count(ctx)
        if n != 1:
            problems.append(f"context occurs {n} times: {ctx!r}")
            continue
        if t not in ctx:
            problems.append(f"text {t!r} not in context {ctx!r}")
            continue
        start = text.index(ctx) + ctx.index(t)
        spans.append((start, start + len(t), t))
    assert not problems, "\n".join(problems)
    spans.sort()
    for (s1, e1, t1), (s2, e2, t2) in zip(spans, spans[1:]):
        assert e1 <= s2, f"mentions overlap or repeat: {t1!r}@{s1} and {t2!r}@{s2}"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_aliases_are_mention_texts(path):
    gold = _load(path)
    entities = {e["id"]: e for e in gold["entities"]}
    texts = {}
    for m in gold["mentions"]:
        assert m["entity"] in entities, f"mention of unknown entity {m['entity']!r}"
        texts.setdefault(m["entity"], set()).add(m["text"])
    for eid, e in entities.items():
        assert len(e["aliases"]) == len(set(e["aliases"])), f"{eid}: duplicate aliases"
        assert set(e["aliases"]) == texts.get(eid, set()), eid


def test_ids_mean_the_same_thing_everywhere():
    seen = {}
    clashes = []
    for path in GOLD:
        for e in _load(path)["entities"]:
            key = (e["name"], e["type"], e["country"])
            first = seen.setdefault(e["id"], (key, path.stem))
            if first[0] != key:
                clashes.append(f"{e['id']}: {first[0]} in {first[1]} vs {key} in {path.stem}")
    assert not clashes, "\n".join(clashes)
