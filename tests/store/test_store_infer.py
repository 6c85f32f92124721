"""kg.store.infer, `--infer`: the ontology's RDFS/OWL RL entailments, visible only when asked for."""
import shutil

import pytest

from click.testing import CliRunner

from kg.cli import main
from kg.store.infer import INFERRED_GRAPH
from kg.query import run_query
from kg.store import KGStore

ORGS = "SELECT DISTINCT ?o WHERE { ?o a kg:Organization }"


def _copy(seed_store, tmp_path):
    seed_store.flush()
    dst = tmp_path / "store"
    shutil.copytree(seed_store.path, dst)
    return KGStore(dst)


def test_infer_finds_subclass_members(seed_store, tmp_path):
    with _copy(seed_store, tmp_path) as store:
        plain = {str(r[0]) for r in run_query(store, ORGS).rows}
        inferred = {str(r[0]) for r in run_query(store, ORGS, infer=True).rows}
        irgc = "https://w3id.org/newskg/id/org/irgc"
        jaa = "https://w3id.org/newskg/id/org/jaish-al-adl"
        assert irgc not in plain and jaa not in plain  # asserted types are the specific ones
        assert {irgc, jaa} <= inferred
        # every armed group is an organization once inferred
        groups = {str(r[0]) for r in run_query(store, "SELECT ?g WHERE { ?g a kg:ArmedGroup }").rows}
        assert groups and groups <= inferred


def test_inverse_symmetric_and_super_properties(seed_store, tmp_path):
    with _copy(seed_store, tmp_path) as store:
        q = "ASK { ?pos kg:heldBy ?p . FILTER NOT EXISTS { ?p kg:holdsPosition ?pos } }"
        # positions are written with heldBy; holdsPosition follows from owl:inverseOf
        sym = ("ASK { ?a kg:meetsWith ?b . FILTER NOT EXISTS { ?b kg:meetsWith ?a } }")
        sup = "SELECT (COUNT(*) AS ?n) WHERE { ?a kg:relatedTo ?b }"
        assert run_query(store, sym).boolean  # asserted one way only
        assert not run_query(store, sym, infer=True).boolean
        assert not run_query(store, q, infer=True).boolean
        assert int(run_query(store, sup).rows[0][0]) == 0
        assert int(run_query(store, sup, infer=True).rows[0][0]) > 0


def test_plain_queries_do_not_see_entailments_and_writes_drop_them(seed_store, tmp_path):
    with _copy(seed_store, tmp_path) as store:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        before = run_query(store, count).rows
        run_query(store, ORGS, infer=True)
        assert str(INFERRED_GRAPH) in store.named_graphs()
        assert run_query(store, count).rows == before
        store.remove_graph(store.named_graphs()[0])
        assert str(INFERRED_GRAPH) not in store.named_graphs()


def test_cli_infer_flag(seed_store, tmp_path):
    with _copy(seed_store, tmp_path) as store:
        path = store.path
    out = CliRunner().invoke(main, ["query", ORGS, "--infer", "--store", str(path), "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert "id/org/irgc" in out.output


def test_a_reader_entails_in_a_copy_on_disk_and_deletes_it(seed_store, tmp_path):
    """A published generation is never written: a reader's entailments go to a copy of it on
    disk (`entailed_copy`), gone when the reader closes; the answers are the writer's."""
    from kg.query.saved import load_query

    queries = [ORGS, "SELECT ?a ?b WHERE { ?a kg:relatedTo ?b }", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
               load_query("positions"), load_query("relations")]
    with _copy(seed_store, tmp_path) as store:
        path = store.path
        by_writer = [sorted(run_query(store, q, infer=True).rows) for q in queries]
        store.drop_inferred()
    with KGStore(path, read_only=True) as reader:
        assert [sorted(run_query(reader, q, infer=True).rows) for q in queries] == by_writer
        assert len(list(path.glob(".infer-*"))) == 1
        assert str(INFERRED_GRAPH) not in reader.named_graphs()  # the generation itself untouched
    assert list(path.glob(".infer-*")) == []


@pytest.mark.slow
def test_infer_on_a_million_triples_stays_under_a_gigabyte(million_kg_store):
    """The issue's bound: an --infer query on a 1M-triple store under 1 GB peak RSS (it copied
    the whole store into memory before), measured in a process of its own: its VmHWM, since
    ru_maxrss keeps the peak of the process it was forked from (this one, with spaCy loaded)."""
    import subprocess
    import sys

    code = ("import resource, sys, time\nfrom kg.store import KGStore\nfrom kg.query import run_query\n"
            "t = time.perf_counter()\n"
            "with KGStore(sys.argv[1], read_only=True) as st:\n"
            "    n = run_query(st, 'SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a kg:Organization }', infer=True).rows\n"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
            "print(int(n[0][0]), time.perf_counter() - t, int(hwm) / 1024)\n")
    r = subprocess.run([sys.executable, "-c", code, str(million_kg_store)], capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stderr[-2000:]
    orgs, seconds, peak_mb = r.stdout.split()
    print(f"--infer on 1M triples: {float(seconds):.0f} s, peak RSS {float(peak_mb):.0f} MB")
    assert int(orgs) > 1000
    assert float(peak_mb) < 1024
