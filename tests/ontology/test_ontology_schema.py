"""kg.ontology.schema: the relation signatures read from ontology/kg.ttl."""
from kg.ontology.schema import fits, is_a


def test_the_class_hierarchy():
    assert is_a("ArmedGroup", "Organization") and is_a("ArmedGroup", "Agent")
    assert is_a("Country", "Place") and is_a("Country", "Agent")
    assert not is_a("City", "Agent") and not is_a("Person", "Place")


def test_domain_and_range():
    assert fits("bordersWith", "Country", "Country")
    assert not fits("bordersWith", "MilitaryOrganization", "Country")
    assert fits("basedIn", "ArmedGroup", "Province")
    assert not fits("basedIn", "ArmedGroup", "Person")


def test_unknown_types_and_properties_are_not_held_against_a_relation():
    assert fits("bordersWith", None, "Country")
    assert fits("noSuchProperty", "Person", "Person")
