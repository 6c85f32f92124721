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


def output_target(path: str | Path) -> tuple[Path, str | None]:
    """Where writing ``path`` must go, and why it must not (None when it may).

    A symlink is written through: the file it names gets the new content and the link stays (a
    write to a temporary name then a rename would otherwise replace the link itself, or, as
    root, ``/dev/stdout``). An existing target that is not a regular file (a device, a named
    pipe, a socket) is refused: it cannot be replaced atomically.
    """
    import os
    import stat

    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as err:
        return target, f"cannot write there ({err.strerror or err})"
    if stat.S_ISDIR(st.st_mode):
        return target, "is a folder, not a file name"
    if not stat.S_ISREG(st.st_mode):
        return target, "is a special file (a device, pipe or socket), not a regular file; give a file name"
    return target, None
