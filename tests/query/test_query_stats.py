"""kg.query.stats: counts that agree with the store, and the document list."""
from kg.build import store_counts
from kg.query.stats import documents, format_stats, stats


def test_stats_agree_with_the_build_counts(seed_store):
    s, counts = stats(seed_store), store_counts(seed_store)
    assert s.documents == counts["documents"] == 2
    assert sum(s.entities.values()) == counts["entities"]
    assert sum(s.relations.values()) == counts["relations"]
    assert s.triples == counts["triples"] == seed_store.report.triples
    assert s.entities["kg:Person"] >= 6 and s.relations["kg:meetsWith"] >= 3
    assert s.events["kg:Meeting"] >= 3 and s.events["kg:Attack"] >= 1
    assert s.builds >= 1
    text = format_stats(s)
    assert "kg:meetsWith" in text and "documents  2" in text


def test_documents_have_titles_dates_and_sources(seed_store):
    docs = documents(seed_store)
    assert [d.source.rsplit("/", 1)[-1] for d in docs] == ["003_7e09eed4d988b256.txt", "000_cec75e075edad840.txt"]
    assert docs[0].date == "2023-06-17" and docs[1].date is None
    assert docs[1].title == "Iran's IRGC to work with Pakistan army on border security"
    assert all(d.triples > 100 for d in docs)
