"""A build's extractions kept on disk until they are written (`PackedExtractions`)."""
from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Sequence
from typing import Any


class PackedExtractions(Sequence):
    """Extractions kept as pickles in a temporary file, one per document: ``xs[i]`` is a fresh
    copy, ``put(i, x)`` stores a changed one. A build needs every extraction of its corpus until
    it is written; on disk they cost memory only for their offsets, so a build's memory does not
    grow with its corpus through them. ``close()`` (or the end of a ``with`` block) removes the
    file."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="kg-extractions-")
        self._end = 0
        self._offsets = array("q")
        self._sizes = array("q")

    def _write(self, x: Any) -> tuple[int, int]:
        data = pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL)
        at = self._end
        # positional writes: reads may come between appends, and need no seek bookkeeping
        os.pwrite(self._file.fileno(), data, at)
        self._end += len(data)
        return at, len(data)

    def append(self, x: Any) -> None:
        """Store ``x`` as the next item."""
        at, size = self._write(x)
        self._offsets.append(at)
        self._sizes.append(size)

    def put(self, i: int, x: Any) -> None:
        """Store ``x`` as item ``i`` instead of what it was."""
        # the old record stays in the file unread: puts are rare (resolution's remaps)
        self._offsets[i], self._sizes[i] = self._write(x)

    def __len__(self) -> int:
        return len(self._offsets)

    def raw(self, i: int) -> bytes:
        """The pickle of extraction ``i`` (what a worker process is sent)."""
        return os.pread(self._file.fileno(), self._sizes[i], self._offsets[i])

    def __getitem__(self, i: int) -> Any:  # type: ignore[override]
        return pickle.loads(self.raw(i))

    @property
    def closed(self) -> bool:
        """Whether the file is gone (`close`)."""
        return self._file.closed

    def close(self) -> None:
        """Remove the file: the extractions are gone."""
        self._file.close()

    def __enter__(self) -> PackedExtractions:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
