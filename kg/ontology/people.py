"""Given names from maintained reference data: the first-name dictionary that ships with
`gender-guesser` (Jörg Michael's nam_dict, some 48,000 names of many countries and scripts
transliterated to Latin). Extraction reads it as evidence of a person: "Lucas Moura" that the
model tagged as an organisation starts with a given name, "Stepanakert" that it tagged as a
person does not.

Only the names are read (not the genders): a word is a given name when the dictionary lists it
under any country. Read once per process, by the extraction stage only.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["given_names", "is_given_name"]


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Every given name of the dictionary, lower case; a name written with '+' ("Abdel+Rahman")
    also as one word, with a space and with a hyphen."""
    path = resources.files("gender_guesser") / "data" / "nam_dict.txt"
    out: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line or line[0] in "#=":
                continue
            parts = line.split(maxsplit=2)
            if len(parts) < 2:
                continue
            name = parts[1].lower()
            if "+" in name:
                out.update(name.replace("+", sep) for sep in ("", " ", "-"))
            else:
                out.add(name)
    return frozenset(out)


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a given name of the dictionary (case does not matter)."""
    return word.lower() in given_names()
