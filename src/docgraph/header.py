"""Stage 2b: the document's own identity from its header and signer block.

Reads, when present: issuer lines ("TỈNH ỦY HÀ TĨNH"; two upper-case lines that make one name, "ỦY BAN
NHÂN DÂN" / "TỈNH HÀ TĨNH"; a known body and a place, "HUYỆN ỦY ĐỊNH HÓA"; "CỦA BAN THƯỜNG VỤ TỈNH ỦY"
under the type, which wins), ``Số: 12-CT/TU`` (a capital "Số" right before the symbol, above the TYPE
line: never a body line such as "số 05-CT/TW …" or "Sơ kết …"), ``Hà Tĩnh, ngày 5 tháng 3 năm 2021`` (on
its own line or after the "Số" column), the TYPE line and title under it (a bold block, a "về …" block,
or the lines right under the TYPE line), the signer block (``T/M``, ``K/T``), a received stamp
(``ĐẾN Số: … Ngày: …``, never the document's own number or date) and a news page's publication
date. Province: header first, then the text (one province named unambiguously), else unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from . import dates
from .bodies import find_bodies, identify, province_in
from .citations import SYMBOL_RE, _normalize_symbol, _type_words
from .domain import domain
from .model import DocumentMeta
from .normalize import Normalized
from .phrase_regex import phrase_alternation
from .textfold import fold

_HEAD_LINES = 40
_SIGN_RE = re.compile(r"^\s*\**\s*(?:T/M|TM\.?|K/T|KT\.?|T/L|TL\.?|TUQ\.?|Q\.)\s+(.+?)\**\s*$")
# "Số: 12-CT/TU", "Số 12-CT/TU" (capital S, the symbol right after): never a body line "số 05-CT/TW …"
_SO_RE = re.compile(r"^\s*[*_]*\s*Số\s*[:.]?\s*(?=\d)")
# "Hà Tĩnh, ngày 5 tháng 3 năm 2021", alone or after the "Số" column on the same line
_PLACE_RE = re.compile(
    rf"(?:^|\s{{2,}}|\t)\s*[*_]*\s*([a-z][a-z .\-]{{1,30}}?)\s*,\s*ngay\s*{dates.DATE}\s*[*_.]*\s*$"
)
_BOLD_RE = re.compile(r"\*{2,}")
_COLUMNS_RE = re.compile(r"\t+|\s{3,}")
_STAMP_RE = re.compile(r"^\s*den\s*(?:so)?\s*:")
_STAMP_DATE_RE = re.compile(rf"^\s*ngay\s*:\s*{dates.DATE}")
_PUBLISHED_RE = re.compile(
    r"thu\s+(?:hai|ba|tu|nam|sau|bay)|chu nhat", re.IGNORECASE
)
_MONTHS = {"mot": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
           "muoi mot": 11, "muoi hai": 12}
_PUB_DATE_RE = re.compile(
    r"(?:thu\s+\w+|chu nhat)\s*,\s*(\d{1,2})\s+thang\s+(muoi hai|muoi mot|\w+)\s*,\s*((?:19|20)\d{2})"
)


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _is_upper(s: str) -> bool:
    """Some letters, and no lower-case letter."""
    return s.isupper()


def read_header(norm: Normalized) -> tuple[DocumentMeta, list[tuple[int, str]]]:
    """The document's own metadata, and warnings as (offset, reason)."""
    t, f = norm.text, norm.folded
    meta = DocumentMeta()
    warn: list[tuple[int, str]] = []
    lines = _lines(t)
    head = [(p, ln) for p, ln in lines if ln.strip()][:_HEAD_LINES]
    type_rx, words = _type_words()
    prev_upper = ""

    for i, (pos, line) in enumerate(head):
        fl = f[pos : pos + len(line)]
        if _STAMP_RE.match(fl):
            nxt = head[i + 1] if i + 1 < len(head) else None
            m = _STAMP_DATE_RE.match(f[nxt[0] : nxt[0] + len(nxt[1])]) if nxt else None
            if m:
                meta.received = dates.date_from_match(m)[0]
            continue
        if meta.symbol is None and meta.type is None and _SO_RE.match(line):
            _own_symbol(line, meta, warn)
        pm = _PLACE_RE.search(fl) if meta.date is None and "ngay" in fl else None  # the place line has "ngày"
        if pm and line[pm.start(1) : pm.start(1) + 1].isupper():
            meta.date = dates.date_from_match(pm)[0]
            meta.place = line[pm.start(1) : pm.end(1)].strip(" *_")
            continue
        if meta.symbol is not None and _SO_RE.match(line):
            continue
        pub = _PUB_DATE_RE.search(fl) if meta.published is None and "thang" in fl else None  # "Thứ Hai, 5 tháng Ba"
        if pub:
            month = _MONTHS.get(pub.group(2)) or (int(pub.group(2)) if pub.group(2).isdigit() else None)
            if month:
                meta.published = dates.iso(pub.group(1), month, pub.group(3))
            continue
        if meta.type is not None:
            continue  # the type and title are read, and the issuer lines stand above them
        parts = [p for p in _BOLD_RE.split(line) if p.strip()] if "**" in line else [line] if line.strip() else []
        first = parts[0].strip() if parts else ""
        # fold keeps length and spaces: a line with no bold marks folds to its slice of the folded text
        tm = type_rx.match(fl.strip() if len(parts) == 1 and parts[0] is line else fold(first)) if first else None
        if tm and _is_upper(first[: tm.end()]) and tm.end() >= len(first.rstrip()) - 1:
            meta.type = domain().doctype_by_id(words[tm.group(1)]).vi
            rest = [p.strip() for p in parts[1:]]
            for p in rest:
                if fold(p).startswith("cua "):
                    meta.issuer = _body_name(p[4:])
                elif meta.title is None:
                    meta.title = p
            if meta.title and line.count("**") % 2 == 1:  # the bold title goes on below
                more = _title_below(head, i + 1, f, meta, bold_open=True)
                meta.title = f"{meta.title} {more}" if more else meta.title
            if meta.title is None:
                meta.title = _title_below(head, i + 1, f, meta)
            continue
        left = _COLUMNS_RE.split(line.strip(), maxsplit=1)[0]  # two-column header: the issuer is on the left
        if _is_upper(left):
            nxt = head[i + 1][1] if i + 1 < len(head) else ""
            if _STAMP_RE.match(fold(nxt)):
                continue  # the body that stamped its receipt, not the issuer
            line = left
            name = _issuer_line(line.strip(" *"), prev_upper)
            if name:
                meta.issuer = name
            meta.province = meta.province or province_in(line)
            prev_upper = line.strip(" *")

    on_behalf = _signer(lines, t, meta)
    if on_behalf:
        meta.issuer = _issuer_from_signature(on_behalf, meta.issuer) or meta.issuer
    if meta.type is None and meta.symbol:
        from .citations import _type_for_code

        code = meta.symbol.split("-", 1)[1].split("/")[0] if "-" in meta.symbol.split("/")[0] else ""
        tid = _type_for_code(code, "party") if code else None
        meta.type = domain().doctype_by_id(tid).vi if tid else None
    if meta.title is None:
        vv = re.search(r"^\s*V/v\s*:?\s*(.+)$", "\n".join(ln for _p, ln in head), re.MULTILINE)
        if vv:
            meta.title = "V/v " + vv.group(1).strip()
    if meta.title:
        meta.title = " ".join(meta.title.replace("*", " ").split())
    return meta, warn


def _own_symbol(line: str, meta: DocumentMeta, warn: list[tuple[int, str]]) -> None:
    """ "Số: 12-CT/TU" -> the document's own symbol and number."""
    sm = SYMBOL_RE.search(line)
    norm_sym = _normalize_symbol(sm, warn) if sm else None
    if norm_sym:
        meta.symbol, meta.number = norm_sym[0], norm_sym[1]


def _issuer_line(line: str, prev: str) -> str | None:
    """The issuer an upper-case header line names, alone or with the line above it.

    "ỦY BAN NHÂN DÂN" / "TỈNH BÀ RỊA - VŨNG TÀU" is one name; "HUYỆN ỦY ĐỊNH HÓA" is a known body
    followed by a place that is not a province.
    """
    if re.search(r"cong hoa|doc lap|dang cong san viet nam", fold(line)):
        return None
    for name in (f"{prev} {line}" if prev else "", line):
        if name and identify(name):
            return _body_name(name)
    first = next(iter(find_bodies(line, fold(line))), None)
    if first and first.start == 0 and first.body_id:
        place = " ".join(w.capitalize() for w in line[first.end :].split())
        return f"{_body_name(line[: first.end])} {place}".strip()
    return None


def _body_name(upper: str) -> str:
    """ "BAN THƯỜNG VỤ TỈNH ỦY" -> "Ban Thường vụ Tỉnh ủy" (the known body's own spelling)."""
    b = identify(upper)
    if b:
        p = province_in(upper)
        return f"{b.name} {p}" if p else b.name
    return upper.strip().capitalize()


def _title_below(head: list[tuple[int, str]], j: int, f: str, meta: DocumentMeta,
                 bold_open: bool = False) -> str | None:
    """Title lines under the TYPE line: a bold block, or lines from "về …" to the next blank line."""
    parts: list[str] = []
    while j < len(head):
        pos, line = head[j]
        fl = f[pos : pos + len(line)].strip(" *")
        if fl.startswith("cua ") and not parts and not bold_open:
            meta.issuer = _body_name(line.strip(" *")[4:])  # "của Ban Thường vụ Tỉnh ủy" names the issuer exactly
            j += 1
            continue
        starts_bold = line.lstrip().startswith("**")
        adjacent = j > 0 and pos - (head[j - 1][0] + len(head[j - 1][1])) == 1 and len(line) < 250
        if not parts and not bold_open and not (fl.startswith(("ve ", "v/v")) or starts_bold or adjacent):
            break
        parts.append(line.strip())
        if "**" in line and (bold_open or line.count("**") % 2 == 0 or not starts_bold):
            break  # the bold block closes here
        bold_open = bold_open or (starts_bold and line.count("**") % 2 == 1)
        j += 1
        if not bold_open and j < len(head) and head[j][0] - (pos + len(line)) > 1:
            break  # a blank line ends a plain title
    return " ".join(parts) or None


def _signer(lines: list[tuple[int, str]], t: str, meta: DocumentMeta) -> str | None:
    """Signer and role from the signature block; returns the body it signs for ("T/M BAN THƯỜNG VỤ")."""
    for i, (_pos, line) in enumerate(lines):
        m = _SIGN_RE.match(line)
        if not m:
            continue
        on_behalf = m.group(1).strip(" *") if line.lstrip(" *").upper().startswith(("T/M", "TM")) else None
        rest = [ln.strip(" *") for _p, ln in lines[i + 1 :] if ln.strip(" *")]
        if not rest:
            return
        role = rest[0] if _is_upper(rest[0]) else None
        names = [r for r in rest[1 if role else 0 :] if not r.startswith("(") and not _is_upper(r)]
        if role:
            words = role.lower().split()
            meta.signer_role = " ".join(w.capitalize() if k == 0 or w == "bí" else w for k, w in enumerate(words))
        if names and len(names[0].split()) <= 6:
            meta.signer = names[0]
        return on_behalf
    return None


def _issuer_from_signature(on_behalf: str, header_issuer: str | None) -> str | None:
    """ "T/M BAN THƯỜNG VỤ" under "TỈNH ỦY HÀ TĨNH" is Ban Thường vụ Tỉnh ủy Hà Tĩnh; "T/M BỘ CHÍNH TRỊ" is
    Bộ Chính trị. None when the signature says nothing more than the header."""
    body = identify(on_behalf)
    if body is not None and body.level == "central":
        return body.name
    word = fold(on_behalf)
    if header_issuer and word in ("ban thuong vu", "thuong truc"):
        committee = re.match(r"(tỉnh ủy|thành ủy|huyện ủy|quận ủy|thị ủy|đảng ủy)\b", header_issuer, re.IGNORECASE)
        if committee:
            return f"{'Ban Thường vụ' if word == 'ban thuong vu' else 'Thường trực'} {header_issuer}"
    return None


@cache
def _province_mention_re() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for "tỉnh/Tỉnh ủy/Thành ủy/Báo/thành phố/UBND tỉnh <province>", and folded name -> province."""
    names: dict[str, str] = {}
    for p in domain().provinces:
        for name in (p.name, *p.aliases):
            names.setdefault(" ".join(fold(name).split()), p.name)
    alts = phrase_alternation(names, space=r"\s+")
    return re.compile(rf"(?:tinh|tinh uy|thanh uy|bao|thanh pho|ubnd tinh)\s+({alts})(?![\w])"), names


def province_from_text(norm: Normalized) -> str | None:
    """The one province a text names after 'tỉnh', 'Tỉnh ủy', 'Báo', 'Thành ủy' … (None if none or several)."""
    rx, names = _province_mention_re()
    seen: Counter[str] = Counter(names[" ".join(m.group(1).split())] for m in rx.finditer(norm.folded))
    return next(iter(seen)) if len(seen) == 1 else None
