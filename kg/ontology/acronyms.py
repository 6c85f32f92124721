"""Whether letters abbreviate a name: "IRGC" of "Islamic Revolutionary Guard Corps", "JNIM" of
"Jama'at Nusrat al-Islam wal-Muslimin". Shared by extraction (a parenthesised acronym after a
name) and resolution (an acronym used alone joins its expansion)."""
from __future__ import annotations

import re

__all__ = ["ACRONYM", "STOP", "is_acronym_of", "stands_for"]

ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&\-]*[A-Z0-9a]$")
# words an acronym skips: English and the particles of Arabic, French and Spanish names
# ("wal" is Arabic "and": Jama'at Nusrat al-Islam wal-Muslimin is JNIM)
STOP = {"of", "the", "and", "for", "in", "on", "de", "al", "el", "wal", "wa", "la", "del", "des", "du", "y"}


def is_acronym_of(short: str, full: str) -> bool:
    """Whether ``short`` is made of the initials of the content words of ``full`` (all of them,
    or the first ones for three letters or more)."""
    letters = [c for c in short if c.isalpha()]
    if len(letters) < 2:
        return False
    words = [w for w in re.split(r"[\s\-]+", full) if w and w.lower().strip("'\u2019") not in STOP]
    initials = "".join(w[0] for w in words).upper()
    sl = "".join(letters).upper()
    return initials == sl or initials.startswith(sl) and len(sl) >= 3


def stands_for(short: str, full: str, organisation: bool, credits: frozenset[str] = frozenset()) -> bool:
    """Whether ``short`` in parentheses right after the name ``full`` is that name's acronym:
    its initials, or, after an organisation's name of two words or more, letters in capitals
    from the name in its own language ("National Liberation Army (ELN)", "Malian Armed Forces
    (FAMa)"), unless they are a news agency's credit ("(AFP)" after a caption's place)."""
    if is_acronym_of(short, full):
        return True
    letters = [c for c in short if c.isalpha()]
    return organisation and len(full.split()) >= 2 and 2 <= len(letters) <= 7 \
        and sum(c.isupper() for c in letters) >= 2 and short.lower() not in credits
