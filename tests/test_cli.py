"""Every command through click's CliRunner, on a store built by the command itself."""
import csv
import io
import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import SEEDS


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


def test_build_jobs_2_quiet_gives_the_same_store(built, tmp_path):
    seq_store, out = built
    store = tmp_path / "store"
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(store), "--jobs", "2", "--quiet",
                                  "--batch-size", "1"])
    assert r.exit_code == 0, r.output
    assert r.output == out.replace(str(seq_store), str(store))  # no bar, same counts
    from kg.store import KGStore

    with KGStore(store, create=False) as a, KGStore(seq_store, create=False) as b:
        assert a.dump_nquads() == b.dump_nquads()


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
