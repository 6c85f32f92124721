"""kg.rdf.triples: a document's triples keep to what the ontology allows."""


def test_a_relation_the_ontology_forbids_is_not_written(nlp):
    """Whatever the parse proposes, the store never says that a person is based in a person."""
    import datetime as dt

    from kg import rdf
    from kg.extract import extract
    from kg.model import Document, Relation
    from kg.resolve import resolve

    x = next(iter(extract([Document(source="t.txt", text="General Arif Zardani met Colonel Omar Baig in Quetta.",
                                    date=dt.date(2024, 3, 6))], nlp)))
    people = [i for i, m in enumerate(x.mentions) if m.label == "Person"]
    city = next(i for i, m in enumerate(x.mentions) if m.label == "City")
    x.relations += [Relation(people[0], "basedIn", people[1], 0, 0, 10, 0.9),
                    Relation(people[0], "basedIn", city, 0, 0, 10, 0.9)]
    res = resolve([x])
    triples = rdf.document_triples(0, x, res)
    based = [(s, o) for s, p, o in triples if str(p).endswith("#basedIn")]
    assert [str(o).rsplit("/", 1)[-1] for _, o in based] == ["quetta"]
