"""`kg explain`: the entity, its type, aliases, documents, mentions with reasons, facts, evidence."""
import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError
from kg.query.explain import explain, find_entities

from conftest import SEEDS


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp):
    """A store of the seeds built by the command (the session store is held open elsewhere)."""
    store = tmp_path_factory.mktemp("explain") / "store"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def _run(store, *args):
    return CliRunner().invoke(main, ["explain", *args, "--store", str(store)])


def test_explain_munir(built):
    out = _run(built, "Munir")
    assert out.exit_code == 0, out.output
    text = out.output
    assert text.startswith("Asim Munir  (kg:Person, Pakistan)")
    assert "also called:" in text and "Munir" in text and "the Pakistani army chief" in text
    # the merge decisions: the short form and the description, each with its reason
    assert "'Munir' - a short form of a full name in the same document" in text
    assert "'the Pakistani army chief' - a description that refers back to it in context" in text
    assert "kg:holdsPosition Chief of Army Staff of Pakistan Army" in text
    assert "kg:meetsWith" in text
    assert '"The Chief of Army Staff of the Pakistan Army, General Asim Munir' in text  # evidence


def test_explain_irgc_across_documents(seed_store):
    [x] = explain(seed_store, "IRGC")
    assert x.label == "Islamic Revolutionary Guard Corps" and x.type == "kg:MilitaryOrganization"
    assert x.country == "Iran"
    assert len(x.documents) == 2  # both seeds, one node
    assert {m.kind for m in x.mentions} >= {"name", "acronym"}
    assert any(f.predicate == "kg:commands" and f.subject == "Hossein Salami" for f in x.facts)
    assert any(e.type == "kg:Operation" and e.role == "kg:agent" for e in x.events)
    assert all(f.evidence for f in x.facts)


def test_explain_json_and_iri(built):
    out = _run(built, "person/asim-munir", "--format", "json")
    assert out.exit_code == 0, out.output
    [item] = json.loads(out.output)
    assert item["iri"].endswith("/id/person/asim-munir") and item["mentions"]


def test_unknown_entity_is_a_clear_error(built, seed_store):
    out = _run(built, "Nobody Atall")
    assert out.exit_code != 0
    assert "no entity is called 'Nobody Atall'" in out.output
    with pytest.raises(QueryError):
        explain(seed_store, "Nobody Atall")
    assert find_entities(seed_store, "nobody") == []
