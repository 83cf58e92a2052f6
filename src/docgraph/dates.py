"""Vietnamese dates: ``2/1/2020`` (day first), ``16-5-2016``, ``15.5.2016``, ``ngày 5 tháng 3 năm 2021``.

Patterns run on the folded text (see :mod:`docgraph.textfold`), so ``thang``/``tháng`` and
``nam``/``năm`` both match. Tolerated typos: mixed separators (``22/9-2014``), spaces around them
(``02/ 01/ 2020``) and a letter O for a zero (``25/1O/2017``, folded to ``1o``).
"""

from __future__ import annotations

import datetime as dt
import re

_D = r"(?:\d{1,2}|\do|o\d)"  # a day or month, with an OCR'd "O" for a zero
_SEP = r"\s*[/.\-]\s*"
# d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy (with optional spaces around separators, mixed separators)
NUMERIC = rf"(?P<d>{_D}){_SEP}(?P<m>{_D}){_SEP}(?P<y>(?:19|20)[\do]{{2}})(?![\d/])"
SPELLED = r"(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s*,?\s+nam\s+(?P<y2>(?:19|20)\d{2})"
DATE = rf"(?:{NUMERIC}|{SPELLED})"
DATE_RE = re.compile(DATE)
# "ngày 02/01/2020", "ngày 5 tháng 3 năm 2021" (folded)
NGAY_DATE_RE = re.compile(rf"ngay\s*{DATE}")


def _int(s: str) -> int:
    return int(s.replace("o", "0"))


def iso(day: int | str, month: int | str, year: int | str) -> str | None:
    """ISO date, or None when it is not a real date (``31/2/2020``)."""
    try:
        return dt.date(_int(str(year)), _int(str(month)), _int(str(day))).isoformat()
    except ValueError:
        return None


def date_from_match(m: re.Match[str]) -> tuple[str | None, str]:
    """(ISO date or None, the raw text) for a match of :data:`DATE_RE` or :data:`NGAY_DATE_RE`."""
    g = m.groupdict()
    if g.get("d"):
        return iso(g["d"], g["m"], g["y"]), m.group()
    return iso(g["d2"], g["m2"], g["y2"]), m.group()


def parse_date(folded: str) -> str | None:
    """The first date in a folded phrase, ISO."""
    m = DATE_RE.search(folded)
    return date_from_match(m)[0] if m else None
