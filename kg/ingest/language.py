"""The language of an article's text, identified by py3langid (its model ships in the package:
nothing is downloaded). The pipeline after ingest (spaCy's English model, English word lists) reads
English only, so other languages are refused by name rather than mis-read."""
from __future__ import annotations

import functools
import tomllib

from kg.errors import InputError
from kg.paths import ONTOLOGY_DIR

ENGLISH = "en"
# Below this many words an identification is a guess (a headline, a caption), and the article is
# let through: a short English text must not be refused because it looked like Dutch.
_MIN_WORDS = 12
# Only a confident identification refuses an article; a mixed page gets the benefit of the doubt.
_MIN_PROBABILITY = 0.9
_SAMPLE_CHARS = 20_000  # the start of a long article says enough, at a fraction of the cost


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    with open(ONTOLOGY_DIR / "languages.toml", "rb") as fh:
        return dict(tomllib.load(fh)["names"])


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 code ("ru" -> "Russian"), or the code itself."""
    return _names().get(code, code)


def identify(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) of ``text``'s language; None for a text too short to tell."""
    if len(text.split()) < _MIN_WORDS:
        return None
    code, prob = _identifier().classify(text[:_SAMPLE_CHARS])
    return str(code), float(prob)


def check_language(text: str, source: str, wanted: str | None = ENGLISH) -> str | None:
    """The language code of ``text`` (None when it cannot be told); `InputError` naming ``source``
    and the language when it is confidently not ``wanted`` (None: any language is accepted)."""
    found = identify(text)
    if found is None:
        return None
    code, prob = found
    if wanted is not None and code != wanted and prob >= _MIN_PROBABILITY:
        raise InputError(f"not in {language_name(wanted)} (the text reads as {language_name(code)}, "
                         f"'{code}'); newskg reads {language_name(wanted)} articles only", source)
    return code if prob >= _MIN_PROBABILITY else None
