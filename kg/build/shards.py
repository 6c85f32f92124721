"""`kg build --shards DIR`: the graph of a corpus as N-Quads files, for a server's bulk loader.

The same graph a build into an empty store writes (every document's graph, the entity graph, the
facts graph), made the same way (in this process, ``jobs`` local processes or on a Dask cluster)
but written to files instead of a store: ``documents-00000.nq`` ... (at most ``docs_per_shard``
documents each), ``entities.nq`` and ``facts.nq``. There is no store to compare with, so every
file read is a new document, and there is no build log. Load them with any N-Quads bulk loader
(``oxigraph load --location STORE --file DIR/*.nq``, ``kg load``, Jena's ``tdb2.tdbloader``).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.build.engines import documents_as_nquads, extract_and_resolve, read_all
from kg.build.facts import FactSupport, facts_from_rows
from kg.errors import InputError
from kg.ingest import check_paths
from kg.limits import IngestLimits
from kg.namespaces import ENTITY_GRAPH, FACTS_GRAPH
from kg.progress import Progress
from kg.store import serialize_nquads


@dataclass
class ShardReport:
    """What a shard build wrote."""

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    quads: int = 0
    entities: int = 0
    facts: int = 0


def build_shards(paths: Iterable[str | Path], out_dir: str | Path, *, use_gazetteer: bool = True,
                 strict: bool = False, on_error: Callable[[InputError], None] | None = None,
                 batch_size: int = 16, limits: IngestLimits | None = None, jobs: int = 1,
                 engine: str = "local", scheduler: str | Any | None = None, progress: bool = False,
                 docs_per_shard: int = 1000, fuzzy_merge: bool = True) -> ShardReport:
    """Read, extract and resolve the articles under ``paths``; write their graph to ``out_dir``.

    ``out_dir`` must be empty or new; the files appear there only when all are written (they
    are written in a sibling folder first, then renamed), so a failed build leaves nothing.
    """
    paths = list(paths)
    check_paths(paths)  # a mistyped path is an error, before anything is created
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("--shards needs an empty or new folder", str(out))
    report = ShardReport()

    docs = read_all(paths, report.skipped, on_error, strict=strict, limits=limits, progress=progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(work, 0o777 & ~mask)  # a folder like any other, not mkdtemp's private one
    try:
        extractions, res, event_keys, entities, described = extract_and_resolve(
            docs, use_gazetteer=use_gazetteer, batch_size=batch_size, jobs=jobs, engine=engine,
            scheduler=scheduler, progress=progress, fuzzy_merge=fuzzy_merge)
        report.built = [d.source for d in docs]
        del docs
        made = documents_as_nquads(extractions, res, event_keys, described, keep_rows=True, jobs=jobs,
                                   engine=engine, scheduler=scheduler, batch_size=batch_size)
        support = FactSupport()
        shard = None
        with Progress("writing", len(extractions), enabled=progress) as bar:
            for xi, (_iri, data, _spos, rows) in enumerate(made):
                if xi % max(1, docs_per_shard) == 0:
                    if shard is not None:
                        shard.close()
                    name = f"documents-{xi // max(1, docs_per_shard):05d}.nq"
                    shard = open(work / name, "wb")
                    report.files.append(name)
                shard.write(data)
                report.quads += data.count(b"\n")
                support.merge(rows, set())
                bar.update()
        if shard is not None:
            shard.close()

        def write(name: str, graph: Any, triples: Iterable[tuple]) -> int:
            data, quads = serialize_nquads(triples, graph)
            (work / name).write_bytes(data)
            report.files.append(name)
            report.quads += quads
            return quads

        write("entities.nq", ENTITY_GRAPH, entities)
        report.entities = len({t[0] for t in entities})
        facts = facts_from_rows(support.fact_rows())
        write("facts.nq", FACTS_GRAPH, facts)
        report.facts = len(facts) and len({t[0] for t in facts})
        if out.exists():
            out.rmdir()  # empty, checked above
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report
