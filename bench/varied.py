"""Stores of varied documents for the saved-query bench, made from one real build.

Building 5,000 or 14,000 articles for real takes hours on two cores, and renamed copies of one
build (every IRI of copy k suffixed) keep each entity's and each event's fan-out that of the one
build: the queries that died on a store of real varied builds did not show it. So a variant
store is made from the N-Quads of one real build (`python -m bench`'s 1,000-document build),
copy by copy, with the shape of a real build kept and its contents re-drawn:

- copy 0 is the build unchanged; in copy k every document gets a new IRI (``<doc>-vk``), and so
  do its assertions and mentions (they hang off the document's IRI) and the build activity;
- gazetteer entities (``id/<kind>/<gazetteer id>``) and positions keep their IRIs, so they are
  shared by every copy, as Iran or the IRGC are shared by every article that names them;
- every other entity (generated people, organisations the text names) is mapped, within its
  type, by a permutation drawn for the copy, to a variant ``<entity>-vS`` with S drawn from
  0..k: so copies share different subsets of entities, the ends of a relation are re-paired,
  and the number of distinct entities grows with the copies. A variant's preferred label is its
  entity's label and a family name for S (the same for every copy that draws it);
- an event (and its casualty nodes, ``<event>/<casualty>``) keeps its copy's own IRI, or with probability ``share_events`` takes the IRI it got
  in an earlier copy, drawn at random: the same event then lies in the graphs of documents of
  several copies, as a merged event of a real build lies in each document that reports it;
- dates (``dcterms:date``, ``kg:date``, ``kg:endDate``, ``kg:referenceDate``) move by a number
  of days drawn per document, and counts (killed, wounded, arrested, casualty counts) are
  re-drawn between half and twice the original;
- the entity graph is the union of every copy's mapped descriptions (one type, label and country
  per entity); the facts graph is computed from all the assertions written, with the build's own
  code (`kg.build.facts.FactSupport`), so facts shared by several copies have their support
  merged. The build log holds one activity per copy.

The entity proposals inside document graphs (``kg:entityProposal`` literals) get the new IRIs
but keep the original labels: no saved query reads them.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

NS = "https://w3id.org/newskg/"
ENTITIES, FACTS, BUILDS = f"<{NS}graph/entities>", f"<{NS}graph/facts>", f"<{NS}graph/builds>"
PREF = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_IRI = re.compile(r"<(https://w3id\.org/newskg/(doc|id/[a-z]+)/([^>#]+))")
_DATE_PREDICATES = {"<http://purl.org/dc/terms/date>", f"<{NS}ontology#date>", f"<{NS}ontology#endDate>",
                    f"<{NS}ontology#referenceDate>"}
_COUNT_PREDICATES = {f"<{NS}ontology#{p}>" for p in ("killed", "wounded", "arrested", "count")}
_DATE = re.compile(r'"(\d{4})-(\d{2})-(\d{2})(")')
_INT = re.compile(r'"(\d+)"')
_ENTITY_KINDS = {"id/person", "id/org", "id/place"}


def _family_names() -> list[str]:
    names = tomllib.loads((Path(__file__).parent / "names.toml").read_text(encoding="utf-8"))
    return names["family"]


class Variants:
    """The copies of one build's N-Quads (``lines``, one quad a line, as `KGStore.dump_nquads`
    writes them)."""

    def __init__(self, lines: list[str], seed: int = 11, share_events: float = 0.3) -> None:
        from kg.ontology.gazetteer import load_gazetteer

        self.seed, self.share_events = seed, share_events
        self.gazetteer = set(load_gazetteer().entries)
        self.family = _family_names()
        self.doc_lines = [ln for ln in lines if f"<{NS}doc/" in ln.rsplit(" ", 2)[-2]]
        self.build_lines = [ln for ln in lines if ln.rsplit(" ", 2)[-2] == BUILDS]
        entity_lines = [ln for ln in lines if ln.rsplit(" ", 2)[-2] == ENTITIES]
        self.descriptions: dict[str, list[str]] = {}
        self.types: dict[str, str] = {}
        for ln in entity_lines:
            s, p, rest = ln.split(" ", 2)
            self.descriptions.setdefault(s[1:-1], []).append(ln)
            if p == RDF_TYPE:
                self.types.setdefault(s[1:-1], rest.split(" ", 1)[0])
        # entities that vary: described, not in the gazetteer; grouped by type for the permutations
        self.by_type: dict[str, list[str]] = {}
        for e, t in sorted(self.types.items()):
            if e.rsplit("/", 1)[-1] not in self.gazetteer:
                self.by_type.setdefault(t, []).append(e)
        # an event's casualties are ``<event>/<casualty>``: they follow their event's IRI
        self.events = sorted({_event_of(m.group(1)) for ln in self.doc_lines for m in _IRI.finditer(ln)
                              if m.group(2) == "id/event"})
        self.event_home: dict[str, list[str]] = {e: [e] for e in self.events}  # IRIs given so far

    # -- one copy -----------------------------------------------------------------------------
    def _entity_map(self, k: int, rng: random.Random) -> dict[str, str]:
        out: dict[str, str] = {}
        for members in self.by_type.values():
            targets = members[:]
            rng.shuffle(targets)
            for e, y in zip(members, targets):
                s = rng.randint(0, k)
                out[e] = y if s == 0 else f"{y}-v{s}"
        return out

    def _event_map(self, k: int, rng: random.Random) -> dict[str, str]:
        out = {}
        for e in self.events:
            homes = self.event_home[e]
            if rng.random() < self.share_events:
                out[e] = rng.choice(homes)
            else:
                out[e] = f"{e}-v{k}"
                homes.append(out[e])
        return out

    def copy(self, k: int) -> tuple[Iterator[str], set[str]]:
        """The document and build-log lines of copy ``k`` and the entity IRIs it uses."""
        if k == 0:
            return iter(self.doc_lines + self.build_lines), set(self.types)
        rng = random.Random(self.seed * 1_000_003 + k)
        ents = self._entity_map(k, rng)
        events = self._event_map(k, rng)
        suffix = f"-v{k}"

        def sub(m: re.Match[str]) -> str:
            iri, kind = m.group(1), m.group(2)
            if kind == "doc" or kind == "id/activity":
                return f"<{iri}{suffix}"
            if kind == "id/event":
                base = _event_of(iri)
                return "<" + events.get(base, base) + iri[len(base):]
            if kind in _ENTITY_KINDS:
                return "<" + ents.get(iri, iri)
            return m.group(0)

        shift: dict[str, int] = {}

        def lines() -> Iterator[str]:
            for ln in self.doc_lines:
                graph = ln.rsplit(" ", 2)[-2]
                p = ln.split(" ", 2)[1]
                if p in _DATE_PREDICATES:
                    days = shift.setdefault(graph, rng.randint(-400, 400))
                    ln = _DATE.sub(lambda m: _shifted(m, days), ln, count=1)
                elif p in _COUNT_PREDICATES:
                    ln = _INT.sub(lambda m: f'"{max(0, round(int(m.group(1)) * rng.uniform(0.5, 2.0)))}"', ln,
                                  count=1)
                yield _IRI.sub(sub, ln)
            for ln in self.build_lines:
                yield _IRI.sub(sub, ln)

        used = set(self.types) - set(ents) | set(ents.values())
        return lines(), used

    def entity_lines(self, used: Iterable[str]) -> Iterator[str]:
        """The entity graph's lines for the entity IRIs ``used`` (base entities and variants)."""
        for iri in sorted(set(used)):
            base, _, s = iri.rpartition("-v")
            if not (s.isdigit() and base in self.descriptions):
                base, s = iri, ""
            for ln in self.descriptions.get(base, ()):
                if s:
                    subj, p, rest = ln.split(" ", 2)
                    if p == PREF:
                        label, tail = rest.rsplit('" ', 1)
                        rest = f'{label} {self.family[int(s) % len(self.family)]}" {tail}'
                    ln = f"<{iri}> {p} {rest}"
                yield ln


def _event_of(iri: str) -> str:
    """The event an ``id/event/`` IRI belongs to: itself, or the event of a casualty node."""
    head, _, local = iri.partition("/id/event/")
    return f"{head}/id/event/{local.split('/', 1)[0]}"


def _shifted(m: re.Match[str], days: int) -> str:
    try:
        d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) + dt.timedelta(days=days)
    except (ValueError, OverflowError):
        return m.group(0)
    return f'"{d.isoformat()}"'


def write_variants(lines: list[str], copies: int, out: Path, seed: int = 11, share_events: float = 0.3) -> dict:
    """Write ``copies`` variants of a build's N-Quads ``lines`` (copy 0 the build itself), their
    entity graph and their facts graph to the N-Quads file ``out``; returns counts."""
    import pyoxigraph as ox

    from kg.build.facts import FactSupport, facts_from_rows
    from kg.namespaces import FACTS_GRAPH
    from kg.store import nquads
    from kg.store.terms import from_ox

    var = Variants(lines, seed=seed, share_events=share_events)
    support = FactSupport()
    used: set[str] = set()
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for k in range(copies):
            it, ents = var.copy(k)
            used |= ents
            assertions: list[str] = []
            for ln in it:
                f.write(ln)
                n += 1
                if "#a-" in ln.split(" ", 1)[0]:
                    assertions.append(ln)
            quads = ox.parse("".join(assertions).encode("utf-8"), ox.RdfFormat.N_QUADS)
            support.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads)
        for ln in var.entity_lines(used):
            f.write(ln)
            n += 1
        data = nquads(facts_from_rows(support.fact_rows()), FACTS_GRAPH).decode("utf-8")
        f.write(data)
        n += data.count("\n")
    return {"quads_written": n, "entities": len(used), "events": sum(len(h) for h in var.event_home.values())}


def varied_store(source: str, target: str, copies: int, scratch: str, seed: int = 11) -> dict:
    """A store of ``copies`` variants of the store ``source`` (see the module's text),
    bulk-loaded from N-Quads with Oxigraph's bulk loader."""
    import time

    import pyoxigraph as ox

    from kg.store import KGStore

    with KGStore(source, create=False) as st:
        lines = st.dump_nquads().decode("utf-8").splitlines(keepends=True)
    t = time.perf_counter()
    counts = write_variants(lines, copies, Path(scratch), seed=seed)
    made = time.perf_counter() - t
    del lines
    t = time.perf_counter()
    store = ox.Store(target)
    store.bulk_load(path=scratch, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    loaded = time.perf_counter() - t
    with KGStore(target, create=False) as st:
        triples = len(st)
    Path(scratch).unlink()
    return {"seconds": loaded, "generate_seconds": made, "triples": triples, "copies": copies, **counts}
