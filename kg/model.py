"""Plain data objects passed between the stages (ingest -> extract -> resolve -> rdf).

They hold no behaviour beyond small helpers, so every stage can be tested on its own.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One article after ingest: clean text plus the metadata the page showed.

    ``text`` starts with the title (when known) as its first paragraph, then the body
    paragraphs, separated by blank lines; every character offset in later stages points
    into this string.
    """

    source: str  # path as given by the user (posix form)
    text: str
    title: str | None = None
    date: dt.date | None = None  # publication date shown by the page
    author: str | None = None  # byline, person names only ("By X" stripped)
    outlet: str | None = None
    furniture: tuple[str, ...] = ()  # the lines stripped as page furniture, for `kg explain`/debugging
    url: str | None = None  # where the page was published (a WARC record's, a feed item's, a fetched URL)
    language: str | None = None  # ISO 639-1 code of the text's language, when it was identified

    @property
    def content_hash(self) -> str:
        """SHA-256 of the clean text: identifies the document's content independent of path."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Mention:
    """A span of a document's text that names (or refers to) an entity."""

    text: str
    label: str  # ontology class local name: Person, MilitaryOrganization, Country, ...
    start: int  # character offsets into Document.text
    end: int
    sent: int  # sentence index in the document
    entity: str | None = None  # canonical entity key, set by resolve
    kind: str = "name"  # name | acronym | short | role | demonym
    gaz_id: str | None = None  # gazetteer id when the entity ruler matched it
    country: str | None = None  # country id the text attributes it to ("Iran's IRGC")
    role_words: tuple[str, ...] = ()  # for kind="role": the nouns of the description; kind="unit": the unit's words
    owner: int | None = None  # for kind="unit": the mention of the organisation it belongs to


@dataclass(slots=True)
class Role:
    """A position held by a person, as the text states it."""

    person: int  # index of the person Mention
    title: str  # "Chief of Army Staff"
    org: int | None = None  # index of the organisation/country Mention the position belongs to
    org_name: str | None = None  # text of that org when it is not an entity mention
    rank: str | None = None  # "Major General", kept apart from the office
    sent: int = 0
    start: int = 0
    end: int = 0
    country: str | None = None  # country id from a possessive or demonym ("Iran's", "Iranian")
    former: bool = False  # "former chairman": the title without "former", held no longer


@dataclass(slots=True)
class Relation:
    """A binary relation between two mentions (resolved later to entities)."""

    subject: int  # index into mentions
    predicate: str  # ontology property local name
    object: int
    sent: int
    start: int
    end: int
    confidence: float = 1.0
    claimed_by: int | None = None  # mention index of who asserts it, for reported speech
    negated: bool = False


@dataclass(slots=True)
class Casualty:
    kind: str  # killed | wounded | arrested
    count: int | None
    who: str  # "policemen", "militants"
    affiliation: int | None = None  # mention index of the group the victims belong to


@dataclass(slots=True)
class Event:
    """An n-ary event: who did what to whom, where and when."""

    type: str  # ontology class local name: Meeting, Attack, ...
    trigger: str
    sent: int
    start: int
    end: int
    trigger_i: int = 0  # token index of the trigger in the parsed document
    agents: list[int] = field(default_factory=list)
    participants: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    date: dt.date | None = None
    date_end: dt.date | None = None  # for intervals ("late May")
    date_text: str | None = None
    casualties: list[Casualty] = field(default_factory=list)
    quote: str | None = None
    confidence: float = 1.0
    extra_sents: list[int] = field(default_factory=list)  # further sentences that added to it
    relation: str | None = None  # the binary relation it implies (triggers.toml)
    between: str | None = None  # which roles that relation joins
    claim: bool = False  # an accusation or allegation: its content is not asserted as fact
    claimed_by: int | None = None  # mention of the speaker when the event is only reported speech
    negated: bool = False  # "denied carrying out", "did not attack"
    hub: list[int] = field(default_factory=list)  # participants who are the subject ("X met A and B")


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document, before resolution."""

    doc: Document
    sentences: list[tuple[int, int]]  # (start, end) char offsets of each sentence
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    ref_date: dt.date | None = None  # the date relative expressions were resolved against
    designations: dict[int, str] = field(default_factory=dict)  # mention -> "terrorist group"
    dateline: int | None = None  # the mention of the place the report is filed from

    def sentence_text(self, i: int) -> str:
        s, e = self.sentences[i]
        return self.doc.text[s:e]
