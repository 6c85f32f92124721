"""kg.build.shards: `kg build --shards DIR`: N-Quads files that load into the graph a build writes."""
import pytest
from click.testing import CliRunner

from conftest import DEV_ARTICLES, SEEDS, knowledge_nquads


def _load(folder, store_path):
    import pyoxigraph as ox

    from kg.store import KGStore

    store = KGStore(store_path)
    for f in sorted(folder.glob("*.nq")):
        store.ox.load(path=str(f), format=ox.RdfFormat.N_QUADS)
    return store


def test_shards_load_into_the_graph_of_a_build(tmp_path, seeds_dev_nquads):
    from kg.build.shards import build_shards

    rep = build_shards([SEEDS, DEV_ARTICLES], tmp_path / "shards", docs_per_shard=5)
    shards = -(-len(rep.built) // 5)  # five documents a file, the last one partly filled
    assert rep.files == [f"documents-{k:05d}.nq" for k in range(shards)] + ["entities.nq", "facts.nq"]
    store = _load(tmp_path / "shards", tmp_path / "store")
    try:
        assert knowledge_nquads(store) == seeds_dev_nquads
    finally:
        store.close()


def test_shards_with_two_jobs_are_the_same_files(tmp_path, nlp):
    from kg.build.shards import build_shards

    build_shards([SEEDS], tmp_path / "one")
    build_shards([SEEDS], tmp_path / "two", jobs=2)
    for name in ("documents-00000.nq", "entities.nq", "facts.nq"):
        a = sorted((tmp_path / "one" / name).read_bytes().splitlines())
        b = sorted((tmp_path / "two" / name).read_bytes().splitlines())
        assert a == b and a


def test_shards_refuse_a_folder_that_is_not_empty_and_leave_it_alone(tmp_path, nlp):
    from kg.errors import InputError
    from kg.build.shards import build_shards

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="empty or new folder"):
        build_shards([SEEDS], tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_cli_build_shards(tmp_path, nlp, monkeypatch):
    import os

    from kg.cli import main

    monkeypatch.chdir(tmp_path)  # the default store, ./kg-store, would be made here
    runner = CliRunner()
    r = runner.invoke(main, ["build", str(SEEDS), "--shards", "s", "--quiet"])
    assert r.exit_code == 0, r.output
    assert "wrote 2 document(s) into s: 3 N-Quads files" in r.output
    assert sorted(os.listdir(".")) == ["s"]  # no store was made
    r = runner.invoke(main, ["build", str(SEEDS), "--shards", "s2", "--prune"])
    assert r.exit_code != 0 and "--prune" in r.output
