"""The label sets the extraction rules test, named once: entity types from the ontology's class
tree, and the few tables of the event rules."""
from __future__ import annotations

from kg.ontology.schema import subclasses

__all__ = ["AGENT_TYPES", "CASUALTY_KIND", "NUMBERS", "ORG_TYPES", "PLACE_TYPES", "VIOLENT"]

# Label sets, from the ontology's class tree
AGENT_TYPES = set(subclasses("Agent") - {"Agent"})
PLACE_TYPES = set(subclasses("Place"))
VIOLENT = ("Attack", "Killing")  # event types a claim of responsibility or a condemnation points at
ORG_TYPES = set(subclasses("Organization"))
NUMBERS = {
    "one": 1, "a": 1, "an": 1, "another": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}
CASUALTY_KIND = {"Killing": "killed", "Arrest": "arrested"}
