"""A human-readable Markdown page of the ontology, generated from ``ontology/kg.ttl``.

The page is derived, never edited: ``python -m kg.ontology.doc > docs/ontology.md`` rewrites it and
``python -m kg.ontology.doc --check docs/ontology.md`` fails when it no longer matches kg.ttl.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD
from rdflib.term import Node

from kg import paths
from kg.namespaces import PREFIXES
from kg.ontology import schema

__all__ = ["main", "render_markdown"]

REGENERATE = "python -m kg.ontology.doc > docs/ontology.md"

# The order is the page's order; `kg` is replaced by the file's own binding when it has one.
_PREFIXES: dict[str, str] = {
    p: str(PREFIXES[p]) for p in ("kg", "schema", "prov", "sem", "skos", "dcterms", "xsd", "owl", "rdfs", "rdf")
}

# Vocabularies that only give the file its structure; their terms are not alignments unless a
# class or property specialises them (kg:Assertion ⊑ rdf:Statement is).
_STRUCTURAL = (str(OWL), str(RDF), str(RDFS), str(XSD))

_ALIGNMENT_KINDS: dict[URIRef, str] = {
    RDFS.subClassOf: "superclass of",
    OWL.equivalentClass: "equivalent to",
    RDFS.subPropertyOf: "super-property of",
    OWL.equivalentProperty: "equivalent to",
    RDFS.domain: "domain of",
    RDFS.range: "range of",
}

_OBJECT_FLAGS = (
    (OWL.SymmetricProperty, "symmetric"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
)


class _Names:
    """Prefixed names for IRIs, with the page's fixed prefixes (longest namespace wins)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self._by_length = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def namespace(self, iri: URIRef) -> tuple[str, str] | None:
        for prefix, ns in self._by_length:
            if str(iri).startswith(ns):
                return prefix, ns
        return None

    def name(self, iri: URIRef) -> str:
        found = self.namespace(iri)
        if found and re.fullmatch(r"[A-Za-z_][\w.-]*", str(iri)[len(found[1]):] or "_"):
            return f"{found[0]}:{str(iri)[len(found[1]):]}"
        return f"<{iri}>"


def _text(value: str) -> str:
    """One line of Markdown text from a literal: `<` escaped outside code spans."""
    parts = re.split(r"(`[^`]*`)", " ".join(value.split()))
    return "".join(p if p.startswith("`") else p.replace("<", "\\<") for p in parts)


def _cell(value: str) -> str:
    # GFM splits cells on `|` even inside code spans, so it is escaped everywhere.
    return value.replace("|", "\\|") if value else "—"


def _literal(graph: Graph, subject: Node, predicate: URIRef) -> str:
    """The English value of an annotation, else an untagged one, else any: deterministic."""
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    if not values:
        return ""

    def rank(lit: Literal) -> tuple[int, str, str]:
        lang = (lit.language or "").lower()
        return (0 if lang.startswith("en") else 1 if not lang else 2, lang, str(lit))

    return str(min(values, key=rank))


class _Renderer:
    def __init__(self, graph: Graph, source: str) -> None:
        self.g = graph
        self.source = source
        prefixes = dict(_PREFIXES)
        bound = dict(graph.namespaces()).get("kg")
        if bound is not None:
            prefixes["kg"] = str(bound)
        self.names = _Names(prefixes)
        self.kg_ns = prefixes["kg"]
        self.ontology = min(
            (s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)),
            default=None,
        )
        self.classes = self._declared(OWL.Class, RDFS.Class)
        self.object_properties = self._declared(OWL.ObjectProperty)
        self.datatype_properties = self._declared(OWL.DatatypeProperty)

    # ---------------------------------------------------------------------------------------
    # Terms
    # ---------------------------------------------------------------------------------------
    def _sort_key(self, term: Node) -> tuple[str, str]:
        name = self.term(term)
        return (name.casefold(), name)

    def _sorted(self, terms: Iterable[Node]) -> list[Node]:
        return sorted(set(terms), key=self._sort_key)

    def _declared(self, *types: URIRef) -> list[URIRef]:
        return self._sorted(
            s for t in types for s in self.g.subjects(RDF.type, t) if isinstance(s, URIRef)
        )

    def _external(self, iri: Node) -> bool:
        return isinstance(iri, URIRef) and not str(iri).startswith(self.kg_ns)

    def term(self, node: Node) -> str:
        """A term's name as plain text; anonymous class expressions are spelled out."""
        if isinstance(node, URIRef):
            return self.names.name(node)
        if isinstance(node, Literal):
            return repr(str(node))
        return self._expression(node)

    def code(self, node: Node) -> str:
        return f"`{self.term(node)}`"

    def codes(self, nodes: Iterable[Node], joiner: str = ", ") -> str:
        return joiner.join(self.code(n) for n in self._sorted(nodes))

    def _expression(self, node: Node) -> str:
        g = self.g
        for predicate, symbol in ((OWL.unionOf, " ∪ "), (OWL.intersectionOf, " ∩ ")):
            members = g.value(node, predicate)
            if members is not None:
                return "(" + symbol.join(self.term(m) for m in Collection(g, members)) + ")"
        prop = g.value(node, OWL.onProperty)
        if prop is not None:
            p = self.term(prop)
            for predicate, fmt in (
                (OWL.someValuesFrom, "∃ {p}.{v}"),
                (OWL.allValuesFrom, "∀ {p}.{v}"),
                (OWL.hasValue, "{p} ∋ {v}"),
                (OWL.cardinality, "= {v} {p}"),
                (OWL.qualifiedCardinality, "= {v} {p}"),
                (OWL.minCardinality, "≥ {v} {p}"),
                (OWL.minQualifiedCardinality, "≥ {v} {p}"),
                (OWL.maxCardinality, "≤ {v} {p}"),
                (OWL.maxQualifiedCardinality, "≤ {v} {p}"),
            ):
                value = g.value(node, predicate)
                if value is not None:
                    shown = str(value) if isinstance(value, Literal) else self.term(value)
                    return "(" + fmt.format(p=p, v=shown) + ")"
        return "(anonymous class)"

    # ---------------------------------------------------------------------------------------
    # Sections
    # ---------------------------------------------------------------------------------------
    def header(self) -> list[str]:
        g, onto = self.g, self.ontology
        title = (_literal(g, onto, RDFS.label) or _literal(g, onto, DCTERMS.title)) if onto else ""
        lines = [
            f"<!-- Generated from {self.source} by: {REGENERATE}. Edit the ontology, not this"
            " page. -->",
            "",
            f"# {_text(title or 'Ontology')}",
            "",
        ]
        facts: list[str] = []
        if onto is not None:
            facts.append(f"- Ontology IRI: `{onto}`")
            for version_iri in self._sorted(g.objects(onto, OWL.versionIRI)):
                facts.append(f"- Version IRI: `{version_iri}`")
            if info := _literal(g, onto, OWL.versionInfo):
                facts.append(f"- Version: {_text(info)}")
        facts.append(f"- Namespace: `{self.kg_ns}` (prefix `kg:`)")
        if onto is not None and (creator := _literal(g, onto, DCTERMS.creator)):
            facts.append(f"- Creator: {_text(creator)}")
        lines += facts + [""]
        if onto is not None and (comment := _literal(g, onto, RDFS.comment)):
            lines += [_text(comment), ""]
        return lines

    def prefixes(self) -> list[str]:
        lines = ["## Prefixes", "", "| Prefix | Namespace |", "| --- | --- |"]
        lines += [f"| `{p}:` | `{ns}` |" for p, ns in self.names.prefixes.items()]
        return lines + [""]

    def class_hierarchy(self) -> list[str]:
        declared = set(self.classes)
        parents: dict[Node, list[Node]] = {}
        children: dict[Node, list[Node]] = defaultdict(list)
        for cls in self.classes:
            parents[cls] = self._sorted(
                p for p in self.g.objects(cls, RDFS.subClassOf) if p in declared and p != cls
            )
            for parent in parents[cls]:
                children[parent].append(cls)
        roots = [c for c in self.classes if not parents[c]]
        lines = ["## Classes", ""]
        if not self.classes:
            return lines + ["No classes.", ""]
        lines += [
            "Subclasses are nested under their superclasses. "
            "`≡` marks an equivalent class, `⊑` a further superclass.",
            "",
        ]
        shown: dict[Node, Node | None] = {}

        def visit(cls: Node, parent: Node | None, depth: int) -> None:
            indent = "  " * depth
            if cls in shown:
                # A class with several parents is described once, under the first one reached.
                first = shown[cls]
                where = f", under {self.code(first)}" if first is not None else ""
                lines.append(f"{indent}- {self.code(cls)} — see above{where}")
                return
            shown[cls] = parent
            lines.append(indent + "- " + self._class_entry(cls, parent, parents[cls]))
            for child in self._sorted(children[cls]):
                visit(child, cls, depth + 1)

        for root in roots:
            visit(root, None, 0)
        # A cycle of subclasses has no root; start it from its first class so none is lost.
        for cls in self.classes:
            if cls not in shown:
                visit(cls, None, 0)
        return lines + [""]

    def _class_entry(self, cls: Node, parent: Node | None, own_parents: list[Node]) -> str:
        g = self.g
        parts = [self.code(cls)]
        if label := _literal(g, cls, RDFS.label):
            parts.append(f"**{_text(label)}**")
        entry = " — ".join(parts)
        if comment := _literal(g, cls, RDFS.comment):
            entry += f": {_text(comment)}"
        equivalents = set(g.objects(cls, OWL.equivalentClass)) | set(
            g.subjects(OWL.equivalentClass, cls)
        )
        supers = [s for s in g.objects(cls, RDFS.subClassOf) if s != parent and s != cls]
        marks = [f"≡ {self.code(e)}" for e in self._sorted(equivalents - {cls})]
        marks += [f"⊑ {self.code(s)}" for s in self._sorted(supers)]
        if marks:
            entry += " (" + ", ".join(marks) + ")"
        return entry

    def _property_row(self, prop: URIRef, flags: list[str]) -> str:
        g = self.g
        cells = [
            self.code(prop),
            _text(_literal(g, prop, RDFS.label)),
            self.codes(g.objects(prop, RDFS.domain)),
            self.codes(g.objects(prop, RDFS.range)),
            self.codes(
                set(g.objects(prop, RDFS.subPropertyOf))
                | set(g.objects(prop, OWL.equivalentProperty))
            ),
            ", ".join(flags),
            _text(_literal(g, prop, RDFS.comment)),
        ]
        return "| " + " | ".join(_cell(c) for c in cells) + " |"

    def object_property_table(self) -> list[str]:
        g = self.g
        lines = ["## Object properties", ""]
        if not self.object_properties:
            return lines + ["No object properties.", ""]
        lines += [
            "| Property | Label | Domain | Range | Super-property | Characteristics | Comment |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for prop in self.object_properties:
            # owl:inverseOf is stated on one side only; the page shows it on both.
            inverses = set(g.objects(prop, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, prop))
            inverses.discard(prop)
            flags = [f"inverse of {self.code(i)}" for i in self._sorted(inverses)]
            flags += [name for kind, name in _OBJECT_FLAGS if (prop, RDF.type, kind) in g]
            lines.append(self._property_row(prop, flags))
        return lines + [""]

    def datatype_property_table(self) -> list[str]:
        lines = ["## Datatype properties", ""]
        if not self.datatype_properties:
            return lines + ["No datatype properties.", ""]
        lines += [
            "| Property | Label | Domain | Range | Super-property | Characteristics | Comment |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for prop in self.datatype_properties:
            flags = ["functional"] if (prop, RDF.type, OWL.FunctionalProperty) in self.g else []
            lines.append(self._property_row(prop, flags))
        return lines + [""]

    def alignments(self) -> list[str]:
        g = self.g
        documented = set(self.classes) | set(self.object_properties) | set(self.datatype_properties)
        uses: dict[URIRef, dict[str, set[Node]]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in g:
            if p in (RDFS.domain, RDFS.range) and str(o).startswith(_STRUCTURAL):
                continue  # xsd:string and the like are datatypes, not alignments
            if p in _ALIGNMENT_KINDS and self._external(o) and s in documented:
                uses[o][_ALIGNMENT_KINDS[p]].add(s)
            elif p in (OWL.equivalentClass, OWL.equivalentProperty) and self._external(s):
                # Stated the other way round (schema:X owl:equivalentClass kg:Y) it is the same.
                if o in documented:
                    uses[s]["equivalent to"].add(o)
            elif (s == self.ontology or s in documented) and self._external(p):
                if not str(p).startswith(_STRUCTURAL):
                    uses[p]["annotation of"].add(s)
        lines = ["## Alignments", ""]
        if not uses:
            return lines + ["No external terms.", ""]
        lines += [
            "Every term from another vocabulary that the ontology builds on or annotates with.",
            "",
            "| Term | Namespace | Used as |",
            "| --- | --- | --- |",
        ]

        order = {prefix: i for i, prefix in enumerate(self.names.prefixes)}

        def key(iri: URIRef) -> tuple[int, str, str, str]:
            # Grouped by namespace in the prefix table's order; unknown namespaces come last.
            found = self.names.namespace(iri)
            rank = order[found[0]] if found else len(order)
            return (rank, found[1] if found else "", *self._sort_key(iri))

        for iri in sorted(uses, key=key):
            found = self.names.namespace(iri)
            namespace = f"`{found[0]}:` `{found[1]}`" if found else "—"
            used = []
            for kind in sorted(uses[iri]):
                subjects = uses[iri][kind]
                named = [self.code(s) for s in self._sorted(subjects - {self.ontology})]
                if self.ontology in subjects:
                    named.insert(0, "the ontology")
                used.append(f"{kind} {', '.join(named)}")
            cells = (self.code(iri), namespace, "; ".join(used))
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        return lines + [""]


def _header_comment(text: str) -> list[str]:
    """The block of `#` lines that follows the prefix declarations, as Markdown lines."""
    lines = text.splitlines()
    start = 0
    for i, line in enumerate(lines):
        if re.match(r"\s*(@prefix|@base|prefix\s|base\s)", line, re.IGNORECASE):
            start = i + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    block: list[str] = []
    for line in lines[start:]:
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        if re.fullmatch(r"#{2,}", stripped):
            continue  # a banner rule, not text
        body = stripped[1:]
        block.append(_escape_block(body[1:] if body.startswith(" ") else body))
    while block and not block[-1].strip():
        block.pop()
    while block and not block[0].strip():
        block.pop(0)
    return block


def _escape_block(line: str) -> str:
    # Keep the indentation: it continues list items in the header's Markdown-like text.
    parts = re.split(r"(`[^`]*`)", line.rstrip())
    return "".join(p if p.startswith("`") else p.replace("<", "\\<") for p in parts)


def render_markdown(path: Path | None = None) -> str:
    """Render the ontology at `path` (default: the project's ontology/kg.ttl) as Markdown."""
    path = Path(path) if path is not None else paths.ONTOLOGY_DIR / "kg.ttl"
    text = path.read_text(encoding="utf-8")  # its header comment becomes the page's store layout
    graph = schema.load(path).graph
    # The shipped file is named as in the checkout, so the page reads the same on every machine.
    shipped = (paths.ONTOLOGY_DIR / "kg.ttl").resolve()
    source = "ontology/kg.ttl" if path.resolve() == shipped else path.name
    renderer = _Renderer(graph, source)
    lines = renderer.header() + renderer.prefixes()
    if comment := _header_comment(text):
        lines += ["## Store layout", "", *comment, ""]
    lines += renderer.class_hierarchy()
    lines += renderer.object_property_table()
    lines += renderer.datatype_property_table()
    lines += renderer.alignments()
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the ontology page, or with --check FILE, exit 1 when FILE differs from it."""
    parser = argparse.ArgumentParser(
        prog="python -m kg.ontology.doc", description="Render ontology/kg.ttl as a Markdown page."
    )
    parser.add_argument("--check", metavar="FILE", type=Path, help="compare FILE with the page")
    parser.add_argument("--ontology", metavar="TTL", type=Path, help="ontology to render")
    args = parser.parse_args(argv)
    page = render_markdown(args.ontology)
    if args.check is not None:
        command = "python -m kg.ontology.doc"
        if args.ontology is not None:
            command += f" --ontology {args.ontology}"
        command += f" > {args.check}"
        try:
            current = args.check.read_text(encoding="utf-8")
        except OSError as err:
            print(f"{args.check}: cannot read it ({err.strerror}); create it with: {command}",
                  file=sys.stderr)
            return 1
        if current != page:
            print(f"{args.check} is out of date with the ontology; regenerate it with: {command}",
                  file=sys.stderr)
            return 1
        return 0
    # Bytes, so the page's ≡ and ⊑ survive a stdout whose locale encoding is not UTF-8.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(page.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
