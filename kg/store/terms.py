"""Between rdflib's terms and Oxigraph's: converters, N-Quads and N-Triples text, query results.

The rest of the package speaks rdflib; these are the only functions that turn its terms into
Oxigraph's and back, so that pyoxigraph stays inside `kg.store`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier

Triple = tuple[Identifier, Identifier, Identifier]

_IRIS: dict[str, ox.NamedNode] = {}  # IRIs already converted: predicates and entities recur
# bounded: emptied when full, so that a large build's memory does not grow with its entities
_IRIS_MAX = 16_384
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _iri(value: str) -> ox.NamedNode:
    node = _IRIS.get(value)
    if node is None:
        if len(_IRIS) >= _IRIS_MAX:
            _IRIS.clear()
        node = _IRIS[value] = ox.NamedNode(value)
    return node


def to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph term of an rdflib IRI, blank node or literal (ValueError for an invalid IRI)."""
    kind = type(term)
    if kind is URIRef:
        return _iri(str(term))
    if kind is Literal or isinstance(term, Literal):
        lang, datatype = term.language, term.datatype
        if lang:
            return ox.Literal(str(term), language=lang)
        if datatype:
            return ox.Literal(str(term), datatype=_iri(str(datatype)))
        return ox.Literal(str(term))
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot store term {term!r}")


def from_ox(term: Any) -> Any:
    """An rdflib term from an Oxigraph term (as oxrdflib converts it; kept here so that reading
    a result does not import oxrdflib, which brings rdflib's SPARQL engine)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.Triple):
        return from_ox(term.subject), from_ox(term.predicate), from_ox(term.object)
    raise ValueError(f"unexpected Oxigraph term: {term!r}")


def term_converter(plain_strings: bool = False) -> Callable[[Any], Any]:
    """A function from Oxigraph terms to rdflib terms that converts each distinct term once.

    A result's rows repeat the same labels, titles and IRIs many times, and an rdflib Literal
    parses its value when it is made: made once per distinct term, not once per cell. With
    ``plain_strings`` an xsd:string literal becomes the simple literal it is in RDF 1.1
    (Oxigraph spells the datatype out).
    """
    cache: dict[Any, Any] = {}

    def convert(term: Any) -> Any:
        if term is None:
            return None
        out = cache.get(term)
        if out is None:
            if isinstance(term, ox.NamedNode):
                out = URIRef(term.value)
            elif plain_strings and isinstance(term, ox.Literal) and not term.language \
                    and term.datatype.value == _XSD_STRING:
                out = Literal(term.value)
            else:
                out = from_ox(term)
            cache[term] = out
        return out

    return convert


# -- text ---------------------------------------------------------------------------------------
_NT_IRIS: dict[str, str] = {}  # IRI -> its N-Triples form, bounded like _IRIS


def _nt_iri(value: str) -> str:
    text = _NT_IRIS.get(value)
    if text is None:
        if len(_NT_IRIS) >= _IRIS_MAX:
            _NT_IRIS.clear()
        text = _NT_IRIS[value] = str(ox.NamedNode(value))  # checked by Oxigraph: an invalid IRI raises
    return text


def _nt_term(term: Identifier) -> str:
    kind = type(term)
    if kind is URIRef:
        return _nt_iri(str(term))
    if kind is Literal and not term.language:
        text = str(term)
        # the four characters N-Triples escapes in a string; most literals hold none of them,
        # and a substring test is far cheaper than rewriting every string
        if "\\" in text:
            text = text.replace("\\", "\\\\")
        if '"' in text:
            text = text.replace('"', '\\"')
        if "\n" in text:
            text = text.replace("\n", "\\n")
        if "\r" in text:
            text = text.replace("\r", "\\r")
        text = '"' + text + '"'
        datatype = term.datatype
        return text if datatype is None else text + "^^" + _nt_iri(str(datatype))
    return str(to_ox(term))  # language tags and blank nodes: rare, and Oxigraph's own form


def nquads(triples: Iterable[Triple], graph: URIRef) -> bytes:
    """``triples`` in named graph ``graph`` as N-Quads, the input of `KGStore.add_new_graphs_nquads`.

    Written here rather than by converting each term to a pyoxigraph object and serializing
    those, which costs several times as much per triple. IRIs are checked by Oxigraph once
    each; literals are escaped as N-Triples requires, and the store parses them back to the
    same terms (tests/store/test_store_terms.py).
    """
    g = " " + _nt_iri(str(graph)) + " .\n"
    nt = _nt_term
    return "".join([nt(s) + " " + nt(p) + " " + nt(o) + g for s, p, o in triples]).encode("utf-8")


def ntriples_line(s: Identifier, p: Identifier, o: Identifier) -> str:
    """One triple as an N-Triples line, written by Oxigraph."""
    return str(ox.Triple(to_ox(s), to_ox(p), to_ox(o))) + " .\n"


def parse_ntriples(data: bytes) -> list[Triple]:
    """The triples of an N-Triples text as rdflib terms; SyntaxError (or ValueError) when it
    is not N-Triples."""
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)]


def serialize_nquads(triples: Iterable[Triple], graph: URIRef) -> tuple[bytes, int]:
    """The distinct ``triples`` in named graph ``graph`` as N-Quads written by Oxigraph, and
    how many they are."""
    g = ox.NamedNode(str(graph))
    quads = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples}
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS), len(quads)


# -- query results ------------------------------------------------------------------------------
def result_form(res: Any) -> str:
    """What kind of answer a result of `KGStore.execute` is: "ASK" (a boolean), "SELECT"
    (solutions: ``.variables`` and rows of Oxigraph terms) or "GRAPH" (triples)."""
    if isinstance(res, ox.QueryBoolean):
        return "ASK"
    if isinstance(res, ox.QuerySolutions):
        return "SELECT"
    return "GRAPH"


def rdflib_result(res: Any) -> Result:
    """An rdflib Result from a pyoxigraph query result (as oxrdflib builds it)."""
    convert = term_converter()
    form = result_form(res)
    if form == "ASK":
        out = Result("ASK")
        out.askAnswer = bool(res)
    elif form == "SELECT":
        out = Result("SELECT")
        out.vars = [Variable(v.value) for v in res.variables]
        out.bindings = [{v: convert(val) for v, val in zip(out.vars, row) if val is not None} for row in res]
    else:
        out = Result("CONSTRUCT")
        out.graph = Graph()
        out.graph += (tuple(convert(x) for x in (t.subject, t.predicate, t.object)) for t in res)
    return out
