"""Check a SPARQL request before it reaches the store: read-only queries, nothing that reaches out.

The check works on SPARQL tokens, not substrings: comments, strings, IRIs, variables and prefixed
names are recognized first (SPARQL 1.1 terminals), so only a bare keyword counts. ``SERVICE`` is the
one keyword that would make oxigraph open a network connection, so a query whose text contains the
word anywhere else (a comment, a string, an IRI) is parsed by rdflib as well and refused if its parse
tree has a SERVICE pattern (or cannot be parsed): two independent readings must agree.

Refused: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH), SERVICE,
and dataset clauses (FROM, FROM NAMED; the store has one default graph and loads nothing from IRIs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[\w\u00B7-\uFFFF](?:[\w\u00B7-\uFFFF.\-:%]|\\.)*|:(?:[\w\u00B7-\uFFFF.\-:%]|\\.)*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Refused(ValueError):
    """A request the endpoint will not run; the message says why (HTTP 400)."""


@dataclass(frozen=True)
class Checked:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None when the tokens do not say (oxigraph decides)


def keywords(query: str) -> list[str]:
    """The bare words of ``query`` (upper case): not in comments, strings, IRIs, variables or prefixed names."""
    out = []
    for m in _TOKEN.finditer(query):
        if m.lastgroup == "word" and ":" not in m.group() and not m.group()[0].isdigit():
            out.append(m.group().upper())
    return out


def check_query(query: str) -> Checked:
    """Raise :class:`Refused` for anything but a read-only query that stays inside the store."""
    words = keywords(query)
    update = [w for w in words if w in UPDATE_KEYWORDS]
    if update:
        raise Refused(f"SPARQL Update ({update[0]}) is refused: this endpoint is read-only")
    if "SERVICE" in words:
        raise Refused("SERVICE is refused: this endpoint does not query other endpoints")
    if "FROM" in words:
        raise Refused("FROM / FROM NAMED are refused: the store has one default graph and loads nothing from IRIs")
    if re.search("service", query, re.IGNORECASE):
        _second_reading(query)
    form = next((w for w in words if w in QUERY_FORMS), None)
    return Checked(form)


def _second_reading(query: str) -> None:
    """rdflib's parser (slow, so only when the word SERVICE occurs outside keywords) must agree."""
    from rdflib.plugins.sparql.parser import parseQuery

    from .namespaces import sparql_prefixes

    try:
        tree = parseQuery(sparql_prefixes() + query)
    except Exception:
        raise Refused("the word SERVICE occurs in this query and its use could not be verified; "
                      "remove it from comments and strings") from None
    if _has_service(tree):
        raise Refused("SERVICE is refused: this endpoint does not query other endpoints")


def _has_service(node: object) -> bool:
    name = getattr(node, "name", None)
    if name == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_has_service(v) for v in node)
    return False
