"""Ingest: turn saved news pages (plain-text scrapes or HTML) into clean `Document`s.

Reading is strict about what it accepts (text files only, bounded size) and lenient about
how they are encoded. Page furniture -- navigation, share buttons, tag lists, promos, captions
printed twice -- is removed by rules kept as data in ``ontology/furniture.toml``, so users can
extend them for new outlets without touching code. Nothing here touches the network.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from kg.errors import InputError, display_name
from kg.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, IngestLimits
from kg.ingest.bylines import clean_author, parse_byline
from kg.ingest.dates import dateline_date, find_date, parse_date_line, parse_date_value
from kg.ingest.decode import binary_kind, decode_text, looks_like_html
from kg.ingest.files import HTML_SUFFIXES, SUFFIXES, TEXT_SUFFIXES, iter_files, read_bytes
from kg.ingest.chars import SENTENCE_END, clean_chars, clean_line, norm
from kg.ingest.furniture import DEFAULT_FURNITURE, FurnitureRules, load_furniture
from kg.model import Document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IngestLimits",
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "FurnitureRules",
    "load_furniture",
    "iter_files",
    "read_document",
    "read_documents",
    "parse_text",
    "clean_line",
    "parse_html",
    "parse_byline",
    "parse_date_line",
    "find_date",
]

log = logging.getLogger(__name__)

# Bylines and date lines are only looked for among the first paragraphs: further down, a line
# "By X" or a lone date is more likely a quote or a list than the page's own metadata.
_HEAD_PARAGRAPHS = 8
_TITLE_MAX_WORDS = 25
_BODY_MIN_WORDS = 20  # a paragraph this long means the article body has started


# --------------------------------------------------------------------------- files


def read_documents(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    max_bytes: int | None = None,
    rules: FurnitureRules | None = None,
    limits: IngestLimits | None = None,
) -> Iterator[Document]:
    """Read every article file under `paths`.

    With ``strict`` the first `InputError` propagates. Otherwise it goes to ``on_error`` (or to
    the log as a warning when no callback is given) and reading goes on with the next file; a
    folder that cannot be read is reported the same way and the rest of the tree is still read.
    ``limits`` (``max_bytes`` overrides its size limit) bound what each file may cost.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    limits = _limits(limits, max_bytes=max_bytes)
    rules = rules or load_furniture()

    def failed(err: InputError) -> None:
        if strict:
            raise err
        if on_error is not None:
            on_error(err)
        else:
            log.warning("skipped %s", err)

    files: list[Path] = []
    for p in paths:
        # One bad argument must not hide the files named by the others.
        try:
            files.extend(iter_files([p], on_error=failed))
        except InputError as err:
            failed(err)
    seen: set[Path] = set()
    for f in sorted(files):
        if f in seen:
            continue
        seen.add(f)
        try:
            doc = read_document(f, limits=limits, rules=rules)
        except InputError as err:
            failed(err)
            continue
        yield doc


def _limits(limits: IngestLimits | None, *, max_bytes: int | None = None,
            max_depth: int | None = None) -> IngestLimits:
    limits = limits or IngestLimits()
    changes = {k: v for k, v in (("max_bytes", max_bytes), ("max_depth", max_depth)) if v is not None}
    return dataclasses.replace(limits, **changes) if changes else limits


def read_document(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    max_depth: int | None = None,
    rules: FurnitureRules | None = None,
    limits: IngestLimits | None = None,
) -> Document:
    """Read one ``.txt`` or ``.html``/``.htm`` file into a clean `Document`.

    Raises `InputError` naming the file when it is missing, unreadable, not a regular file,
    over a limit of ``limits`` (size on disk, HTML nesting, text length; ``max_bytes`` and
    ``max_depth`` override them), binary, or has no article text once furniture is removed.
    The document's ``source`` is the path as messages show it (`kg.errors.display_name`).
    """
    limits = _limits(limits, max_bytes=max_bytes, max_depth=max_depth)
    p = Path(path)
    name = p.as_posix()
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("unsupported file type; expected .txt, .html or .htm", name)
    raw = read_bytes(p, name, limits.max_bytes)
    if not raw:
        raise InputError("empty file (0 bytes): no article text", name)
    if not raw.strip():
        raise InputError("empty file (only blank space): no article text", name)
    kind = binary_kind(raw)
    if kind:
        raise InputError(f"looks like {kind}, not text", name)
    is_html = suffix in HTML_SUFFIXES or looks_like_html(raw)
    text = decode_text(raw, name, html=is_html)
    rules = rules or load_furniture()
    source = display_name(name)
    if is_html:
        doc = parse_html(text, source=source, rules=rules, max_depth=limits.max_depth,
                         max_elements=limits.max_elements)
    else:
        doc = parse_text(text, source=source, rules=rules)
    if len(doc.text) > limits.max_chars:
        raise InputError(f"article text too long ({len(doc.text):,} characters; the limit is "
                         f"{limits.max_chars:,})", name)
    return doc


# --------------------------------------------------------------------------- cleaning


@dataclass
class _Meta:
    title: str | None = None
    date: dt.date | None = None
    author: str | None = None
    outlet: str | None = None


@dataclass
class _Para:
    text: str
    drop: bool = False  # furniture, duplicate, or metadata line: not in the body
    role: str = "body"  # body | furniture | duplicate | byline | date | title | kicker


@dataclass
class _Cleaned:
    title: str | None
    body: list[str]
    furniture: list[str] = field(default_factory=list)


def _looks_like_headline(s: str) -> bool:
    """Short, no final full stop (or colon, comma, ellipsis), not starting in lower case."""
    words = s.split()
    return (
        2 <= len(words) < _TITLE_MAX_WORDS
        and len(s) <= 250
        and not s.endswith((".", ":", ",", ";", "\u2026"))
        and any(c.isalpha() for c in s)
        and not s[0].islower()
    )


def _is_label(s: str) -> bool:
    """A section label printed above a headline ("Middle East", "WORLD")."""
    words = [w for w in s.split() if any(c.isalnum() for c in w)]
    return 1 <= len(words) <= 3 and not s.endswith(SENTENCE_END) and not s[0].islower()


def _looks_like_tags(s: str, max_words: int) -> bool:
    """A line of taxonomy names ("Iran, Pakistan", "Asia & AmericasIranMiddle East"), not a headline."""
    words = s.split()
    if len(words) > max_words or s.endswith(SENTENCE_END):
        return False
    if len(words) <= 3:
        return True
    items = [i.split() for i in re.split(r"[,|·•/;]", s)]
    if len(items) > 1 and all(len(i) <= 4 for i in items):
        return True
    return len(words) <= 6 and all(not w[0].islower() for w in words)


def _clean(texts: list[str], rules: FurnitureRules, meta: _Meta, *, find_title: bool) -> _Cleaned:
    """Drop furniture and duplicates, take title/byline/date from the head, keep the body in order."""
    paras = [_Para(t) for t in (norm(t) for t in texts) if t]

    def drop(p: _Para, role: str) -> None:
        p.drop, p.role = True, role

    body_started = False
    i = 0
    while i < len(paras):
        p = paras[i]
        t = p.text
        if body_started and rules.is_end_marker(t):
            for q in paras[i:]:
                if not q.drop:
                    drop(q, "furniture")
            break
        if rules.is_header(t):
            drop(p, "furniture")
            j, n = i + 1, 0
            while (
                j < len(paras)
                and n < rules.header_max_lines
                and _looks_like_tags(paras[j].text, rules.header_max_words)
                and not rules.is_header(paras[j].text)
                and not rules.is_end_marker(paras[j].text)
            ):
                drop(paras[j], "furniture")
                j, n = j + 1, n + 1
            i = j
            continue
        if rules.is_literal(t) or rules.matches_pattern(t) or rules.is_language_switcher(t):
            drop(p, "furniture")
        else:
            outlet = rules.outlet_of(t)
            if outlet is not None:
                drop(p, "furniture")
                if meta.outlet is None:
                    meta.outlet = outlet
            elif len(t.split()) >= _BODY_MIN_WORDS:
                body_started = True
        i += 1

    seen: set[str] = set()
    for p in paras:
        if p.drop:
            continue
        if p.text in seen:
            drop(p, "duplicate")
        seen.add(p.text)

    kept = [p for p in paras if not p.drop]
    head = kept[:_HEAD_PARAGRAPHS]
    title_para: _Para | None = None
    labels: list[_Para] = []
    title_done = not find_title
    for p in head:
        if p.drop:
            continue
        byline = parse_byline(p.text, rules)
        if byline is not None:
            drop(p, "byline")
            author, date = byline
            meta.author = meta.author or author
            meta.date = meta.date or date
            continue
        date = parse_date_line(p.text)
        if date is not None:
            drop(p, "date")
            meta.date = meta.date or date
            continue
        if meta.author and p.text.casefold() == meta.author.casefold():
            drop(p, "byline")  # an author box without "By"
            continue
        if title_done:
            continue
        if _is_label(p.text) and len(labels) < 2:
            labels.append(p)
            continue
        if _looks_like_headline(p.text) and (not labels or len(p.text.split()) >= 4):
            title_para = p
            for lab in labels:
                drop(lab, "kicker")
        title_done = True

    if find_title and title_para is None and labels:
        # No longer headline after the short line(s): the wordiest of them is a short headline,
        # a shorter one before it a section label ("World" above "Iran talks").
        fits = [k for k, lab in enumerate(labels) if _looks_like_headline(lab.text)]
        if fits:
            k = max(fits, key=lambda k: (len(labels[k].text.split()), -k))
            title_para = labels[k]
            for lab in labels[:k]:
                drop(lab, "kicker")

    if title_para is not None:
        drop(title_para, "title")
        meta.title = title_para.text

    if meta.date is None:
        for p in kept:
            if not p.drop:
                meta.date = dateline_date(p.text)
                break

    if meta.title:
        key = meta.title.casefold()
        for p in paras:
            if not p.drop and p.text.casefold() == key:
                drop(p, "duplicate")  # the <h1> repeating og:title

    return _Cleaned(
        title=meta.title,
        body=[p.text for p in paras if not p.drop],
        furniture=[p.text for p in paras if p.drop and p.role != "title"],
    )


def _make_document(source: str, cleaned: _Cleaned, meta: _Meta) -> Document:
    if not cleaned.body:
        raise InputError("no article text (nothing left after removing page furniture)", source)
    parts = ([cleaned.title] if cleaned.title else []) + cleaned.body
    return Document(
        source=source,
        text="\n\n".join(parts),
        title=cleaned.title,
        date=meta.date,
        author=meta.author,
        outlet=meta.outlet,
        furniture=tuple(cleaned.furniture),
    )


# --------------------------------------------------------------------------- plain text


def _text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text scrape.

    Scrapes put one paragraph per line; hard-wrapped text (every line short, paragraphs as
    blocks of lines) is joined back into paragraphs instead.
    """
    lines = [norm(line) for line in clean_chars(text).split("\n")]
    nonblank = [line for line in lines if line]
    if not nonblank:
        return []
    followed = sum(1 for a, b in zip(lines, lines[1:]) if a and b)
    wrapped = max(map(len, nonblank)) <= 100 and followed >= 0.3 * len(nonblank) and len(nonblank) >= 4
    if not wrapped:
        return nonblank
    paras: list[str] = []
    block: list[str] = []
    for line in lines + [""]:
        if line:
            block.append(line)
        elif block:
            paras.append(" ".join(block))
            block = []
    return paras


def parse_text(text: str, *, source: str, rules: FurnitureRules | None = None) -> Document:
    """A `Document` from the decoded text of a plain-text scrape."""
    rules = rules or load_furniture()
    meta = _Meta()
    cleaned = _clean(_text_paragraphs(text), rules, meta, find_title=True)
    if not cleaned.body and cleaned.title:
        # A single short line is a note, not a headline over an empty article.
        cleaned = _Cleaned(title=None, body=[cleaned.title], furniture=cleaned.furniture)
        meta.title = None
    return _make_document(source, cleaned, meta)


# --------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
    "figcaption", "figure", "div", "section", "article", "main", "pre", "table", "thead", "tbody",
    "tr", "td", "th", "caption", "address", "center", "details", "summary", "hr", "br", "body",
})
_ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report",
    "scholarlyarticle", "socialmediaposting",
})


def _html_parser(max_depth: int = DEFAULT_MAX_DEPTH) -> etree.HTMLParser:
    # no_network: never fetch DTDs or anything else. libxml2's HTML parser reads no DOCTYPE
    # internal subset, so entity declarations are never expanded (tests/test_ingest.py checks both).
    # huge_tree only when asked for more nesting than libxml2's default ceiling of 256 levels.
    return lxml.html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True,
        recover=True, huge_tree=max_depth >= _LIBXML2_DEPTH, collect_ids=False,
    )


_LIBXML2_DEPTH = 256  # libxml2 stops nesting here without huge_tree, and drops the rest (measured)


def _deeper_than(root: etree._Element, levels: int) -> bool:
    """True when some element sits more than ``levels`` deep (``<html>`` is level 1)."""
    # One XPath step per level, evaluated in C: no Python recursion, linear in the tree.
    return bool(root.xpath("boolean(" + "/*" * (levels + 1) + ")"))


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _text_of(el: etree._Element) -> str:
    return norm(el.text_content())


def _attr(el: etree._Element, name: str) -> str:
    return norm(el.get(name) or "")


def _meta_content(root: etree._Element, *keys: str) -> str | None:
    wanted = {k.lower() for k in keys}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in wanted:
            v = _attr(el, "content")
            if v:
                return v
    return None


def _ancestor_tags(el: etree._Element) -> set[str]:
    return {_tag(a) for a in el.iterancestors()}


def _json_ld_nodes(root: etree._Element) -> list[dict]:
    nodes: list[dict] = []

    def collect(obj: object) -> None:
        if isinstance(obj, list):
            for x in obj:
                collect(x)
        elif isinstance(obj, dict):
            nodes.append(obj)
            if "@graph" in obj:
                collect(obj["@graph"])

    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            collect(json.loads(el.text or "", strict=False))
        except (ValueError, RecursionError):
            continue  # a broken block of JSON-LD is common; the page's other metadata still count
    return nodes


def _types(node: dict) -> set[str]:
    t = node.get("@type", [])
    return {x.lower() for x in ([t] if isinstance(t, str) else t if isinstance(t, list) else []) if isinstance(x, str)}


def _json_ld_article(nodes: list[dict]) -> tuple[dict | None, dict[str, dict]]:
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    for n in nodes:
        if _types(n) & _ARTICLE_TYPES:
            return n, by_id
    for n in nodes:
        if "datePublished" in n or "headline" in n:
            return n, by_id
    return None, by_id


def _ld_deref(value: object, by_id: dict[str, dict]) -> object:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
        return by_id[value["@id"]]
    return value


def _ld_names(value: object, by_id: dict[str, dict], *, persons_only: bool) -> list[str]:
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        v = _ld_deref(v, by_id)
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            if persons_only and _types(v) and "person" not in _types(v):
                continue
            name = v.get("name")
            if isinstance(name, str):
                out.append(name)
    return [norm(x) for x in out if norm(x)]


def _strip_outlet_suffix(title: str, outlet: str | None) -> str:
    if not outlet:
        return title
    o = re.escape(outlet)
    sep = r"\s+[|\-–—:·•]+\s+"
    stripped = re.sub(rf"{sep}{o}\s*$", "", title, flags=re.I)
    stripped = re.sub(rf"^{o}{sep}", "", stripped, flags=re.I)
    return stripped.strip() or title


def _html_metadata(root: etree._Element, rules: FurnitureRules) -> _Meta:
    meta = _Meta()
    nodes = _json_ld_nodes(root)
    article, by_id = _json_ld_article(nodes)

    outlet = _meta_content(root, "og:site_name")
    if not outlet and article is not None:
        pub = _ld_names(article.get("publisher"), by_id, persons_only=False)
        outlet = pub[0] if pub else None
    meta.outlet = outlet or None

    title = _meta_content(root, "og:title", "twitter:title")
    if not title:
        h1s = list(root.iter("h1"))
        preferred = [h for h in h1s if _ancestor_tags(h) & {"article", "main"}]
        plain = [h for h in h1s if not _ancestor_tags(h) & {"header", "nav", "footer", "aside"}]
        for h in preferred + plain + h1s:
            t = _text_of(h)
            if t:
                title = t
                break
    if not title and article is not None and isinstance(article.get("headline"), str):
        title = norm(article["headline"])
    if not title:
        t = root.find(".//title")
        title = _text_of(t) if t is not None else None
    meta.title = _strip_outlet_suffix(title, meta.outlet) if title else None

    date = parse_date_value(_meta_content(root, "article:published_time"))
    if date is None:
        for el in root.iter():
            if (el.get("itemprop") or "").strip().lower() == "datepublished":
                date = parse_date_value(el.get("content") or el.get("datetime") or _text_of(el))
                if date:
                    break
    if date is None and article is not None and isinstance(article.get("datePublished"), str):
        date = parse_date_value(article["datePublished"])
    if date is None:
        date = _time_element_date(root)
    if date is None:
        date = parse_date_value(
            _meta_content(root, "date", "pubdate", "publishdate", "publish-date", "publish_date",
                          "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued", "dcterms.created")
        )
    meta.date = date

    candidates: list[str | None] = [_meta_content(root, "author", "article:author", "parsely-author", "sailthru.author")]
    candidates += [_text_of(a) for a in root.iter("a") if "author" in (a.get("rel") or "").lower().split()]
    if article is not None:
        names = _ld_names(article.get("author"), by_id, persons_only=True)
        if names:
            candidates.append(", ".join(names))
    candidates += [
        _text_of(el) for el in root.iter()
        if isinstance(el.tag, str) and "byline" in (el.get("class") or "").lower()
    ]
    for c in candidates:
        author = clean_author(c, rules, meta.outlet)
        if author:
            meta.author = author
            break
    if meta.date is None:
        for el in root.iter():
            if isinstance(el.tag, str) and "byline" in (el.get("class") or "").lower():
                parsed = parse_byline(_text_of(el), rules)
                if parsed and parsed[1]:
                    meta.date = parsed[1]
                    break
    return meta


def _time_element_date(root: etree._Element) -> dt.date | None:
    """The publication date from <time datetime>: a marked one first, never an 'updated' one."""
    times = [t for t in root.iter("time") if t.get("datetime")]

    def marks(t: etree._Element) -> str:
        return " ".join(filter(None, [t.get("class"), t.get("itemprop"), t.get("id"), t.get("pubdate")])).lower()

    times = [t for t in times if not re.search(r"updat|modif", marks(t))]
    ranked = (
        [t for t in times if re.search(r"publish|pubdate|posted|created", marks(t)) or t.get("pubdate") is not None]
        + [t for t in times if _ancestor_tags(t) & {"article", "main"}]
        + [t for t in times if not _ancestor_tags(t) & {"nav", "aside", "footer"}]
    )
    for t in ranked:
        d = parse_date_value(t.get("datetime"))
        if d:
            return d
    return None


def _p_text_len(el: etree._Element) -> int:
    return sum(len(_text_of(p)) for p in el.iter("p"))


def _body_root(root: etree._Element) -> etree._Element:
    """<article> (the one with most paragraph text), else the element with most <p> text.

    An <article> that holds less than half as much paragraph text as the best other element is
    a teaser card, not the story, and is passed over.
    """
    best, best_len = None, 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        n = sum(len(_text_of(p)) for p in el if _tag(p) == "p")
        if n > best_len:
            best, best_len = el, n
    articles = list(root.iter("article"))
    if articles:
        article = max(articles, key=_p_text_len)
        if _p_text_len(article) * 2 >= best_len:
            return article
    if best is not None:
        return best
    body = root.find(".//body")
    return body if body is not None else root


def _prune(body: etree._Element, rules: FurnitureRules) -> None:
    """Remove non-article elements inside `body` (tags, roles, hidden, furniture classes)."""
    total = max(_p_text_len(body), 1)
    doomed = []
    for el in body.iterdescendants():
        if not isinstance(el.tag, str):
            doomed.append(el)
            continue
        tag = _tag(el)
        role = (el.get("role") or "").strip().lower()
        style = (el.get("style") or "").replace(" ", "").lower()
        if (
            tag in rules.drop_tags
            or role in rules.drop_roles
            or el.get("hidden") is not None
            or "display:none" in style
        ):
            doomed.append(el)
            continue
        marks = " ".join(filter(None, [el.get("class"), el.get("id")]))
        if marks and any(p.search(marks) for p in rules.drop_class_patterns):
            # A wrapper such as class="article-body comments-on" must not take the article with it.
            if _p_text_len(el) * 3 < total:
                doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the text that follows the removed element: it belongs to the parent.
        tail = el.tail
        prev = el.getprevious()
        parent.remove(el)
        # Cleaned again: lxml decodes "&#1;" into a control character it then refuses to set.
        if tail:
            if prev is not None:
                prev.tail = clean_chars((prev.tail or "") + tail)
            else:
                parent.text = clean_chars((parent.text or "") + tail)


def _html_paragraphs(body: etree._Element) -> list[str]:
    """Text of block elements, each block its own paragraph (nested blocks split the parent)."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        t = norm("".join(buf))
        if t:
            out.append(t)
        buf.clear()

    # Depth-first with an explicit stack (no recursion, whatever the nesting): an element is
    # entered, then its children, then left; its tail belongs to the parent, after it.
    todo: list[tuple[bool, etree._Element]] = [(True, body)]
    while todo:
        entering, el = todo.pop()
        block = _tag(el) in _BLOCK_TAGS
        if entering:
            if block:
                flush()
            if el.text and isinstance(el.tag, str):
                buf.append(el.text)
            todo.append((False, el))
            todo.extend((True, child) for child in reversed(el))
        else:
            if block:
                flush()
            if el is not body and el.tail:
                buf.append(el.tail)
    flush()
    return out


def parse_html(text: str, *, source: str, rules: FurnitureRules | None = None,
               max_depth: int = DEFAULT_MAX_DEPTH, max_elements: int = DEFAULT_MAX_ELEMENTS) -> Document:
    """A `Document` from the decoded text of an HTML page (nothing is fetched).

    A page nested deeper than ``max_depth`` elements is refused with an `InputError`, never cut
    short silently (libxml2 drops everything below its own depth ceiling); so is a page of more
    than ``max_elements`` elements.
    """
    rules = rules or load_furniture()
    parser = _html_parser(max_depth)
    try:
        root = lxml.html.document_fromstring(clean_chars(text).encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise InputError(f"no article text (HTML could not be parsed: {err})", source) from err
    limited = [e for e in parser.error_log if e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT]
    if any("depth" in e.message.lower() for e in limited) or _deeper_than(root, max_depth):
        raise InputError(f"HTML nested too deep (more than {max_depth} levels of elements; "
                         "the limit is set by --max-depth)", source)
    if limited:
        raise InputError(f"HTML beyond the parser's limits ({limited[0].message.strip()})", source)
    elements = int(root.xpath("count(//*)"))
    if elements > max_elements:
        raise InputError(f"HTML has too many elements ({elements:,}; the limit is {max_elements:,})", source)
    meta = _html_metadata(root, rules)
    body = _body_root(root)
    _prune(body, rules)
    paras = _html_paragraphs(body)
    cleaned = _clean(paras, rules, meta, find_title=meta.title is None)
    return _make_document(source, cleaned, meta)
