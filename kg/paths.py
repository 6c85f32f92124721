"""Where the project's data folders are: `ontology/` and `queries/`, shipped inside the package.

In a checkout `kg/ontology/data` and `kg/query/saved` are links to the top-level `ontology/` and
`queries/` folders, so an editable install reads the checkout's files; a wheel or sdist carries
copies of them at the same places (see `[tool.setuptools.package-data]` in pyproject.toml).
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_PACKAGE = Path(str(files("kg")))
ONTOLOGY_DIR = _PACKAGE / "ontology" / "data"
QUERIES_DIR = _PACKAGE / "query" / "saved"
DEFAULT_STORE = Path("kg-store")

# `-` as an output file name means standard output, as for most Unix tools.
STDOUT = "-"


def is_stdout(path: str | Path) -> bool:
    """Whether ``path`` is `-`, standard output (a Path of "-" counts too)."""
    return str(path) == STDOUT


def write_stdout(data: bytes) -> None:
    """Write ``data`` to standard output as bytes, after anything already printed as text."""
    import sys

    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
