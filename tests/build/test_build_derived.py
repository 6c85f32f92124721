"""kg.build.derived: the entity graph as the merge of the documents' proposals."""
from kg.build.derived import merge_proposals


def test_merge_proposals_first_type_wins_aliases_accumulate():
    from rdflib import Literal
    from rdflib.namespace import RDF, SKOS

    from kg.namespaces import ID, KG

    e = ID["org/x"]
    first = [(e, RDF.type, KG.ArmedGroup), (e, SKOS.prefLabel, Literal("X")), (e, SKOS.altLabel, Literal("X1"))]
    second = [(e, RDF.type, KG.Organization), (e, SKOS.prefLabel, Literal("Ex")), (e, SKOS.altLabel, Literal("X2"))]
    merged = merge_proposals([first, second])
    assert merged == {*first, (e, SKOS.altLabel, Literal("X2"))}
    assert merge_proposals([first]) == set(first)
