"""Document -> mentions, roles, relations and events, from spaCy's parse and `ontology/` data.

Nothing here knows the seeds' wording: entity types come from the entity ruler, the statistical
NER and lexicon cues; roles from title phrases and appositions in the parse; events and relations
from the trigger table (`ontology/triggers.toml`) applied to dependency slots.

One module per phase, each a set of functions over a shared `Context` (context.py): mentions
(with descriptions), roles, events (then merge), relations; arguments and claims are what the
phases share, labels the label sets they test.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.extract.context import Context
from kg.extract.events import find_events
from kg.extract.mentions import find_mentions, org_type
from kg.extract.merge import settle_events
from kg.extract.relations import find_relations
from kg.extract.roles import expand_titles, find_roles
from kg.model import Document, Extraction
from kg.ontology.gazetteer import load_gazetteer
from kg.ontology.lexicon import load_lexicon, load_triggers

if TYPE_CHECKING:  # annotations only: resolution imports this package, and needs no spaCy
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["extract", "extract_doc", "load_lexicon", "org_type"]


def extract_doc(document: Document, sdoc: Doc, *, use_gazetteer: bool = True) -> Extraction:
    """Extract from a document already parsed by the pipeline of `kg.nlp`."""
    ctx = Context(document, sdoc, load_gazetteer(enabled=use_gazetteer), load_lexicon(), load_triggers())
    # the phases in order: each reads what the ones before it found
    find_mentions(ctx)
    find_roles(ctx)
    expand_titles(ctx)
    find_events(ctx)
    settle_events(ctx)
    find_relations(ctx)
    return ctx.x


def extract(documents: Iterable[Document], nlp: Language, *, use_gazetteer: bool = True,
            batch_size: int = 16, n_process: int = 1) -> Iterator[Extraction]:
    """Parse documents in batches with ``nlp.pipe`` and extract from each, in order."""
    docs = list(documents) if not isinstance(documents, list) else documents
    texts = (d.text for d in docs)
    for document, sdoc in zip(docs, nlp.pipe(texts, batch_size=batch_size, n_process=n_process)):
        yield extract_doc(document, sdoc, use_gazetteer=use_gazetteer)
