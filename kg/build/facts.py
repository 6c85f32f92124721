"""The facts graph: one kg:Fact per distinct (s, p, o) that an assertion in the store states,
with its support (assertions, documents), a combined confidence and whether it is only claimed.

A fact depends only on the assertions of its own triple, so a build recomputes only the facts
of the triples it touched (`update_facts`); a build into a store with no assertion yet computes
them from what it wrote, with no query (`FactSupport`).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.namespaces import FACTS_GRAPH, ID, KG
from kg.rdf import int_literal
from kg.store import KGStore, nquads

MAX_FACT_CONFIDENCE = 0.99  # however many sentences say it, an extracted statement is never certain
FACTS_CHUNK = 2000  # triples whose facts are recomputed per query: bounds memory on a large build
# triples whose facts a first build loads at once: each load holds its rows made whole, and the
# load's index files, in memory
FACTS_LOAD_CHUNK = 500

_ASSERTIONS_BY_SENTENCE = """
SELECT ?s ?p ?o ?doc ?sent (MAX(?c) AS ?conf) (COUNT(?a) AS ?n)
       (GROUP_CONCAT(STR(?a); separator=" ") AS ?assertions)
       (SUM(?claimed) AS ?claims) (SUM(?denied) AS ?denials)
WHERE {
  {
    SELECT ?a ?s ?p ?o ?doc ?sent (MAX(?c0) AS ?c)
           (MAX(IF(BOUND(?by), 1, 0)) AS ?claimed) (MAX(IF(COALESCE(?neg, false), 1, 0)) AS ?denied)
    WHERE {
      ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inDocument ?doc .
      OPTIONAL { ?a kg:sentenceIndex ?sent }
      OPTIONAL { ?a kg:confidence ?c0 }
      OPTIONAL { ?a kg:claimedBy ?by }
      OPTIONAL { ?a kg:negated ?neg }
    }
    GROUP BY ?a ?s ?p ?o ?doc ?sent
  }
}
GROUP BY ?s ?p ?o ?doc ?sent
"""

_RDF_TYPE, _ASSERTION = str(RDF.type), str(KG.Assertion)
_SUBJ, _PRED, _OBJ = str(RDF.subject), str(RDF.predicate), str(RDF.object)
_IN_DOC, _SENT, _CONF = str(KG.inDocument), str(KG.sentenceIndex), str(KG.confidence)
_CLAIMED, _NEG = str(KG.claimedBy), str(KG.negated)
_SUPPORT_PREDICATES = frozenset({_RDF_TYPE, _SUBJ, _PRED, _OBJ, _IN_DOC, _SENT, _CONF, _CLAIMED, _NEG})


def fact_node(s: Any, p: Any, o: Any) -> URIRef:
    """The fact node of a triple: a hash of it, so the same triple always has the same node."""
    return ID["fact/" + hashlib.sha1(f"{s}\x1f{p}\x1f{o}".encode("utf-8")).hexdigest()[:16]]


def _values(triples: Iterable[tuple]) -> str:
    """A SPARQL VALUES block binding ?s ?p ?o to ``triples``."""
    rows = " ".join(f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in sorted(triples, key=lambda t: tuple(map(str, t))))
    return "VALUES (?s ?p ?o) { %s }" % rows


def fact_triples(store: KGStore, only: set[tuple] | None = None) -> list[tuple]:
    """The facts graph: one kg:Fact per distinct (s, p, o) that an assertion in the store states.

    A fact has its triple (rdf:subject/predicate/object), kg:supportedBy each assertion,
    kg:supportCount (assertions), kg:documentCount (distinct documents), kg:confidence and
    kg:claimOnly true when every assertion is someone's claim (kg:claimedBy). The confidence
    combines the sentences that state it as a noisy-or, 1 - prod(1 - c) over distinct (document,
    sentence) (the best assertion of a sentence counts once; a sentence that denies the triple,
    kg:negated, adds nothing), capped at 0.99; a triple only ever denied keeps the highest
    confidence of its denials. Read from the whole store, so it covers every document built so far.
    With ``only``, just the facts of those (s, p, o) triples.
    """
    sparql = _ASSERTIONS_BY_SENTENCE
    if only is not None:
        # the VALUES block first, so Oxigraph starts from the touched triples, not every assertion
        sparql = sparql.replace("    WHERE {\n      ?a a kg:Assertion", "    WHERE {\n      %s\n      ?a a kg:Assertion"
                                % _values(only), 1)
    rows = ((s, p, o, doc, None if conf is None else float(conf), int(n), str(assertions).split(), int(claims),
             int(denials))
            for s, p, o, doc, _sent, conf, n, assertions, claims, denials in store.query(sparql))
    return facts_from_rows(rows)


def _combined_confidence(stated: list[float], denied: list[float]) -> float:
    """The noisy-or of the sentences that state a triple, or the best denial when none does."""
    if stated:
        doubt = 1.0
        for c in stated:
            doubt *= 1.0 - min(max(c, 0.0), 1.0)
        return min(1.0 - doubt, MAX_FACT_CONFIDENCE)
    return min(max(denied), MAX_FACT_CONFIDENCE)


def facts_from_rows(rows: Iterable[tuple]) -> list[tuple]:
    """Fact triples from one row per (s, p, o, document, sentence): (s, p, o, document, best
    confidence or None, assertions, their IRIs, how many are claims, how many are denials)."""
    facts: dict[tuple, dict] = {}
    for s, p, o, doc, conf, n, assertions, claims, denials in rows:
        f = facts.setdefault((s, p, o), {"n": 0, "docs": set(), "stated": [], "denied": [], "claims": 0,
                                          "assertions": set()})
        f["n"] += n
        f["docs"].add(doc)
        f["claims"] += claims
        f["assertions"].update(assertions)
        c = conf if conf is not None else 1.0
        # a sentence that only denies the triple is no support for it
        (f["denied"] if denials == n else f["stated"]).append(c)
    out: list[tuple] = []
    # rdflib resolves every Namespace attribute anew: looked up once, not per fact
    fact, support_count, document_count = KG.Fact, KG.supportCount, KG.documentCount
    confidence, claim_only, supported_by = KG.confidence, KG.claimOnly, KG.supportedBy
    rdf_type, rdf_s, rdf_p, rdf_o, decimal = RDF.type, RDF.subject, RDF.predicate, RDF.object, XSD.decimal
    true, false = Literal(True), Literal(False)
    for (s, p, o), f in sorted(facts.items(), key=lambda kv: tuple(map(str, kv[0]))):
        conf = _combined_confidence(f["stated"], f["denied"])
        node = fact_node(s, p, o)
        out += [
            (node, rdf_type, fact),
            (node, rdf_s, s), (node, rdf_p, p), (node, rdf_o, o),
            (node, support_count, int_literal(f["n"])),
            (node, document_count, int_literal(len(f["docs"]))),
            (node, confidence, Literal(f"{conf:.2f}", datatype=decimal)),
            (node, claim_only, true if f["claims"] == f["n"] else false),
        ]
        out += [(node, supported_by, URIRef(a)) for a in sorted(f["assertions"])]
    return out


class FactSupport:
    """What the facts need from the assertions a build writes, gathered document by document:
    one row per (s, p, o, document, sentence), as `fact_triples` reads them from the store. A
    build into a store with no assertion yet computes its facts from these rows, with no query:
    the query's hash joins would hold every assertion and mention of the store in memory, once
    per chunk of triples."""

    def __init__(self, keep_rows: bool = True) -> None:
        self.keep_rows = keep_rows  # False: only the (s, p, o) are wanted (the store has other assertions)
        self.rows: dict[tuple, list] = {}
        # one object per distinct term: every document makes its own copies of the same entity
        # and property IRIs, and the rows of a large corpus would keep them all
        self._terms: dict = {}

    def _spo(self, s: Any, p: Any, o: Any) -> tuple:
        t = self._terms
        return (t.setdefault(s, s), t.setdefault(p, p), t.setdefault(o, o))

    def merge(self, rows: dict[tuple, list], spos: set[tuple]) -> set[tuple]:
        """Take the rows and (s, p, o) that `add` gave in another process; returns the (s, p, o)."""
        for (s, p, o, doc, sent), row in rows.items():
            self.rows[(*self._spo(s, p, o), doc, sent)] = row
        return {self._spo(*spo) for spo in spos}

    def add(self, triples: Iterable[tuple]) -> set[tuple]:
        """Record the assertions among one document's ``triples``; returns their (s, p, o)."""
        nodes: dict[str, dict] = {}
        for s, p, o in triples:
            ps = str(p)
            if ps == _RDF_TYPE:
                if isinstance(o, URIRef) and str(o) == _ASSERTION:  # a node may have other types
                    nodes.setdefault(str(s), {})[_RDF_TYPE] = True
            elif ps in _SUPPORT_PREDICATES:
                nodes.setdefault(str(s), {})[ps] = o
        spos = set()
        for a, d in nodes.items():
            if _RDF_TYPE not in d:
                continue
            try:
                spo = self._spo(d[_SUBJ], d[_PRED], d[_OBJ])
            except KeyError:
                continue
            spos.add(spo)
            if self.keep_rows:
                self._add_row(a, spo, d)
        return spos

    def _add_row(self, a: str, spo: tuple, d: dict) -> None:
        """Count assertion ``a`` of triple ``spo`` (its predicates and objects ``d``) in its row."""
        doc, sent = d.get(_IN_DOC), d.get(_SENT)
        conf = d.get(_CONF)
        neg = d.get(_NEG)
        row = self.rows.setdefault((*spo, doc, None if sent is None else int(sent)), [None, 0, [], 0, 0])
        if conf is not None:
            row[0] = float(conf) if row[0] is None else max(row[0], float(conf))
        row[1] += 1
        # an assertion's IRI is its document's plus "#a-...": keep only that tail, which is
        # most of what these rows hold for a large corpus
        ds = str(doc) if doc is not None else ""
        row[2].append(a[len(ds):] if ds and a.startswith(ds + "#") else a)
        row[3] += 1 if d.get(_CLAIMED) is not None else 0
        row[4] += 1 if neg is not None and bool(neg.toPython()) else 0

    def fact_row(self, key: tuple) -> tuple:
        """The row of ``key`` as `facts_from_rows` reads it, assertion IRIs whole again."""
        s, p, o, doc, _sent = key
        conf, n, assertions, claims, denials = self.rows[key]
        ds = str(doc)
        return (s, p, o, doc, conf, n, [ds + a if a.startswith("#") else a for a in assertions], claims, denials)

    def fact_rows(self) -> Iterator[tuple]:
        """The rows as `facts_from_rows` reads them."""
        return (self.fact_row(key) for key in self.rows if key[3] is not None)

    def write_facts(self, store: KGStore) -> None:
        """Write the facts graph of these assertions (into a store that has none yet), a chunk
        of triples at a time."""
        by_spo: dict[tuple, list] = {}
        for key in self.rows:
            if key[3] is not None:
                by_spo.setdefault(key[:3], []).append(key)
        ordered = list(by_spo)  # build order: the chunks only bound memory, the graph is the same
        for i in range(0, len(ordered), FACTS_LOAD_CHUNK):
            # the rows made whole a chunk at a time: every assertion IRI of a build at once would
            # hold the whole build's support in memory
            rows = [self.fact_row(k) for spo in ordered[i:i + FACTS_LOAD_CHUNK] for k in by_spo[spo]]
            # bulk-loaded: written to files on disk, not into RocksDB's write buffers, which
            # would hold every fact of the build in six indexes
            store.add_new_graphs_nquads(nquads(facts_from_rows(rows), FACTS_GRAPH), lenient=True)


def update_facts(store: KGStore, touched: set[tuple] | None) -> None:
    """Bring the facts graph up to date after documents were written.

    A fact depends only on the assertions of its own (s, p, o), so only the facts of ``touched``
    triples are recomputed, a chunk at a time; the rest stay as they are. ``None`` (no facts graph
    yet) recomputes the facts of every asserted triple in the store. Either way the result
    equals `fact_triples` of the store.
    """
    if touched is None:
        touched = {tuple(r) for r in store.query(
            "SELECT DISTINCT ?s ?p ?o WHERE { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }")}
    store.drop_inferred()
    ordered = sorted(touched, key=lambda t: tuple(map(str, t)))
    for i in range(0, len(ordered), FACTS_CHUNK):
        chunk = set(ordered[i:i + FACTS_CHUNK])
        store.remove_subjects(FACTS_GRAPH, [fact_node(*spo) for spo in chunk])
        store.add_triples(FACTS_GRAPH, fact_triples(store, only=chunk))
        store.flush()  # bounds RocksDB's write buffers, which otherwise hold every fact written
