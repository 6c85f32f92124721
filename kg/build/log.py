"""The build log: every build and removal is a ``prov:Activity`` (PROV-O) in the build-log graph
(`kg.namespaces.BUILD_LOG_GRAPH`), the one graph that changes on every run."""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kg import __version__
from kg.namespaces import BUILD_LOG_GRAPH, ID, KG
from kg.store import KGStore, nquads

SOFTWARE = ID["software/newskg"]


def now() -> dt.datetime:
    """The current time, in UTC: when an activity starts or ends."""
    return dt.datetime.now(dt.timezone.utc)


def _time(t: dt.datetime) -> Literal:
    # fixed width, so the log's times also sort as strings
    return Literal(t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), datatype=XSD.dateTime)


def record_activity(store: KGStore, kind: str, started: dt.datetime, *, generated: Iterable[str] = (),
                    invalidated: Iterable[str] = (), used: Iterable[str] = (),
                    counts: dict[str, int] | None = None) -> URIRef:
    """Add one build (``kind`` "Build") or removal ("Removal") to the build log; returns its IRI.

    ``used`` are the source paths read, ``generated`` the document graphs written,
    ``invalidated`` the graphs removed or replaced; ``counts`` become ``kg:<name>`` integers.
    """
    act = ID[f"activity/{started.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"]
    triples = [
        (act, RDF.type, PROV.Activity), (act, RDF.type, KG[kind]),
        (act, PROV.startedAtTime, _time(started)), (act, PROV.endedAtTime, _time(now())),
        (act, PROV.wasAssociatedWith, SOFTWARE),
        (SOFTWARE, RDF.type, PROV.SoftwareAgent), (SOFTWARE, KG.toolVersion, Literal(__version__)),
        (act, KG.toolVersion, Literal(__version__)),
    ]
    triples += [(act, PROV.generated, URIRef(g)) for g in generated]
    triples += [(act, PROV.invalidated, URIRef(g)) for g in invalidated]
    triples += [(act, KG.sourceFile, Literal(u)) for u in sorted(set(used))]
    triples += [(act, KG[name], Literal(n, datatype=XSD.integer)) for name, n in (counts or {}).items()]
    # bulk-loaded, not in a transaction: RocksDB's write buffers would keep the two triples
    # per document; a writer works on an unpublished copy of the store (`KGStore.commit`), so
    # it needs no transaction
    store.add_new_graphs_nquads(nquads(triples, BUILD_LOG_GRAPH), lenient=True)
    return act
