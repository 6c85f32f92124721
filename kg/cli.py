"""The `kg` command: a thin shell over the library (kg.build, kg.store, kg.query, kg.checks, kg.network).

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
from kg.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING, IngestLimits, format_size, parse_size
from kg.paths import DEFAULT_STORE, is_stdout

STORE_OPTION = click.option(
    "--store", "store_path", type=click.Path(path_type=Path), default=DEFAULT_STORE, show_default=True,
    envvar="KG_STORE", show_envvar=True, help="Folder of the Oxigraph store.",
)
# --format for the commands that print a report: text for people, JSON for scripts.
REPORT_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="text for reading, json for scripts.")


def _waiting(store_path: Path):
    """What a writer says while another process writes the same store (it then waits its turn)."""
    def say() -> None:
        click.echo(f"kg: {store_path}: another process is writing this store; waiting for it to finish", err=True)
    return say


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


def _size_option(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        return parse_size(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from err


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="kg")
def main() -> None:
    """Build a knowledge graph from news articles; query it with SPARQL; export it for Gephi."""


@main.command()
# readable=False: an unreadable path is reported by the library like any bad file (skipped, or
# an error with --strict), not refused by click before the rest of the batch is read.
@click.argument("paths", nargs=-1, required=False, type=click.Path(path_type=Path, readable=False))
@STORE_OPTION
@click.option("--urls", "urls_file", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE",
              help="Also fetch the URLs listed in FILE (one a line) into STORE/fetched/ and build them; "
                   "a URL fetched before is read from there, not fetched again.")
@click.option("--fetch-timeout", type=click.FloatRange(min=0, min_open=True), default=20.0, show_default=True,
              help="Seconds one URL of --urls may take.")
@click.option("--no-gazetteer", is_flag=True, help="Use no known-entity list, only the text itself.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable file instead of skipping it.")
@click.option("--prune", is_flag=True, help="Remove documents whose file under PATHS no longer exists.")
@click.option("--max-bytes", type=str, metavar="SIZE", default=format_size(DEFAULT_MAX_BYTES).replace(" ", ""), show_default=True,
              callback=_size_option, help="Skip files larger than this on disk (bytes, or 512K, 20M, 1G).")
@click.option("--max-depth", type=click.IntRange(1, MAX_DEPTH_CEILING), default=DEFAULT_MAX_DEPTH,
              show_default=True, help="Skip HTML pages whose elements nest deeper than this.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for parsing and extraction (each loads the pipeline once).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: this machine, or a Dask distributed cluster (--scheduler).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Address of the Dask scheduler for --engine dask (tcp://HOST:8786).")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True,
              help="Documents per batch handed to a worker.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars (they are only drawn when stderr is a terminal).")
@click.option("--no-fuzzy-merge", is_flag=True,
              help="Keep names spelt otherwise in another document apart (\"Hosein\" / \"Hossein Salami\"); "
                   "by default near-identical names of one type and country merge.")
@click.option("--shards", "shards_dir", type=click.Path(path_type=Path, file_okay=False), default=None, metavar="DIR",
              help="Write the graph as N-Quads files into DIR (empty or new) for a server's bulk loader, "
                   "instead of into the store.")
@_friendly
def build(paths: tuple[Path, ...], store_path: Path, urls_file: Path | None, fetch_timeout: float,
          no_gazetteer: bool, strict: bool, prune: bool, max_bytes: int,
          max_depth: int, jobs: int, engine: str, scheduler: str | None, batch_size: int, quiet: bool,
          no_fuzzy_merge: bool, shards_dir: Path | None) -> None:
    """Read the articles under PATHS (and at the URLs of --urls) and add what they say to the store.

    Only new or changed files are extracted; files the store holds as they are stay untouched."""
    from kg.build import build_at
    from kg.errors import InputError
    from kg.progress import wanted

    def warn(err: KGError) -> None:
        click.echo(f"kg: skipped {err}", err=True)

    if urls_file is not None:
        from kg.build import fetch_into_store

        paths += tuple(fetch_into_store(urls_file, store_path, on_error=warn, timeout=fetch_timeout,
                                        max_bytes=max_bytes))
    elif not paths:
        raise InputError("nothing to build: give PATHS, or --urls FILE")
    if engine == "dask" and not scheduler:
        raise InputError("--engine dask needs --scheduler ADDRESS (tcp://HOST:8786)")
    if scheduler and engine != "dask":
        raise InputError("--scheduler is only used with --engine dask")
    if shards_dir is not None:
        from kg.build.shards import build_shards

        if prune:
            raise InputError("--prune works on a store, not with --shards")
        rep = build_shards(paths, shards_dir, use_gazetteer=not no_gazetteer, strict=strict, on_error=warn,
                           limits=IngestLimits(max_bytes=max_bytes, max_depth=max_depth), jobs=jobs, engine=engine,
                           scheduler=scheduler, batch_size=batch_size, progress=wanted(quiet),
                           fuzzy_merge=not no_fuzzy_merge)
        skipped = f" (skipped {len(rep.skipped)})" if rep.skipped else ""
        click.echo(f"wrote {len(rep.built)} document(s) into {shards_dir}{skipped}: {len(rep.files)} N-Quads files, "
                   f"{rep.quads} quads, {rep.entities} entities, {rep.facts} facts")
        if strict and rep.skipped:
            sys.exit(1)
        return
    report = build_at(paths, store_path, on_wait=_waiting(store_path), use_gazetteer=not no_gazetteer,
                      strict=strict, on_error=warn, prune=prune,
                      limits=IngestLimits(max_bytes=max_bytes, max_depth=max_depth), jobs=jobs, engine=engine,
                      scheduler=scheduler, batch_size=batch_size, progress=wanted(quiet),
                      fuzzy_merge=not no_fuzzy_merge)
    extra = [f"{len(report.unchanged)} unchanged"]
    if report.replaced:
        extra.append(f"{len(report.replaced)} replaced an older version")
    if report.removed:
        extra.append(f"{len(report.removed)} removed")
    if report.skipped:
        extra.append(f"skipped {len(report.skipped)}")
    click.echo(f"built {len(report.built)} document(s) into {store_path} ({', '.join(extra)})")
    click.echo(f"store: {report.documents} documents, {report.entities} entities, "
               f"{report.relations} relations, {report.events} events, {report.triples} triples")
    if strict and report.skipped:
        sys.exit(1)


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: source, date and title, tab-separated; json: one object a line with source, url, "
                   "title, date, author, outlet, language and text (the body without the title).")
@click.option("--any-language", is_flag=True, help="Also list articles not in English (a build skips them).")
@_friendly
def ingest_cmd(paths: tuple[Path, ...], fmt: str, any_language: bool) -> None:
    """Show what `kg build` would read from PATHS, without building: one line per document."""
    from kg.ingest.listing import ingest

    for line in ingest(paths, fmt=fmt, on_error=lambda err: click.echo(f"kg: skipped {err}", err=True),
                       language=None if any_language else "en"):
        click.echo(line)


def _saved_query_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """Shell completion of `kg query QUERY`: the saved queries' names, or file names once the
    word looks like a path."""
    from click.shell_completion import CompletionItem

    from kg.query.saved import saved_query_names

    if incomplete.startswith((".", "/", "~")) or "/" in incomplete:
        return [CompletionItem(incomplete, type="file")]
    return [n for n in saved_query_names() if n.startswith(incomplete)]


@main.command()
@click.argument("query", shell_complete=_saved_query_names)
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle", "nt", "json-ld"]),
              default="table", show_default=True,
              help="SELECT/ASK: a readable table or a SPARQL 1.1 results format (csv, tsv, json). "
                   "CONSTRUCT/DESCRIBE: turtle (also for table), nt, json-ld (also for json).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable to a value (repeatable); bound as data, never pasted into the text.")
@click.option("--infer", is_flag=True,
              help="Also see what the ontology entails (every kg:ArmedGroup is a kg:Organization, ...).")
@click.option("--endpoint", metavar="URL", help="Ask this SPARQL 1.1 endpoint instead of the local store.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Stop the query after this many seconds.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Print at most this many rows (triples for CONSTRUCT).")
@_friendly
def query(query: str, store_path: Path, fmt: str, params: tuple[str, ...], infer: bool, endpoint: str | None,
          timeout: float, max_rows: int) -> None:
    """Run QUERY: a .rq file, a saved query's name (see `kg queries`) or inline SPARQL."""
    from kg.query.answer import answer
    from kg.query.results import format_result

    limited = answer(query, store_path, params, endpoint=endpoint, infer=infer, timeout=timeout, max_rows=max_rows)
    click.echo(format_result(limited.result, fmt), nl=False)
    if limited.truncated:
        click.echo(f"kg: only the first {max_rows} rows are shown (the row cap; raise it with --max-rows)",
                   err=True)


@main.command()
@click.argument("entity")
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_friendly
def explain(entity: str, store_path: Path, fmt: str) -> None:
    """Show why ENTITY (a name, alias or IRI) is one node: its aliases, the mentions and documents
    behind it, and its relations and events with their evidence sentences."""
    from kg.query.explain import explain as explain_entity
    from kg.query.explain import format_explanation
    from kg.store import KGStore

    with KGStore(store_path, read_only=True) as store:
        items = explain_entity(store, entity)
    click.echo(format_explanation(items, fmt), nl=False)


@main.command()
@STORE_OPTION
@REPORT_FORMAT
@_friendly
def validate(store_path: Path, fmt: str) -> None:
    """Check the store against the SHACL shapes in ontology/shapes.ttl; exit 1 on any violation."""
    from kg.store import KGStore
    from kg.checks.validate import format_report
    from kg.checks.validate import validate as validate_store

    with KGStore(store_path, read_only=True) as store:
        report = validate_store(store)
    click.echo(format_report(report, fmt))
    if not report.conforms:
        sys.exit(1)


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--brief", is_flag=True, help="Scores and tables only: failure classes counted, without examples "
              "or the lists of misses and false alarms.")
@click.option("--by-kind/--no-by-kind", default=None,
              help="Scores of in-domain (kind region) and other news (conflict, ordinary) apart; "
                   "on when the gold files carry a kind.")
@click.option("--baseline", is_flag=True,
              help="Also score the stock spaCy NER on the same texts (typed entities, docs/quality.md).")
@_friendly
def evaluate_cmd(gold: Path, store_path: Path, fmt: str, brief: bool, by_kind: bool | None, baseline: bool) -> None:
    """Score the store against hand-made GOLD (a JSON file or a folder of them): precision, recall
    and F1 of typed entities, relations and events, by type, predicate and document, and the
    misses and false alarms grouped by failure class (docs/quality.md)."""
    from kg.checks.evaluate import evaluate_facts, read_store
    from kg.checks.kinds import format_report
    from kg.store import KGStore

    with KGStore(store_path, read_only=True) as store:
        facts = read_store(store)
    ev = evaluate_facts(facts, gold)
    base = None
    if baseline:
        from kg.checks.baseline import baseline_facts

        base = evaluate_facts(baseline_facts(facts), gold)
    click.echo(format_report(ev, fmt, details=not brief, kinds=by_kind, baseline=base))


@main.command("queries")
@REPORT_FORMAT
def list_queries(fmt: str) -> None:
    """List the saved queries with what each answers."""
    from kg.query.saved import format_saved_queries

    click.echo(format_saved_queries(fmt=fmt), nl=False)


def _view_options(fn):
    """The options that choose a view and filter it, shared by `kg export` and `kg viz`."""
    options = [
        click.option("--view", type=click.Choice(["actors", "events", "comentions"]), default="actors",
                     show_default=True, help="actors: entities and relations; events: entities and the events "
                     "they took part in; comentions: entities named in one sentence (or document)."),
        click.option("--types", default="", metavar="T1,T2",
                     help="Keep only nodes of these types (a class takes its subclasses: Organization, Place)."),
        click.option("--since", default=None, metavar="YYYY-MM-DD", help="Keep statements dated on or after."),
        click.option("--until", default=None, metavar="YYYY-MM-DD", help="Keep statements dated on or before."),
        click.option("--min-weight", type=float, default=0.0, show_default=True,
                     help="Drop edges lighter than this (statements, documents or shared sentences)."),
        click.option("--entity", default=None, help="Only the ego network of this entity (name, alias or IRI)."),
        click.option("--hops", type=int, default=1, show_default=True, help="Steps from --entity."),
        click.option("--cooccurrence", type=click.Choice(["sentence", "document"]), default="sentence",
                     show_default=True, help="comentions view: what counts as mentioned together."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@main.command()
@click.argument("doc")
@STORE_OPTION
@_friendly
def remove(doc: str, store_path: Path) -> None:
    """Remove document DOC (its source path, IRI or hash, see `kg docs`) and all it contributed."""
    from kg.build.removal import remove as remove_doc
    from kg.store import KGStore

    with KGStore(store_path, create=False, on_wait=_waiting(store_path)) as store:
        removed = remove_doc(store, doc)
        from kg.build import store_counts

        counts = store_counts(store)
    for iri in removed:
        click.echo(f"removed {iri}")
    click.echo(f"store: {counts['documents']} documents, {counts['entities']} entities, "
               f"{counts['relations']} relations, {counts['events']} events, {counts['triples']} triples")


@main.command()
@STORE_OPTION
@REPORT_FORMAT
@_friendly
def stats(store_path: Path, fmt: str) -> None:
    """Documents, entities by type, relations by predicate, events by type, triples."""
    from kg.query.stats import format_stats
    from kg.query.stats import stats as store_stats
    from kg.store import KGStore

    with KGStore(store_path, read_only=True) as store:
        s = store_stats(store)
    click.echo(format_stats(s, fmt), nl=False)


@main.command()
@STORE_OPTION
@REPORT_FORMAT
@_friendly
def docs(store_path: Path, fmt: str) -> None:
    """The documents in the store: date, title, source, graph size."""
    from kg.query.stats import documents, format_documents
    from kg.store import KGStore

    with KGStore(store_path, read_only=True) as store:
        found = documents(store)
    click.echo(format_documents(found, fmt), nl=False)


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["nquads", "trig"]), default=None,
              help="Default: from OUT's suffix (.nq, .trig).")
@_friendly
def dump(out: Path, store_path: Path, fmt: str | None) -> None:
    """Write the whole store to OUT as N-Quads or TriG (sorted; `kg load` reads it back exactly);
    OUT `-` is standard output (N-Quads unless --format trig)."""
    from kg.store.dump import dump as dump_store
    from kg.store import KGStore

    with KGStore(store_path, read_only=True) as store:
        n = dump_store(store, out, fmt)
    click.echo(f"wrote {out}: {n} quads", err=is_stdout(out))  # not into the dump on stdout


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["nquads", "trig"]), default=None,
              help="Default: from FILE's suffix (.nq, .trig).")
@click.option("--replace", is_flag=True, help="Replace everything in a store that is not empty.")
@_friendly
def load(file: Path, store_path: Path, fmt: str | None, replace: bool) -> None:
    """Load a dump (N-Quads or TriG) into the store: all of it, or nothing if it is not valid."""
    from kg.store.dump import load as load_store
    from kg.store.dump import parse_file
    from kg.store import KGStore

    quads = parse_file(file, fmt)  # a bad file is refused before a store is created
    with KGStore(store_path, on_wait=_waiting(store_path)) as store:
        n = load_store(store, file, fmt, replace=replace, quads=quads)
    click.echo(f"loaded {n} quads into {store_path}")


@main.command()
@STORE_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="0: any free port.")
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Stop each query after this many seconds.")
@click.option("--allow-remote", is_flag=True, help="Allow a --host other machines can reach.")
@_friendly
def serve(store_path: Path, host: str, port: int, timeout: float, allow_remote: bool) -> None:
    """Serve a snapshot of the store as a read-only SPARQL 1.1 endpoint until interrupted."""
    from kg.query.serve import serve_until_stopped

    serve_until_stopped(store_path, host=host, port=port or None, timeout_s=timeout, allow_remote=allow_remote,
                        say=click.echo)
    click.echo("stopped")


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL 1.1 Graph Store endpoint (Oxigraph: http://HOST:PORT/store).")
@STORE_OPTION
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True)
@_friendly
def push(endpoint: str, store_path: Path, timeout: float) -> None:
    """Send each named graph of the store to a shared triple store (each replaces its namesake there)."""
    from kg.query.remote import push as push_graphs
    from kg.store import KGStore

    with KGStore(store_path, read_only=True) as store:
        sent = push_graphs(store, endpoint, timeout=timeout)
    click.echo(f"pushed {len(sent)} graphs, {sum(sent.values())} triples to {endpoint}")


@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["graphml", "gexf", "csv", "json", "cytoscape"]))
@click.argument("out", type=click.Path(path_type=Path))
@STORE_OPTION
@_view_options
@_friendly
def export(fmt: str, out: Path, store_path: Path, view: str, **options) -> None:
    """Write a network view of the store to OUT: graphml (Gephi, yEd, igraph), gexf (Gephi, with
    colours, sizes and a timeline), csv (OUT is a folder: nodes.csv and edges.csv for Gephi's
    spreadsheet import), json (node-link: D3, networkx) or cytoscape (Cytoscape.js elements).
    OUT `-` is standard output (not for csv)."""
    from kg.network.export import export as run_export
    from kg.network.views import parse_filters
    from kg.store import KGStore

    filters = parse_filters(**options)
    with KGStore(store_path, read_only=True) as store:
        counts = run_export(store, fmt, out, view, filters)
    click.echo(f"wrote {out}: {view} view, {counts.get('nodes', 0)} nodes, {counts.get('edges', 0)} edges",
               err=is_stdout(out))  # not into the export on stdout


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@STORE_OPTION
@_view_options
@click.option("--all", "everything", is_flag=True,
              help="Also draw the nodes without any edge (left out by default).")
@_friendly
def viz(out: Path, store_path: Path, view: str, everything: bool, **options) -> None:
    """Draw a network view for people without Gephi: OUT.png (a labelled picture) or OUT.html
    (one self-contained interactive page that works offline). Nodes without any edge are left
    out (stderr says how many) unless --all."""
    from kg.network.export import draw_view
    from kg.network.views import parse_filters
    from kg.store import KGStore

    filters = parse_filters(**options)
    with KGStore(store_path, read_only=True) as store:
        counts = draw_view(store, out, view, filters, everything=everything)
    click.echo(f"wrote {out}: {view} view, {counts['nodes']} nodes, {counts['edges']} edges")
    if counts["left_out"]:
        click.echo(f"kg: left out {counts['left_out']} node(s) without any edge; --all draws them", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
