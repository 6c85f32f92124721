"""Time limits and row caps for user queries.

Neither rdflib nor pyoxigraph can stop a query that runs too long (docs/sources.md), so a user's
query runs in a child process that opens the store, and the parent kills the child at the time
limit. The child sends back at most ``max_rows + 1`` rows, so the parent knows a cap was hit
without receiving everything.

The child is forked when this process has never opened an Oxigraph store (the `kg query`
command: fast, the modules are already imported); otherwise it is spawned afresh, because forking
a process whose RocksDB threads are running can leave the child with a lock nobody releases.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KGError, QueryError, StoreError

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 10_000
# The child's address space: a query that needs more stops with an error instead of taking the
# machine's memory. RocksDB and Oxigraph map far more address space than they touch, so the cap
# is on address space well above what a query of this project's size needs.
CHILD_MEMORY_BYTES = 4 * 1024 ** 3


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


@dataclass
class Limited:
    """A query's result and whether the row cap cut it."""

    result: Any  # kg.query.QueryResult
    truncated: bool = False
    max_rows: int | None = None


def _context() -> mp.context.BaseContext:
    from kg import store

    if store.opened_in_this_process() or "fork" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    return mp.get_context("fork")


def _limit_child(memory: int | None) -> None:
    """In the child: cap its memory, and end it when the parent dies (Linux), so a `kg query`
    killed by any signal leaves no query running without its time limit."""
    import resource

    if memory:
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        except (ValueError, OSError):
            pass
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    # what the child has to say goes through the pipe; an allocator that fails at the cap
    # prints its own backtrace, which must not reach the user's terminal
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _child(conn: Any, func: Callable[..., Any], args: tuple, memory: int | None = None) -> None:
    try:
        _limit_child(memory)
        conn.send(("ok", func(*args)))
    except KGError as err:
        conn.send(("error", type(err), str(err)))
    except MemoryError:
        conn.send(("error", QueryError, f"the query needed more memory than its limit "
                                        f"({CHILD_MEMORY_BYTES // 1024 ** 2} MiB) and was stopped"))
    except BaseException as err:  # noqa: BLE001 - everything must reach the parent as a message
        conn.send(("error", QueryError, f"the query failed: {type(err).__name__}: {err}"))
    finally:
        conn.close()


class _Stopped(BaseException):
    """SIGTERM or SIGHUP while a child runs: unwinds through the code that kills the child."""


def _stop_on_signals() -> dict:
    """Make SIGTERM and SIGHUP raise `_Stopped` in the main thread (so the child is killed on the
    way out, then the process ends as the signal meant); returns the handlers to restore."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum, _frame):
        raise _Stopped(signum)

    return {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}


def run_in_child(func: Callable[..., Any], *args: Any, timeout: float | None, what: str = "the query",
                 memory: int | None = CHILD_MEMORY_BYTES) -> Any:
    """``func(*args)`` in a child process; QueryTimeout after ``timeout`` seconds (None: no limit).
    The child's address space is capped at ``memory`` bytes (None: no cap); a signal that ends
    this process (SIGTERM, SIGHUP) kills the child first.

    ``func`` and its arguments and result must be picklable. A KGError raised in the child is
    raised again here with the same class and message.
    """
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, func, args, memory), daemon=True)
    previous = _stop_on_signals()
    try:
        msg = _wait(proc, recv, send, timeout, what, memory, previous)
    except _Stopped as stopped:
        # the child is dead (see _wait); now end as the signal meant
        signal.signal(stopped.args[0], signal.SIG_DFL)
        os.kill(os.getpid(), stopped.args[0])
        raise
    if msg[0] == "error":
        _, cls, text = msg
        err = cls.__new__(cls)
        Exception.__init__(err, text)
        err.path = None
        raise err
    return msg[1]


def _wait(proc: Any, recv: Any, send: Any, timeout: float | None, what: str, memory: int | None,
          previous: dict) -> tuple:
    """Start ``proc`` and wait for its message; the child is killed on every way out."""
    try:
        proc.start()
        send.close()
        if not recv.poll(timeout):
            raise QueryTimeout(f"{what} was stopped after {timeout:g} s (the time limit; raise it with --timeout)")
        try:
            msg = recv.recv()
        except EOFError:
            proc.join(5)
            if proc.exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL):
                raise QueryError(f"{what} was stopped: it ran out of memory (the limit is "
                                 f"{(memory or 0) // 1024 ** 2} MiB) or crashed (exit code {proc.exitcode})") from None
            raise QueryError(f"{what} ended without an answer (child process exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        if proc.pid is not None:
            proc.join()
        recv.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return msg


def _query_in_child(store_path: str, sparql: Any, params: Mapping[str, str], infer: bool,
                    max_rows: int | None) -> tuple[Any, bool]:
    from kg.query.run import run_query
    from kg.store import KGStore

    with KGStore(store_path, read_only=True) as store:
        # collection stops at max_rows + 1: one more than shown tells that the cap was hit
        result = run_query(store, sparql, params, infer=infer, max_rows=None if max_rows is None else max_rows + 1)
    truncated = False
    if max_rows is not None and result.graph is None and len(result.rows) > max_rows:
        result.rows = result.rows[:max_rows]
        truncated = True
    if result.graph is not None:
        # rdflib graphs do not travel well through pickle: send the triples
        triples = list(result.graph)
        if max_rows is not None and len(triples) > max_rows:
            triples, truncated = sorted(triples)[:max_rows], True
        result.graph = None
        result.rows = triples
        result.vars = ["__graph__"]
    return result, truncated


def query_store(store_path: str | Path, sparql: Any, params: Mapping[str, str] | None = None, *,
                infer: bool = False, timeout: float | None = DEFAULT_TIMEOUT_S,
                max_rows: int | None = DEFAULT_MAX_ROWS, memory: int | None = CHILD_MEMORY_BYTES) -> Limited:
    """Check ``sparql`` and run it on the store in ``store_path`` within ``timeout`` seconds,
    keeping at most ``max_rows`` rows (triples for CONSTRUCT/DESCRIBE), in a child process
    whose address space is capped at ``memory`` bytes.

    The query is checked here before any child starts (`kg.query.check_query`), so a refused
    query never reaches a process that has the store open.
    """
    from rdflib import Graph

    from kg.namespaces import bind_namespaces
    from kg.query.run import check_query
    from kg.query.saved import SavedQuery

    check_query(sparql.sparql if isinstance(sparql, SavedQuery) else sparql)
    path = Path(store_path)
    if not (path.is_dir() and any(path.iterdir())):
        raise StoreError("no knowledge-graph store here; run `kg build` first", str(path))
    result, truncated = run_in_child(_query_in_child, str(path), sparql, dict(params or {}), infer, max_rows,
                                     timeout=timeout, memory=memory)
    if result.vars == ["__graph__"]:
        graph = Graph()
        bind_namespaces(graph)
        for t in result.rows:
            graph.add(t)
        result.graph, result.rows, result.vars = graph, [], []
    return Limited(result, truncated, max_rows)
