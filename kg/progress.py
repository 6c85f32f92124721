"""Progress bars for long commands (build, load, export), silent unless a person is watching.

A bar is drawn on stderr only when stderr is a terminal and the caller did not ask for quiet: the
bar goes where it is drawn, so `kg build arts 2>err.log` keeps control codes out of the log and
`kg build arts >out.log` still shows the bar on the terminal.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def wanted(quiet: bool = False) -> bool:
    """Whether to draw bars: never with ``quiet``, never when stderr (where they go) is not a terminal."""
    if quiet:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stdout
        return False


class Progress:
    """A counter with an optional bar; ``update`` and ``close`` are cheap no-ops when silent."""

    def __init__(self, desc: str, total: int | None = None, *, unit: str = "doc", enabled: bool = False) -> None:
        self._bar: Any = None
        if enabled:
            from tqdm import tqdm  # only imported when a bar is shown

            self._bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                             dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def set_description(self, desc: str) -> None:
        if self._bar is not None:
            self._bar.set_description(desc)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def track(items: Iterable[T], desc: str, total: int | None = None, *, enabled: bool = False,
          unit: str = "doc") -> Iterator[T]:
    """Yield ``items`` unchanged, advancing a bar (when enabled) for each."""
    with Progress(desc, total, unit=unit, enabled=enabled) as bar:
        for item in items:
            yield item
            bar.update()
