"""Page metadata -- title, publication date, author, outlet -- and how an HTML page states it
(Open Graph and other <meta> tags, JSON-LD, <time> elements, author links and byline boxes).

The plain-text reader fills the same `Meta` from the page's first lines (see clean.py).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from lxml import etree

from kg.ingest.bylines import clean_author, parse_byline
from kg.ingest.chars import norm
from kg.ingest.dates import parse_date_value
from kg.ingest.elements import ancestor_tags, attr, text_of
from kg.ingest.furniture import FurnitureRules

_ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report",
    "scholarlyarticle", "socialmediaposting",
})


@dataclass
class Meta:
    """What a page says about its article, as far as it has been found."""

    title: str | None = None
    date: dt.date | None = None
    author: str | None = None
    outlet: str | None = None


def _meta_content(root: etree._Element, *keys: str) -> str | None:
    wanted = {k.lower() for k in keys}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in wanted:
            v = attr(el, "content")
            if v:
                return v
    return None


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


def html_metadata(root: etree._Element, rules: FurnitureRules) -> Meta:
    """Title, date, author and outlet as the page's markup states them (None where it does not)."""
    meta = Meta()
    nodes = _json_ld_nodes(root)
    article, by_id = _json_ld_article(nodes)
    meta.outlet = _outlet(root, article, by_id)
    meta.title = _title(root, article, meta.outlet)
    meta.date = _date(root, article)
    meta.author = _author(root, article, by_id, rules, meta.outlet)
    if meta.date is None:
        meta.date = _byline_box_date(root, rules)
    return meta


def _outlet(root: etree._Element, article: dict | None, by_id: dict[str, dict]) -> str | None:
    """og:site_name, else the JSON-LD article's publisher."""
    outlet = _meta_content(root, "og:site_name")
    if not outlet and article is not None:
        pub = _ld_names(article.get("publisher"), by_id, persons_only=False)
        outlet = pub[0] if pub else None
    return outlet or None


def _title(root: etree._Element, article: dict | None, outlet: str | None) -> str | None:
    """og:title, the story's <h1>, the JSON-LD headline or <title>, without the outlet's name."""
    title = _meta_content(root, "og:title", "twitter:title")
    if not title:
        h1s = list(root.iter("h1"))
        preferred = [h for h in h1s if ancestor_tags(h) & {"article", "main"}]
        plain = [h for h in h1s if not ancestor_tags(h) & {"header", "nav", "footer", "aside"}]
        for h in preferred + plain + h1s:
            t = text_of(h)
            if t:
                title = t
                break
    if not title and article is not None and isinstance(article.get("headline"), str):
        title = norm(article["headline"])
    if not title:
        t = root.find(".//title")
        title = text_of(t) if t is not None else None
    return _strip_outlet_suffix(title, outlet) if title else None


def _date(root: etree._Element, article: dict | None) -> dt.date | None:
    """The publication date from the markup that states it, most explicit first."""
    date = parse_date_value(_meta_content(root, "article:published_time"))
    if date is None:
        for el in root.iter():
            if (el.get("itemprop") or "").strip().lower() == "datepublished":
                date = parse_date_value(el.get("content") or el.get("datetime") or text_of(el))
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
    return date


def _author(root: etree._Element, article: dict | None, by_id: dict[str, dict], rules: FurnitureRules,
            outlet: str | None) -> str | None:
    """The first author value of the markup that names a person (not the outlet)."""
    candidates: list[str | None] = [_meta_content(root, "author", "article:author", "parsely-author", "sailthru.author")]
    candidates += [text_of(a) for a in root.iter("a") if "author" in (a.get("rel") or "").lower().split()]
    if article is not None:
        names = _ld_names(article.get("author"), by_id, persons_only=True)
        if names:
            candidates.append(", ".join(names))
    candidates += [
        text_of(el) for el in root.iter()
        if isinstance(el.tag, str) and "byline" in (el.get("class") or "").lower()
    ]
    for c in candidates:
        author = clean_author(c, rules, outlet)
        if author:
            return author
    return None


def _byline_box_date(root: etree._Element, rules: FurnitureRules) -> dt.date | None:
    """The date in an element of class "byline", when the page states it nowhere else."""
    for el in root.iter():
        if isinstance(el.tag, str) and "byline" in (el.get("class") or "").lower():
            parsed = parse_byline(text_of(el), rules)
            if parsed and parsed[1]:
                return parsed[1]
    return None


def _time_element_date(root: etree._Element) -> dt.date | None:
    """The publication date from <time datetime>: a marked one first, never an 'updated' one."""
    times = [t for t in root.iter("time") if t.get("datetime")]

    def marks(t: etree._Element) -> str:
        return " ".join(filter(None, [t.get("class"), t.get("itemprop"), t.get("id"), t.get("pubdate")])).lower()

    times = [t for t in times if not re.search(r"updat|modif", marks(t))]
    ranked = (
        [t for t in times if re.search(r"publish|pubdate|posted|created", marks(t)) or t.get("pubdate") is not None]
        + [t for t in times if ancestor_tags(t) & {"article", "main"}]
        + [t for t in times if not ancestor_tags(t) & {"nav", "aside", "footer"}]
    )
    for t in ranked:
        d = parse_date_value(t.get("datetime"))
        if d:
            return d
    return None
