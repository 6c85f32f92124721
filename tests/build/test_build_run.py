"""kg.build.run: what issue 3 asks of a build of seeds/, checked with SPARQL on the store; what a
build counts, and that reopening the store while writing changes nothing."""
from kg.build import build
from kg.store.dump import dump_bytes
from kg.namespaces import BUILD_LOG_GRAPH, ENTITY_GRAPH
from kg.store import KGStore

from conftest import SEEDS, rows


def _one(store, sparql, **b):
    r = rows(store, sparql, **b)
    assert r, sparql
    return r


def test_salami_commands_the_irgc(seed_store):
    r = _one(seed_store, """
        SELECT ?country WHERE {
          ?p a kg:Person ; skos:prefLabel "Hossein Salami" ; kg:commands ?irgc .
          ?irgc a kg:MilitaryOrganization ; skos:altLabel "IRGC" ; kg:country ?c .
          ?c skos:prefLabel ?country }""")
    assert r == [("Iran",)]


def test_munir_holds_chief_of_army_staff_of_the_pakistan_army(seed_store):
    r = _one(seed_store, """
        SELECT ?title ?org WHERE {
          ?p skos:prefLabel "Asim Munir" ; kg:holdsPosition ?pos .
          ?pos kg:positionTitle ?title ; kg:positionIn ?o . ?o skos:prefLabel ?org }""")
    assert r == [("Chief of Army Staff", "Pakistan Army")]


def _meetings(store):
    out = {}
    for ev, who, place, date in rows(store, """
        SELECT ?e ?who ?place ?date WHERE {
          ?e a kg:Meeting ; kg:participant ?p . ?p skos:prefLabel ?who .
          OPTIONAL { ?e kg:place/skos:prefLabel ?place } OPTIONAL { ?e kg:date ?date } }"""):
        m = out.setdefault(ev, {"who": set(), "place": place, "date": date})
        m["who"].add(who)
    return list(out.values())


def test_meetings(seed_store):
    meetings = _meetings(seed_store)
    salami = [m for m in meetings if {"Hossein Salami", "Asim Munir"} <= m["who"]]
    assert len(salami) == 1 and salami[0]["place"] == "Tehran" and salami[0]["date"].startswith("2023-07")
    assert any({"Mohammad Bagheri", "Asim Munir"} <= m["who"] for m in meetings)
    farahi = [m for m in meetings if {"Mahdi Farahi", "Hamood uz Zaman Khan"} <= m["who"]]
    assert len(farahi) == 1 and farahi[0]["place"] == "Tehran" and farahi[0]["date"] == "2023-06-14"
    beijing = [m for m in meetings if m["place"] == "Beijing"]
    assert beijing and beijing[0]["who"] == {"Pakistan", "Iran", "China"} and beijing[0]["date"] == "2023-06-07"


def test_jaish_al_adl_armed_group_active_in_sistan_baluchestan(seed_store):
    _one(seed_store, """
        SELECT * WHERE { ?g a kg:ArmedGroup ; skos:prefLabel "Jaish al-Adl" ; kg:activeIn ?p .
                         ?p skos:altLabel "Sistan-Baluchestan" }""")


def test_zahedan_attack(seed_store):
    r = _one(seed_store, """
        SELECT ?date ?killed ?who WHERE {
          ?e a kg:Attack ; kg:agent/skos:prefLabel "Jaish al-Adl" ; kg:place/skos:prefLabel "Zahedan" ;
             kg:date ?date ; kg:casualty ?c . ?c kg:casualtyKind "killed" ; kg:count ?killed ; kg:victims ?who }""")
    assert ("2023-07-08", "2", "policemen") in r


def test_people_with_roles_and_the_author(seed_store):
    r = rows(seed_store, """
        SELECT ?name ?pos WHERE { ?p a kg:Person ; skos:prefLabel ?name ; kg:holdsPosition/skos:prefLabel ?pos }""")
    assert ("Ahmad Vahidi", "Interior Minister of Iran") in r
    assert ("Nasser Kanani", "Foreign Ministry Spokesperson of Iran") in r
    author = _one(seed_store, """
        SELECT ?name WHERE { ?d a kg:Document ; kg:author ?a . ?a a kg:Person ; skos:prefLabel ?name }""")
    assert author == [("Nigar Bayramli",)]


def test_one_node_per_entity_and_no_furniture(seed_store):
    irgc = rows(seed_store, """
        SELECT DISTINCT ?e WHERE { ?e skos:prefLabel|skos:altLabel ?l .
          FILTER(?l IN ("IRGC", "Islamic Revolutionary Guard Corps", "Islamic Revolutionary Guards Corps")) }""")
    assert len(irgc) == 1
    munir = rows(seed_store, """
        SELECT DISTINCT ?e WHERE { ?e skos:prefLabel|skos:altLabel ?l . FILTER(?l IN ("Munir", "Asim Munir")) }""")
    assert len(munir) == 1
    labels = {l for (l,) in rows(seed_store, "SELECT ?l WHERE { GRAPH <%s> { ?e skos:prefLabel ?l } }" % ENTITY_GRAPH)}
    for junk in ("Newsroom", "Show Comments", "Categories", "Portuguese", "Hamas", "Palestine", "Engaging"):
        assert not any(junk in l for l in labels), junk


def test_every_entity_has_one_type_and_label(seed_store):
    bad = rows(seed_store, """
        SELECT ?e (COUNT(DISTINCT ?t) AS ?types) (COUNT(DISTINCT ?l) AS ?labels) WHERE {
          GRAPH <%s> { ?e a ?t . OPTIONAL { ?e skos:prefLabel ?l } } }
        GROUP BY ?e HAVING (COUNT(DISTINCT ?t) != 1 || COUNT(DISTINCT ?l) != 1)""" % ENTITY_GRAPH)
    assert bad == []


def test_every_relation_is_a_plain_triple_traceable_to_a_sentence(seed_store):
    assertions = rows(seed_store, """
        SELECT ?a ?s ?p ?o ?doc ?ev ?start ?end ?text WHERE {
          GRAPH ?g { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                       kg:inDocument ?doc ; kg:evidence ?ev ; kg:charStart ?start ; kg:charEnd ?end .
                     ?s ?p ?o }
          ?doc kg:text ?text . FILTER(?g = ?doc) }""")
    assert len(assertions) >= 25
    for _, s, p, o, doc, ev, start, end, text in assertions:
        # the offsets point at the supporting words, inside the evidence sentence
        span = " ".join(text[int(start):int(end)].split())
        assert span and span in ev
    untraced = rows(seed_store, """
        SELECT ?s ?p ?o WHERE {
          GRAPH ?g { ?s ?p ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?p), STR(kg:)))
                     FILTER NOT EXISTS { ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }
          FILTER(?g != <%s>)
          GRAPH <%s> { ?s a ?st }
          { GRAPH <%s> { ?o a ?ot } } UNION { ?o a kg:Position } }""" % ((ENTITY_GRAPH,) * 3))
    assert untraced == []


def test_building_twice_gives_the_same_graph(tmp_path, nlp):
    store = KGStore(tmp_path / "s")
    first = build([SEEDS], store)
    dump = dump_bytes(store, exclude=[BUILD_LOG_GRAPH])
    second = build([SEEDS], store)
    assert dump_bytes(store, exclude=[BUILD_LOG_GRAPH]) == dump  # the build log gains a record
    assert (first.documents, first.entities, first.relations, first.triples) == (2, second.entities, second.relations, second.triples)
    store.close()


def test_bad_file_is_reported_and_the_rest_built(tmp_path, nlp):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "a.txt").write_text((SEEDS / "000_cec75e075edad840.txt").read_text())
    store = KGStore(tmp_path / "s")
    seen = []
    report = build([tmp_path / "in"], store, on_error=seen.append)
    assert report.documents == 1 and len(seen) == 1 and "empty.txt" in str(seen[0])
    store.close()


def test_a_first_build_counts_the_triples_it_writes(tmp_path, nlp, monkeypatch):
    """Into a store with no triple yet, a build counts the quads it writes rather than scanning
    the whole store at its end; the count must be the scan's. A later build scans."""
    from conftest import DEV_ARTICLES

    scan = KGStore.triple_count
    scans = []
    monkeypatch.setattr(KGStore, "triple_count", lambda self: scans.append(1) or scan(self))
    with KGStore(tmp_path / "s") as store:
        first = build([SEEDS], store)
        assert not scans and first.triples == scan(store) > 1000
        second = build([DEV_ARTICLES], store)
        assert scans == [1] and second.triples == scan(store) > first.triples
    with KGStore(tmp_path / "twice") as store:  # the same folder named twice: one graph per file
        report = build([SEEDS, SEEDS], store)
        assert report.triples == scan(store) == first.triples


def test_reopening_the_store_while_writing_changes_nothing_written(tmp_path, nlp, monkeypatch):
    """A large build closes and reopens its store every `REOPEN_EVERY` documents to free
    RocksDB's memory; with a reopening after every document (``reopen_every=1``) the graph is the same."""
    from conftest import DEV_ARTICLES, knowledge_nquads

    with KGStore(tmp_path / "once") as store:
        once = build([SEEDS, DEV_ARTICLES], store)
        want = knowledge_nquads(store)
    reopened = []
    monkeypatch.setattr(KGStore, "reopen", lambda self, _r=KGStore.reopen: reopened.append(1) or _r(self))
    with KGStore(tmp_path / "often") as store:
        often = build([SEEDS, DEV_ARTICLES], store, reopen_every=1)
        assert len(reopened) == len(often.built) == len(once.built) > 2 and often.triples == once.triples
        assert knowledge_nquads(store) == want


def _fresh(tmp_path, name, folder):
    """The N-Quads (build log aside) of a build of ``folder`` into a new store."""
    with KGStore(tmp_path / name) as store:
        build([folder], store)
        return dump_bytes(store, exclude=[BUILD_LOG_GRAPH])


def _recomputed(store, tmp_path, name):
    """The N-Quads (build log aside) of a copy of ``store`` with the entity and facts graphs
    recomputed from every document (`refresh_derived`, what replacing and pruning did before)."""
    from kg.build import refresh_derived

    from conftest import copy_store

    with KGStore(copy_store(store, tmp_path / name)) as copy:
        refresh_derived(copy)
        return dump_bytes(copy, exclude=[BUILD_LOG_GRAPH])


def _without_proposals(nquads: bytes) -> list[bytes]:
    # a document's kg:entityProposal holds the descriptions its build's run had of the entities
    # it names (aliases found in the other documents of that run), so a document extracted
    # alone proposes less than in a build of every file: the one quad that depends on the run
    return [q for q in nquads.splitlines() if b"#entityProposal>" not in q]


def test_replacing_and_pruning_update_what_the_old_graphs_gave(tmp_path, nlp):
    """A changed file and a deleted one update the entity and facts graphs from what the old
    graphs contributed (`_update_derived`, as `kg remove` does), not by recomputing them from
    every document: the store equals a full recomputation; after the replacement it also equals
    a build of the same files into a new store, in everything but what each document's run
    proposed."""
    import shutil

    from conftest import DEV_ARTICLES, SEED_DEFENCE, SEED_IRGC

    folder = tmp_path / "in"
    folder.mkdir()
    a, b, c = folder / "a.txt", folder / "b.txt", folder / "c.txt"
    shutil.copy(SEED_IRGC, a)
    shutil.copy(SEED_DEFENCE, b)
    shutil.copy(DEV_ARTICLES / "dev_06_bajwa-in-tehran.txt", c)
    with KGStore(tmp_path / "store") as store:
        build([folder], store)
        text = a.read_text(encoding="utf-8")
        assert "killing two policemen" in text
        a.write_text(text.replace("killing two policemen", "killing three policemen"), encoding="utf-8")
        report = build([folder], store)
        assert report.built == [str(a)] and len(report.replaced) == 1
        replaced = dump_bytes(store, exclude=[BUILD_LOG_GRAPH])
        assert replaced == _recomputed(store, tmp_path, "full1")
        assert _without_proposals(replaced) == _without_proposals(_fresh(tmp_path, "fresh1", folder))

        c.unlink()
        report = build([folder], store, prune=True)
        assert report.removed == [str(c)]
        pruned = dump_bytes(store, exclude=[BUILD_LOG_GRAPH])
        assert pruned == _recomputed(store, tmp_path, "full2")
    # not compared with a new build of a.txt and b.txt: a.txt and b.txt keep what their runs
    # resolved with c.txt present (docs/store.md, "Limits"), with or without this update
    assert b"Bajwa" in replaced and b"Bajwa" not in pruned
