"""What the engine will execute: the two checks of a user's query besides its tokens.

A check that reads the text one way while the engine reads it another lets a query through that
does what the check refuses. Oxigraph's lexer ends a comment at ``\\r`` as well as ``\\n``, reads
``SERVICE:q`` (a prefixed name whose prefix is ``SERVICE``) as the keyword, and decodes
``\\uXXXX`` escapes anywhere in the text before it parses (SPARQL 1.1, section 19.2), so
``SERVI\\u0043E`` is ``SERVICE`` to it (docs/sources.md, "Measured 2026-12-07"). So:

1. `prescan` refuses, before anything else, what makes readings differ: ``\\u``/``\\U`` escapes
   anywhere, backslashes and control or invisible characters outside strings and IRIs, and a
   query larger than `MAX_QUERY_CHARS`.
2. `parse_check` parses the text with a real SPARQL parser (rdflib's) and walks the algebra it
   gives: any ``SERVICE`` and any dataset clause naming a graph outside the store is refused,
   whatever spelling put it there. A text that parser cannot read is refused too (the engine
   never sees a query nobody checked).

The caller hands the engine exactly the text that passed both.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping
from typing import Any

from kg.errors import QueryError

# A user's query larger than this is refused before it is parsed: parsers recurse and
# backtrack, and a long query is no one's hand-written question.
MAX_QUERY_CHARS = 64 * 1024

# Words of the SPARQL 1.1 grammar (and Oxigraph's extensions) that a lexer may read as a
# keyword where a prefixed name was meant: a prefix spelt like one is refused.
SPARQL_KEYWORDS = frozenset("""
    A ABS ADD ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE CONCAT CONSTRUCT
    CONTAINS COPY COUNT CREATE DATATYPE DAY DEFAULT DELETE DESC DESCRIBE DISTINCT DROP ENCODE_FOR_URI
    EXISTS FALSE FILTER FLOOR FROM GRAPH GROUP GROUP_CONCAT HAVING HOURS IF IN INSERT INTO IRI
    ISBLANK ISIRI ISLITERAL ISNUMERIC ISURI LANG LANGMATCHES LATERAL LCASE LIMIT LOAD MAX MD5 MIN
    MINUS MINUTES MONTH MOVE NAMED NOT NOW OFFSET OPTIONAL ORDER PREFIX RAND REDUCED REGEX REPLACE
    ROUND SAMPLE SECONDS SELECT SEPARATOR SERVICE SHA1 SHA256 SHA384 SHA512 SILENT STR STRAFTER
    STRBEFORE STRDT STRENDS STRLANG STRLEN STRSTARTS STRUUID SUBSTR SUM TIMEZONE TO TRUE TRIPLE TZ
    UCASE UNDEF UNION URI USING UUID VALUES WHERE WITH YEAR
""".split())

PARSER_RECURSION = 12_000  # Python frames rdflib's parser may use on a query nested to the check's limit

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_ESCAPE = re.compile(r"\\[uU]")


def prescan(text: str) -> None:
    """Refuse (QueryError) a text whose reading could differ between the check and the engine."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too large ({len(text)} characters; the limit is {MAX_QUERY_CHARS})")
    m = _ESCAPE.search(text)
    if m:
        raise QueryError(f"\\u and \\U escapes are refused (at {where(text, m.start())}): "
                         "write the character itself")
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = _comment_end(text, i)
        elif c in "'\"":
            i = _string_end(text, i)
        elif c == "<":
            m = _IRIREF.match(text, i)
            i = m.end() if m else i + 1
        elif c == "\\":
            raise QueryError(f"a backslash outside a string or IRI is refused (at {where(text, i)})")
        elif _invisible(c):
            raise QueryError(f"control character U+{ord(c):04X} outside a string is refused "
                             f"(at {where(text, i)}); only spaces, tabs and newlines (\\n) separate words")
        else:
            i += 1


def _invisible(c: str) -> bool:
    if c in " \t\n":
        return False
    if c == "\r":  # Oxigraph ends a comment here; another reader might not
        return True
    return unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Zs", "Cs", "Co", "Cn")


def _comment_end(text: str, i: int) -> int:
    # a comment ends at the first \n or \r; whatever follows is read as query text (a \r is
    # then refused as a control character)
    j = i
    while j < len(text) and text[j] not in "\n\r":
        j += 1
    return j


def _string_end(text: str, i: int) -> int:
    q = text[i]
    if text.startswith(q * 3, i):
        j = i + 3
        while j < len(text):
            if text[j] == "\\":
                j += 2
            elif text.startswith(q * 3, j):
                return j + 3
            else:
                j += 1
        return len(text)
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
        elif c == q:
            return j + 1
        elif c in "\n\r":
            return j  # unterminated: what follows is read as query text again
        else:
            j += 1
    return len(text)


def where(text: str, pos: int) -> str:
    """"line L, column C" of offset ``pos``."""
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


def parse_check(text: str, prefixes: Mapping[str, str], store_base: str) -> None:
    """Parse ``text`` with rdflib's SPARQL parser and refuse (QueryError) what its algebra holds
    that must not run: ``SERVICE``, and dataset clauses naming a graph outside ``store_base``."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    limit = sys.getrecursionlimit()
    # the parser recurses a few dozen frames per bracket; `check` has bounded the nesting first
    sys.setrecursionlimit(max(limit, PARSER_RECURSION))
    try:
        query = translateQuery(parseQuery(text), initNs=dict(prefixes))
    except ParseBaseException as err:
        line = text.splitlines()[err.lineno - 1] if 0 < err.lineno <= len(text.splitlines()) else ""
        pointer = f"\n    {line}\n    {' ' * max(err.col - 1, 0)}^" if line else ""
        raise QueryError(f"SPARQL syntax error at line {err.lineno}, column {err.col}: "
                         f"{_short(err.msg)}{pointer}") from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to check") from None
    except Exception as err:  # noqa: BLE001 - rdflib's translation raises plain Exceptions
        raise QueryError(f"invalid query: {_short(str(err))}") from None
    finally:
        sys.setrecursionlimit(limit)
    _walk(query.algebra, store_base)


def _short(msg: str) -> str:
    msg = " ".join(msg.split())
    return msg if len(msg) <= 200 else msg[:200] + " ..."


def _walk(node: Any, store_base: str, depth: int = 0) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 400:
        raise QueryError("the query is nested too deeply to check")
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            raise QueryError("SERVICE clauses are refused: a query must not make network requests")
        if node.name == "DatasetClause":
            _dataset_clause(node, store_base)
        for value in node.values():
            _walk(value, store_base, depth + 1)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _walk(value, store_base, depth + 1)


def _dataset_clause(node: Any, store_base: str) -> None:
    # a CompValue's get() answers missing keys with the key itself: ask the dict
    named = dict.get(node, "named")
    iri = str(named if named is not None else dict.get(node, "default"))
    keyword = "FROM NAMED" if named is not None else "FROM"
    if not iri.startswith(store_base):
        raise QueryError(f"{keyword} <{iri}> is refused: a query may only read the store's own graphs "
                         f"(IRIs starting with {store_base})")
    if named is None:
        raise QueryError(f"FROM <{iri}> is not supported: the default graph is always the union of all "
                         f"graphs; use GRAPH <{iri}> {{ ... }} to read one graph")
