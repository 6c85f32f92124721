"""Misses and false alarms of `kg eval` grouped by failure class (docs/quality.md lists them).

The scorer (`kg.checks.evaluate`) classifies each miss and false alarm when it counts it, from
the structured comparison (gold ids, aligned nodes, types, relation keys, events), with the
functions here; this module only needs plain data and does not read the store. Classes:

- entities: ``wrong type: <confusion>`` (a gold entity aligned with a node of another type, one
  miss and one false alarm); ``not found: merged into another entity's node``, ``not found: name
  cut differently``, ``not found: no node`` (no node aligns with the gold entity); ``extra node:
  <junk, split or proper name>`` (a node no gold entity aligns with);
- relations: ``endpoint not found`` / ``endpoint not a gold entity``, ``reversed direction``,
  ``other predicate`` (the pair is related, either way, by another predicate in the
  other set), ``other end`` (the same subject has the predicate towards a wrong object, or the
  same object from a wrong subject), ``not extracted`` / ``not in gold``;
- events: ``type not found in the document``, ``no argument or place found``, ``found, no shared
  argument or place``; extras: ``duplicate of a matched event``, ``extra event: no agent`` /
  ``with agent`` (``extra event of a type the gold lacks: ...`` when the gold file has no event
  of its type).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from kg.ontology import schema

__all__ = ["Failure", "MISS", "FALSE_ALARM", "SECTIONS", "entity_alarm_class", "event_alarm_class",
           "event_miss_class", "extra_node_class", "failures_dict", "format_failures", "group_failures",
           "relation_class", "type_confusion"]

MISS, FALSE_ALARM = "miss", "false alarm"
SECTIONS = ("entities", "relations", "events")
EXAMPLES = 3  # examples shown per class in the text report


@dataclass(frozen=True)
class Failure:
    """One miss or false alarm: its section, side (`MISS` or `FALSE_ALARM`), class and the item as
    the flat lists print it ("document: what")."""

    section: str
    side: str
    cls: str
    item: str


# ------------------------------------------------------------------------------------- entities
def _coarse(typ: str) -> str:
    if typ == "Country":
        return "country"
    for kind, root in (("person", "Person"), ("place", "Place"), ("organisation", "Organization")):
        if schema.is_a(typ, root):
            return kind
    return "other"


def type_confusion(gold_type: str, predicted_type: str) -> str:
    """The coarse kind of a type confusion: ``place typed as person``, ``country confusion``,
    ``organisation subtype``, ``place subtype``, ... (``other`` for the rest)."""
    g, p = _coarse(gold_type), _coarse(predicted_type)
    if "country" in (g, p):
        return "country confusion"
    if g == p and g in ("organisation", "place"):
        return f"{g} subtype"
    if g != p and "other" not in (g, p):
        return f"{g} typed as {p}"
    return "other"


# Words that make a name look like page furniture: photo credits, captions, social links, units.
CREDIT_WORDS = frozenset("""afp ap reuters getty images photo photos file epa xinhua anadolu twitter facebook
instagram youtube telegram follow gmt utc pkt irst ist est edt mw kw km kg copyright credit via archive handout
screenshot caption""".split())
# Common nouns that name no one when written alone (a node of one such word is junk).
GENERIC_WORDS = frozenset("""army navy police government ministry forces force troops military state president
minister court council party company group committee office agency militants rebels officials border city
province region capital country embassy department bank club team league parliament spokesman video videos
operation""".split())
PARTICLES = frozenset("of the and al el ul ud de del da du di la le van von bin ibn bint y for in on at & -".split())


def _furniture(name: str, lines: Iterable[str]) -> bool:
    words = set(re.findall(r"[a-z]+", name.lower()))
    if words & CREDIT_WORDS or re.search(r"[/|@©]", name):
        return True
    lines = [ln.strip() for ln in lines]
    # every mention on a short line that is no sentence: a headline fragment, a caption, a byline
    return bool(lines) and all(len(ln.split()) <= 12 and not re.search(r"[.!?\"'”’]$", ln) for ln in lines)


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-']+", name.lower()) if w and w not in PARTICLES]


def _generic(name: str, cased: bool, text: str) -> bool:
    """One common word: a known one, or (not an acronym) one the text also writes in lower case."""
    if name.lower() in GENERIC_WORDS:
        return True
    if not cased or name.isupper():
        return False
    prose = re.sub(r"\S*(?:://|www\.)\S*", " ", text)  # not the source addresses
    return bool(re.search(rf"(?<![\w/.-]){re.escape(name.lower())}(?![\w/-])", prose))


def extra_node_class(surfaces: list[str], labels: Iterable[str], typ: str, text: str,
                     lines: Iterable[str] = (), gold_names: Mapping[str, str] | None = None) -> str:
    """A predicted node no gold entity aligns with: ``extra node: junk (...)`` when it looks like no
    name (digits, furniture, lower-case words, one generic word, names run together); ``extra node:
    split from a gold entity`` when its label is a gold entity's name or alias, or words of the name
    of one of its coarse kind (a second node for an entity, or a short form left unmerged); else
    ``extra node: proper name`` (a name the annotator may have left out, or a real extra).

    ``surfaces``: its mentions' texts as written; ``labels``: its (normalised) labels, also used
    for the name when it has no mention; ``text``: the document (empty for a corpus-level gold
    file); ``lines``: the text lines holding its mentions; ``gold_names``: the gold entities'
    normalised names and aliases, each with its entity's type."""
    labels = set(labels)
    cased = bool(surfaces)
    name = max(sorted(surfaces or labels or [""]), key=len)
    if any(ch.isdigit() for ch in name):
        return "extra node: junk (digits)"
    if _furniture(name, lines):
        return "extra node: junk (furniture, caption or headline)"
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    if cased and any(w.lower() not in PARTICLES and w == w.lower() for w in words):
        return "extra node: junk (lower-case words)"
    if typ == "Person" and re.search(r"\s(?:and|&)\s", name):
        return "extra node: junk (names run together)"
    if len(words) == 1 and _generic(name, cased, text):
        return "extra node: junk (generic word)"
    gold_names = gold_names or {}
    kind = _coarse(typ)
    gold_words = [set(_words(g)) for g, t in gold_names.items() if _coarse(t) == kind]
    if labels & set(gold_names) or any(_words(lab) and set(_words(lab)) <= g for lab in labels for g in gold_words):
        return "extra node: split from a gold entity"
    return "extra node: proper name"


def entity_alarm_class(gold_type: str | None, predicted_type: str, extra: Callable[[], str]) -> str:
    """A node counted as a false alarm: the type confusion when a gold entity aligns with it, else
    ``extra()`` (`extra_node_class` of the node)."""
    return f"wrong type: {type_confusion(gold_type, predicted_type)}" if gold_type else extra()


# ------------------------------------------------------------------------------------ relations
def relation_class(key: tuple[str, str, str], side: str, other: set[tuple[str, str, str]],
                   own: set[tuple[str, str, str]], ends_ok: Callable[[str], bool]) -> str:
    """The class of a missed (``side`` MISS) or falsely alarmed relation ``key`` = (p, s, o):
    ``other`` is the other set's relations (predicted for a miss, gold for a false alarm) and
    ``own`` the set ``key`` belongs to, as (p, s, o) keys; ``ends_ok(x)`` says whether an
    end was found (a miss) or is a gold entity (a false alarm)."""
    p, s, o = key
    if not (ends_ok(s) and ends_ok(o)):
        return "endpoint not found" if side == MISS else "endpoint not a gold entity"
    if (p, o, s) in other:
        return "reversed direction"
    if any({a, b} == {s, o} for _, a, b in other):
        return "other predicate"
    if any(q == p and (a == s) != (b == o) for q, a, b in other - own):
        return "other end"
    return "not extracted" if side == MISS else "not in gold"


# --------------------------------------------------------------------------------------- events
def event_miss_class(type_found: bool, args_found: bool) -> str:
    """A gold event no predicted event matched: its type absent from the document's events, none
    of its arguments or place aligned with a node, or events of the type sharing none of them."""
    if not type_found:
        return "type not found in the document"
    if not args_found:
        return "no argument or place found"
    return "found, no shared argument or place"


def event_alarm_class(duplicate: bool, has_agent: bool, type_in_gold: bool = True) -> str:
    """A predicted event no gold event matched: another report of a matched event (same type,
    sharing an argument or the place), else an extra event, of a type the gold document has or
    not, with or without an agent."""
    if duplicate:
        return "duplicate of a matched event"
    extra = "extra event" if type_in_gold else "extra event of a type the gold lacks"
    return f"{extra}: with agent" if has_agent else f"{extra}: no agent"


# ------------------------------------------------------------------------------------ reporting
def group_failures(failures: Iterable[Failure]) -> dict[str, dict[str, dict[str, list[str]]]]:
    """section -> class -> side -> items, classes by count (most first), then name."""
    raw: dict[str, dict[str, dict[str, list[str]]]] = {}
    for f in failures:
        raw.setdefault(f.section, {}).setdefault(f.cls, {MISS: [], FALSE_ALARM: []})[f.side].append(f.item)
    out = {}
    for section in SECTIONS:
        classes = raw.get(section, {})
        out[section] = dict(sorted(classes.items(),
                                   key=lambda kv: (-len(kv[1][MISS]) - len(kv[1][FALSE_ALARM]), kv[0])))
    return out


def failures_dict(failures: Iterable[Failure], details: bool = True) -> dict:
    """For `--format json`: section -> class -> counts (and, with ``details``, the items)."""
    out: dict = {}
    for section, classes in group_failures(failures).items():
        out[section] = {}
        for cls, sides in classes.items():
            d = {"count": len(sides[MISS]) + len(sides[FALSE_ALARM]), "misses": len(sides[MISS]),
                 "false_alarms": len(sides[FALSE_ALARM])}
            if details:
                d["items"] = {"misses": sides[MISS], "false_alarms": sides[FALSE_ALARM]}
            out[section][cls] = d
    return out


def format_failures(failures: Iterable[Failure], details: bool = True, examples: int = EXAMPLES) -> list[str]:
    """Lines of the text report's table: class, misses, false alarms, then (``details``) a few
    examples of each class."""
    lines = [f"{'misses and false alarms by class':<52} {'misses':>7} {'false alarms':>13}"]
    for section, classes in group_failures(failures).items():
        if not classes:
            continue
        lines.append(section)
        for cls, sides in classes.items():
            n, m = len(sides[MISS]), len(sides[FALSE_ALARM])
            lines.append(f"  {cls:<50} {n or '-':>7} {m or '-':>13}")
            if details:
                shown = [f"- {i}" for i in sides[MISS][:examples]]
                shown += [f"+ {i}" for i in sides[FALSE_ALARM][:max(examples - len(shown), 1 if m else 0)]]
                lines += [f"      {x}" for x in shown]
    return lines
