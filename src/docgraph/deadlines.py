"""Deadlines in assignments, normalized to a date with the original text kept, or a recurrence.

``xong trong quý I năm 2020`` -> 2020-03-31; ``trước ngày 30/6/2024`` -> 2024-06-30; ``trong tháng
12/2023`` -> 2023-12-31; ``6 tháng đầu năm 2021`` -> 2021-06-30; ``hằng năm``, ``định kỳ 6 tháng``,
``trước ngày 15/12 hằng năm`` -> a recurrence (ISO 8601 duration), not a date.
"""

from __future__ import annotations

import calendar
import re

from . import dates
from .model import Deadline

_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y = r"(?:nam\s+)?((?:19|20)\d{2})"
_QUARTER = re.compile(
    rf"(?:xong|hoan thanh|truoc|trong|vao|cuoi)?\s*(?:trong\s+)?quy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam|\s)\s*{_Y}"
)
_BEFORE = re.compile(
    rf"(?:truoc|cham nhat (?:la )?(?:ngay)?|han chot|xong truoc|hoan thanh truoc)\s*(?:ngay\s*)?{dates.DATE}"
)
_MONTH = re.compile(rf"(?:trong|xong trong|hoan thanh trong|truoc|cuoi)\s+thang\s+(\d{{1,2}})\s*(?:/|-|nam)\s*{_Y}")
_HALF = re.compile(rf"(6|sau)\s+thang\s+(dau|cuoi)\s+{_Y}")
_YEAR = re.compile(
    r"(?:xong|hoan thanh)?\s*trong\s+nam\s+((?:19|20)\d{2})|(?:xong|hoan thanh)\s+(?:trong\s+)?nam\s+((?:19|20)\d{2})"
)
_ANNUAL_DAY = re.compile(r"truoc\s+ngay\s+(\d{1,2})\s*[/-]\s*(\d{1,2})\s+(?:hang|hàng)\s+nam")
_RECUR = [
    (re.compile(r"dinh ky\s+6\s+thang|6\s+thang\s+mot\s+lan|hang\s+6\s+thang"), "P6M"),
    (re.compile(r"dinh ky\s+hang\s+quy|hang\s+quy|dinh ky\s+quy|moi quy"), "P3M"),
    (re.compile(r"dinh ky\s+hang\s+thang|hang\s+thang"), "P1M"),
    (re.compile(r"dinh ky\s+hang\s+nam|hang\s+nam|moi nam"), "P1Y"),
]
_PERIODIC = re.compile(r"dinh ky")


def _month_end(year: int, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return dates.iso(calendar.monthrange(year, month)[1], month, year)


def find_deadline(folded: str, text: str) -> tuple[Deadline, int, int] | None:
    """The deadline in a clause (folded and original of the same length), with its offsets."""
    m = _ANNUAL_DAY.search(folded)
    if m:
        return Deadline(text[m.start() : m.end()], None, f"P1Y;--{int(m.group(2)):02d}-{int(m.group(1)):02d}"), \
            m.start(), m.end()
    m = _QUARTER.search(folded)
    if m:
        q, y = _Q[m.group(1)], int(m.group(2))
        return Deadline(text[m.start() : m.end()].strip(), _month_end(y, q * 3)), m.start(), m.end()
    m = _BEFORE.search(folded)
    if m:
        return Deadline(text[m.start() : m.end()].strip(), dates.date_from_match(m)[0]), m.start(), m.end()
    m = _MONTH.search(folded)
    if m:
        month, y = int(m.group(1)), int(m.group(2))
        if folded[m.start() :].startswith("truoc"):
            month, y = (month - 1, y) if month > 1 else (12, y - 1)
        return Deadline(text[m.start() : m.end()].strip(), _month_end(y, month)), m.start(), m.end()
    m = _HALF.search(folded)
    if m:
        y = int(m.group(3))
        return Deadline(text[m.start() : m.end()].strip(), _month_end(y, 6 if m.group(2) == "dau" else 12)), \
            m.start(), m.end()
    m = _YEAR.search(folded)
    if m:
        y = int(m.group(1) or m.group(2))
        return Deadline(text[m.start() : m.end()].strip(), _month_end(y, 12)), m.start(), m.end()
    for rx, period in _RECUR:
        m = rx.search(folded)
        if m:
            return Deadline(text[m.start() : m.end()].strip(), None, period), m.start(), m.end()
    return None


def report_frequency(folded: str) -> str | None:
    """How often a report is due: an ISO duration, "periodic" or "ad hoc"."""
    for rx, period in _RECUR:
        if rx.search(folded):
            return period
    if _PERIODIC.search(folded):
        return "periodic"
    if "dot xuat" in folded:
        return "ad hoc"
    return None
