"""The query check of `kg serve`, in a process of its own (``python -m kg.query.checker``).

The front (`kg.query.front`) sends one JSON line per query, ``{"q": TEXT}``, and reads one line
back (after a first line ``ready``): ``{"text": FULL, "kind": FORM}`` (the text to run, the project's PREFIXes added) or
``{"error": MESSAGE}``. Run apart so that a query whose parsing takes too long can be stopped
by killing this process (a thread cannot be stopped), and so its memory is capped on its own.
"""
from __future__ import annotations

import json
import resource
import sys

MEMORY_LIMIT = 1 << 30  # address space of the checker: parsing one bounded query needs far less


def check_one(text: str) -> dict:
    """The answer to one request: the text to run and its form, or the reason it is refused."""
    from kg.errors import KGError
    from kg.query.run import prepare_query

    try:
        full, _, kind = prepare_query(text)
    except KGError as err:
        return {"error": str(err)}
    except MemoryError:
        return {"error": "the query needs too much memory to check"}
    return {"text": full, "kind": kind}


def main() -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):  # a lower hard limit already applies
        pass
    # import what a check needs, then say so: the front's time limit is for checking, not starting
    import kg.query.run  # noqa: F401
    import rdflib.plugins.sparql.parser  # noqa: F401

    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        try:
            text = json.loads(line)["q"]
            answer = check_one(text) if isinstance(text, str) else {"error": "no query text"}
        except (ValueError, KeyError, TypeError):
            answer = {"error": "malformed request to the checker"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
