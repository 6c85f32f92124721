"""The errors users see. Each names the file (or query) and the problem in plain words."""
from __future__ import annotations


class KGError(Exception):
    """Base class: the CLI prints ``str(err)`` and exits non-zero, no traceback."""

    exit_code = 1

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InputError(KGError):
    """An input file could not be read or is not an article."""


class QueryError(KGError):
    """A SPARQL query was refused or failed."""


class StoreError(KGError):
    """The store could not be opened or written."""


class ExportError(KGError):
    """An export could not be written."""
