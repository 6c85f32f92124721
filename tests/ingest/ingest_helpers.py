"""Shared by the tests of kg.ingest: an article paragraph, files written on the fly, and the
check that a file is refused with an `InputError` naming it."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import read_document

HTML = Path(__file__).resolve().parent.parent / "data" / "html"

BODY = (
    "Iran and Pakistan agreed on Saturday to expand border cooperation after talks in Tehran "
    "between senior military officials from both countries, officials said."
)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def paragraphs(doc) -> list[str]:
    return doc.text.split("\n\n")


def assert_input_error(path: Path, match: str, **kw) -> InputError:
    with pytest.raises(InputError, match=match) as err:
        read_document(path, **kw)
    assert err.value.path == path.as_posix()
    assert str(err.value).startswith(path.as_posix() + ": ")
    return err.value
