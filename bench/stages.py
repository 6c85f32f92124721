"""RSS at each stage of one build, for finding what grows with the corpus.

    python -m bench.stages CORPUS STORE

Prints, before and after resolution's corpus-level pass, event linking, the entity and facts
graphs, the store summary and publishing, the process's RSS and its peak since the line before
(psutil, sampled every 0.1 s). It wraps the build's functions in place; the build is otherwise
the library call `kg.build.build`. bench/RESULTS.md quotes its output.
"""
from __future__ import annotations

import resource
import sys
import threading
import time
from typing import Any


def main(corpus: str, store_path: str) -> None:
    import psutil

    import kg.build.engines as engines_mod
    import kg.build.run as run_mod
    from kg.build import build
    from kg.build.facts import FactSupport
    from kg.nlp import load_pipeline
    from kg.resolve import Resolver
    from kg.store import KGStore

    proc = psutil.Process()
    peak = [0]
    start = time.perf_counter()

    def sample() -> None:
        while True:
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.1)

    def mark(name: str) -> None:
        rss = proc.memory_info().rss / 2**20
        print(f"{time.perf_counter() - start:8.1f}s {name:30s} rss {rss:7.0f} MB  "
              f"peak since the line before {peak[0] / 2**20:7.0f} MB", flush=True)
        peak[0] = 0

    def wrap(owner: Any, attr: str) -> None:
        f = getattr(owner, attr)

        def wrapped(*a: Any, **k: Any) -> Any:
            mark("before " + attr)
            out = f(*a, **k)
            mark("after " + attr)
            return out

        setattr(owner, attr, wrapped)

    threading.Thread(target=sample, daemon=True).start()
    # each function is wrapped where the build looks it up: the module that calls it
    for owner, attr in [(Resolver, "finish"), (engines_mod, "link_events"),
                        (run_mod, "add_entities"), (run_mod, "update_facts"),
                        (FactSupport, "write_facts"), (run_mod, "store_counts"),
                        (KGStore, "commit")]:
        wrap(owner, attr)
    load_pipeline(True)
    mark("pipeline loaded")
    with KGStore(store_path) as st:
        build([corpus], st)
    mark("end")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
