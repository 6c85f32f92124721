"""`kg dump` / `kg load`: the whole store as N-Quads or TriG, to move a graph between machines.

A dump holds every named graph (documents, entities, facts, the build log) but not the
entailments of ``--infer``, which are recomputed on demand. Quads are sorted, so a dump is a stable
text: dump, load into an empty store, dump again gives the same bytes. Loading parses the whole
file with pyoxigraph before the store is touched (a bad file changes nothing) and refuses a file
that opens with an XML DOCTYPE/ENTITY declaration (no entity expansion, docs/sources.md).
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, StoreError
from kg.paths import is_stdout, output_target, write_stdout
from kg.store.infer import INFERRED_GRAPH
from kg.store.core import KGStore

FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
# Parsed quads take many times the file's size in memory, and the whole file is parsed
# before the store is touched: a dump larger than this is refused rather than exhausting memory.
MAX_LOAD_BYTES = 256 * 1024 * 1024
_SUFFIXES = {".nq": "nquads", ".nquads": "nquads", ".trig": "trig"}
# N-Quads and TriG have no DTDs and their parsers expand no entities: only a file that starts
# like an XML document with a DTD (after an XML declaration and comments, if any) is refused;
# the same characters inside a literal (an article quoting HTML) are data.
_DTD = re.compile(rb"^(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<!\s*(DOCTYPE|ENTITY)",
                  re.IGNORECASE | re.DOTALL)


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The dump format: ``fmt`` if given, else from the file's suffix (.nq, .trig)."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; use nquads or trig", str(path))
        return fmt
    name = _SUFFIXES.get(Path(path).suffix.lower())
    if name is None:
        raise InputError("cannot tell the format from the file name; name it .nq or .trig, or give --format",
                         str(path))
    return name


def _quads(store: KGStore, exclude: Iterable[str] = ()) -> list[ox.Quad]:
    skip = {str(INFERRED_GRAPH), *map(str, exclude)}
    quads = [q for q in store.ox.quads_for_pattern(None, None, None, None) if q.graph_name.value not in skip]
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def dump_bytes(store: KGStore, fmt: str = "nquads", *, exclude: Iterable[str] = ()) -> bytes:
    """The store (all graphs but the entailments and ``exclude``) as sorted N-Quads or TriG."""
    return _serialize(_quads(store, exclude), fmt)


def _serialize(quads: list[ox.Quad], fmt: str) -> bytes:
    if fmt == "nquads":
        # one quad per line, sorted as lines: independent of the serializer's order
        return "".join(sorted(str(q) + " .\n" for q in quads)).encode("utf-8")
    return ox.serialize(quads, format=FORMATS[fmt]) or b""


def dump(store: KGStore, out: str | Path, fmt: str | None = None) -> int:
    """Write the store to ``out`` (temporary file, then moved into place) or, when ``out`` is
    `-`, to standard output (N-Quads unless ``fmt`` says otherwise); returns the quad count.

    A symlink is written through, a special file refused (`kg.paths.output_target`); whatever
    fails, the temporary file is removed and ``out`` is left as it was."""
    if is_stdout(out):
        quads = _quads(store)
        write_stdout(_serialize(quads, fmt and format_for(out, fmt) or "nquads"))
        return len(quads)
    name = str(out)
    fmt = format_for(out, fmt)
    out, problem = output_target(out)
    if problem:
        raise StoreError(problem, name)
    quads = _quads(store)
    data = _serialize(quads, fmt)
    folder = out.parent if str(out.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            write_hook(fh, data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        tmp = None
    except OSError as err:
        raise StoreError(f"cannot write the dump ({err.strerror or err})", name) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return len(quads)


def write_hook(fh, data: bytes) -> None:
    """Write ``data`` to ``fh``. A seam for tests: replaced to raise ENOSPC (a full disk) where
    no small file system can be mounted."""
    fh.write(data)


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, or InputError."""
    try:
        # O_NONBLOCK: a named pipe must not block the open; the type is checked on the descriptor
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror or err})", str(path)) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise InputError("is not a regular file (a device, pipe, socket or folder); give a dump file", str(path))
    with os.fdopen(fd, "rb") as fh:
        if st.st_size > limit:
            raise InputError(f"the file is too large to load ({st.st_size} bytes; the limit is {limit})", str(path))
        try:
            data = fh.read(limit + 1)  # the file may grow between the check and the read
        except OSError as err:
            raise InputError(f"cannot read the file ({err.strerror or err})", str(path)) from None
    if len(data) > limit:
        raise InputError(f"the file is too large to load (over {limit} bytes)", str(path))
    return data


def parse_file(path: str | Path, fmt: str | None = None) -> list[ox.Quad]:
    """Every quad of a dump file, or InputError naming the file and the problem."""
    path = Path(path)
    name = format_for(path, fmt)
    data = _read_regular(path, MAX_LOAD_BYTES)
    if _DTD.match(data):
        raise InputError("DOCTYPE/ENTITY declarations are refused (a dump is N-Quads or TriG)", str(path))
    try:
        quads = list(ox.parse(data, FORMATS[name]))
    except (SyntaxError, ValueError) as err:
        raise InputError(f"not valid {name}: {err}", str(path)) from None
    if any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise InputError("triples outside a named graph; a dump has every triple in a named graph", str(path))
    return quads


def load(store: KGStore, path: str | Path, fmt: str | None = None, *, replace: bool = False,
         quads: list[ox.Quad] | None = None) -> int:
    """Load a dump into ``store``; returns the quad count.

    The store must be empty unless ``replace``, which replaces everything in it. The file is
    parsed in full before the store is touched (or ``quads``, already parsed by `parse_file`, are
    used); the quads go in with one transaction (with ``replace``, together with the clearing).
    """
    if quads is None:
        quads = parse_file(path, fmt)
    if not replace and any(True for _ in store.ox.quads_for_pattern(None, None, None, None)):
        raise StoreError("the store is not empty; load into a new store, or give --replace to replace "
                         "everything in it", str(store.path))
    if replace:
        # one SPARQL update is one transaction: the old content goes only if the new goes in
        store.ox.update("CLEAR ALL ;\n" + _insert_data(quads))
    else:
        store.ox.extend(quads)
    store.commit()
    return len(quads)


def _insert_data(quads: list[ox.Quad]) -> str:
    """INSERT DATA for ``quads``, every term written by pyoxigraph (N-Triples syntax is SPARQL)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
    return "INSERT DATA {\n" + body + "\n}"
