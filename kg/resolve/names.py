"""Name tests resolution uses: whether letters abbreviate a name (kg.ontology.acronyms, shared
with extraction), whether a title names an organisation, the key of an entity's group."""
from __future__ import annotations

from kg.ontology.acronyms import ACRONYM, STOP, is_acronym_of
from kg.ontology.gazetteer import Gazetteer, normalize
from kg.ontology.schema import is_a

__all__ = ["ACRONYM", "STOP", "group_key", "group_of", "is_acronym_of", "names_org", "position_label"]

def names_org(title: str, org, gaz: Gazetteer) -> bool:
    """Whether an office title already names its organisation ("Foreign Ministry Spokesperson")."""
    t = f" {normalize(title)} "
    names = [org.label, *org.aliases]
    if org.gaz_id and org.gaz_id in gaz.entries:
        names += gaz.entries[org.gaz_id].generic
    for n in names:
        words = [w for w in normalize(n).split() if w not in STOP]
        if len(n) > 3 and words and all(f" {w} " in t for w in words[-2:]):
            return True
    return False


def position_label(title: str, org, entities: dict, gaz: Gazetteer) -> str:
    """An office's label: its title, with its organisation's name (or that organisation's
    country's) when the title does not already name it ("Chief of Army Staff of Pakistan Army")."""
    if org is not None and not names_org(title, org, gaz):
        return f"{title} of {org.label}"
    if org is not None and org.country and org.key != org.country and org.country in entities and \
            normalize(entities[org.country].label) not in normalize(title):
        return f"{title} of {entities[org.country].label}"
    return title


def group_of(label: str) -> str:
    """The first part of an entity key of this type: person, place (any kind of kg:Place) or org."""
    if is_a(label, "Person"):
        return "person"
    return "place" if is_a(label, "Place") else "org"


def group_key(label: str, ident: str) -> str:
    """The entity key of a gazetteer entry of this type and id: "org/irgc", "place/iran"."""
    return f"{group_of(label)}/{ident}"
