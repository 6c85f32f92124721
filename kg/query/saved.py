"""Saved queries: the ``.rq`` files of `kg.paths.QUERIES_DIR`, their comment headers, and how
`kg query` tells a file, a saved query's name and inline SPARQL apart.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg import paths
from kg.errors import QueryError

__all__ = ["SavedQuery", "format_saved_queries", "list_saved_queries", "load_query", "saved_query_names"]

_PARAM_LINE = re.compile(r"^param\s*:\s*([^\s:-]+)\s*(?:[-\u2013:]\s*(.*))?$", re.IGNORECASE)


@dataclass(frozen=True)
class SavedQuery:
    """A query file: its name (file stem), path, SPARQL text and comment header.

    ``description`` is the header's first paragraph (the title line in the project's files),
    ``details`` the paragraphs after it, ``parameters`` maps each ``# param:`` name to its help.
    ``shipped`` is True for the saved queries of `kg.paths.QUERIES_DIR`, False for a user's file.

    A query that declares ``# param: NAME - help`` lines needs exactly those parameters; a user's
    file that declares none takes a ``--param`` for any variable of its SELECT.
    """

    name: str
    path: Path
    sparql: str
    description: str = ""
    details: str = ""
    parameters: dict[str, str] = field(default_factory=dict)
    shipped: bool = False

    @property
    def title(self) -> str:
        """How messages name it: "saved query 'NAME'" or "query file PATH"."""
        return f"saved query {self.name!r}" if self.shipped else f"query file {self.path}"

    @property
    def free_parameters(self) -> bool:
        """Whether any variable may be bound: a user's file without ``# param:`` lines."""
        return not self.shipped and not self.parameters


def _parse_header(text: str) -> tuple[str, str, dict[str, str]]:
    """Read the leading ``#`` comment block: (first paragraph, other paragraphs, params)."""
    lines: list[str] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped[1:].strip())
    params: dict[str, str] = {}
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        m = _PARAM_LINE.match(line)
        if m:
            params[m.group(1)] = (m.group(2) or "").strip()
        elif line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    texts = [" ".join(p) for p in paragraphs if p]
    first = texts[0] if texts else ""
    return first, "\n\n".join(texts[1:]), params


def _read_saved(path: Path, shipped: bool = False) -> SavedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"cannot read the query file ({err})", str(path)) from err
    description, details, params = _parse_header(text)
    return SavedQuery(path.stem, path, text, description, details, params, shipped)


def list_saved_queries() -> list[SavedQuery]:
    """Every ``queries/*.rq`` file, sorted by name."""
    folder = paths.QUERIES_DIR
    if not folder.is_dir():
        return []
    return [_read_saved(p, shipped=True) for p in sorted(folder.glob("*.rq"))]


def saved_query_names() -> list[str]:
    """The saved queries' names, without reading the files (shell completion asks on every Tab)."""
    folder = paths.QUERIES_DIR
    return sorted(p.stem for p in folder.glob("*.rq")) if folder.is_dir() else []


def _looks_like_name(spec: str) -> bool:
    # A saved query's name is one word; SPARQL always has spaces or braces.
    return bool(spec) and not re.search(r"[\s{}]", spec)


def load_query(spec: str) -> SavedQuery | str:
    """Resolve ``spec``: a path to a ``.rq`` file, a saved query's name, or inline SPARQL.

    Inline SPARQL is returned unchanged as a ``str``; files come back as ``SavedQuery``.
    """
    one_line = "\n" not in spec and spec.strip() == spec
    is_pathish = one_line and (spec.endswith(".rq") or "/" in spec or "\\" in spec)
    if is_pathish:
        path = Path(spec).expanduser()
        if path.is_file():
            return _read_saved(path)
    if _looks_like_name(spec):
        name = spec[:-3] if spec.endswith(".rq") else spec
        saved = paths.QUERIES_DIR / f"{name}.rq"
        if "/" not in name and "\\" not in name and saved.is_file():
            return _read_saved(saved, shipped=True)
        names = ", ".join(q.name for q in list_saved_queries()) or "(none)"
        if is_pathish:
            raise QueryError(f"no such query file, and no saved query of that name; saved queries: {names}", spec)
        raise QueryError(f"no saved query named {spec!r}; saved queries: {names}")
    if is_pathish and spec.endswith(".rq") and not re.search(r"[{}]", spec):
        raise QueryError("no such query file", spec)
    if not spec.strip():
        raise QueryError("the query is empty")
    return spec


def format_saved_queries(queries: Iterable[SavedQuery] | None = None, fmt: str = "text") -> str:
    """One line per saved query (all of them by default): its name, what it answers and the
    ``--param`` options it needs (`kg queries`); with ``fmt`` "json" a JSON list of the same
    (name, description, details, parameters, path)."""
    queries = list_saved_queries() if queries is None else list(queries)
    if fmt == "json":
        import json

        return json.dumps([{"name": q.name, "description": q.description, "details": q.details,
                            "parameters": q.parameters, "path": str(q.path)} for q in queries],
                          ensure_ascii=False, indent=1) + "\n"
    lines = []
    for q in queries:
        params = " ".join(f"--param {p}=..." for p in q.parameters)
        lines.append(f"{q.name:<16} {q.description}" + (f"  [{params}]" if params else "") + "\n")
    return "".join(lines)
