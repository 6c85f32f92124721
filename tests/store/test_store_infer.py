"""kg.store.infer, `--infer`: the ontology's RDFS/OWL RL entailments, visible only when asked for."""
import shutil

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
