"""The `kg` command: a thin shell over the library (kg.build, kg.query, kg.export).

Every error a user can cause is a KGError: printed as one line naming the file or query and the
problem, exit status 1, no traceback.
"""
from __future__ import annotations

import sys
from functools import wraps
from pathlib import Path

import click

from kg import __version__
from kg.errors import KGError
from kg.paths import DEFAULT_STORE

STORE_OPTION = click.option(
    "--store", "store_path", type=click.Path(path_type=Path), default=DEFAULT_STORE, show_default=True,
    help="Folder of the Oxigraph store.",
)


def _friendly(fn):
    """Turn library errors into a one-line message and exit status 1."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KGError as err:
            click.echo(f"kg: error: {err}", err=True)
            sys.exit(err.exit_code)

    return wrapper


@click.group()
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Build a knowledge graph from news articles; query it with SPARQL; export it for Gephi."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@STORE_OPTION
@click.option("--no-gazetteer", is_flag=True, help="Use no known-entity list, only the text itself.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable file instead of skipping it.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for parsing and extraction (each loads the pipeline once).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: this machine, or a Dask distributed cluster (--scheduler).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Address of the Dask scheduler for --engine dask (tcp://HOST:8786).")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True,
              help="Documents per batch handed to a worker.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars (they are only drawn on a terminal anyway).")
@_friendly
def build(paths: tuple[Path, ...], store_path: Path, no_gazetteer: bool, strict: bool, jobs: int, engine: str,
          scheduler: str | None, batch_size: int, quiet: bool) -> None:
    """Read .txt/.html articles under PATHS and add what they say to the store."""
    from kg.build import build as run_build
    from kg.errors import InputError
    from kg.progress import wanted
    from kg.store import KGStore

    def warn(err: KGError) -> None:
        click.echo(f"kg: skipped {err}", err=True)

    if engine == "dask" and not scheduler:
        raise InputError("--engine dask needs --scheduler ADDRESS (tcp://HOST:8786)")
    if scheduler and engine != "dask":
        raise InputError("--scheduler is only used with --engine dask")
    with KGStore(store_path) as store:
        report = run_build(paths, store, use_gazetteer=not no_gazetteer, strict=strict, on_error=warn, jobs=jobs,
                           engine=engine, scheduler=scheduler, batch_size=batch_size, progress=wanted(quiet))
    click.echo(f"built {len(report.built)} document(s) into {store_path}"
               + (f", skipped {len(report.skipped)}" if report.skipped else ""))
    click.echo(f"store: {report.documents} documents, {report.entities} entities, "
               f"{report.relations} relations, {report.events} events, {report.triples} triples")
    if strict and report.skipped:
        sys.exit(1)


@main.command()
@click.argument("query")
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle"]), default="table",
              show_default=True, help="Output: a readable table or a SPARQL 1.1 results format.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable to a value (repeatable); bound as data, never pasted into the text.")
@click.option("--infer", is_flag=True,
              help="Also see what the ontology entails (every kg:ArmedGroup is a kg:Organization, ...).")
@_friendly
def query(query: str, store_path: Path, fmt: str, params: tuple[str, ...], infer: bool) -> None:
    """Run QUERY: a .rq file, a saved query's name (see `kg queries`) or inline SPARQL."""
    from kg.errors import QueryError
    from kg.query import format_result, load_query, run_query
    from kg.store import KGStore

    bindings = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {p!r}: expected NAME=VALUE")
        bindings[name.strip().lstrip("?")] = value
    q = load_query(query)
    with KGStore(store_path, create=False) as store:
        result = run_query(store, q, bindings, infer=infer)
    click.echo(format_result(result, fmt), nl=False)


@main.command()
@click.argument("entity")
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_friendly
def explain(entity: str, store_path: Path, fmt: str) -> None:
    """Show why ENTITY (a name, alias or IRI) is one node: its aliases, the mentions and documents
    behind it, and its relations and events with their evidence sentences."""
    from kg.explain import explain as explain_entity
    from kg.explain import format_explanation
    from kg.store import KGStore

    with KGStore(store_path, create=False) as store:
        items = explain_entity(store, entity)
    click.echo(format_explanation(items, fmt), nl=False)


@main.command()
@STORE_OPTION
@_friendly
def validate(store_path: Path) -> None:
    """Check the store against the SHACL shapes in ontology/shapes.ttl; exit 1 on any violation."""
    from kg.store import KGStore
    from kg.validate import format_report
    from kg.validate import validate as validate_store

    with KGStore(store_path, create=False) as store:
        report = validate_store(store)
    click.echo(format_report(report))
    if not report.conforms:
        sys.exit(1)


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--brief", is_flag=True, help="Scores and tables only, without the list of misses and false alarms.")
@_friendly
def evaluate_cmd(gold: Path, store_path: Path, fmt: str, brief: bool) -> None:
    """Score the store against hand-made GOLD (a JSON file or a folder of them): precision, recall
    and F1 of typed entities, relations and events, by type, predicate and document."""
    from kg.evaluate import evaluate, format_evaluation
    from kg.store import KGStore

    with KGStore(store_path, create=False) as store:
        ev = evaluate(store, gold)
    click.echo(format_evaluation(ev, fmt, details=not brief))


@main.command("queries")
def list_queries() -> None:
    """List the saved queries with what each answers."""
    from kg.query import list_saved_queries

    for q in list_saved_queries():
        params = " ".join(f"--param {p}=..." for p in q.parameters)
        click.echo(f"{q.name:<16} {q.description}" + (f"  [{params}]" if params else ""))


@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["graphml"]))
@click.argument("out", type=click.Path(path_type=Path))
@STORE_OPTION
@_friendly
def export(fmt: str, out: Path, store_path: Path) -> None:
    """Write the graph of entities and their relations to OUT (GraphML opens in Gephi)."""
    from kg.export import export_graphml
    from kg.store import KGStore

    with KGStore(store_path, create=False) as store:
        counts = export_graphml(store, out)
    click.echo(f"wrote {out}: {counts.get('nodes', 0)} nodes, {counts.get('edges', 0)} edges")


if __name__ == "__main__":  # pragma: no cover
    main()
