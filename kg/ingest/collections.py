"""Article collections exported by news databases and scrapers: JSON Lines (one article a line),
JSON (an article, or a list of them) and CSV (one article a row, a header naming the columns).

The keys and columns read are listed in ``ontology/collections.toml``. JSON Lines and CSV files
are read a record at a time, so their size is not limited, only each record's (``max_bytes``).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.decode import decode_text
from kg.ingest.files import open_regular, read_bytes
from kg.ingest.records import Record, field_names, record_from_fields
from kg.limits import IngestLimits


def _record(number: int, value: object, source: str) -> Record | InputError:
    if not isinstance(value, dict):
        return InputError(f"record {number} is not an object of named fields", f"{source}#{number}")
    return record_from_fields(number, value)


def jsonl_records(path: Path, name: str, limits: IngestLimits) -> Iterator[Record | InputError]:
    """The records of a JSON Lines file (blank lines skipped; a bad line is an error of its own)."""
    fd, _ = open_regular(path, name)
    number = 0
    with os.fdopen(fd, "rb") as fh:
        while True:
            line = fh.readline(limits.max_bytes + 1)
            if not line:
                return
            if not line.strip():
                continue
            number += 1
            if len(line) > limits.max_bytes:
                while line and not line.endswith(b"\n"):  # the rest of the long line
                    line = fh.readline(1 << 20)
                yield InputError(f"record too large (more than {limits.max_bytes:,} bytes; see --max-bytes)",
                                 f"{name}#{number}")
                continue
            try:
                value = json.loads(line.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError, RecursionError) as err:
                yield InputError(f"line is not JSON ({err})", f"{name}#{number}")
                continue
            yield _record(number, value, name)


def json_records(path: Path, name: str, limits: IngestLimits) -> Iterator[Record | InputError]:
    """The records of a JSON file: one object, a list, or an object holding the list (collections.toml)."""
    raw = read_bytes(path, name, limits.max_bytes)
    try:
        data = json.loads(decode_text(raw, name))
    except (ValueError, RecursionError) as err:
        raise InputError(f"not valid JSON ({err})", name) from err
    if isinstance(data, dict):
        _, lists = field_names()
        keys = {k.replace("_", "").replace("-", "").casefold(): k for k in data if isinstance(k, str)}
        held = next((data[keys[k]] for k in lists if k in keys and isinstance(data[keys[k]], list)), None)
        data = held if held is not None else [data]
    if not isinstance(data, list):
        raise InputError("not an article collection (expected an object or a list of objects)", name)
    for number, value in enumerate(data, 1):
        yield _record(number, value, name)


def csv_records(path: Path, name: str, limits: IngestLimits) -> Iterator[Record | InputError]:
    """The rows of a CSV file (comma, semicolon, tab or bar separated; the first row names the columns)."""
    fd, _ = open_regular(path, name)
    # csv's limit on one field is process-wide; an article is one field, up to --max-bytes.
    if csv.field_size_limit() < limits.max_bytes:
        csv.field_size_limit(limits.max_bytes)
    with os.fdopen(fd, "rb") as raw:
        head = raw.read(65536)
        raw.seek(0)
        encoding = "utf-8-sig" if _is_utf8(head) else "cp1252"
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        reader = csv.DictReader(text, delimiter=_delimiter(head.decode(encoding, "replace")))
        try:
            columns = reader.fieldnames or []
        except csv.Error as err:
            raise InputError(f"not a readable CSV file ({err})", name) from err
        _check_columns(columns, name)
        number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                number += 1
                yield InputError(f"row cannot be read ({err})", f"{name}#{number}")
                continue
            number += 1
            yield record_from_fields(number, {k: v for k, v in row.items() if k is not None})


def _delimiter(head: str) -> str:
    """The separator the header row uses most (csv.Sniffer guesses wrong on quoted multi-line
    article texts, which the rows below the header are)."""
    header = head.lstrip("\ufeff").split("\n", 1)[0]
    return max(",;\t|", key=lambda c: (header.count(c), c == ","))


def _is_utf8(head: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        return False


def _check_columns(columns: list[str], name: str) -> None:
    """A CSV file whose header has no text (or html) column holds no articles at all."""
    fields, _ = field_names()
    have = {c.replace(" ", "").replace("_", "").replace("-", "").casefold() for c in columns if c}
    if not have & set(fields["text"] + fields["html"]):
        raise InputError("no article text column (expected one named text, body, content, article "
                         "or html; see ontology/collections.toml)", name)
