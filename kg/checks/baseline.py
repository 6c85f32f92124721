"""The raw spaCy baseline: the stock ``en_core_web_sm`` NER, with no rule, no gazetteer and no
resolution, on the same texts the store holds (each document's ``kg:text``), its labels mapped to
the ontology's types and scored with the same matching as the project's entities
(`kg.checks.evaluate.evaluate_facts`). What the project adds over it is what its rules are worth.

The mapping (`LABELS`): PERSON -> Person; GPE -> Country when the name is a country (the
gazetteer's countries, ``ontology/countries.tsv``), else City; LOC and FAC -> Place; ORG ->
Organization; NORP (nationalities, religious and political groups) and every other label
(dates, money, quantities, works of art ...) dropped. Names spaCy gives one label in one document
are one entity of that document; the baseline has no relations and no events.
"""
from __future__ import annotations

from collections.abc import Iterable

from kg.checks.evaluate import StoreFacts
from kg.ontology.gazetteer import load_gazetteer, normalize, slug

LABELS = {"PERSON": "Person", "GPE": "City", "LOC": "Place", "FAC": "Place", "ORG": "Organization"}
BASE = "urn:newskg:baseline:"


def ontology_type(label: str, name: str, countries: Iterable[str] | None = None) -> str | None:
    """The ontology type of a spaCy entity, or None when the baseline drops it."""
    typ = LABELS.get(label)
    if label == "GPE" and countries is not None and normalize(name) in countries:
        return "Country"
    return typ


def country_names() -> set[str]:
    """Normalised names and aliases of the gazetteer's countries."""
    gaz = load_gazetteer()
    out = set()
    for e in gaz.entries.values():
        if e.type == "Country":
            out |= {normalize(n) for n in gaz.names(e)}
    return out


def baseline_facts(facts: StoreFacts, nlp=None) -> StoreFacts:
    """What the stock NER finds in the texts of ``facts`` (the store's), as facts to score."""
    if nlp is None:
        from kg.nlp import load_model  # spaCy only for this: `kg eval` without --baseline needs none

        nlp = load_model()
    countries = country_names()
    mentions: dict[str, list[tuple[int, int, str]]] = {}
    entities: dict[str, tuple[str, set[str]]] = {}
    iris = list(facts.texts)
    for doc_iri, sdoc in zip(iris, nlp.pipe(facts.texts[i] for i in iris)):
        tag = doc_iri.rsplit("/", 1)[-1]
        for ent in sdoc.ents:
            typ = ontology_type(ent.label_, ent.text, countries)
            if typ is None:
                continue
            iri = f"{BASE}{tag}/{typ}/{slug(normalize(ent.text)) or 'x'}"
            mentions.setdefault(doc_iri, []).append((ent.start_char, ent.end_char, iri))
            entities.setdefault(iri, (typ, set()))[1].add(normalize(ent.text))
    return StoreFacts(dict(facts.docs), dict(facts.texts), mentions, entities, {}, {})
