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
    _map: list[int]  # _map[i] = offset in the original of text[i]; one extra entry for the end

    def to_original(self, i: int) -> int:
        return self._map[min(max(i, 0), len(self._map) - 1)]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalized span [start, end)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1

    def from_original(self, o: int) -> int:
        return max(bisect_right(self._map, o) - 1, 0)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize(raw: str) -> Normalized:
    """NFC per grapheme cluster, markup/escape noise replaced, odd spaces made plain, offsets kept."""
    out: list[str] = []
    omap: list[int] = []
    looks_html = "<" in raw and re.search(r"</?(p|div|br|span|td|li|b|i|strong|em)\b", raw, re.I) is not None
    pos = 0

    def emit_plain(chunk: str, base: int) -> None:
        i, n = 0, len(chunk)
        while i < n:
            j = i + 1
            while j < n and unicodedata.combining(chunk[j]):
                j += 1
            cluster = chunk[i:j]
            if cluster.isascii():
                out.append(cluster)
                omap.append(base + i)
            else:
                nfc = unicodedata.normalize("NFC", cluster).translate(_SPACES)
                for k, ch in enumerate(nfc):
                    out.append(ch)
                    omap.append(base + i + min(k, j - i - 1))
            i = j

    for m in _NOISE.finditer(raw):
        kind = m.lastgroup
        if kind in ("tag", "br", "ent") and not looks_html and kind != "ent":
            continue
        emit_plain(raw[pos : m.start()], pos)
        if kind == "esc":
            rep = {"\\t": " "}.get(m.group(), "\n")
        elif kind == "br":
            rep = "\n"
        elif kind == "tag":
            rep = " "
        else:
            rep = html.unescape(m.group())
            rep = unicodedata.normalize("NFC", rep).translate(_SPACES) if rep != m.group() else rep
        for ch in rep:
            out.append(ch)
            omap.append(m.start())
        pos = m.end()
    emit_plain(raw[pos:], pos)
    omap.append(len(raw))
    # NFC of whole clusters can still differ from NFC of the whole text in rare cases; keep the map
    text = "".join(out)
    return Normalized(text=text, folded=fold(text), _map=omap)
