"""The errors users see. Each names the file (or query) and the problem in plain words."""
from __future__ import annotations

import re
import unicodedata

# Characters that would break the one-line message or disguise the name shown: controls (a
# newline in a file name), lone surrogates (bytes of a name that are not UTF-8), and format
# characters such as right-to-left overrides, which make "gnp.txt" display as "txt.png".
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def display_name(name: str) -> str:
    """``name`` as one printable line: unsafe characters shown as escapes (``\\n``, ``\\u202e``)."""

    def esc(ch: str) -> str:
        return ch.encode("unicode_escape").decode("ascii")

    out = _UNSAFE.sub(lambda m: esc(m.group(0)), name)
    if any(unicodedata.category(ch) == "Cf" for ch in out):
        out = "".join(esc(ch) if unicodedata.category(ch) == "Cf" else ch for ch in out)
    return out


class KGError(Exception):
    """Base class: the CLI prints ``str(err)`` and exits non-zero, no traceback."""

    exit_code = 1

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{display_name(path)}: {message}" if path else message)


class InputError(KGError):
    """An input file could not be read or is not an article."""


class QueryError(KGError):
    """A SPARQL query was refused or failed."""


class StoreError(KGError):
    """The store could not be opened or written."""


class ExportError(KGError):
    """An export could not be written."""
