"""Hypothesis strategies for hostile input: names, bytes and HTML as a scraper might bring back."""
from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Modest, so the whole suite stays a few minutes on 2 cores; no example database in the repo.
HOSTILE = settings(max_examples=100, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Characters that break naive code: controls, lone surrogates, XML non-characters, bidi
# controls, zero-width and format characters, quotes and brackets, astral characters.
NASTY = (
    "\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\x9f\t\n\r \u00a0\u00ad\u2028\u2029"
    "\ud800\udbff\udc00\udfff\ufffe\uffff\ufeff\ufffd\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\"'<>&;#%\\/{}|^`[]?=:@!$()*+,"
    "\U0001f600\U00010000\U0010ffff"
)
nasty_chars = st.sampled_from(NASTY)
any_chars = st.characters(codec=None, categories=None)  # every code point, surrogates included
names = st.text(st.one_of(nasty_chars, any_chars, st.characters(min_codepoint=0x20, max_codepoint=0x7e)),
                max_size=60) | st.builds(lambda c, n: c * n, st.sampled_from("a\n\u202e<"), st.integers(0, 10_000))

_WORDS = ("Iran", "Pakistan", "army", "said", "the", "border", "talks", "in", "Tehran", "on", "Saturday",
          "General", "Asim", "Munir", "met", "commander", "of", "IRGC", "By", "Reuters", "Published",
          "2023-07-17", "Share", "Advertisement", "Read more")
words = st.lists(st.sampled_from(_WORDS) | st.text(st.one_of(nasty_chars, any_chars), max_size=8), max_size=25).map(" ".join)

_TAGS = ("p", "div", "article", "main", "span", "b", "a", "h1", "h2", "li", "ul", "table", "td", "tr", "nav",
         "aside", "footer", "script", "style", "noscript", "iframe", "figure", "figcaption", "time", "title",
         "meta", "svg", "math", "template", "xmp", "plaintext", "textarea", "br", "img", "head", "body", "html")
_ATTRS = ("class", "id", "style", "hidden", "role", "itemprop", "content", "datetime", "property", "name",
          "charset", "href", "src", "rel", "type", "pubdate")
_ATTR_VALUES = ("article-body", "byline", "share-buttons", "display:none", "navigation", "datePublished",
                "author", "og:title", "og:site_name", "2023-07-17T10:00:00+04:30", "application/ld+json",
                "utf-16", "rot13", "windows-1251", "file:///etc/passwd", "http://127.0.0.1:9/x", "utf-7")
LAUGHS_DOCTYPE = '<!DOCTYPE html [<!ENTITY a "&b;&b;&b;"><!ENTITY b "&c;&c;"><!ENTITY c "lol">]>'
SYSTEM_DOCTYPE = '<!DOCTYPE x SYSTEM "file:///etc/passwd" [<!ENTITY e SYSTEM "http://127.0.0.1:9/">]>'
_SNIPPETS = (
    "&amp;", "&lt;", "&#0;", "&#1;", "&#x1F;", "&#xD800;", "&#xFFFE;", "&#1114112;", "&#99999999999;",
    "&lol;", "&nbsp;", "<!-- c -->", "<![CDATA[x]]>", "<?php x ?>", "</p>", "</div>", "<p", "<",
    LAUGHS_DOCTYPE, SYSTEM_DOCTYPE, '<!ENTITY e SYSTEM "http://127.0.0.1:9/">&e;', "&a;", "&e;",
    '<script type="application/ld+json">{"@context": "http://127.0.0.1:9/ctx", "@type": "NewsArticle", '
    '"headline": "H\\u0000\\ud800", "author": [[[[[[{"name": "\\u202eX"}]]]]]]}</script>',
    '<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script>",
    '<meta charset="utf-16">', '<base href="http://127.0.0.1:9/">', '<link rel="stylesheet" href="http://127.0.0.1:9/">',
)


@st.composite
def _element(draw, children):
    tag = draw(st.sampled_from(_TAGS))
    attrs = draw(st.lists(st.tuples(st.sampled_from(_ATTRS), st.sampled_from(_ATTR_VALUES) | words), max_size=3))
    attr_text = "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in attrs)
    inner = "".join(draw(st.lists(children, max_size=4)))
    close = draw(st.booleans())
    return f"<{tag}{attr_text}>{inner}" + (f"</{tag}>" if close else "")


html_fragments = st.recursive(
    words | st.sampled_from(_SNIPPETS),
    lambda children: _element(children),
    max_leaves=20,
)
html_pages = st.builds(
    lambda head, body, doctype: f"{doctype}<html><head>{head}</head><body>{body}</body></html>",
    st.lists(html_fragments, max_size=3).map("".join),
    st.lists(html_fragments, max_size=6).map("".join),
    st.sampled_from(["", "<!DOCTYPE html>", LAUGHS_DOCTYPE, SYSTEM_DOCTYPE]),
)
