"""A generator of realistic articles for benchmarks, from the sentences of `seeds/` and the
development articles (`tests/data/articles/`).

Each article takes a title and body sentences from the real articles, in their original order
within runs of a paragraph, and replaces the people they name with other people: gazetteer
people, or generated names (`bench/names.toml`) from a pool that grows with the article index, so
the number of distinct entities grows with the corpus. Within one article a person keeps one
substitute, and the bare surname follows the full name, so resolution has the same work to do
as on real text. Deterministic for a given seed.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "seeds", ROOT / "tests" / "data" / "articles")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass
class _Source:
    title: str
    paragraphs: list[list[str]]  # sentences of each body paragraph


def _sources() -> list[_Source]:
    from kg.ingest import read_documents

    out = []
    for doc in read_documents(SOURCES):
        # the dev set's "Based on reports at: <links>" lines are notes, not article text
        paras = [p.strip() for p in doc.text.split("\n\n") if p.strip() and "http" not in p]
        title = doc.title if doc.title and "http" not in doc.title else paras[0]
        body = [p for p in paras if p != title and len(p.split()) >= 8]
        out.append(_Source(title, [[s for s in _SENT.split(p) if s.strip()] for p in body]))
    return out


def _people() -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Gazetteer people as (name, aliases) and their full names."""
    from kg.ontology.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    people = [(e.name, sorted(set(gaz.names(e)) - {e.name})) for e in gaz.entries.values() if e.type == "Person"]
    return people, [n for n, _ in people]


class CorpusGenerator:
    """Makes article texts; ``words`` is the target length of a body (whole sentences)."""

    def __init__(self, seed: int = 8, words: int = 300) -> None:
        self.rng = random.Random(seed)
        self.words = words
        self.sources = _sources()
        self.people, self.known = _people()
        names = tomllib.loads((Path(__file__).parent / "names.toml").read_text(encoding="utf-8"))
        self.given, self.family = names["given"], names["family"]
        # longest first, so "Asim Munir" is replaced before "Munir"
        pats = sorted({n for name, aliases in self.people for n in [name, *aliases] if len(n) > 3}, key=len,
                      reverse=True)
        self._who = {n: name for name, aliases in self.people for n in [name, *aliases]}
        self._pat = re.compile(r"\b(" + "|".join(map(re.escape, pats)) + r")\b")

    def _generated(self, k: int) -> str:
        g, f = self.given[k % len(self.given)], self.family[(k // len(self.given)) % len(self.family)]
        extra = k // (len(self.given) * len(self.family))
        return f"{g} {f}" if extra == 0 else f"{g} {self.family[extra % len(self.family)]}-{f}"

    def _substitute(self, i: int) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(self.known)
        # the pool of made-up people grows with the corpus: entity counts grow with it
        return self._generated(self.rng.randrange(0, 20 + i // 2))

    def article(self, i: int) -> str:
        """Article number ``i`` as the text of a .txt file (title, byline with a date, body)."""
        rng = self.rng
        mapping: dict[str, str] = {}

        def swap(m: re.Match[str]) -> str:
            who = self._who.get(m.group(1), m.group(1))
            if who not in mapping:
                mapping[who] = self._substitute(i)
            new = mapping[who]
            # a surname-only mention ("Munir") becomes the substitute's surname
            return new if len(m.group(1).split()) > 1 else new.split()[-1]

        src = rng.choice(self.sources)
        paras: list[str] = []
        n = 0
        while n < self.words:
            s = rng.choice(self.sources)
            if not s.paragraphs:
                continue
            p = rng.randrange(len(s.paragraphs))
            sents = s.paragraphs[p]
            start = rng.randrange(len(sents))
            take = sents[start:start + rng.randint(1, 3)]
            text = self._pat.sub(swap, " ".join(take))
            paras.append(text)
            n += len(text.split())
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        title = self._pat.sub(swap, src.title)
        byline = f"By {self._generated(rng.randrange(200))} {date:%B} {date.day}, {date.year}"
        return "\n\n".join([title, byline, *paras]) + "\n"

    def write(self, folder: Path, count: int, start: int = 0) -> list[Path]:
        """Write articles ``start`` .. ``start+count-1`` as .txt files under ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for i in range(start, start + count):
            p = folder / f"article_{i:06d}.txt"
            p.write_text(self.article(i), encoding="utf-8")
            out.append(p)
        return out


def word_count(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
