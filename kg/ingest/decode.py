"""Decoding: the bytes of an article file to text, and binary files told apart from text.

Lenient about encodings (BOMs, a page's declared charset, cp1252 and latin-1 as fallbacks),
strict about what is text at all: known binary signatures, NUL bytes and text that is mostly
control characters are refused.
"""
from __future__ import annotations

import codecs
import re

from kg.errors import InputError

# A file whose decoded text is more than this share control characters is not an article.
_BINARY_CONTROL_SHARE = 0.10
# First bytes of binary formats that scrapers save under a text name (a photo as "story.txt").
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),  # letters only: see binary_kind
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh9", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),  # letters only: see binary_kind
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00\x00\x00\x1cftyp", "an MP4/HEIC file"),
    (b"\x00\x00\x00\x20ftyp", "an MP4/HEIC file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4/HEIC file"),
)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# Encodings a page may declare in <meta charset>: the web's text encodings (WHATWG Encoding
# Standard), by Python codec name. Anything else ("rot13", "punycode", "utf-7", "hex", ...) is
# ignored: those codecs are transforms, not character sets, and some are slow on crafted input.
_WEB_ENCODINGS = frozenset({
    "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7",
    "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r",
    "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252", "cp1253",
    "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk", "gb2312", "gb18030", "big5",
    "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949",
})
# The WHATWG standard reads these labels as windows-1252, whatever the page says.
_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii"})
# What binary data decodes to: control characters other than whitespace, and replacement marks.
_BINARY_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)


def binary_kind(raw: bytes) -> str | None:
    """What a file is when its first bytes are a known binary signature ("a PNG image")."""
    for magic, kind in _BINARY_SIGNATURES:
        if raw.startswith(magic):
            # A text may start with "MZ" or "RIFF"; a binary header has control bytes soon after.
            if magic.isalpha() and not _CONTROL_BYTES.search(raw[:512]):
                continue
            return kind
    return None


def looks_like_html(raw: bytes) -> bool:
    """True when the bytes start as an HTML page does (``<!DOCTYPE html`` or ``<html``)."""
    # A raw page saved with a .txt name is still HTML; parsing it as text would keep the markup.
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def decode_text(raw: bytes, name: str, *, html: bool = False) -> str:
    """``raw`` decoded (BOM, else UTF-8, the page's declared charset, cp1252, latin-1); binary refused."""
    text: str | None = None
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            body = raw[len(bom):]
            try:
                text = body.decode(enc, errors="surrogatepass")
            except UnicodeDecodeError:
                text = body.decode(enc, errors="replace")  # truncated file: keep what is readable
            break
    if text is None:
        if b"\x00" in raw:
            raise InputError("looks binary, not text (contains NUL bytes)", name)
        candidates = ["utf-8"]
        if html:
            m = _META_CHARSET.search(raw[:4096])
            declared = _web_encoding(m.group(1).decode("ascii", "replace")) if m else None
            if declared:
                candidates.append(declared)
        candidates += ["cp1252", "latin-1"]
        for enc in candidates:
            try:
                # surrogatepass: UTF-8 with an encoded lone surrogate is still UTF-8; the
                # surrogate itself is dropped later, with the other unwanted characters (chars.py).
                text = raw.decode(enc, errors="surrogatepass" if enc == "utf-8" else "strict")
                break
            except (LookupError, UnicodeDecodeError):
                continue
        assert text is not None  # latin-1 decodes every byte string
    if text:
        controls = sum(1 for _ in _BINARY_CHARS.finditer(text))
        if "\x00" in text or controls / len(text) > _BINARY_CONTROL_SHARE:
            raise InputError("looks binary, not text (too many control characters)", name)
    return text


def _web_encoding(label: str) -> str | None:
    """The codec for a declared charset when it is a web text encoding, else None."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    if name in _AS_CP1252:
        return "cp1252"
    return name if name in _WEB_ENCODINGS else None
