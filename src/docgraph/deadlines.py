"""Deadlines in assignments, normalized to a date with the original text kept, or a recurrence.

One-off deadlines become the last day they allow: ``xong trong quý I năm 2020`` -> 2020-03-31;
``trước ngày 30/6/2024`` -> 2024-06-30; ``trong tháng 12/2023`` -> 2023-12-31; ``6 tháng đầu năm 2021``
-> 2021-06-30; ``hoàn thành trong quý 2/2026`` -> 2026-06-30; ``trong năm 2025``, ``đến hết năm 2025`` ->
2025-12-31. Recurring ones (``hằng năm``, ``định kỳ 6 tháng``, ``trước ngày 15/12 hằng năm``) are a
recurrence, an ISO 8601 duration (P1Y, P6M), not a date; the day they fall on stays in the text.
A starting point (``từ năm 2021``) or a period (``giai đoạn 2021 - 2025``) is no deadline.

Patterns run on the folded text (see :mod:`docgraph.textfold`), which has the offsets of the original.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable

from . import dates
from .model import Deadline

_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y = r"(?:nam\s+)?((?:19|20)\d{2})"
_DONE = r"(?:xong|hoan thanh|hoan tat|ket thuc)"
_QUARTER = re.compile(
    rf"(?:{_DONE}\s+)?(truoc\s+)?(?:(?:trong|vao|cuoi)\s+)?quy\s+(iv|iii|ii|i|[1-4])\s*(?:/|-|nam|\s)\s*{_Y}"
)
_BEFORE = re.compile(
    rf"(?:{_DONE}\s+)?(?:truoc|cham nhat|han chot|muon nhat)\s*(?:la\s+|den\s+|vao\s+)?(?:ngay\s*)?{dates.DATE}"
)
_MONTH = re.compile(rf"(?:{_DONE}\s+)?(?:trong|truoc|cuoi|vao)\s+thang\s+(\d{{1,2}})\s*(?:/|-|nam)\s*{_Y}")
_HALF = re.compile(rf"(6|sau)\s+thang\s+(dau|cuoi)\s+{_Y}")
_YEAR = re.compile(rf"(?:(?:{_DONE}\s+)?(?:trong|cuoi|den het|truoc het|het)|{_DONE})\s+(?:trong\s+)?nam\s+"
                   r"((?:19|20)\d{2})")
_BEFORE_YEAR = re.compile(rf"(?:{_DONE}\s+)?truoc\s+nam\s+((?:19|20)\d{{2}})")
_RECURRING_DAY = re.compile(r"(?:truoc|vao)\s+ngay\s+\d{1,2}(?:\s*[/-]\s*\d{1,2})?\s+(?:hang|moi)\s+(nam|thang|quy)")
# each with the word every match contains: a clause without it is not searched (str.find is far cheaper)
_RECUR = [
    (re.compile(r"dinh ky\s+6\s+thang|6\s+thang\s+(?:mot|1)\s+lan|hang\s+6\s+thang|moi\s+6\s+thang"), "P6M", "thang"),
    (re.compile(r"(?:2|hai)\s+nam\s+(?:mot|1)\s+lan"), "P2Y", "nam"),
    (re.compile(r"dinh ky\s+hang\s+quy|hang\s+quy|dinh ky\s+quy|moi quy"), "P3M", "quy"),
    (re.compile(r"dinh ky\s+hang\s+thang|hang\s+thang|moi thang"), "P1M", "thang"),
    (re.compile(r"dinh ky\s+hang\s+tuan|hang\s+tuan|moi tuan"), "P1W", "tuan"),
    (re.compile(r"dinh ky\s+hang\s+nam|hang\s+nam|moi nam|dinh ky\s+(?:mot|1)\s+nam"), "P1Y", "nam"),
]
_PERIOD = {"nam": "P1Y", "thang": "P1M", "quy": "P3M"}
_PERIODIC = re.compile(r"dinh ky")


def _month_end(year: int, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return dates.iso(calendar.monthrange(year, month)[1], month, year)


def _recurring_day(m: re.Match[str]) -> tuple[str | None, str | None]:
    return None, _PERIOD[m.group(1)]


def _quarter(m: re.Match[str]) -> tuple[str | None, str | None]:
    q, year = _Q[m.group(2)], int(m.group(3))
    if m.group(1):  # "trước quý IV/2024": by the end of the third quarter
        q, year = (q - 1, year) if q > 1 else (4, year - 1)
    return _month_end(year, q * 3), None


def _before(m: re.Match[str]) -> tuple[str | None, str | None]:
    return dates.date_from_match(m)[0], None


def _month(m: re.Match[str]) -> tuple[str | None, str | None]:
    month, year = int(m.group(1)), int(m.group(2))
    if m.group().startswith("truoc"):  # "trước tháng 6/2024": by the end of May
        month, year = (month - 1, year) if month > 1 else (12, year - 1)
    return _month_end(year, month), None


def _half(m: re.Match[str]) -> tuple[str | None, str | None]:
    return _month_end(int(m.group(3)), 6 if m.group(2) == "dau" else 12), None


def _year(m: re.Match[str]) -> tuple[str | None, str | None]:
    return _month_end(int(m.group(1)), 12), None


def _before_year(m: re.Match[str]) -> tuple[str | None, str | None]:
    return _month_end(int(m.group(1)) - 1, 12), None


# most specific first: a recurring day before a plain date, a quarter before a year; with the words one
# of which every match contains (the patterns open with optional words, so a search tries every offset)
_READERS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str | None, str | None]], tuple[str, ...]]] = [
    (_RECURRING_DAY, _recurring_day, ("ngay",)), (_QUARTER, _quarter, ("quy",)),
    (_BEFORE, _before, ("truoc", "cham nhat", "han chot", "muon nhat")), (_MONTH, _month, ("thang",)),
    (_HALF, _half, ("thang",)), (_YEAR, _year, ("nam",)), (_BEFORE_YEAR, _before_year, ("truoc",)),
]


def find_deadline(folded: str, text: str) -> tuple[Deadline, int, int] | None:
    """The deadline in a clause (folded and original of the same length), with its offsets."""
    for rx, read, words in _READERS:
        m = rx.search(folded) if any(w in folded for w in words) else None
        if m:
            date, recurrence = read(m)
            return Deadline(text[m.start() : m.end()].strip(), date, recurrence), m.start(), m.end()
    for rx, period, word in _RECUR:
        m = rx.search(folded) if word in folded else None
        if m:
            return Deadline(text[m.start() : m.end()].strip(), None, period), m.start(), m.end()
    return None


def report_frequency(folded: str) -> str | None:
    """How often a report is due: an ISO duration, "periodic" or "ad hoc"."""
    for rx, period, word in _RECUR:
        if word in folded and rx.search(folded):
            return period
    if _PERIODIC.search(folded):
        return "periodic"
    if "dot xuat" in folded:
        return "ad hoc"
    return None
