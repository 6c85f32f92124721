"""Helpers the extraction tests share: extract (and resolve) one made-up text, read names and
relations back, and a document about places and people no rule was written for."""
from __future__ import annotations

import datetime as dt

from kg.extract import extract
from kg.model import Document, Extraction
from kg.resolve import resolve


def extract_one(nlp, text: str, date=dt.date(2024, 3, 6)) -> Extraction:
    x = next(iter(extract([Document(source="t.txt", text=text, date=date)], nlp)))
    resolve([x])
    return x


def texts_of(x, idxs):
    return sorted(x.mentions[i].text for i in idxs)


def triples_of(x):
    return {(x.mentions[r.subject].entity, r.predicate, x.mentions[r.object].entity) for r in x.relations}


def mentions_by_text(x):
    return {m.text: m for m in x.mentions}


def roles_of(x):
    return {(x.mentions[r.person].text, r.title) for r in x.roles if r.title}


UNSEEN = Document(
    source="unseen.txt",
    title="Border talks",
    date=dt.date(2021, 3, 10),
    text=(
        "Border talks\n\n"
        "Afghanistan's Interior Minister Zorak Belvani met with his Tajik counterpart, General Rustam Dorov, "
        "in Dushanbe on Monday. The two ministers agreed to step up patrols.\n\n"
        "Separately, gunmen of the Kestrel Liberation Front attacked a checkpoint near Faizabad on March 8, "
        "killing three soldiers. The group has been active in Badakhshan since 2019."
    ),
)
