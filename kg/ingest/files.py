"""Files: which paths are article files, and their bytes, read under the size limit.

Only regular files are read: a named pipe, a device or a socket is refused without waiting
on it, and a file over the limit is refused from its size on disk before a byte is read.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.errors import InputError
from kg.limits import format_size

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
# Files holding many articles each (collections.py, warc.py, feeds.py), by kind.
COLLECTION_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
    ".warc": "warc", ".warc.gz": "warc", ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | frozenset(COLLECTION_SUFFIXES)
EXPECTED = ".txt, .html, .htm, .jsonl, .json, .csv, .warc, .warc.gz, .rss, .atom or .xml"

_FILE_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
               stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def suffix_of(path: str | Path) -> str:
    """The file's type suffix in lower case: ".warc.gz" for a gzipped WARC, else the last one."""
    name = Path(path).name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else Path(name).suffix


def kind_of(path: str | Path) -> str | None:
    """"text", "html", or a collection's kind ("jsonl", "json", "csv", "warc", "feed"); None
    for a file newskg does not read."""
    suffix = suffix_of(path)
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    return COLLECTION_SUFFIXES.get(suffix)


def check_paths(paths: Iterable[str | Path]) -> None:
    """Raise `InputError` for the first named path that does not exist.

    A build calls it before it opens or creates anything: a mistyped path is a mistake in the
    command, not a bad file to skip, so it must not leave an empty store behind.
    """
    for raw in [paths] if isinstance(paths, (str, Path)) else paths:
        if not Path(raw).exists():
            raise InputError("no such file or directory", Path(raw).as_posix())


def iter_files(paths: Iterable[str | Path],
               on_error: Callable[[InputError], None] | None = None) -> list[Path]:
    """Expand files and folders to the article files to read, sorted and without repeats.

    Folders are searched recursively for the files `kind_of` knows (any case);
    hidden files and folders (name starting with ".") are skipped there, since they hold tool
    data, not articles. A named path that does not exist, or a named file of another type,
    raises `InputError`. A folder inside the tree that cannot be read raises too, unless
    ``on_error`` is given: then it is reported there and the rest of the tree is still searched.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        name = p.as_posix()
        if not p.exists():
            raise InputError("no such file or directory", name)
        if p.is_dir():
            def walk_error(err: OSError, _name: str = name) -> None:
                problem = InputError(f"cannot read folder: {err.strerror or err}", err.filename or _name)
                if on_error is None:
                    raise problem
                on_error(problem)

            top = os.path.realpath(p)
            for root, dirs, files in os.walk(p, onerror=walk_error):
                dirs[:] = [d for d in dirs if not _is_hidden(d)]
                for f in files:
                    if _is_hidden(f) or kind_of(f) is None:
                        continue
                    fp = Path(root) / f
                    problem = _walked_file_problem(fp, top)
                    if problem is None:
                        found.add(fp)
                    elif on_error is not None:
                        on_error(InputError(problem, fp.as_posix()))
        elif kind_of(p) is not None:
            found.add(p)
        else:
            kind = f"'{p.suffix}'" if p.suffix else "no extension"
            raise InputError(f"unsupported file type ({kind}); expected {EXPECTED}", name)
    return sorted(found)


def _walked_file_problem(fp: Path, top: str) -> str | None:
    """Why a file found in a walked folder is not read (None: it is read). A link may point
    anywhere (``ln -s /etc/passwd inbox/x.txt``): only links to files inside the folder count."""
    try:
        st = os.lstat(fp)
    except OSError as err:
        return f"cannot read file: {err.strerror or err}"
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(fp)
        if not os.path.exists(target):
            return "is a dangling link (its target does not exist); skipped"
        if os.path.commonpath([top, target]) != top:
            return f"is a link to {target}, outside the folder being read; skipped"
        st = os.stat(target)
    if stat.S_ISREG(st.st_mode):
        return None
    what = _FILE_KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
    return f"is {what}, not a regular file; skipped"


def open_regular(p: Path, name: str) -> tuple[int, os.stat_result]:
    """An open descriptor of the regular file ``p`` and its status; `InputError` (naming
    ``name``) for anything else. The caller closes the descriptor."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; the type is checked on
        # the open descriptor, so the file cannot be swapped between the check and the read.
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as err:
        raise InputError("no such file", name) from err
    except IsADirectoryError as err:
        raise InputError("is a folder, not a file", name) from err
    except PermissionError as err:
        raise InputError("cannot read file: permission denied", name) from err
    except OSError as err:
        raise InputError(f"cannot read file: {err.strerror or err}", name) from err
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = _FILE_KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
            if what == "a folder":
                raise InputError("is a folder, not a file", name)
            raise InputError(f"is {what}, not a regular file", name)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_bytes(p: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of the regular file ``p``; `InputError` (naming ``name``) for anything else or over ``max_bytes``."""
    fd, st = open_regular(p, name)
    with os.fdopen(fd, "rb") as fh:
        # Decided from the size on disk, before reading a byte: a 200 MB file is never read.
        if st.st_size > max_bytes:
            raise InputError(f"file too large ({format_size(st.st_size)}; the limit is "
                             f"{format_size(max_bytes)}, see --max-bytes)", name)
        try:
            raw = fh.read(max_bytes + 1)  # the size can change between stat and read
        except OSError as err:
            raise InputError(f"cannot read file: {err.strerror or err}", name) from err
    if len(raw) > max_bytes:
        raise InputError(f"file too large (more than {format_size(max_bytes)}; see --max-bytes)", name)
    return raw
