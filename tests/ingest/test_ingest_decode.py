"""Tests for kg.ingest.decode: encodings, BOMs, declared charsets, binary files under a text name."""
from __future__ import annotations

import pytest
from ingest_helpers import BODY, assert_input_error, paragraphs, write

from kg.ingest import read_document


def test_binary_file_renamed_txt(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    assert_input_error(write(tmp_path / "photo.txt", png), "looks like a PNG image, not text")
    noisy = bytes((i * 7) % 32 for i in range(1, 2000) if (i * 7) % 32 not in (0, 9, 10, 13)) + b"abc"
    assert_input_error(write(tmp_path / "noise.txt", noisy), "looks binary, not text")


def test_signature_words_at_the_start_of_a_text_are_not_binary(tmp_path):
    doc = read_document(write(tmp_path / "mz.txt", f"MZ Transport strike ends\n\n{BODY}\n"))
    assert doc.title == "MZ Transport strike ends"


def test_txt_file_holding_html_is_parsed_as_html(tmp_path):
    page = f"<!DOCTYPE html><html><head><title>Talks in Tehran</title></head><body><p>{BODY}</p></body></html>"
    doc = read_document(write(tmp_path / "saved.txt", page))
    assert doc.title == "Talks in Tehran"
    assert "<p>" not in doc.text


def test_cp1252_file(tmp_path):
    text = f"Café owners protest “new tax”\n\n{BODY} It cost €5 – said Zoë.\n"
    doc = read_document(write(tmp_path / "cp.txt", text, encoding="cp1252"))
    assert doc.title == "Café owners protest “new tax”"
    assert doc.text.endswith("It cost €5 – said Zoë.")


def test_latin1_fallback_when_not_cp1252(tmp_path):
    raw = f"Border talks resume\n\n{BODY}\n".encode("ascii") + b"Caf\xe9 \x81ok.\n"
    doc = read_document(write(tmp_path / "l1.txt", raw))
    assert paragraphs(doc)[-1] == "Café ok."  # 0x81 is no cp1252 character; latin-1 C1 control dropped


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_bom_files(tmp_path, encoding):
    text = f"Iran’s border talks resume\n\n{BODY}\n"
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    doc = read_document(write(tmp_path / f"{encoding}.txt", raw))
    assert doc.title == "Iran’s border talks resume"
    assert paragraphs(doc)[1] == BODY
    assert "\ufeff" not in doc.text


def test_utf16_html_with_bom(tmp_path):
    page = f"<html><head><title>Café talks</title></head><body><article><p>{BODY} Zoë said “yes”.</p></article></body></html>"
    for enc in ("utf-16-le", "utf-16-be"):
        bom = b"\xff\xfe" if enc.endswith("le") else b"\xfe\xff"
        doc = read_document(write(tmp_path / f"{enc}.html", bom + page.encode(enc)))
        assert doc.title == "Café talks"
        assert paragraphs(doc)[-1] == f"{BODY} Zoë said “yes”."


def test_declared_charset_is_used_only_when_it_is_a_web_encoding(tmp_path):
    body = "Министерство обороны заявило о переговорах на границе с Пакистаном и Ираном в эту субботу."
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{body}</p></body></html>'
    ru = write(tmp_path / "ru.html", page, encoding="cp1251")
    assert read_document(ru, language=None).text == body  # a Russian page: its language refused by default
    # Transform codecs are no character sets: a page declaring one is read as cp1252/latin-1.
    for charset in ("rot13", "punycode", "hex", "utf-7", "base64"):
        page = f'<html><head><meta charset="{charset}"></head><body><p>{BODY} Caf\xe9.</p></body></html>'
        doc = read_document(write(tmp_path / f"{charset}.html", page, encoding="cp1252"))
        assert doc.text == f"{BODY} Café.", charset
