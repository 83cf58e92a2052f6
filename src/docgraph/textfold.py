"""Folding Vietnamese text for matching: case, diacritics, tone marks and their placement ignored.

``fold`` keeps the length of NFC text (one code point in, one out), so a match found in the folded
shadow of a text is at the same offsets in the text itself.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_TABLE: dict[int, str] = {}


def _fold_char(ch: str) -> str:
    if ch in "Đđ":
        return "d"
    base = unicodedata.normalize("NFD", ch)
    stripped = "".join(c for c in base if not unicodedata.combining(c)) or ch
    low = stripped.lower()
    return low if len(low) == 1 else (stripped if len(stripped) == 1 else ch)


class _FoldTable(dict):
    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if unicodedata.combining(ch):
            value = ch  # keep length: a stray combining mark stays in place
        else:
            value = _fold_char(ch)
        self[code] = value
        return value


_FOLD = _FoldTable()


# Up to the General Punctuation block (Latin, Vietnamese, Greek, Cyrillic, quotes and dashes), the table is
# also a list of code points: ``str.translate`` looks a list up faster than a dict (0.21 against 0.36 ms for
# a 6,000-character text), and a whole text is folded once per parse.
_LIST_END = 0x2070
_BEYOND_LIST = re.compile(rf"[^\x00-\u{_LIST_END - 1:04x}]")
_LONG = 200


@cache
def _fold_list() -> list[int]:
    return [ord(_FOLD[c]) for c in range(_LIST_END)]


def fold(text: str) -> str:
    """``"Hoà Bình" -> "hoa binh"``; same length as ``text`` when ``text`` is NFC."""
    if len(text) >= _LONG and _BEYOND_LIST.search(text) is None:
        return text.translate(_fold_list())
    return text.translate(_FOLD)


def search_key(text: str) -> str:
    """Key for diacritic- and tone-insensitive search: NFC, folded, whitespace collapsed."""
    return " ".join(fold(unicodedata.normalize("NFC", text)).split())
