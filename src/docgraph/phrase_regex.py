"""One regex alternative for many phrases, as a trie.

Python's ``re`` tries a flat alternation (``chu tri|chu dong|…``) one phrase at a time at every position;
the same phrases as a trie (``chu\\ (?:tri|dong)``) are tried one character at a time. With a few hundred
body names this is the difference between scanning a text once and scanning it hundreds of times.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator


def phrase_alternation(phrases: Iterable[str], space: str | None = None) -> str:
    """A regex (no group) matching any of ``phrases``, preferring the longest, like an alternation sorted
    by length: the phrases that match at one place are prefixes of one another, and the trie tries each
    longer continuation before stopping. ``space`` replaces each space (e.g. ``r"\\s+"``)."""
    trie: dict[str, dict] = {}
    for w in phrases:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def atom(ch: str) -> str:
        return space if space is not None and ch == " " else re.escape(ch)

    def pattern(node: dict[str, dict]) -> str:
        branches = [atom(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def word_start_scan(body: str) -> re.Pattern[str]:
    """A scan for the places where ``(?<![\\w])body`` may match: the non-word character before each (the
    place is where it ends). Python's ``re`` tries a pattern that opens with a look-behind at every offset of
    a text; one that opens with a character class only where the class matches (after a space or a mark,
    a fifth of a Vietnamese text), skipping the other offsets in C. See :func:`word_matches`."""
    return re.compile(rf"\W(?={body})")


def word_matches(rx: re.Pattern[str], scan: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for an ``rx`` of the form ``(?<![\\w])body`` (``body`` never empty), tried only
    at 0 and at the places ``scan`` (:func:`word_start_scan` of ``body``) finds: every place ``rx`` matches,
    and only those, are among them; a match inside the last one found is skipped, as ``finditer`` does."""
    reach = 0
    for pos in itertools.chain((0,), (m.end() for m in scan.finditer(text))):
        if pos >= reach and (m := rx.match(text, pos)):
            reach = m.end()
            yield m
