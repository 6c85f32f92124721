"""kg.store.dump, kg dump / kg load: the whole store as N-Quads or TriG, exactly, all or nothing."""
import pytest

from kg.store.dump import dump, dump_bytes, load
from kg.errors import InputError, StoreError
from kg.store.infer import INFERRED_GRAPH
from kg.store import KGStore


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_dump_load_dump_round_trips_exactly(seed_store, tmp_path, suffix):
    out = tmp_path / f"seeds{suffix}"
    n = dump(seed_store, out)
    assert n == seed_store.quad_count() - _inferred(seed_store)
    with KGStore(tmp_path / "copy") as copy:
        assert load(copy, out) == n
        assert dump_bytes(copy) == dump_bytes(seed_store)
        again = tmp_path / f"again{suffix}"
        dump(copy, again)
        assert again.read_bytes() == out.read_bytes()
        assert copy.named_graphs() == [g for g in seed_store.named_graphs() if g != str(INFERRED_GRAPH)]


def _inferred(store):
    import pyoxigraph as ox

    return sum(1 for _ in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(INFERRED_GRAPH))))


def test_load_refuses_doctype_and_entities(tmp_path):
    bad = tmp_path / "laughs.trig"
    bad.write_text('<!DOCTYPE x [ <!ENTITY a "aaaaaaaa"> <!ENTITY b "&a;&a;&a;"> ]>\n'
                   "<http://a> { <http://s> <http://p> \"&b;\" . }\n")
    with KGStore(tmp_path / "s") as st:
        with pytest.raises(InputError, match=r"laughs.trig: DOCTYPE/ENTITY declarations are refused"):
            load(st, bad)
        assert st.quad_count() == 0


def test_bad_file_changes_nothing(seed_store, tmp_path):
    good, bad = tmp_path / "good.nq", tmp_path / "bad.nq"
    dump(seed_store, good)
    lines = good.read_text(encoding="utf-8").splitlines(keepends=True)
    bad.write_text("".join(lines[:50]) + "<http://s> <http://p> \"unterminated .\n" + "".join(lines[50:]),
                   encoding="utf-8")
    with KGStore(tmp_path / "s") as st:
        load(st, good)
        before = dump_bytes(st)
        with pytest.raises(InputError, match=r"bad.nq: not valid nquads"):
            load(st, bad, replace=True)
        assert dump_bytes(st) == before


def test_load_into_a_store_with_data_needs_replace(seed_store, tmp_path):
    out = tmp_path / "d.nq"
    dump(seed_store, out)
    with KGStore(tmp_path / "s") as st:
        load(st, out)
        with pytest.raises(StoreError, match="not empty.*--replace"):
            load(st, out)
        assert load(st, out, replace=True) == st.quad_count()


def test_triples_outside_a_named_graph_and_unknown_suffix_are_refused(tmp_path):
    plain = tmp_path / "plain.nq"
    plain.write_text("<http://s> <http://p> <http://o> .\n")
    with KGStore(tmp_path / "s") as st:
        with pytest.raises(InputError, match="outside a named graph"):
            load(st, plain)
        with pytest.raises(InputError, match=r"\.nq or \.trig"):
            load(st, tmp_path / "x.ttl")


def test_replace_swaps_everything_in_one_go(seed_store, tmp_path):
    out, other = tmp_path / "all.trig", tmp_path / "other.nq"
    dump(seed_store, out)
    other.write_text('<http://s> <http://p> "x\\n\\"y\\"" <https://w3id.org/newskg/graph/test> .\n')
    with KGStore(tmp_path / "s") as st:
        load(st, other)
        assert load(st, out, replace=True) == st.quad_count()
        assert dump_bytes(st) == dump_bytes(seed_store)
        load(st, other, replace=True)
        assert st.named_graphs() == ["https://w3id.org/newskg/graph/test"]
        assert dump_bytes(st) == other.read_bytes()
