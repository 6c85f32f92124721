"""kg.build.spill: extractions kept on disk read back, and resolve, as a list of them does."""


def test_packed_extractions_resolve_as_a_list_does(nlp):
    """build() keeps extractions pickled and resolves them as they arrive; the mentions must end
    with the entities `resolve` gives over a plain list, including the remaps that `finish` makes
    across documents (a bare acronym before its expansion, here without the gazetteer)."""
    from conftest import SEEDS
    from kg.build.spill import PackedExtractions
    from kg.extract import extract
    from kg.ontology.gazetteer import load_gazetteer
    from kg.ingest import read_documents
    from kg.nlp import load_pipeline
    from kg.resolve import Resolver, resolve

    docs = list(read_documents([SEEDS]))
    xs = list(extract(docs, load_pipeline(False), use_gazetteer=False))
    packed = PackedExtractions()
    for x in xs:
        packed.append(x)
    plain = resolve(xs, use_gazetteer=False)
    r = Resolver(load_gazetteer(enabled=False))
    copies = [packed[i] for i in range(len(packed))]
    packed = PackedExtractions()
    for xi, x in enumerate(copies):
        r.document(xi, x)
        packed.append(x)
    streamed = r.finish(packed)
    assert set(streamed.entities) == set(plain.entities)
    entities = [[m.entity for m in x.mentions] for x in xs]
    assert [[m.entity for m in packed[i].mentions] for i in range(len(packed))] == entities
    # the remap really happened here: a bare "IRGC" now names the expansion's entity
    assert any(m.text == "IRGC" and m.entity and m.entity != "org/irgc" for x in xs for m in x.mentions)


def test_packed_extractions_read_back_what_was_stored():
    """PackedExtractions keeps its pickles in a temporary file: reads between appends, a put
    that replaces one item, and the raw pickle must all give back what was stored."""
    import pickle

    from kg.build.spill import PackedExtractions

    with PackedExtractions() as packed:
        packed.append({"doc": 0, "text": "a" * 5000})
        assert packed[0] == {"doc": 0, "text": "a" * 5000}
        packed.append(["second", 2])
        packed.put(0, {"doc": 0, "text": "changed"})
        packed.append(("third",))
        assert len(packed) == 3
        assert [packed[i] for i in range(3)] == [{"doc": 0, "text": "changed"}, ["second", 2], ("third",)]
        assert pickle.loads(packed.raw(1)) == ["second", 2]
    assert packed.closed
