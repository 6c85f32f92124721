"""Bounded time and memory (issue 26): the event merge and the comention view near-linear, a
local query's memory capped in its child, `kill -TERM` on `kg query` ending its child."""
from __future__ import annotations

import copy
import datetime as dt
import random
import time
from types import SimpleNamespace

import pytest

from kg.extract import merge
from kg.extract.context import mention_keys
from kg.model import Event, Mention
from kg.ontology.gazetteer import normalize


def _reference_merge(ctx) -> None:
    """The pairwise merge as it was (every event against every earlier one): the answer the
    indexed one must give."""
    full_names: dict[str, set[str]] = {}
    for m in ctx.x.mentions:
        words = normalize(m.text).split()
        if m.label == "Person" and len(words) > 1:
            full_names.setdefault(words[-1], set()).add(" ".join(words))
    out = []
    for ev in ctx.x.events:
        ev_keys = set(mention_keys(ctx, ev.agents + ev.participants + ev.targets))
        speaker = merge._speaker_keys(ctx, ev.agents, full_names) if merge._plain_speech(ev) else None
        twin = None
        for o in out:
            if speaker and merge._plain_speech(o) and (o.date == ev.date or None in (o.date, ev.date)) \
                    and merge._speaker_keys(ctx, o.agents, full_names) == speaker:
                twin = o
                break
            if o.type != ev.type or o.date != ev.date:
                continue
            o_keys = set(mention_keys(ctx, o.agents + o.participants + o.targets))
            if (o.sent == ev.sent and o.type != "Statement") or (ev_keys and ev_keys <= o_keys) or (o_keys and o_keys <= ev_keys):
                if ev.type == "Statement" and o.sent != ev.sent:
                    continue
                twin = o
                break
        if twin is None:
            out.append(ev)
            continue
        for attr in ("agents", "participants", "targets", "places"):
            setattr(twin, attr, getattr(twin, attr) + [m for m in getattr(ev, attr) if m not in getattr(twin, attr)])
        twin.casualties += [c for c in ev.casualties if c not in twin.casualties]
        if ev.sent != twin.sent and ev.sent not in twin.extra_sents:
            twin.extra_sents.append(ev.sent)
        if twin.date is None and ev.date is not None:
            twin.date, twin.date_end, twin.date_text = ev.date, ev.date_end, ev.date_text
    ctx.x.events = out


def _document(n_events: int, n_actors: int, seed: int = 7):
    rnd = random.Random(seed)
    surnames = [f"name{i}" for i in range(n_actors // 2)]
    mentions = []
    for i in range(n_actors):
        label = rnd.choice(["Person", "Person", "Organization", "Country"])
        text = f"First{i % 5} {rnd.choice(surnames)}" if label == "Person" and rnd.random() < 0.5 else rnd.choice(surnames)
        mentions.append(Mention(text, label, 0, 1, 0))
    types = ["Statement", "Meeting", "Attack", "Clash", "Visit"]
    dates = [None, dt.date(2024, 1, 16), dt.date(2024, 1, 17), dt.date(2024, 1, 18)]
    events = []
    for i in range(n_events):
        def some(k):
            return rnd.sample(range(n_actors), rnd.randint(0, k))
        ev = Event(rnd.choice(types), "t", i // 3, 0, 1, trigger_i=i, agents=some(2), participants=some(2),
                   targets=some(1) if rnd.random() < 0.3 else [], date=rnd.choice(dates),
                   relation=rnd.choice([None, None, "meetsWith"]))
        events.append(ev)
    return SimpleNamespace(x=SimpleNamespace(mentions=mentions, events=events))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_indexed_merge_gives_what_the_pairwise_one_gave(seed):
    ctx = _document(1500, 120, seed)
    ref = copy.deepcopy(ctx)
    merge._merge_same_events(ctx)
    _reference_merge(ref)
    assert len(ctx.x.events) < 1500  # some merged, so the test means something
    assert ctx.x.events == ref.x.events


def test_the_merge_is_near_linear():
    def cost(n):
        ctx = _document(n, n // 2, 5)
        t = time.process_time()
        merge._merge_same_events(ctx)
        return time.process_time() - t

    small, large = cost(2_000), cost(16_000)
    assert large < 5.0
    assert large < 8 * 4 * max(small, 0.01)  # 8x the events: far from the 64x of pairwise


def test_casualty_folding_is_near_linear():
    from kg.model import Casualty

    n = 20_000
    events = []
    for i in range(n):
        kind = "Attack" if i % 2 else "Killing"
        ev = Event(kind, "t", i, 0, 1, trigger_i=i)
        if kind == "Killing":
            ev.casualties = [Casualty(kind="killed", count=1, who="guards")]
        events.append(ev)
    ctx = SimpleNamespace(x=SimpleNamespace(events=events))
    t = time.process_time()
    merge._fold_casualties(ctx)
    assert time.process_time() - t < 2.0
    assert len(ctx.x.events) == n // 2 + 1  # the first killing has no attack before it


def _reference_fold(ctx) -> None:
    main_types = ("Attack", "Clash", "Operation")
    kept = list(ctx.x.events)
    out = []
    for ev in kept:
        if ev.type in merge.CASUALTY_KIND and ev.casualties:
            host = None
            same = [e for e in kept if e.type in main_types and e.sent == ev.sent]
            if same:
                host = same[0]
            elif not ev.agents:
                prev = [e for e in kept if e.type in main_types and ev.sent - 2 <= e.sent < ev.sent]
                host = prev[-1] if prev else None
            if host is not None:
                host.casualties += ev.casualties
                if ev.agents and not host.agents:
                    host.agents = ev.agents
                if ev.sent != host.sent and ev.sent not in host.extra_sents:
                    host.extra_sents.append(ev.sent)
                continue
        out.append(ev)
    ctx.x.events = out


@pytest.mark.parametrize("seed", [1, 2])
def test_the_indexed_folding_gives_what_the_pairwise_one_gave(seed):
    from kg.model import Casualty

    rnd = random.Random(seed)
    events = []
    for i in range(800):
        ev = Event(rnd.choice(["Attack", "Clash", "Killing", "Arrest", "Meeting"]), "t", rnd.randint(0, 300), 0, 1,
                   trigger_i=i, agents=[1] if rnd.random() < 0.3 else [])
        if ev.type in ("Killing", "Arrest") and rnd.random() < 0.8:
            ev.casualties = [Casualty(kind="killed", count=i, who="guards")]
        events.append(ev)
    ctx = SimpleNamespace(x=SimpleNamespace(events=events))
    ref = copy.deepcopy(ctx)
    merge._fold_casualties(ctx)
    _reference_fold(ref)
    assert ctx.x.events == ref.x.events and len(ctx.x.events) < 800


# -- a local query: memory capped in its child, rows collected up to the cap, SIGTERM kills it ------------
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

_MEASURE = """
import resource, sys
from kg.errors import QueryError
from kg.query.sandbox import query_store
try:
    query_store(sys.argv[1], sys.argv[2], timeout=60, max_rows=1, memory=int(sys.argv[3]))
    print("ANSWERED")
except QueryError as err:
    print("ERROR", err)
print("MAXRSS", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
"""


def test_a_hungry_query_is_stopped_at_the_childs_memory_cap(seed_store_path):
    import subprocess
    import sys

    cap = 1024 ** 3
    p = subprocess.run([sys.executable, "-c", _MEASURE, str(seed_store_path), HUNGRY, str(cap)],
                       capture_output=True, text=True, timeout=120)
    assert "ERROR" in p.stdout and "memory" in p.stdout, p.stdout + p.stderr
    maxrss = int(p.stdout.split("MAXRSS")[1])
    assert maxrss < cap
    assert p.stderr == ""  # the allocator's own message stays in the child


def test_rows_are_collected_only_up_to_the_cap(seed_store_path, monkeypatch):
    from kg.query import run

    seen = []
    real = run.islice

    def counting(it, n):
        seen.append(n)
        return real(it, n)

    monkeypatch.setattr(run, "islice", counting)
    from kg.query.sandbox import _query_in_child

    result, truncated = _query_in_child(str(seed_store_path), "SELECT * WHERE { ?s ?p ?o }", {}, False, 5)
    assert seen == [6] and truncated and len(result.rows) == 5


def test_sigterm_on_kg_query_kills_its_child(seed_store_path):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", ENDLESS, "--store", str(seed_store_path),
                             "--timeout", "600"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        children: list[int] = []
        deadline = time.monotonic() + 30
        while not children and time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                children = [int(c) for c in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
            except OSError:
                pass
        assert children, "the query's child process did not start"
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGTERM
    time.sleep(0.3)
    for pid in children:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
        except OSError:
            continue  # gone
        assert state == "Z", f"child {pid} still running ({state})"  # a zombie is dead, waiting for init


# -- the comention view over a document naming ten thousand people -----------------------------------
def test_comentions_of_a_document_naming_ten_thousand_people_stay_bounded():
    import tracemalloc

    from kg.network import views

    n = 10_000

    class Data:
        doc_date = {"d": "2024-01-16"}

        def mentions(self):
            return [("d", 0, f"https://w3id.org/newskg/id/person/p{k}", 10 * k, 10 * k + 5) for k in range(n)]

        def texts(self):
            return {"d": "x" * (10 * n)}

    tracemalloc.start()
    t = time.process_time()
    for mode in ("sentence", "document"):
        edges = views._comention_edges(Data(), views.Filters(cooccurrence=mode))
        cap = views.MAX_COMENTION_ENTITIES
        assert len(edges) == cap * (cap - 1) // 2
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 200 * 1024 ** 2 and time.process_time() - t < 30
