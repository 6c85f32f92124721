"""Tests for kg.ingest.language: articles not in English refused by name and language."""
from __future__ import annotations

import json

import pytest
from ingest_helpers import BODY, write

from kg.errors import InputError
from kg.ingest import check_language, read_document, read_documents

RUSSIAN = ("Министерство обороны заявило в субботу о новых переговорах на границе с Пакистаном и Ираном. "
           "По словам официальных лиц, стороны договорились расширить сотрудничество в области безопасности.")
GERMAN = ("Das Verteidigungsministerium hat am Samstag neue Gespräche an der Grenze zu Pakistan und dem Iran "
          "angekündigt. Beide Seiten wollen die Zusammenarbeit bei der Sicherheit ausbauen, hieß es.")


def test_other_languages_are_refused_with_file_and_language(tmp_path):
    path = write(tmp_path / "ru.txt", f"Переговоры на границе\n\n{RUSSIAN}\n")
    with pytest.raises(InputError, match=r"not in English \(the text reads as Russian, 'ru'\)") as err:
        read_document(path)
    assert err.value.path == path.as_posix()
    assert read_document(path, language=None).language == "ru"
    assert read_document(write(tmp_path / "en.txt", f"Border talks\n\n{BODY}\n")).language == "en"


def test_records_are_checked_one_by_one(tmp_path):
    path = write(tmp_path / "mixed.jsonl", "".join(json.dumps({"text": t}) + "\n" for t in (BODY, GERMAN)))
    errors: list[InputError] = []
    docs = list(read_documents([path], on_error=errors.append))
    assert [d.text for d in docs] == [BODY]
    assert errors[0].path == f"{path.as_posix()}#2" and "reads as German, 'de'" in str(errors[0])


def test_short_texts_are_not_judged():
    assert check_language("Talks in Tehran resume", "x.txt") is None
    assert check_language(BODY, "x.txt") == "en"
