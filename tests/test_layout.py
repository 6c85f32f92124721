"""The package's shape: imports point one way (down the pipeline's stages), no module imports
another's private names, pyoxigraph stays inside `kg/store/`, and no module or function grows
past what a reader can hold. Read from the source with `ast`; imports inside functions count.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parent.parent / "kg"

# The stages, lowest first: a module may import its own package and anything on a lower floor.
# The three readers of the store (query, checks, network) share a floor and may use one another,
# as long as no circle forms.
FLOORS = [
    {"kg", "kg.errors", "kg.limits", "kg.paths", "kg.progress", "kg.model", "kg.dates", "kg.iri",
     "kg.namespaces"},
    {"kg.ontology"},
    {"kg.ingest"},
    {"kg.nlp"},
    {"kg.extract"},
    {"kg.resolve"},
    {"kg.rdf"},
    {"kg.store"},
    {"kg.build"},
    {"kg.query", "kg.checks", "kg.network"},
    {"kg.cli", "kg.__main__"},
]
# Modules allowed to import pyoxigraph: the store, and the IRI minting check (pyoxigraph's
# IRI parser is the strict one, see kg/iri.py).
OXIGRAPH_ALLOWED = ("kg.store", "kg.iri")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Import:
    source: str   # importing module
    target: str   # imported kg module
    name: str | None  # a name taken from it (None for `import kg.x`)
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(KG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(KG.rglob("*.py"))}


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def kg_imports(name: str, path: Path, known: dict[str, Path]) -> list[Import]:
    """Every import of a kg module in ``path``, anywhere in the file."""
    found = []
    package = name if is_package(path) else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(name, a.name, None, node.lineno) for a in node.names if a.name.split(".")[0] == "kg"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "kg":
                continue
            for a in node.names:
                sub = f"{mod}.{a.name}"
                # `from kg.x import y` where y is a module imports that module
                found.append(Import(name, sub, None, node.lineno) if sub in known
                             else Import(name, mod, a.name, node.lineno))
    return found


def all_imports() -> list[Import]:
    known = modules()
    return [i for name, path in known.items() for i in kg_imports(name, path, known)]


def floor_of(module: str) -> tuple[int, str]:
    """The floor of ``module`` and the stage (package or base module) it belongs to."""
    for level, stages in enumerate(FLOORS):
        for stage in sorted(stages, key=len, reverse=True):
            if module == stage or (stage != "kg" and module.startswith(stage + ".")):
                return level, stage
    raise AssertionError(f"{module} is on no floor: add it to FLOORS")


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {m: set() for m in known}
    for i in all_imports():
        target = i.target
        while target not in known and "." in target:
            target = target.rpartition(".")[0]
        if target != i.source:
            graph[i.source].add(target)
        # importing kg.a.b runs kg.a's __init__ first
        parent = target.rpartition(".")[0]
        while parent and parent != "kg":
            if parent != i.source and not i.source.startswith(parent + "."):
                graph[i.source].add(parent)
            parent = parent.rpartition(".")[0]
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_checks_see_a_circle_and_a_private_import(tmp_path):
    """The walkers themselves: a made-up circle is found, a made-up private import is named."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from kg.store import _to_ox, nquads\n")
    names = {i.name for i in kg_imports("kg.x", src, {})}
    assert names == {"_to_ox", "nquads"}


def test_no_import_cycle_between_kg_modules():
    found = cycles(import_graph())
    assert not found, "modules that import each other in a circle: " + "; ".join(" <-> ".join(c) for c in found)


def test_no_module_imports_another_modules_private_names():
    bad = [f"{i.source} (line {i.line}) takes {i.name} from {i.target}"
           for i in all_imports()
           if i.name and i.name.startswith("_") and not i.name.startswith("__") and i.target != i.source]
    bad += [f"{i.source} (line {i.line}) imports the private module {i.target}"
            for i in all_imports() if any(p.startswith("_") and not p.startswith("__") for p in i.target.split("."))]
    assert not bad, "\n".join(bad)


def test_imports_point_down_the_stages():
    up = []
    for i in all_imports():
        src_floor, src_stage = floor_of(i.source)
        dst_floor, dst_stage = floor_of(i.target)
        if dst_floor > src_floor:
            up.append(f"{i.source} (line {i.line}) imports {i.target}, a later stage")
    assert not up, "\n".join(up)


def test_pyoxigraph_stays_inside_the_store():
    leaks = []
    for name, path in modules().items():
        if name.startswith(OXIGRAPH_ALLOWED):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            leaks += [f"{name} (line {node.lineno})" for m in mods if m.split(".")[0] in ("pyoxigraph", "oxrdflib")]
    assert not leaks, "pyoxigraph imported outside kg/store/: " + ", ".join(leaks)


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_and_functions_stay_small(name):
    path = modules()[name]
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(KG.parent)} has {lines} lines"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
            for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.relative_to(KG.parent)}: " + ", ".join(long)


def test_the_package_facade_imports_later_stages_only_lazily():
    """`kg/__init__.py` is on the lowest floor but offers `kg.build`, `kg.query`, `kg.network` and
    `kg.open_store` (docs/python-api.md): it names them in a table and imports them by name on
    first use (PEP 562 ``__getattr__``), never at import time, and imports no kg module itself."""
    import kg

    tree = ast.parse((KG / "__init__.py").read_text(encoding="utf-8"))
    assert not kg_imports("kg", KG / "__init__.py", modules())
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert all((n.module if isinstance(n, ast.ImportFrom) else n.names[0].name) in ("__future__", "types", "typing")
               for n in top)
    assert set(kg._LAZY) == {"build", "query", "network", "open_store"}
    assert all(floor_of(m)[0] >= floor_of("kg.store")[0] for m in kg._LAZY.values())
