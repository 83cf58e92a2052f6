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


# -- the same patterns in ASCII mode, for texts where that changes nothing ---------------------------------

_SEPARATORS = re.compile(r"[\x1c-\x1f]")
_LAST: tuple[str, bool] = ("", True)
_TWINS: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}
_INLINE_IGNORECASE = re.compile(r"\(\?[aiLmsux-]*i")


def reads_as_ascii(text: str) -> bool:
    """Whether a pattern compiled with ``re.ASCII`` finds in ``text`` what its Unicode original finds: when
    ``text`` is all ASCII and has none of the information separators U+001C–U+001F (Unicode's ``\\s`` counts
    them as space, ASCII's does not). On such a text ``\\w``, ``\\W``, ``\\d``, ``\\s`` and ``\\b`` agree in both
    modes, and a non-ASCII character of a pattern matches in neither (see :func:`ascii_twin` for case).
    Most folded texts are all ASCII: Vietnamese letters fold to ASCII ones. Remembered for the last text
    asked about, whose readers ask again and again (a tuple, so a thread never reads another text's answer)."""
    global _LAST
    last = _LAST
    if last[0] is text:
        return last[1]
    ok = text.isascii() and _SEPARATORS.search(text) is None
    _LAST = (text, ok)
    return ok


def ascii_twin(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` compiled with ``re.ASCII`` (``rx`` itself if it ignores case: Unicode case-folding lets a
    non-ASCII letter such as the Kelvin sign match an ASCII one). Python's ``re`` tests ``\\w`` and ``\\s`` on
    a Unicode pattern by asking the character database for each character, and on an ASCII pattern by a
    table: the scans of a whole text over the places after a non-word character run a quarter to a third
    faster (bench/HISTORY.md, twenty-second round). Kept per pattern object: hashing a pattern hashes its whole
    compiled code."""
    got = _TWINS.get(id(rx))
    if got is not None and got[0] is rx:
        return got[1]
    twin = rx
    if not rx.flags & re.IGNORECASE and not _INLINE_IGNORECASE.search(rx.pattern):
        try:
            twin = re.compile(rx.pattern, (rx.flags & ~re.UNICODE) | re.ASCII)
        except (re.error, ValueError):  # an inline (?u): the pattern stays as it is
            twin = rx
    _TWINS[id(rx)] = (rx, twin)
    return twin


def for_text(rx: re.Pattern[str], text: str) -> re.Pattern[str]:
    """The pattern to read ``text`` with: :func:`ascii_twin` of ``rx`` where :func:`reads_as_ascii`, else
    ``rx``. Same matches either way."""
    return ascii_twin(rx) if reads_as_ascii(text) else rx
