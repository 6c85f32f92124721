"""Claims: reported speech is the speaker's claim, a denial negates, and every assertion in the
store has a confidence."""
from __future__ import annotations

import pytest

from extract_cases import extract_one

from conftest import rows


def test_reported_speech_is_a_claim_of_the_speaker(nlp):
    x = extract_one(nlp, "The Jundallah group, which Iran says operates from bases in Pakistan, denied the report.")
    based = [r for r in x.relations if r.predicate == "basedIn"]
    assert based, x.relations
    assert x.mentions[based[0].claimed_by].entity == "place/iran"
    assert based[0].confidence <= 0.6


def test_denied_statement_is_negated(nlp):
    x = extract_one(nlp, "Islamabad denied that its army attacked the Afghan border post.")
    attacks = [e for e in x.events if e.type == "Attack"]
    assert all(e.negated and e.confidence <= 0.2 for e in attacks)


def test_claims_query_tells_claims_from_reported_facts(dev_store):
    from kg.query import run_query

    from kg.query import load_query

    result = run_query(dev_store, load_query("claims"))
    status = {r[0] for r in result.rows}
    assert {"claim", "accusation", "reported"} <= {str(s) for s in status}
    claims = [tuple(map(str, r[:5])) for r in result.rows if str(r[0]) == "claim"]
    assert ("claim", "Iran", "Jaish al-Adl", "basedIn", "Pakistan") in claims
    reported = [r for r in result.rows if str(r[0]) == "reported"]
    assert all(r[1] is None for r in reported)


@pytest.mark.parametrize("fixture", ["seed_store", "dev_store"])
def test_every_assertion_has_a_confidence_in_range(fixture, request):
    store = request.getfixturevalue(fixture)
    confs = [float(c) for (c,) in rows(store, "SELECT ?c WHERE { ?a a kg:Assertion ; kg:confidence ?c }")]
    missing = rows(store, "SELECT ?a WHERE { ?a a kg:Assertion FILTER NOT EXISTS { ?a kg:confidence ?c } }")
    assert confs and not missing
    assert all(0.0 < c <= 1.0 for c in confs)
