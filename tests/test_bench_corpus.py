"""bench/corpus.py: generated articles are readable articles whose cast grows with the corpus."""
from __future__ import annotations

import pytest

import re

from bench.corpus import CorpusGenerator

pytestmark = pytest.mark.slow  # the bench harness: the slow tier


def test_same_seed_same_articles():
    a, b = CorpusGenerator(seed=5, words=120), CorpusGenerator(seed=5, words=120)
    assert [a.article(i) for i in range(5)] == [b.article(i) for i in range(5)]


def test_articles_read_as_articles(tmp_path):
    from kg.ingest import read_documents

    paths = CorpusGenerator(seed=1, words=150).write(tmp_path, 6)
    docs = list(read_documents([tmp_path]))
    assert len(docs) == 6
    for d in docs:
        assert d.date is not None and d.title  # the byline's date and a headline were found
        assert len(d.text.split()) >= 150
        assert "http" not in d.text


def test_cast_grows_with_the_corpus():
    gen = CorpusGenerator(seed=3, words=200)
    made = [gen._generated(k) for k in range(gen.__dict__["given"].__len__() * 3)]
    assert len(set(made)) == len(made)  # generated names do not repeat

    def people(texts):
        return {m for t in texts for m in re.findall(r"\b(?:%s) [A-Z][a-z]+(?:-[A-Z][a-z]+)?" % "|".join(gen.given), t)}

    early = people(gen.article(i) for i in range(40))
    late = people(gen.article(i) for i in range(4000, 4040))
    assert len(late - early) > len(late) // 2  # later articles bring people not seen before
