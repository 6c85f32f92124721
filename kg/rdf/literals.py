"""Literals that recur across documents, each made once: an rdflib Literal parses its value when
it is made, which is a large part of the cost of making a document's triples."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from rdflib import Literal
from rdflib.namespace import XSD


def date_literal(d: dt.date) -> Literal:
    """An xsd:date literal."""
    return Literal(d.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=65536)
def int_literal(n: int) -> Literal:
    """An xsd:integer literal; cached, since character offsets and counts recur."""
    return Literal(n, datatype=XSD.integer)


@lru_cache(maxsize=1024)
def decimal_literal(x: float) -> Literal:
    """An xsd:decimal literal with two decimals (confidences)."""
    return Literal(f"{x:.2f}", datatype=XSD.decimal)


# a plain literal for a short string that recurs (mention texts and kinds, casualty kinds,
# triggers), made once per distinct string
short_literal = lru_cache(maxsize=16384)(Literal)
