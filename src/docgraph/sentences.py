"""Sentence boundaries in normalized Vietnamese text (for provenance: the sentence a link came from).

A line break followed by a lower-case letter is a page-break split, not a sentence end.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# sentence-final punctuation, closing quotes or brackets and the spaces after them; or line breaks. One
# character class first, so that the regex engine skips ahead to those characters (a look-behind first
# made it try the pattern at every offset); the punctuation itself belongs to the sentence it ends.
_BREAK = re.compile(r"[.!?…\n](?:(?<=\n)\n*|[\"”’)]*\s+)")


@dataclass
class Sentences:
    starts: list[int]
    ends: list[int]

    def around(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence containing ``pos``."""
        i = max(bisect_right(self.starts, pos) - 1, 0)
        return self.starts[i], self.ends[i]

    def index(self, pos: int) -> int:
        return max(bisect_right(self.starts, pos) - 1, 0)


def split_sentences(text: str) -> Sentences:
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    n = len(text)
    for m in _BREAK.finditer(text):
        nxt = m.end()
        # a break before a lower-case letter is a wrapped line or a page break: not a boundary
        if nxt < n and text[nxt].islower():
            continue
        end = m.start() + (text[m.start()] != "\n")
        while end > pos and text[end - 1].isspace():
            end -= 1
        if end > pos:
            starts.append(pos)
            ends.append(end)
        pos = nxt
    end = n
    while end > pos and text[end - 1].isspace():
        end -= 1
    if end > pos or not starts:
        starts.append(pos)
        ends.append(max(end, pos))
    return Sentences(starts, ends)
