"""Every command through click's CliRunner, on a store built by the command itself."""
import csv
import io
import json
import threading

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import SEEDS, knowledge_nquads


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp):
    store = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store, result.output


def test_build_prints_what_it_stored(built):
    _, out = built
    assert "built 2 document(s)" in out
    assert "2 documents" in out and "entities" in out and "relations" in out and "triples" in out


def test_query_saved_table(built):
    store, _ = built
    r = CliRunner().invoke(main, ["query", "meetings", "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert "Hossein Salami" in r.output and "Tehran" in r.output and "rows)" in r.output


def test_query_inline_csv_and_json(built):
    store, _ = built
    q = 'SELECT ?l WHERE { ?p a kg:Person ; skos:prefLabel ?l } ORDER BY ?l'
    r = CliRunner().invoke(main, ["query", q, "--store", str(store), "--format", "csv"])
    assert r.exit_code == 0, r.output
    names = [row[0] for row in csv.reader(io.StringIO(r.output))][1:]
    assert "Asim Munir" in names and "Nigar Bayramli" in names
    r = CliRunner().invoke(main, ["query", q, "--store", str(store), "--format", "json"])
    data = json.loads(r.output)
    assert data["head"]["vars"] == ["l"]
    assert {"type": "literal", "value": "Hossein Salami"} in [b["l"] for b in data["results"]["bindings"]]


def test_query_with_param(built):
    store, _ = built
    r = CliRunner().invoke(main, ["query", "entity", "--param", "entity=Munir", "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert "Asim Munir" in r.output and "holdsPosition" in r.output


def test_query_file(built, tmp_path):
    store, _ = built
    f = tmp_path / "q.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:Document }")
    r = CliRunner().invoke(main, ["query", str(f), "--store", str(store), "--format", "tsv"])
    assert r.exit_code == 0 and r.output.splitlines()[1].startswith('"2"')


def test_queries_lists_saved_queries():
    r = CliRunner().invoke(main, ["queries"])
    assert r.exit_code == 0
    for name in ("meetings", "positions", "armed-groups", "attacks", "entity"):
        assert name in r.output


def test_export_graphml_reads_back(built, tmp_path):
    store, _ = built
    out = tmp_path / "seeds.graphml"
    r = CliRunner().invoke(main, ["export", "graphml", str(out), "--store", str(store)])
    assert r.exit_code == 0, r.output
    g = nx.read_graphml(out)
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert {"Asim Munir", "Hossein Salami", "Islamic Revolutionary Guard Corps", "Jaish al-Adl"} <= labels
    assert all(d.get("label") for _, d in g.nodes(data=True))
    assert all(d["weight"] > 0 for *_, d in g.edges(data=True))
    import igraph

    ig = igraph.Graph.Read_GraphML(str(out))
    assert ig.vcount() == g.number_of_nodes() and ig.ecount() == g.number_of_edges()


def test_errors_are_one_line_and_non_zero(tmp_path):
    r = CliRunner().invoke(main, ["build", str(tmp_path / "missing"), "--store", str(tmp_path / "s"), "--strict"])
    assert r.exit_code == 1 and "missing" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["query", "SELECT * WHERE {", "--store", str(tmp_path / "nostore")])
    assert r.exit_code == 1 and "kg: error" in r.output
    empty = tmp_path / "nostore2"
    r = CliRunner().invoke(main, ["query", "SELECT * WHERE { ?s ?p ?o }", "--store", str(empty)])
    assert r.exit_code == 1 and "run `kg build` first" in r.output


def test_query_refuses_service(built):
    store, _ = built
    r = CliRunner().invoke(main, ["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                                  "--store", str(store)])
    assert r.exit_code == 1 and "SERVICE" in r.output


def test_validate_passes_then_fails_on_a_broken_store(built, tmp_path):
    import shutil

    import pyoxigraph as ox

    from kg.namespaces import ENTITY_GRAPH
    from kg.store import KGStore

    store_path, _ = built
    ok = CliRunner().invoke(main, ["validate", "--store", str(store_path)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("conforms:") or "conforms:" in ok.output
    broken = tmp_path / "broken"
    shutil.copytree(store_path, broken)
    with KGStore(broken) as store:
        munir = ox.NamedNode("https://w3id.org/newskg/id/person/asim-munir")
        for q in list(store.ox.quads_for_pattern(munir, ox.NamedNode(
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None, ox.NamedNode(str(ENTITY_GRAPH)))):
            store.ox.remove(q)
    bad = CliRunner().invoke(main, ["validate", "--store", str(broken)])
    assert bad.exit_code == 1
    assert "id:person/asim-munir" in bad.output and "no type" in bad.output


def test_eval_reports_tables_and_lists(built):
    import json

    from conftest import ROOT

    store_path, _ = built
    gold = ROOT / "tests" / "gold" / "seeds.json"
    out = CliRunner().invoke(main, ["eval", str(gold), "--store", str(store_path)])
    assert out.exit_code == 0, out.output
    for part in ("entities (typed)", "by entity type", "by predicate", "misses", "false alarms", "holdsPosition"):
        assert part in out.output
    js = CliRunner().invoke(main, ["eval", str(gold), "--store", str(store_path), "--format", "json", "--brief"])
    data = json.loads(js.output)
    assert 0 < data["relations"]["f1"] <= 1 and "meetsWith" in data["predicates"]
    assert "misses" not in data["relations"]  # --brief leaves the lists out


def test_eval_bad_gold_is_a_clear_error(built, tmp_path):
    store_path, _ = built
    bad = tmp_path / "gold.json"
    bad.write_text("{not json", encoding="utf-8")
    out = CliRunner().invoke(main, ["eval", str(bad), "--store", str(store_path)])
    assert out.exit_code == 1 and "gold.json" in out.output and "not a readable gold JSON file" in out.output
    missing = CliRunner().invoke(main, ["eval", str(tmp_path / "nope"), "--store", str(store_path)])
    assert missing.exit_code == 1 and "no such gold file or folder" in missing.output


# --------------------------------------------------------------------------------------------
# kg export and kg viz
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, name", [("graphml", "s.graphml"), ("gexf", "s.gexf"), ("csv", "csv"), ("json", "s.json")])
@pytest.mark.parametrize("view", ["actors", "events", "comentions"])
def test_export_every_format_and_view(built, tmp_path, fmt, name, view):
    from kg.network.formats import read

    store, _ = built
    out = tmp_path / name
    r = CliRunner().invoke(main, ["export", fmt, str(out), "--store", str(store), "--view", view])
    assert r.exit_code == 0, r.output
    g = read(fmt, out)
    assert r.output == f"wrote {out}: {view} view, {g.number_of_nodes()} nodes, {g.number_of_edges()} edges\n"
    assert g.number_of_edges() > 0
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert "Asim Munir" in labels


def test_export_filters(built, tmp_path):
    from kg.network.formats import read

    store, _ = built
    out = tmp_path / "f.graphml"

    def export(*args):
        r = CliRunner().invoke(main, ["export", "graphml", str(out), "--store", str(store), *args])
        assert r.exit_code == 0, r.output
        return read("graphml", out)

    people = export("--types", "Person")
    assert {d["type"] for _, d in people.nodes(data=True)} == {"Person"}
    july = export("--since", "2023-07-01", "--until", "2023-07-31")
    assert all(d["first_date"] >= "2023-07-01" for *_, d in july.edges(data=True))
    assert july.number_of_edges() < export().number_of_edges()
    ego = export("--entity", "Munir", "--hops", "1")
    assert "Hossein Salami" in {d["label"] for _, d in ego.nodes(data=True)}
    assert "Jaish al-Adl" not in {d["label"] for _, d in ego.nodes(data=True)}
    heavy = export("--min-weight", "3")
    assert all(d["weight"] >= 3 for *_, d in heavy.edges(data=True))
    by_doc = export("--view", "comentions", "--cooccurrence", "document")
    assert by_doc.number_of_edges() > export("--view", "comentions").number_of_edges()


@pytest.mark.parametrize("args, message", [
    (["--since", "2023-13-01"], "--since '2023-13-01': expected a date as YYYY-MM-DD"),
    (["--types", "Pirate"], "--types: unknown type 'Pirate'"),
    (["--entity", "Nobody"], "--entity: no node of this view is called 'Nobody'"),
])
def test_export_bad_options_are_one_line_errors(built, tmp_path, args, message):
    store, _ = built
    out = tmp_path / "x.graphml"
    out.write_text("previous")
    r = CliRunner().invoke(main, ["export", "graphml", str(out), "--store", str(store), *args])
    assert r.exit_code == 1 and r.output.startswith(f"kg: error: {message}")
    assert len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output
    assert out.read_text() == "previous"


def test_viz_png_and_html(built, tmp_path):
    store, _ = built
    for name in ("seeds.png", "seeds.html"):
        out = tmp_path / name
        r = CliRunner().invoke(main, ["viz", str(out), "--store", str(store)])
        assert r.exit_code == 0, r.output
        assert r.output.startswith(f"wrote {out}: actors view, ")
    assert (tmp_path / "seeds.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (tmp_path / "seeds.html").read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["viz", str(tmp_path / "seeds.pdf"), "--store", str(store)])
    assert r.exit_code == 1 and "kg: error:" in r.output and ".png picture or an .html page" in r.output


# ---- issue 6: incremental builds, store commands, query limits and safety ---------------------
def _run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def test_build_again_extracts_nothing(built):
    store, first = built
    r = _run("build", SEEDS, "--store", store)
    assert r.exit_code == 0 and "built 0 document(s)" in r.output and "2 unchanged" in r.output
    assert first.splitlines()[-1] == r.output.splitlines()[-1]  # same counts


@pytest.mark.parametrize("template, message", [
    ("SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}", "SERVICE clauses are refused"),
    ("SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}", "FROM <file:///etc/passwd> is refused"),
    ("LOAD <http://127.0.0.1:{port}/data.ttl>", "updates are not accepted"),
])
def test_query_refuses_service_from_and_load_without_connecting(built, listening_socket, template, message):
    store, _ = built
    port, connections = listening_socket
    r = _run("query", template.format(port=port), "--store", store)
    assert r.exit_code == 1 and message in r.output and len(r.output.strip().splitlines()) == 1
    threading.Event().wait(0.5)
    assert connections == []


def test_query_param_injection_is_matched_literally(built):
    store, _ = built
    evil = '"} ; DROP ALL ; #'
    before = _run("stats", "--store", store).output
    q = "SELECT ?e ?label WHERE { ?e skos:prefLabel ?label }"
    r = _run("query", q, "--param", f"label={evil}", "--store", store, "--format", "csv")
    assert r.exit_code == 0 and r.output.splitlines() == ["e,label"]
    r = _run("query", q, "--param", "label=Asim Munir", "--store", store, "--format", "csv")
    assert r.output.splitlines()[1] == "https://w3id.org/newskg/id/person/asim-munir,Asim Munir"
    assert _run("stats", "--store", store).output == before


def test_query_time_limit_and_row_cap_messages(built):
    store, _ = built
    r = _run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1",
             "--store", store)
    assert r.exit_code == 1 and "stopped after 1 s" in r.output
    r = _run("query", "SELECT ?e WHERE { ?e a kg:Person }", "--max-rows", "2", "--store", store, "--format", "csv")
    assert r.exit_code == 0
    assert len(r.stdout.splitlines()) == 3 and "only the first 2 rows" in r.stderr


def test_construct_as_ntriples_and_json_ld(built):
    store, _ = built
    q = "CONSTRUCT { ?e a kg:Person } WHERE { ?e a kg:Person }"
    nt = _run("query", q, "--format", "nt", "--store", store).output
    assert nt.count(" .\n") >= 6 and "<https://w3id.org/newskg/ontology#Person>" in nt
    doc = json.loads(_run("query", q, "--format", "json-ld", "--store", store).output)
    assert len(doc) == nt.count(" .\n")


def test_stats_and_docs(built):
    store, _ = built
    r = _run("stats", "--store", store)
    assert r.exit_code == 0 and "documents  2" in r.output and "kg:meetsWith" in r.output
    r = _run("docs", "--store", store)
    assert r.exit_code == 0 and "Iran's IRGC to work with Pakistan army" in r.output and "(2 rows)" in r.output


def test_dump_load_remove(built, tmp_path):
    store, _ = built
    out = tmp_path / "all.nq"
    r = _run("dump", out, "--store", store)
    assert r.exit_code == 0 and out.stat().st_size > 0
    copy = tmp_path / "copy"
    r = _run("load", out, "--store", copy)
    assert r.exit_code == 0 and "loaded" in r.output
    assert _run("load", out, "--store", copy).exit_code == 1  # not empty
    seed = str(next(SEEDS.glob("000_*.txt")))
    r = _run("remove", seed, "--store", copy)
    assert r.exit_code == 0 and "removed https://w3id.org/newskg/doc/" in r.output and "1 documents" in r.output
    r = _run("remove", seed, "--store", copy)
    assert r.exit_code == 1 and "no such document" in r.output
    r = _run("load", tmp_path / "missing.nq", "--store", tmp_path / "other")
    assert r.exit_code == 1 and "missing.nq" in r.output and not (tmp_path / "other").exists()


def test_every_saved_query_returns_rows_through_kg_query(built):
    """Must-show 5 through the command itself (child process, time limit, row cap)."""
    from kg.query import list_saved_queries

    store, _ = built
    saved = list_saved_queries()
    assert {"meetings", "builds", "entity"} <= {q.name for q in saved}
    for q in saved:
        params = [a for p in q.parameters for a in ("--param", f"{p}=Asim Munir")]
        r = _run("query", q.name, *params, "--store", store, "--format", "json")
        assert r.exit_code == 0, (q.name, r.output)
        assert json.loads(r.output)["results"]["bindings"], q.name


def test_query_infer_runs_in_the_child_and_is_local_only(built):
    store, _ = built
    q = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a kg:Organization }"
    plain = _run("query", q, "--store", store, "--format", "csv").output.splitlines()[1]
    inferred = _run("query", q, "--infer", "--store", store, "--format", "csv").output.splitlines()[1]
    assert int(inferred) > int(plain)
    r = _run("query", q, "--infer", "--endpoint", "http://127.0.0.1:9/query")
    assert r.exit_code == 1 and "--infer works on the local store only" in r.output


def test_kg_query_never_imports_spacy(seed_store_path):
    """`kg query` in a fresh process (the forked child path): answers, and spaCy stays unloaded."""
    import subprocess
    import sys

    code = ("import sys\nfrom kg.cli import main\n"
            "try:\n    main(['query', 'meetings', '--store', sys.argv[1], '--format', 'csv'])\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "assert not any(m == 'spacy' or m.startswith('spacy.') for m in sys.modules), 'spacy imported'\n")
    r = subprocess.run([sys.executable, "-c", code, str(seed_store_path)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "date,participants,place,document,event" and len(r.stdout.splitlines()) > 2


def test_build_jobs_2_quiet_gives_the_same_store(built, tmp_path):
    seq_store, out = built
    store = tmp_path / "store"
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(store), "--jobs", "2", "--quiet",
                                  "--batch-size", "1"])
    assert r.exit_code == 0, r.output
    assert r.output == out.replace(str(seq_store), str(store))  # no bar, same counts
    from kg.store import KGStore

    with KGStore(store, create=False) as a, KGStore(seq_store, create=False) as b:
        assert knowledge_nquads(a) == knowledge_nquads(b)


@pytest.mark.parametrize("args, message", [
    (["--engine", "dask"], "--engine dask needs --scheduler"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler is only used with --engine dask"),
])
def test_build_engine_options_checked(tmp_path, args, message):
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(tmp_path / "s"), *args])
    assert r.exit_code == 1
    assert r.output.startswith("kg: error: ") and message in r.output and len(r.output.strip().splitlines()) == 1
    assert not (tmp_path / "s").exists()  # refused before the store is created


def test_build_jobs_zero_refused(tmp_path):
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(tmp_path / "s"), "--jobs", "0"])
    assert r.exit_code == 2 and "--jobs" in r.output


def test_build_draws_no_bar_when_not_a_terminal(tmp_path):
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(tmp_path / "s")])
    assert r.exit_code == 0, r.output
    assert "extracting" not in r.stderr and "writing" not in r.stderr
