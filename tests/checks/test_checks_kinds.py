"""kg.checks.kinds and kg.checks.baseline: scores by kind of news, and the raw spaCy baseline
scored with the project's matching (a stub NER here: the matching, not the model, is tested)."""
import json

from click.testing import CliRunner

from kg.checks.baseline import baseline_facts, ontology_type
from kg.checks.evaluate import DocScore, Evaluation, Score, StoreFacts, evaluate_facts
from kg.checks.kinds import by_kind, format_report, has_kinds


def _doc(name, kind, tp, fp, fn):
    return DocScore(name, Score(tp, fp, fn), Score(tp, 0, fn), Score(), kind)


def test_in_domain_and_other_news_are_summed_apart():
    ev = Evaluation(Score(), Score(), Score(),
                    documents=[_doc("a", "region", 4, 0, 0), _doc("b", "conflict", 1, 1, 0),
                               _doc("c", "ordinary", 1, 0, 1), _doc("d", None, 9, 9, 9)])
    parts = {p.name: p for p in by_kind(ev)}
    assert parts["in-domain"].entities.f1 == 1.0
    other = parts["other news"]
    assert (other.documents, other.entities.tp, other.entities.fp, other.entities.fn) == (2, 2, 1, 1)
    assert {"conflict", "ordinary", "region"} <= set(parts)
    assert has_kinds(ev)
    text = format_report(ev, "text", details=False)
    assert "in-domain" in text and "other news" in text
    assert "by kind" not in format_report(ev, "text", details=False, kinds=False)
    assert set(json.loads(format_report(ev, "json", details=False))["by_kind"]) >= {"in-domain", "other news"}


def test_no_kinds_no_table():
    ev = Evaluation(Score(), Score(), Score(), documents=[_doc("a", None, 1, 0, 0)])
    assert not has_kinds(ev) and "by kind" not in format_report(ev, details=False)


class _Ent:
    def __init__(self, text, label, start):
        self.text, self.label_, self.start_char, self.end_char = text, label, start, start + len(text)


class _Doc:
    def __init__(self, text):
        self.ents = []
        for name, label in (("Dara Kholdani", "PERSON"), ("Ruritania", "GPE"), ("Zalfar", "GPE"),
                            ("Ruritanian", "NORP"), ("Shield Corp", "ORG")):
            i = text.find(name)
            if i >= 0 and not (name == "Ruritania" and text[i:i + 10] == "Ruritanian"):
                self.ents.append(_Ent(name, label, i))


class _Nlp:
    def pipe(self, texts):
        return (_Doc(t) for t in texts)


def test_labels_map_to_the_ontology():
    assert ontology_type("PERSON", "X") == "Person"
    assert ontology_type("GPE", "Iran", {"iran"}) == "Country"
    assert ontology_type("GPE", "Zalfar", {"iran"}) == "City"
    assert ontology_type("LOC", "X") == ontology_type("FAC", "X") == "Place"
    assert ontology_type("ORG", "X") == "Organization"
    assert ontology_type("NORP", "Iranian") is None and ontology_type("DATE", "Monday") is None


def test_baseline_is_scored_with_the_same_matching(tmp_path):
    text = "Dara Kholdani, a Ruritanian, runs Shield Corp in Zalfar."
    facts = StoreFacts({"one.txt": "urn:doc:one"}, {"urn:doc:one": text}, {}, {}, {}, {})
    gold = {"document": "one.txt", "kind": "ordinary", "entities": [
        {"id": "dara", "name": "Dara Kholdani", "type": "Person"},
        {"id": "zalfar", "name": "Zalfar", "type": "City"},
        {"id": "shield", "name": "Shield Corp", "type": "Company"}],
        "mentions": [{"entity": "dara", "text": "Dara Kholdani", "context": "Dara Kholdani, a Ruritanian"}]}
    (tmp_path / "one.json").write_text(json.dumps(gold), encoding="utf-8")
    ev = evaluate_facts(baseline_facts(facts, _Nlp()), tmp_path / "one.json")
    # Person and City found; Shield Corp typed Organization, not Company: a false alarm and a miss
    assert (ev.entities.tp, ev.entities.fp, ev.entities.fn) == (2, 1, 1)
    assert ev.relations.tp == ev.relations.fp == 0


def test_cli_eval_by_kind(seed_store, tmp_path):
    from kg.cli import main

    gold = json.loads((__import__("conftest").ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))
    path = tmp_path / "g.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    out = CliRunner().invoke(main, ["eval", "--store", str(seed_store.path), str(path), "--brief"])
    assert out.exit_code == 0, out.output
    assert "by kind" not in out.output  # the seeds' gold carries no kind
