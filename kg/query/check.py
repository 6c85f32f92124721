"""The safety checks of a user's SPARQL query: its text, its tokens and its parsed algebra.

A query from a user must never reach the network or the file system and never change the
store. `check` first refuses what would make two readers read the text differently
(`kg.query.guard.prescan`: escapes, control characters), then reads SPARQL's tokens (strings,
IRIs, comments, variables, prefixed names, keywords) and refuses a ``SERVICE`` keyword, updates,
a ``FROM`` naming a graph that is not the store's and prefix names spelt like keywords, and last
parses the text with rdflib's SPARQL parser and walks its algebra for the same things
(`kg.query.guard.parse_check`). A query passes only if every reading agrees it is safe; the
engine is then handed that same text.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from kg.errors import QueryError
from kg.query.guard import SPARQL_KEYWORDS, parse_check, prescan

MAX_DEPTH = 64  # brackets nested deeper than this are refused: Oxigraph's parser recurses on them
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
               |\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
               |'(?:[^'\\\n]|\\.)*'?
               |"(?:[^"\\\n]|\\.)*"?)
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][^\W][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:(?:[\w:%-]|\\.)(?:(?:[\w.:%-]|\\.)*(?:[\w:%-]|\\.))?)?)
    | (?P<bnode>_:[\w.-]*)
    | (?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
    | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    | (?P<word>[^\W\d][\w]*)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Token:
    kind: str  # comment, string, iri, var, pname, bnode, number, lang, word, punct
    text: str
    pos: int


@dataclass
class CheckedQuery:
    """What the checks learnt: the query form, its variables and the prefixes it declares."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: set[str] = field(default_factory=set)
    declared_prefixes: set[str] = field(default_factory=set)


def tokens(text: str) -> list[Token]:
    """SPARQL's tokens of ``text``, whitespace and comments left out."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, m.group(), m.start()))
    return out


def check(text: str, prefixes: Mapping[str, str], store_base: str) -> CheckedQuery:
    """Refuse (QueryError) what must not reach the store; ``prefixes`` count as declared.

    Refused: an empty query, updates, any ``SERVICE``, ``FROM``/``FROM NAMED`` naming a graph
    whose IRI does not start with ``store_base`` (and plain ``FROM`` of any graph, which
    Oxigraph ignores under the union default graph), prefixes no one declared or spelt like a
    keyword, brackets nested more than `MAX_DEPTH` deep, and what `kg.query.guard` refuses
    (escapes, control characters, a text its parser cannot read, SERVICE found in the algebra).
    """
    if not text or not text.strip():
        raise QueryError("the query is empty")
    prescan(text)  # escapes and control characters first: they make readings differ
    toks = tokens(text)
    declared: dict[str, str] = {}
    base = ""
    i = 0
    # the prologue: BASE <iri> and PREFIX p: <iri>, in any order
    while i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() in ("BASE", "PREFIX"):
        if toks[i].text.upper() == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = urljoin(base, toks[i + 1].text[1:-1])
            i += 2
        elif i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 1].text.endswith(":") \
                and toks[i + 2].kind == "iri":
            declared[toks[i + 1].text[:-1]] = urljoin(base, toks[i + 2].text[1:-1])
            i += 3
        else:
            break  # malformed: Oxigraph's parser will say where
    first = toks[i].text.upper() if i < len(toks) and toks[i].kind == "word" else ""
    if first in UPDATE_WORDS:
        raise QueryError(
            "updates are not accepted on the query path (INSERT, DELETE, LOAD, CLEAR, DROP, "
            "CREATE, ADD, MOVE, COPY): the store is changed only by `kg build`"
        )

    known = {**prefixes, **declared}
    depth = 0
    variables: set[str] = set()
    for j, tok in enumerate(toks):
        if tok.kind == "word":
            word = tok.text.upper()
            if word == "SERVICE":
                raise QueryError("SERVICE clauses are refused: a query must not make network requests")
            if word == "FROM" and j >= i:
                _check_from(toks, j, known, base, store_base)
        elif tok.kind == "var":
            variables.add(tok.text[1:])
        elif tok.kind == "pname":
            prefix = tok.text.split(":", 1)[0]
            if prefix.upper() in SPARQL_KEYWORDS:
                # Oxigraph reads `SERVICE:q` as the keyword SERVICE followed by `:q`
                raise QueryError(f"the prefix name {prefix + ':'!r} is a SPARQL keyword and is refused "
                                 f"(at {_where(text, tok.pos)}): choose another prefix name")
            if j >= i and prefix not in known:
                raise QueryError(
                    f"invalid query: unknown prefix {prefix + ':'!r} at {_where(text, tok.pos)} "
                    f"(prefixes declared for you: {', '.join(sorted(prefixes))})"
                )
        elif tok.kind == "punct":
            if tok.text in "{([":
                depth += 1
                if depth > MAX_DEPTH:
                    raise QueryError(f"the query is nested too deeply to check (more than {MAX_DEPTH} levels of brackets)")
            elif tok.text in "})]":
                depth -= 1
    form = next((t.text.upper() for t in toks[i:] if t.kind == "word" and t.text.upper() in QUERY_FORMS), "")
    if not form:
        raise QueryError("SPARQL syntax error: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    parse_check(_standard(text, toks), known, store_base)
    return CheckedQuery(form, variables, set(declared))


def _standard(text: str, toks: list[Token]) -> str:
    """``text`` for a SPARQL 1.1 parser: Oxigraph's ``LATERAL { ... }`` (SEP-0006, used by the
    saved queries) read as a plain group, the keyword blanked in place so positions hold."""
    out = text
    for tok in toks:
        if tok.kind == "word" and tok.text.upper() == "LATERAL":
            out = out[:tok.pos] + " " * len(tok.text) + out[tok.pos + len(tok.text):]
    return out


def _check_from(toks: list[Token], j: int, known: Mapping[str, str], base: str, store_base: str) -> None:
    named = j + 1 < len(toks) and toks[j + 1].kind == "word" and toks[j + 1].text.upper() == "NAMED"
    k = j + 2 if named else j + 1
    if k >= len(toks):
        return
    tok = toks[k]
    if tok.kind == "iri":
        iri = urljoin(base, tok.text[1:-1])
    elif tok.kind == "pname":
        prefix, local = tok.text.split(":", 1)
        iri = known.get(prefix, "") + local
    else:
        return  # not a graph IRI: Oxigraph's parser refuses it
    keyword = "FROM NAMED" if named else "FROM"
    if not iri.startswith(store_base):
        raise QueryError(
            f"{keyword} <{iri}> is refused: a query may only read the store's own graphs "
            f"(IRIs starting with {store_base})"
        )
    if not named:
        # Oxigraph, asked for the union of all graphs as default graph, ignores FROM and
        # would silently answer over every document.
        raise QueryError(
            f"FROM <{iri}> is not supported: the default graph is always the union of all "
            f"graphs; use GRAPH <{iri}> {{ ... }} to read one graph"
        )


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


_OX_ERROR = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def syntax_message(err: Exception, text: str, line_shift: int = 0) -> str:
    """Oxigraph's parse error as "SPARQL syntax error at line L, column C: ..." with the line.

    ``line_shift`` lines were added above ``text`` before it was parsed (the PREFIX lines)."""
    msg = str(err)
    m = _OX_ERROR.match(msg)
    if not m:
        return f"SPARQL syntax error: {msg}"
    line_no, col, what = int(m.group(1)) - line_shift, int(m.group(2)), m.group(3)
    what = " ".join(what.split())
    if len(what) > 200:
        what = what[:200] + " ..."
    lines = text.splitlines()
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    pointer = f"\n    {line}\n    {' ' * max(col - 1, 0)}^" if line else ""
    return f"SPARQL syntax error at line {line_no}, column {col}: {what}{pointer}"


def subquery_variables(text: str) -> set[str]:
    """The variables used inside sub-queries (``{ SELECT ... }``) of ``text``."""
    inner: set[str] = set()
    depth = 0
    open_at: list[int] = []  # depths at which a sub-select started
    for tok in tokens(text):
        if tok.kind == "punct" and tok.text == "{":
            depth += 1
        elif tok.kind == "punct" and tok.text == "}":
            depth -= 1
            while open_at and depth < open_at[-1]:
                open_at.pop()
        elif tok.kind == "word" and tok.text.upper() == "SELECT" and depth > 0:
            open_at.append(depth)
        elif tok.kind == "var" and open_at:
            inner.add(tok.text[1:])
    return inner
