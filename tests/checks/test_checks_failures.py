"""kg.checks.failures: every miss and false alarm of `kg eval` in a failure class, computed from the
structured comparison. Made-up gold against made-up store facts (no model needed), the class
functions one by one, and the report through the CLI on the seeds."""
import json

import pytest
from click.testing import CliRunner

from kg.checks.evaluate import StoreFacts, evaluate_facts, format_evaluation
from kg.checks.failures import (FALSE_ALARM, MISS, event_alarm_class, event_miss_class, extra_node_class,
                                failures_dict, format_failures, group_failures, relation_class, type_confusion)
from kg.checks.kinds import format_report

DOC = "urn:doc:one"
TEXT = ("Kholdani meets Osk\n"
        "Dara Kholdani met Mira Osk in Velmora, Ruritania. The Northern Shield attacked Port Azur. "
        "Kholdani condemned the attack and Tarsis Bank paid Unit 731. Officials said the army was ready. "
        "The Velmora Port Authority was shut.\n"
        "Photo: AFP/File")
# node -> (type, surface written in TEXT, extra labels)
NODES = {
    "n:dara": ("Person", "Dara Kholdani"), "n:mira": ("Organization", "Mira Osk"),
    "n:velmora": ("Person", "Velmora"), "n:ruritania": ("City", "Ruritania"),
    "n:shield": ("Organization", "Northern Shield"), "n:afp": ("Organization", "AFP/File"),
    "n:army": ("MilitaryOrganization", "army"), "n:kholdani": ("Person", "Kholdani condemned"),
    "n:tarsis": ("Organization", "Tarsis Bank"), "n:unit": ("ArmedGroup", "Unit 731"),
    "n:port": ("Place", "Velmora Port"),
}
GOLD = {
    "document": "one.txt", "kind": "conflict",
    "entities": [
        {"id": "dara", "name": "Dara Kholdani", "type": "Person"},
        {"id": "mira", "name": "Mira Osk", "type": "Person"},
        {"id": "velmora", "name": "Velmora", "type": "City"},
        {"id": "ruritania", "name": "Ruritania", "type": "Country"},
        {"id": "shield", "name": "Northern Shield", "type": "ArmedGroup"},
        {"id": "azur", "name": "Port Azur", "type": "City"},
        {"id": "z-leader", "name": "Shield Leader", "type": "Person"},  # its mention is the Shield's node
        {"id": "z-port", "name": "Velmora Port Authority", "type": "GovernmentBody"},  # a node cut short
    ],
    "mentions": [
        {"entity": "z-leader", "text": "Northern Shield", "context": "The Northern Shield attacked"},
        {"entity": "z-port", "text": "Velmora Port Authority", "context": "The Velmora Port Authority was"},
    ],
    "relations": [
        {"s": "dara", "p": "meetsWith", "o": "mira"},  # found
        {"s": "shield", "p": "attacks", "o": "azur"},  # Port Azur has no node
        {"s": "dara", "p": "condemns", "o": "shield"},  # predicted the other way round
        {"s": "mira", "p": "leads", "o": "shield"},  # predicted as memberOf
        {"s": "dara", "p": "visits", "o": "velmora"},  # predicted towards Ruritania
        {"s": "shield", "p": "activeIn", "o": "ruritania"},  # not predicted at all
    ],
    "events": [
        {"type": "Attack", "agents": ["shield"], "targets": ["azur"]},  # found
        {"type": "Meeting", "participants": ["dara", "mira"]},  # a Meeting of other people only
        {"type": "Statement", "agents": ["dara"]},  # no Statement predicted
        {"type": "Arrest", "targets": ["azur"]},  # its only argument has no node
    ],
}


def _facts() -> StoreFacts:
    mentions, entities = [], {}
    for iri, (typ, surface) in NODES.items():
        start = TEXT.index(surface)
        name = surface.split(" condemned")[0]
        mentions.append((start, start + len(name), iri))
        entities[iri] = (typ, {name.lower()})
    relations = {("n:dara", "meetsWith", "n:mira"), ("n:shield", "condemns", "n:dara"),
                 ("n:mira", "memberOf", "n:shield"), ("n:dara", "visits", "n:ruritania"),
                 ("n:tarsis", "employs", "n:dara"), ("n:mira", "accuses", "n:ruritania")}
    events = [("e:attack", "Attack", {"n:shield"}, None), ("e:attack2", "Attack", {"n:shield", "n:unit"}, None),
              ("e:meeting", "Meeting", {"n:tarsis"}, None), ("e:arrest", "Arrest", {"n:army"}, None),
              ("e:killing", "Killing", {"n:unit"}, None)]
    agents = {"e:attack": {"n:shield"}, "e:attack2": {"n:shield"}, "e:killing": {"n:unit"}}
    return StoreFacts({"one.txt": DOC}, {DOC: TEXT}, {DOC: mentions}, entities, {DOC: relations},
                      {DOC: events}, agents)


@pytest.fixture
def evaluation(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    return evaluate_facts(_facts(), path)


def _classes(score) -> dict[tuple[str, str], list[str]]:
    out: dict = {}
    for f in score.failures:
        out.setdefault((f.side, f.cls), []).append(f.item.split(": ", 1)[1])
    return out


def test_every_miss_and_false_alarm_has_one_class(evaluation):
    for s in (evaluation.entities, evaluation.relations, evaluation.events):
        assert sorted(f.item for f in s.failures if f.side == MISS) == sorted(s.misses)
        assert sorted(f.item for f in s.failures if f.side == FALSE_ALARM) == sorted(s.false_alarms)
        assert "other" not in {f.cls for f in s.failures}


def test_entity_classes(evaluation):
    got = _classes(evaluation.entities)
    assert got[MISS, "not found: no node"] == ["azur City"]
    assert got[MISS, "not found: merged into another entity's node"] == ["z-leader Person"]
    assert got[MISS, "not found: name cut differently"] == ["z-port GovernmentBody"]
    assert got[MISS, "wrong type: person typed as organisation"] == ["mira Person"]
    assert got[FALSE_ALARM, "wrong type: person typed as organisation"] == ["mira Organization (gold: Person)"]
    assert got[MISS, "wrong type: place typed as person"] == ["velmora City"]
    assert got[MISS, "wrong type: country confusion"] == ["ruritania Country"]
    assert got[MISS, "wrong type: organisation subtype"] == ["shield ArmedGroup"]
    assert got[FALSE_ALARM, "extra node: junk (furniture, caption or headline)"] == ["afp/file Organization"]
    assert got[FALSE_ALARM, "extra node: junk (lower-case words)"] == ["army MilitaryOrganization"]
    assert got[FALSE_ALARM, "extra node: junk (digits)"] == ["unit 731 ArmedGroup"]
    assert got[FALSE_ALARM, "extra node: split from a gold entity"] == ["kholdani Person"]
    assert sorted(got[FALSE_ALARM, "extra node: proper name"]) == ["tarsis bank Organization", "velmora port Place"]


def test_relation_classes(evaluation):
    got = _classes(evaluation.relations)
    assert got[MISS, "endpoint not found"] == ["shield attacks azur"]
    assert got[MISS, "reversed direction"] == ["dara condemns shield"]
    assert got[FALSE_ALARM, "reversed direction"] == ["shield condemns dara"]
    assert got[MISS, "other predicate"] == ["mira leads shield"]
    assert got[FALSE_ALARM, "other predicate"] == ["mira memberOf shield"]
    assert got[MISS, "other end"] == ["dara visits velmora"]
    assert got[FALSE_ALARM, "other end"] == ["dara visits ruritania"]
    assert got[MISS, "not extracted"] == ["shield activeIn ruritania"]
    assert got[FALSE_ALARM, "endpoint not a gold entity"] == ["tarsis bank employs dara"]
    assert got[FALSE_ALARM, "not in gold"] == ["mira accuses ruritania"]


def test_event_classes(evaluation):
    got = _classes(evaluation.events)
    assert got[MISS, "found, no shared argument or place"] == ["Meeting dara/mira"]
    assert got[MISS, "type not found in the document"] == ["Statement dara"]
    assert got[MISS, "no argument or place found"] == ["Arrest azur"]
    assert got[FALSE_ALARM, "duplicate of a matched event"] == ["Attack shield/unit 731"]
    assert got[FALSE_ALARM, "extra event of a type the gold lacks: with agent"] == ["Killing unit 731"]
    assert sorted(got[FALSE_ALARM, "extra event: no agent"]) == ["Arrest army", "Meeting tarsis bank"]


def test_report_text_and_json(evaluation):
    text = format_evaluation(evaluation, "text", details=True)
    assert "misses and false alarms by class" in text
    table = text[text.index("misses and false alarms by class"):text.index("entities: misses")]
    assert "      - one.txt: azur City" in table  # an example under its class
    brief = format_evaluation(evaluation, "text", details=False)
    assert "not found: no node" in brief and "one.txt: azur" not in brief  # --brief: counts only
    data = json.loads(format_evaluation(evaluation, "json", details=True))["failures"]
    assert data["relations"]["other predicate"] == {
        "count": 2, "misses": 1, "false_alarms": 1,
        "items": {"misses": ["one.txt: mira leads shield"], "false_alarms": ["one.txt: mira memberOf shield"]}}
    assert "items" not in json.loads(format_evaluation(evaluation, "json", details=False))["failures"]["events"][
        "type not found in the document"]
    # the report by kind keeps the table and its json
    by_kind = format_report(evaluation, "text", details=False)
    assert "other news" in by_kind and "misses and false alarms by class" in by_kind
    data = json.loads(format_report(evaluation, "json", details=False))
    assert "failures" in data
    assert data["by_kind"]["other news"]["failures"]["entities"]["not found: no node"] == {
        "count": 1, "misses": 1, "false_alarms": 0}


@pytest.mark.parametrize("gold, predicted, cls", [
    ("City", "Person", "place typed as person"), ("Province", "MilitaryOrganization", "place typed as organisation"),
    ("Person", "GovernmentBody", "person typed as organisation"),
    ("ArmedGroup", "Person", "organisation typed as person"),
    ("MediaOrganization", "City", "organisation typed as place"),
    ("Country", "Organization", "country confusion"), ("City", "Country", "country confusion"),
    ("Organization", "ArmedGroup", "organisation subtype"), ("City", "Place", "place subtype"),
    ("Person", "Position", "other")])
def test_type_confusions(gold, predicted, cls):
    assert type_confusion(gold, predicted) == cls


def test_extra_nodes_look_like_junk_or_names():
    text = "Officials in the region said the police were ready. Read more at https://x.example/region-news"

    def cls(surface, typ="Organization", lines=None, gold=None):
        return extra_node_class([surface], {surface.lower()}, typ, text,
                                lines if lines is not None else [text], gold)

    assert cls("Getty Images") == "extra node: junk (furniture, caption or headline)"
    assert cls("Velmora", lines=["Rescuers in Velmora on Sunday (Reuters)"]) == \
        "extra node: junk (furniture, caption or headline)"  # named only in a caption
    assert cls("Police") == "extra node: junk (generic word)"
    assert cls("Region") == "extra node: junk (generic word)"  # the text writes it in lower case
    assert cls("News") == "extra node: proper name"  # only a web address writes it in lower case
    assert cls("Jane Doe and Ali Khan", "Person") == "extra node: junk (names run together)"
    assert cls("Ruritanian security forces") == "extra node: junk (lower-case words)"
    assert cls("Bank of Zalfar") == "extra node: proper name"  # particles are not lower-case words
    assert cls("Osk", "Person", gold={"mira osk": "Person"}) == "extra node: split from a gold entity"
    assert cls("Osk", "City", gold={"mira osk": "Person"}) == "extra node: proper name"  # another kind
    # no mention: the labels (lower case already) are read for the name, case is not judged
    assert extra_node_class([], {"tarsis bank"}, "Organization", "") == "extra node: proper name"


def test_relation_and_event_class_functions():
    gold = {("attacks", "a", "b"), ("leads", "c", "d")}
    found = {"a", "b", "c", "d"}.__contains__
    assert relation_class(("attacks", "b", "a"), FALSE_ALARM, gold, set(), found) == "reversed direction"
    assert relation_class(("memberOf", "d", "c"), FALSE_ALARM, gold, set(), found) == "other predicate"
    assert relation_class(("attacks", "a", "x"), FALSE_ALARM, gold, set(), found) == "endpoint not a gold entity"
    assert relation_class(("leads", "c", "a"), FALSE_ALARM, gold, set(), found) == "other end"
    # the other end is no wrong end when that relation is right too
    assert relation_class(("leads", "c", "a"), MISS, gold, gold, found) == "not extracted"
    assert event_miss_class(False, True) == "type not found in the document"
    assert event_alarm_class(False, False) == "extra event: no agent"
    assert event_alarm_class(False, True, type_in_gold=False) == "extra event of a type the gold lacks: with agent"
    assert event_alarm_class(True, False) == "duplicate of a matched event"


def test_grouping_orders_by_count():
    from kg.checks.failures import Failure

    fs = [Failure("events", FALSE_ALARM, "b", "x: 1"), Failure("events", MISS, "a", "x: 2"),
          Failure("events", FALSE_ALARM, "b", "x: 3")]
    assert list(group_failures(fs)["events"]) == ["b", "a"]
    assert failures_dict(fs, details=False)["events"]["b"] == {"count": 2, "misses": 0, "false_alarms": 2}
    lines = format_failures(fs, details=False)
    assert any(ln.split() == ["b", "-", "2"] for ln in lines)


def test_cli_eval_shows_the_classes(seed_store):
    from conftest import ROOT

    from kg.cli import main

    gold = ROOT / "tests" / "gold" / "seeds.json"
    brief = CliRunner().invoke(main, ["eval", "--store", str(seed_store.path), str(gold), "--brief"])
    assert brief.exit_code == 0, brief.output
    assert "misses and false alarms by class" in brief.output and "seeds.json: " not in brief.output
    js = CliRunner().invoke(main, ["eval", "--store", str(seed_store.path), str(gold), "--format", "json"])
    data = json.loads(js.output)
    for section in ("entities", "relations", "events"):
        score = data[section]
        assert sum(c["misses"] for c in data["failures"][section].values()) == score["fn"]
        assert sum(c["false_alarms"] for c in data["failures"][section].values()) == score["fp"]
