"""Stage 1: text as read -> normalized text (NFC, markup and escape noise removed), with an offset map.

``normalize(raw)`` returns a :class:`Normalized` whose ``text`` is what the parser reads and whose
``to_original(i)`` maps an offset in it back to the text as read, so every span can be reported in the
user's own file.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from .textfold import fold

# literal backslash escapes left by scrapers ("\r\n" as four characters), HTML tags and entities
_NOISE = re.compile(
    r"(?P<esc>\\r\\n|\\n|\\r|\\t)"
    r"|(?P<br><br\s*/?>|</p\s*>|</div\s*>|</li\s*>|</tr\s*>|</h[1-6]\s*>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>)"
    r"|(?P<ent>&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)",
    re.IGNORECASE,
)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000"), " ") | {0x200B: None, 0xFEFF: None}


@dataclass
class Normalized:
    text: str
    folded: str  # same length as text, for diacritic-insensitive matching
    # where each character of ``text`` came from in the original, as runs: the character at _starts[r] came
    # from _bases[r], and the run goes on one for one up to the next start (the end of ``text`` maps to the
    # end of the original). A text as clean as most is one run: a list of an offset per character took a
    # tenth of a parse to build (7,800 int objects for a 7.8 KB text).
    _starts: list[int]
    _bases: list[int]

    def to_original(self, i: int) -> int:
        i = min(max(i, 0), len(self.text))
        r = bisect_right(self._starts, i) - 1
        return self._bases[r] + (i - self._starts[r])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalized span [start, end)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        # up to where the next character came from: a decomposed last letter keeps its combining marks,
        # an entity stays whole, a dropped zero-width space is harmless
        return self.to_original(start), self.to_original(end)

    def from_original(self, o: int) -> int:
        """The last offset of ``text`` whose character came from ``o`` or before it (0 if none)."""
        r = bisect_right(self._bases, o) - 1
        if r < 0:
            return 0
        end = self._starts[r + 1] if r + 1 < len(self._starts) else len(self.text) + 1
        return min(self._starts[r] + (o - self._bases[r]), end - 1)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_ODD = re.compile("[\u00a0\u2007\u202f\u2009\u200a\u3000\u200b\ufeff]")
# a base character with the combining marks after it (NFD Vietnamese: "e" + U+0302 + U+0301), or an odd space
_CLUSTER = re.compile(
    "[^\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]?"
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
    "|[\u00a0\u2007\u202f\u2009\u200a\u3000\u200b\ufeff]"
)


class _Builder:
    """The normalized text in pieces, and the runs of where its characters came from (see Normalized)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.length = 0  # characters in out
        self.starts: list[int] = []
        self.bases: list[int] = []

    def plain(self, chunk: str, base: int) -> None:
        """Text between markup: NFC per cluster, odd spaces made plain (fast when already clean)."""
        if unicodedata.is_normalized("NFC", chunk) and not _ODD.search(chunk):
            self.keep(chunk, base)
            return
        last = 0
        for m in _CLUSTER.finditer(chunk):
            self.simple(chunk[last : m.start()], base + last)
            nfc = unicodedata.normalize("NFC", m.group()).translate(_SPACES)
            self.put(nfc, base + m.start(), len(m.group()))
            last = m.end()
        self.simple(chunk[last:], base + last)

    def simple(self, seg: str, base: int) -> None:
        """A stretch without combining marks: NFC changes at most a rare singleton, one character each."""
        if unicodedata.is_normalized("NFC", seg):
            self.keep(seg, base)
            return
        for i, ch in enumerate(seg):
            self.put(unicodedata.normalize("NFC", ch), base + i, 1)

    def run(self, base: int) -> None:
        """The next character came from ``base``: a new run unless the last one goes on to there."""
        if not self.starts or self.bases[-1] + (self.length - self.starts[-1]) != base:
            self.starts.append(self.length)
            self.bases.append(base)

    def keep(self, seg: str, base: int) -> None:
        if seg:
            self.run(base)
            self.out.append(seg)
            self.length += len(seg)

    def put(self, rep: str, base: int, width: int) -> None:
        """``rep`` stands for ``width`` original characters from ``base``: its k-th character came from
        base + k, the ones past the width from the last of them."""
        if not rep:
            return
        self.run(base)
        self.length += min(len(rep), width)
        for _ in range(len(rep) - width):
            self.starts.append(self.length)
            self.bases.append(base + width - 1)
            self.length += 1
        self.out.append(rep)


def normalize(raw: str) -> Normalized:
    """NFC per grapheme cluster, markup/escape noise replaced, odd spaces made plain, offsets kept."""
    b = _Builder()
    looks_html = "<" in raw and re.search(r"</?(p|div|br|span|td|li|b|i|strong|em)\b", raw, re.I) is not None
    pos = 0
    # every kind of noise opens with one of three characters: a text with none of them has none (most texts;
    # the pattern, tried at every offset, took a third of this function)
    noisy = "\\" in raw or "<" in raw or "&" in raw
    for m in _NOISE.finditer(raw) if noisy else ():
        kind = m.lastgroup
        if kind in ("tag", "br") and not looks_html:
            continue
        b.plain(raw[pos : m.start()], pos)
        b.put(_replacement(m), m.start(), 1)
        pos = m.end()
    b.plain(raw[pos:], pos)
    b.run(len(raw))  # the end
    text = "".join(b.out)
    return Normalized(text=text, folded=fold(text), _starts=b.starts, _bases=b.bases)


def _replacement(m: re.Match[str]) -> str:
    """What a piece of markup or escape noise becomes: a line break, a space, or the entity's character."""
    kind = m.lastgroup
    if kind == "esc":
        return " " if m.group() == "\\t" else "\n"
    if kind == "br":
        return "\n"
    if kind == "tag":
        return " "
    rep = html.unescape(m.group())
    return unicodedata.normalize("NFC", rep).translate(_SPACES) if rep != m.group() else rep
