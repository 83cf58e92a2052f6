"""Stage 2a: find the documents a text cites, with their dates, issuers, terms and relations.

How it works (every step on the normalized text and its same-length folded shadow):

1. find symbols (``102-KL/TW``, ``16/CT-TTg``, ``30/2020/NĐ-CP``, ``4912/UBND-NC``, noisy forms such as
   ``84 QĐ/TWĐTN``, ``12-CT/T.Ư``, ``217/QĐ-TW``), numbers that share a symbol's code
   (``Quyết định 217, 218-QĐ/TW``) and number-only citations (``Chỉ thị số 17``);
2. look back for the type word (``Kết luận số``, also across an issuer phrase, a line break or a list);
3. read the tail: date, ``của`` issuer (a known body, else the capitalised name as written), ``khóa``
   term, ``về …`` title; a narrative date before (``Ngày 02/01/2020, Ban Bí thư ban hành …``);
4. share a tail backwards over a list (``số 18-NQ/TW, số 19-NQ/TW và số 20-NQ/TW ngày …``) and resolve
   number-only citations to the one symbol of that type and number the text names;
5. relations: the verb phrase before a citation is the citing document's relation to it; a verb
   phrase inside another citation's title or right after its tail (``A … về tiếp tục thực hiện B``,
   ``A sửa đổi, bổ sung B``) is A's relation to B;
6. merge mentions into one :class:`~docgraph.model.Citation` per cited document.

Received stamps, self references (``Chỉ thị này``), plenum names (``Nghị quyết Trung ương 4``) and
article numbers are never citations. A type word that disagrees with the symbol's code is kept, with
a warning.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from . import dates
from .bodies import body_at, find_bodies
from .domain import domain
from .model import Citation, CitedRelation, Mention, Warning_
from .normalize import Normalized
from .phrase_regex import for_text, phrase_alternation, word_matches, word_start_scan
from .sentences import Sentences, split_sentences
from .textfold import fold

_DASH = r"[-–—‑‐]"
_CODE_CH = r"A-Za-zĐđƯưƠơ"
# Party: 102-KL/TW, 47 – QĐ/TW, 37QĐ/TW, 84 QĐ/TWĐTN, 08-QĐi/TW, 445-KL/TƯ, 12-CT/T.Ư, 01-HD/BTGTU, 01-KL TW
_PARTY = (
    rf"(?P<pn>\d{{1,5}}[a-z]?)\s*(?:{_DASH}\s*)?(?P<pt>[A-ZĐ][{_CODE_CH}]{{0,5}})(?:\s*/\s*|[ \t]+)"
    rf"(?P<pi>T\.\s?Ư|[A-ZĐƯ][A-ZĐƯa-zđư&]*(?:\.[A-ZĐƯ]+)*(?:{_DASH}[A-ZĐ][A-ZĐa-z]*)?(?:/[A-ZĐƯ][A-ZĐƯa-z]*)?)"
)
# State: 16/CT-TTg, 30/2020/NĐ-CP, 02/2011/TTLT-VPCP-BNV, 80/2015/QH13, 4912/UBND-NC, 217/QĐ-TW
_STATE = (
    rf"(?P<sn>\d{{1,5}})\s*/\s*(?:(?P<sy>(?:19|20)\d{{2}})\s*/\s*)?(?P<st>[A-ZĐ][{_CODE_CH}]{{0,6}}\d{{0,2}})"
    rf"(?:\s*{_DASH}\s*(?P<si>[A-ZĐ][{_CODE_CH}0-9&]*(?:\s*{_DASH}\s*[A-ZĐ][{_CODE_CH}0-9&]*)*))?"
)
SYMBOL_RE = re.compile(rf"(?<![\w/.\-])(?:{_PARTY}|{_STATE})(?![\w])")

# "Chỉ thị số 17", "Quy định 377"; never "Kế hoạch 5 năm", "Nghị quyết lần thứ 12", "Điều 5"
_NUM_ONLY_RE = re.compile(r"\s*(so\s*:?\s*)?(\d{1,5})(?![\d/\-–\w])(?!\s*[.,]\d)")
_NUM_ONLY_STOP_RE = re.compile(r"\s*(?:nam|thang|ngay|lan|dieu|khoan|nguoi|diem|muc|%|trieu|ty|nghin)\b")
_NUM_ONLY_SO_STOP_RE = re.compile(r"\s*(?:nam|thang|lan|dieu|khoan|nguoi|%)\b")
# numbers sharing the code of the symbol after them: "217, 218-QĐ/TW", "số 18, 19, 20-NQ/TW", "217 và 218"
_CHAIN_RE = re.compile(r"(?<![\w/.\-])((?:(?:so\s*)?\d{1,5}\s*(?:,|va|&)\s*)+)(?:so\s*)?$")
_CHAIN_NUM_RE = re.compile(r"\d{1,5}")


@cache
def _type_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """Regex of type words (folded) and folded word -> type id."""
    words: dict[str, str] = {}
    for t in domain().doctypes:
        words[fold(t.vi)] = t.id
    words["quy dinh"] = "quy-dinh"
    rx = re.compile(r"(?<![\w])" + _type_word_body(words))
    return rx, words


def _type_word_body(words: dict[str, str]) -> str:
    return r"(?:cac\s+)?(" + phrase_alternation(words) + r")(?![\w])"


@cache
def _type_word_scan() -> re.Pattern[str]:
    """:func:`~docgraph.phrase_regex.word_start_scan` of the type words, for reading a whole text."""
    return word_start_scan(_type_word_body(_type_words()[1]))


_DIGITS = re.compile(r"\d+")


def _symbols(text: str) -> Iterator[re.Match[str]]:
    """``SYMBOL_RE.finditer(text)``, tried only where a run of digits starts: every symbol starts with its
    number, and a place inside a run follows a digit, which the pattern's look-behind refuses. (Tried at
    every offset, the pattern took half the time of reading a text's citations.)"""
    reach = 0
    for d in _DIGITS.finditer(text):
        if d.start() >= reach and (m := SYMBOL_RE.match(text, d.start())):
            reach = m.end()
            yield m


@cache
def _codes() -> tuple[dict[str, str], dict[str, str]]:
    """upper-cased type code -> type id, for Party and for State symbols (first type listed wins)."""
    party: dict[str, str] = {}
    state: dict[str, str] = {}
    for t in domain().doctypes:
        for c in t.party_codes:
            party.setdefault(c.upper(), t.id)
        for c in t.state_codes:
            state.setdefault(c.upper(), t.id)
    return party, state


@cache
def _canonical_codes() -> dict[str, str]:
    out: dict[str, str] = {}
    for t in domain().doctypes:
        for c in (*t.party_codes, *t.state_codes):
            out.setdefault(c.upper(), c)
    return out


@cache
def _issuer_codes(system: str | None = None) -> frozenset[str]:
    """Upper-cased issuer codes of one system (all when ``system`` is None)."""
    return frozenset(c.code.upper() for c in domain().issuer_codes if system in (None, c.system))


@cache
def _relation_phrases() -> tuple[re.Pattern[str], list[str], re.Pattern[str], re.Pattern[str]]:
    """(phrase at end of text, group index -> relation, fillers at end of text, any phrase).

    A phrase word ``N`` stands for a number ("sơ kết N năm thực hiện").
    """
    pairs: list[tuple[str, str]] = []
    for r in domain().relations:
        for p in r.phrases:
            pairs.append((" ".join(fold(p).split()), r.relation))
    pairs.sort(key=lambda x: len(x[0]), reverse=True)
    rels = [rel for _, rel in pairs]

    def rx(phrase: str) -> str:
        return r"\s+".join(r"\d{1,3}" if w == "n" else re.escape(w) for w in phrase.split())

    groups = "|".join(f"(?P<r{i}>{rx(p)})" for i, (p, _) in enumerate(pairs))
    ending = re.compile(rf"(?<![\w])(?:{groups})\s*$")
    anywhere = re.compile(rf"(?<![\w])(?:{groups})(?![\w])")
    fill = sorted((fold(f) for f in domain().fillers), key=len, reverse=True)
    fillers = re.compile(r"(?:[\s,]+|(?<![\w])(?:" + "|".join(rx(f) for f in fill) + r"))\s*$")
    return ending, rels, fillers, anywhere


def _priority(relation: str) -> int:
    return domain().relation(relation).priority


_TERM_RE = re.compile(r"\s*[,(]?\s*khoa\s+(?P<term>[ivxl]{1,5})(?![\w])\s*\)?")
_CUA_RE = re.compile(r"\s*,?\s*(?:cua|do)\s+")
# "Hội nghị lần thứ sáu Ban Chấp hành Trung ương", "tại Hội nghị Trung ương 6": the issuing plenum
_PLENUM_RE = re.compile(r"\s*,?\s*(?:cua\s+)?hoi nghi\s+(?:lan\s+thu\s+\w+\s+)?(?:cua\s+)?(?=[a-z])")
_DATE_TAIL_RE = re.compile(rf"\s*[,(]?\s*(?:ban hanh\s+)?(?:ngay\s*)?{dates.DATE}\s*\)?")
_TITLE_START_RE = re.compile(r"\s*[,:]?\s*[\"“”']?\s*(?:ve|v/v)\s+")
_TITLE_END_RE = re.compile(r"[;\n]|\.(?:\s|$)|\(sau day|\(goi tat|[\"”]|,\s+|$")  # ", " only before a capital
_GAP_RE = re.compile(
    r"^\s*(?:ket luan\s*)?(?:lien tich\s*)?(?:hanh dong\s*)?(?:(?:cua|do)\s+[^;.\n]{0,90}?)?\s*[(,:]?\s*"
    r"(?:so(?:\s*hieu)?|so\s*va\s*ky\s*hieu)?\s*[:.]?\s*$"
)
_LIST_GAP_RE = re.compile(r"^\s*(?:[,;]|va|hoac)?\s*(?:so\s*:?)?\s*$")
_SHARE_GAP_RE = re.compile(r"^\s*(?:,|va|hoac|,\s*va)\s*(?:so\s*:?)?\s*$")
_DATE_BEFORE_RE = re.compile(
    rf"ngay\s*{dates.DATE}\s*,\s*([^;.\n]{{2,120}}?)\s+(?:da\s+|vua\s+|chinh thuc\s+)*(?:ky\s+)?ban hanh\s+$"
)
# the issuer as written when it is not a known body: "của Ban Chỉ đạo 35 Tỉnh ủy"
_ISSUER_STOP_RE = re.compile(
    r"[,;:.()\[\]\"“”\n]|\snam\s+\d|\s(?:ve|ngay|khoa|so|tai|trong|da|ban hanh|thuc hien|theo|va cac|de|nham|voi|"
    r"duoc|cho|nhu|tu|den|gan)(?![\w])"
)
_ISSUER_HEADS = ("ban ", "bo ", "uy ban", "ubnd", "hdnd", "hoi dong", "van phong", "tinh uy", "thanh uy",
                 "huyen uy", "dang uy", "dang doan", "so ", "cuc ", "tong cuc", "trung uong", "thuong truc",
                 "thu tuong", "chinh phu", "quoc hoi", "hoi ", "lien doan", "doan ", "tinh doan", "mat tran",
                 "chu tich", "vien ", "toa an", "hoc vien", "co quan", "mttq", "uy ban")


@dataclass
class _Found:
    start: int  # start of the whole citation (type word, or symbol)
    sym_start: int
    sym_end: int
    end: int  # end of the tail (title included)
    type_id: str | None
    type_from_word: bool
    number: str | None
    symbol: str | None
    system: str | None
    year: str | None = None
    date: str | None = None
    issuer: str | None = None
    issuer_id: str | None = None
    issuer_province: str | None = None
    term: str | None = None
    title: str | None = None
    title_start: int | None = None
    relation: str | None = None
    relation_from: str = "none"  # "own", "list", "clause"
    nested_in: _Found | None = None
    in_list: bool = False  # typed by a list's type word ("các Nghị quyết: số 18-NQ/TW, số 19-NQ/TW")
    chain_of: _Found | None = None  # "217" in "Quyết định 217, 218-QĐ/TW" -> the 218 citation
    inner: list[tuple[str, _Found, int]] = field(default_factory=list)  # (relation, target, phrase pos)

    @property
    def has_tail(self) -> bool:
        return bool(self.date or self.issuer or self.term or self.title)

    @property
    def issuer_code(self) -> str | None:
        """The issuer part of the symbol ("TW" of 102-KL/TW, "TTg" of 16/CT-TTg)."""
        if not self.symbol:
            return None
        return self.symbol.split("/", 1)[1] if self.system == "party" else self.symbol.rsplit("-", 1)[-1]


_Sym = tuple[str, str, str, "str | None", str]  # (symbol, number, type code, year, system)


def _normalize_symbol(m: re.Match[str], warn: list[tuple[int, str]]) -> _Sym | None:
    """(symbol, number, type code, year, system) or None if the match is not a document symbol.

    A State-form symbol whose first code is an issuer (``4912/UBND-NC``) is a Công văn: type code "" for
    a known issuer code, "-" for an unknown one (then only after the words "Công văn" or "văn bản").
    """
    if m.group("pn"):
        return _party_symbol(m, warn)
    return _state_symbol(m, warn)


def _party_symbol(m: re.Match[str], warn: list[tuple[int, str]]) -> _Sym | None:
    party_codes, _ = _codes()
    number, tcode, icode = m.group("pn"), m.group("pt"), re.sub(r"\s", "", m.group("pi"))
    if tcode.upper() not in party_codes:
        return None
    if re.fullmatch(r"T\.?Ư", icode):
        icode = "TW" if "." in icode else "TU"
        warn.append((m.start(), f"issuer code read as {icode}"))
    icode = icode.rstrip(".")
    if "/" not in m.group()[len(number):] and icode.upper() not in _issuer_codes("party"):
        return None  # "01-KL TW": a space for the slash only before a known issuer code
    tcode = _canonical_codes().get(tcode.upper(), tcode)
    return f"{number}-{tcode}/{icode}", number, tcode, None, "party"


def _state_symbol(m: re.Match[str], warn: list[tuple[int, str]]) -> _Sym | None:
    party_codes, state_codes = _codes()
    number, tcode, icode, year = m.group("sn"), m.group("st"), m.group("si"), m.group("sy")
    tkey = tcode.upper()
    if re.fullmatch(r"(?:UBTV)?QH\d{1,2}", tkey) and year and not icode:
        return f"{number}/{year}/{tcode}", number, tcode, year, "state"
    if not icode:
        return None  # "12/2020" or "5/QL" with no issuer part is too weak to be a symbol
    icode = re.sub(rf"\s*{_DASH}\s*", "-", icode)
    if tkey not in party_codes and tkey not in state_codes:
        if not year and re.fullmatch(r"[A-ZĐ&]{2,8}", tkey):  # a Công văn: 4912/UBND-NC, 25/SNV-CCVC
            return f"{number}/{tcode}-{icode}", number, "" if tkey in _issuer_codes() else "-", None, "state"
        return None
    tcode = _canonical_codes().get(tkey, tcode)
    if not year and icode.upper() in _issuer_codes("party") and tkey in party_codes:
        warn.append((m.start(), f"Party symbol written in State order: {m.group()!r} read as {number}-{tcode}/{icode}"))
        return f"{number}-{tcode}/{icode}", number, tcode, None, "party"
    if tkey not in state_codes:
        return None
    sym = f"{number}/{year}/{tcode}-{icode}" if year else f"{number}/{tcode}-{icode}"
    return sym, number, tcode, year, "state"


def _type_for_code(code: str, system: str) -> str | None:
    if code in ("", "-"):
        return "cong-van"
    if re.fullmatch(r"QH\d{0,2}", code.upper()):
        return None  # a law or a Quốc hội resolution: only the type word tells
    party_codes, state_codes = _codes()
    table = party_codes if system == "party" else state_codes
    return table.get(code.upper()) or party_codes.get(code.upper()) or state_codes.get(code.upper())


def _codes_of(type_id: str) -> set[str]:
    t = domain().doctype_by_id(type_id)
    return {c.upper() for c in (*t.party_codes, *t.state_codes)}


def _code_fits(type_id: str, tcode: str) -> bool:
    """Whether a symbol's type code may stand for the type word's type."""
    key = tcode.upper()
    if key in ("", "-"):
        return type_id in ("cong-van", "van-ban")
    if re.fullmatch(r"(?:UBTV)?QH\d{1,2}", key):
        return type_id in ("luat", "nghi-quyet", "phap-lenh", "bo-luat")
    return key in _codes_of(type_id) or not (_codes_of(type_id))


class _Reader:
    def __init__(self, norm: Normalized, source: str) -> None:
        self.norm = norm
        self.t = norm.text
        self.f = norm.folded
        self.source = source
        self.sent: Sentences = split_sentences(self.t)
        self.warn: list[tuple[int, str]] = []

    # -- step 1 + 2 -------------------------------------------------------------------------
    def find(self) -> list[_Found]:
        found: list[_Found] = []
        occupied: list[tuple[int, int]] = []
        for m in _symbols(self.t):
            norm = _normalize_symbol(m, self.warn)
            if not norm or self._is_stamp(m.start()):
                continue
            group = self._symbol_found(m, norm, found)
            if group:
                found.extend(group)
                occupied.append((group[0].start, group[-1].sym_end))
        found.extend(self._number_only(occupied))
        found.sort(key=lambda x: (x.start, x.sym_start))
        return found

    def _symbol_found(self, m: re.Match[str], norm: _Sym, found: list[_Found]) -> list[_Found]:
        """The citation of one symbol, preceded by the numbers that share its code ("217, 218-QĐ/TW")."""
        symbol, number, tcode, year, system = norm
        fc = _Found(m.start(), m.start(), m.end(), m.end(), None, False, number, symbol, system, year)
        chain = self._chain_before(m.start(), found)
        anchor = chain[0][0] if chain else m.start()
        if chain and not self._type_word(fc, found, tcode, anchor):
            chain = []
        if not chain:
            self._type_word(fc, found, tcode, m.start())
        if fc.type_id is None and tcode in ("", "-") and system == "state":
            fc.type_id = "cong-van"
        if fc.type_id is None and re.fullmatch(r"QH\d{1,2}", tcode.upper()):
            fc.type_id = self._law_word(m.start())
        if tcode == "-" and fc.start == m.start():
            return []  # "77/ABC-XY": an unknown code with no type word before it is not a symbol
        out = [self._chained(fc, s, e, n) for s, e, n in chain]
        return [*out, fc]

    def _chained(self, fc: _Found, s: int, e: int, n: str) -> _Found:
        if fc.system == "party":
            sym = f"{n}-{fc.symbol.split('-', 1)[1]}" if fc.symbol else None
        else:
            sym = f"{n}/{fc.symbol.split('/', 1)[1]}" if fc.symbol else None
        return _Found(fc.start, s, e, e, fc.type_id, fc.type_from_word, n, sym, fc.system, fc.year, chain_of=fc)

    def _chain_before(self, pos: int, found: list[_Found]) -> list[tuple[int, int, str]]:
        lo = max(0, pos - 60, found[-1].sym_end if found else 0)
        m = _CHAIN_RE.search(self.f, lo, pos)
        if not m:
            return []
        base = m.start(1)
        return [(base + n.start(), base + n.end(), n.group()) for n in _CHAIN_NUM_RE.finditer(m.group(1))]

    def _law_word(self, pos: int) -> str | None:
        """ "Luật Tổ chức chính quyền địa phương số 77/2015/QH13": a capitalised Luật in the same clause."""
        lo = max(0, pos - 120)
        clause = re.split(r"[;,.()\n]", self.f[lo:pos])[-1]
        m = re.search(r"(?<![\w])(?:bo\s+)?luat(?![\w])", clause)
        if m and self.t[pos - len(clause) + m.start()].isupper():
            return "luat"
        return None

    def _number_only(self, occupied: list[tuple[int, int]]) -> list[_Found]:
        """ "Chỉ thị số 17", "Quy định 377": a type word and a number with no symbol."""
        type_rx, words = _type_words()
        out: list[_Found] = []
        spans = sorted(occupied)
        starts = [s for s, _ in spans]
        reach = list(itertools.accumulate((e for _, e in spans), max))  # the furthest end so far
        for m in word_matches(for_text(type_rx, self.f), for_text(_type_word_scan(), self.f), self.f):
            tid = words[m.group(1)]
            i = bisect.bisect_right(starts, m.start()) - 1  # inside an occupied span: one that starts before
            if tid == "van-ban" or (i >= 0 and m.start() < reach[i]):  # it and ends after it
                continue
            n = _NUM_ONLY_RE.match(self.f, m.end())
            if not n or self._is_stamp(m.start()):
                continue
            stop = _NUM_ONLY_SO_STOP_RE if n.group(1) else _NUM_ONLY_STOP_RE
            if stop.match(self.f, n.end()):
                continue
            if not self.t[m.start(1)].isupper() and not n.group(1):
                continue  # "kế hoạch 5" in running text; a citation is capitalised or says "số"
            out.append(_Found(m.start(1), n.start(2), n.end(2), n.end(2), tid, True, n.group(2), None, None))
        return out

    def _is_stamp(self, pos: int) -> bool:
        """Inside a received stamp ("ĐẾN Số: 2664 Ngày: …") or a "Số và ký hiệu HS" line."""
        line_start = self.f.rfind("\n", 0, pos) + 1
        line = self.f[line_start:pos]
        return bool(re.search(r"(?<![\w])den\s*(?:so)?\s*:?\s*$|ky hieu hs", line))

    def _type_word(self, fc: _Found, found: list[_Found], tcode: str, anchor: int) -> bool:
        """Type ``fc`` from the type word before ``anchor``; True when a type word stands right there."""
        type_rx, words = _type_words()
        lo = max(0, anchor - 140, found[-1].sym_end if found else 0)
        window = self.f[lo:anchor]
        best = None
        tm = type_rx.search(window)
        while tm:  # overlapping: "thực hiện pháp lệnh" holds "hiện pháp" and "pháp lệnh"
            best = tm
            tm = type_rx.search(window, tm.start(1) + 1)
        if best is not None and _GAP_RE.match(window[best.end() :]):
            self._typed_by_word(fc, best, lo, words[best.group(1)], tcode, anchor)
            return True
        # a list under one type word: "các Nghị quyết: số 18-NQ/TW, số 19-NQ/TW và số 20-NQ/TW"
        if found and found[-1].type_from_word and _LIST_GAP_RE.match(self.f[found[-1].sym_end : anchor]):
            prev = found[-1]
            if prev.type_id and _code_fits(prev.type_id, tcode) and tcode:
                fc.type_id, fc.type_from_word, fc.in_list = prev.type_id, True, True
                return False
        fc.type_id = _type_for_code(tcode, fc.system or "party")
        return False

    def _typed_by_word(self, fc: _Found, best: re.Match[str], lo: int, tid: str, tcode: str, anchor: int) -> None:
        window = self.f[lo:anchor]
        if tid == "ket-luan" and re.search(r"thong bao\s+$", window[: best.start(1)]):
            tb = re.search(r"(thong bao)\s+$", window[: best.start(1)])  # "Thông báo kết luận"
            best, tid = tb or best, "thong-bao"
        fc.start = lo + best.start(1)
        self._issuer_in(fc, lo + best.end(), anchor)
        if tid == "van-ban":
            fc.type_id = _type_for_code(tcode, fc.system or "party")
            return
        fc.type_id, fc.type_from_word = tid, True
        if not _code_fits(tid, tcode):
            code = repr(tcode) if tcode not in ("", "-") else "(an issuer code only)"
            self.warn.append((fc.start, f"type word {domain().doctype_by_id(tid).vi!r} does not match "
                                        f"symbol code {code} in {fc.symbol}; keeping the type word"))

    def _issuer_in(self, fc: _Found, start: int, end: int) -> None:
        m = re.search(r"(?:cua|do)\s+", self.f[start:end])
        if m:
            b = body_at(self.t, self.f, start + m.end())
            if b and b.end <= end:
                fc.issuer, fc.issuer_id, fc.issuer_province = b.text, b.body_id, b.province

    # -- step 3 -----------------------------------------------------------------------------
    def tail(self, fc: _Found) -> None:
        f = self.f
        pos = fc.sym_end
        if f.startswith(")", pos):
            pos += 1
        for _ in range(5):
            nxt = self._tail_item(fc, pos)
            if nxt is None:
                break
            pos = nxt
        if fc.system == "party" and fc.symbol and fc.symbol.endswith("/TU") and fc.issuer_id:
            if domain().body(fc.issuer_id).level == "central":  # OCR'd TƯ was Trung ương after all
                fc.symbol = fc.symbol[:-3] + "/TW"
        fc.end = pos
        self._title(fc, pos)

    def _tail_item(self, fc: _Found, pos: int) -> int | None:
        """Read one date, issuer or term at ``pos``; the position after it, or None."""
        f = self.f
        m = _DATE_TAIL_RE.match(f, pos)
        if m and fc.date is None:
            d, _raw = dates.date_from_match(m)
            if d is None:
                self.warn.append((m.start(), f"not a real date: {self.t[m.start():m.end()].strip()!r}"))
            fc.date = d or ""
            return m.end()
        m = _CUA_RE.match(f, pos) or _PLENUM_RE.match(f, pos)
        if m and fc.issuer is None:
            end = self._issuer_at(fc, m.end())
            if end is not None:
                return end
        m = _TERM_RE.match(f, pos)
        if m and fc.term is None:
            fc.term = m.group("term").upper()
            return m.end()
        return None

    def _issuer_at(self, fc: _Found, pos: int) -> int | None:
        """A known body at ``pos`` (extended by a capitalised name after it), else a capitalised name."""
        b = body_at(self.t, self.f, pos)
        if b:
            end = self._name_end(b.end, max_words=3)
            fc.issuer, fc.issuer_id, fc.issuer_province = self.t[b.start : end], b.body_id, b.province
            return end
        while pos < len(self.f) and self.f[pos] == " ":
            pos += 1
        if not self.t[pos : pos + 1].isupper() or not self.f.startswith(_ISSUER_HEADS, pos):
            return None
        end = self._name_end(pos, max_words=12)
        if end - pos < 3:
            return None
        fc.issuer = self.t[pos:end]
        return end

    def _name_end(self, pos: int, max_words: int) -> int:
        """End of the name going on at ``pos`` (words up to a stop word, a punctuation mark or a type word)."""
        type_rx, _ = _type_words()
        stop = _ISSUER_STOP_RE.search(self.f, pos, min(len(self.f), pos + 120))
        limit = stop.start() if stop else min(len(self.f), pos + 120)
        end = pos
        for k, w in enumerate(re.finditer(r"\S+", self.t[pos:limit])):
            word_start = pos + w.start()
            if k >= max_words or type_rx.match(self.f, word_start):
                break
            if max_words <= 3 and not (w.group()[0].isupper() or w.group()[0].isdigit()):
                break  # after a known body only a capitalised name goes on ("… Trung ương Đoàn")
            end = pos + w.end()
        return end

    def _title(self, fc: _Found, pos: int) -> None:
        f = self.f
        m = _TITLE_START_RE.match(f, pos)
        if not m:
            return
        ts = m.end()
        te = self._title_end(ts)
        title = " ".join(self.t[ts:te].replace("*", " ").split()).strip(" ,;:")
        if title:
            fc.title = ("về " + title) if not title.lower().startswith(("về", "ve")) else title
            fc.title_start = ts
            fc.end = te

    def _title_end(self, ts: int) -> int:
        """Where a ``về …`` title ends: a sentence or clause mark, a quote, an alias, ", " before a capital."""
        f = self.f
        e = _TITLE_END_RE.search(f, ts)
        while e and e.start() < len(f):
            ch = f[e.start()]
            if ch == "\n" and self._continues_line(e.start()):
                pass
            elif ch == "," and not self.t[e.end() : e.end() + 1].isupper():
                pass
            else:
                break
            e = _TITLE_END_RE.search(f, e.start() + 1)
        return e.start() if e else len(f)

    def _continues_line(self, pos: int) -> bool:
        """A line break inside a sentence: the next line starts lower-case (a wrapped title, a page break)."""
        rest = self.t[pos : pos + 40].lstrip("\n *")
        return bool(rest) and (rest[0].islower() or (self.t[pos - 1 : pos] not in ".;:" and rest[:3].lower() == "của"))

    def date_before(self, fc: _Found) -> None:
        """ "Ngày 02/01/2020, Ban Bí thư ban hành Thông báo số 158-TB/TW" """
        if fc.date is not None or fc.chain_of is not None or fc.in_list:
            return
        s, _ = self.sent.around(fc.start)
        m = _DATE_BEFORE_RE.search(self.f, s, fc.start)
        if m and m.end() == fc.start:
            fc.date = dates.date_from_match(m)[0]
            clause = len(m.groups())
            bodies = find_bodies(self.t, self.f, m.start(clause), m.end(clause))
            if fc.issuer is None and bodies:
                b = bodies[0]
                fc.issuer, fc.issuer_id, fc.issuer_province = b.text, b.body_id, b.province

    # -- step 4 -----------------------------------------------------------------------------
    def relation_before(self, start: int, lo: int) -> tuple[str | None, int]:
        """Relation phrase ending right before ``start`` (fillers allowed), not before ``lo``."""
        ending, rels, fillers, _ = _relation_phrases()
        lo = max(lo, start - 160)  # phrases and fillers are short: no need to scan the whole sentence
        seg = self.f[lo:start]
        for _ in range(8):
            m = ending.search(seg)
            if m:
                return rels[int(m.lastgroup[1:])], lo + m.start(m.lastgroup)  # type: ignore[index]
            fm = fillers.search(seg)
            if not fm or fm.start() == len(seg):
                break
            seg = seg[: fm.start()]
        return None, -1

    def relation_anywhere(self, lo: int, hi: int) -> str | None:
        """The last relation phrase in ``[lo, hi)`` other than a loose alignment."""
        _, rels, _, anywhere = _relation_phrases()
        best: str | None = None
        for m in anywhere.finditer(self.f, lo, hi):
            rel = rels[int(m.lastgroup[1:])]  # type: ignore[index]
            if rel != "alignedWith":
                best = rel
        return best


def _key(fc: _Found) -> str:
    if fc.symbol:
        return fc.symbol
    return f"{domain().doctype_by_id(fc.type_id).vi if fc.type_id else '?'} {fc.number}"


def extract_citations(norm: Normalized, source: str = "-") -> tuple[list[Citation], list[Warning_]]:
    """Every document the text cites, one :class:`Citation` per document, in order of first mention."""
    r = _Reader(norm, source)
    found = r.find()
    for fc in found:
        r.tail(fc)
        r.date_before(fc)
    _share_tails(found, r)
    for fc in found:
        fc.date = fc.date or None  # "" marked a date that was read but is not a real one
    _resolve_number_only(found)
    _nest(found, r)
    _own_relations(found, r)
    citations = _merge(found, r)
    warnings = [Warning_(source, norm.to_original(off), why) for off, why in r.warn]
    return citations, warnings


def _share_tails(found: list[_Found], r: _Reader) -> None:
    """A date, issuer or term after the last item of a list belongs to the items before it too."""
    for fc in found:
        if fc.chain_of is not None:
            main = fc.chain_of
            fc.date, fc.issuer, fc.issuer_id, fc.term = main.date, main.issuer, main.issuer_id, main.term
    for i in range(len(found) - 2, -1, -1):
        fc, nxt = found[i], found[i + 1]
        if fc.issuer or fc.title or fc.chain_of is not None or not _SHARE_GAP_RE.match(r.f[fc.end : nxt.start]):
            continue
        if fc.issuer_code and nxt.issuer_code and fc.issuer_code.upper() != nxt.issuer_code.upper():
            continue
        fc.issuer, fc.issuer_id, fc.term = nxt.issuer, nxt.issuer_id, fc.term or nxt.term
        if fc.date is None and (nxt.in_list or nxt.chain_of is not None):
            fc.date = nxt.date


def _nest(found: list[_Found], r: _Reader) -> None:
    """A citation inside another's title, or right after its tail behind a relation phrase, is nested."""
    for i, fc in enumerate(found):
        if fc.chain_of is not None:
            continue
        for outer in reversed(found[:i]):
            if outer.title_start is not None and outer.title_start <= fc.start < outer.end:
                rel, _ = r.relation_before(fc.start, outer.title_start)
                _nest_in(outer, fc, rel or "mentions")
                break
        else:
            prev = found[i - 1] if i else None
            if prev is None or prev.nested_in is not None or prev.end > fc.start:
                continue
            if "\n" in r.t[prev.end : fc.start] or r.sent.index(prev.start) != r.sent.index(fc.start):
                continue  # a new line or sentence ("…\n\nCăn cứ B") starts a citation of its own
            rel, at = r.relation_before(fc.start, prev.end)
            if rel and not r.f[prev.end : at].strip() and not re.search(r"[,;]\s*$", r.f[prev.sym_end : prev.end]):
                _nest_in(prev, fc, rel)


def _nest_in(outer: _Found, fc: _Found, rel: str) -> None:
    fc.nested_in = outer
    outer.inner.append((rel, fc, fc.start))


def _own_relations(found: list[_Found], r: _Reader) -> None:
    """The citing document's own relation to each top-level citation."""
    prev: _Found | None = None
    for fc in found:
        if fc.nested_in is not None:
            continue
        s, _ = r.sent.around(fc.start)
        lo = max(s, prev.end if prev and prev.end <= fc.start else s)
        rel, _ = r.relation_before(fc.start, lo)
        if rel:
            fc.relation, fc.relation_from = rel, "own"
        elif prev and prev.relation and r.sent.index(prev.start) == r.sent.index(fc.start):
            fc.relation, fc.relation_from = prev.relation, "list"
        else:
            fc.relation = r.relation_anywhere(max(s, fc.start - 240), fc.start)
            fc.relation_from = "clause" if fc.relation else "none"
        prev = fc


def _same_number(a: str | None, b: str | None) -> bool:
    """ "07" and "7" are the same document number."""
    return a is not None and b is not None and (a.lstrip("0") or "0") == (b.lstrip("0") or "0")


def _resolve_number_only(found: list[_Found]) -> None:
    """ "Chỉ thị số 17" takes the symbol of a "17-CT/…" named in the same text, when only one is."""
    for fc in found:
        if fc.symbol or not fc.type_id:
            continue
        codes = _codes_of(fc.type_id)
        same = [o for o in found if o.symbol and _same_number(o.number, fc.number)]
        cands = {
            o.symbol: o for o in same
            if o.symbol.split("-", 1)[-1].split("/")[0].upper() in codes and o.system == "party"
        } | {o.symbol: o for o in same if o.system == "state" and o.type_id == fc.type_id}
        if len(cands) == 1:
            fc.symbol, named = cands.popitem()
            fc.number = named.number  # "Nghị quyết số 7" is 07-NQ/TW
            fc.system = "party" if "-" in fc.symbol.split("/")[0] else "state"


def _keys(found: list[_Found]) -> dict[int, str]:
    """The merge key of each mention: its symbol, or symbol and year when one text names two documents
    with the same symbol and different years (numbers restart each term: 07-CT/TW of 2008 and of 2024)."""
    years: dict[str, set[str]] = {}
    for fc in found:
        if fc.date:
            years.setdefault(_key(fc), set()).add(fc.date[:4])
    out: dict[int, str] = {}
    for fc in found:
        k = _key(fc)
        if len(years.get(k, ())) > 1:
            year = fc.date[:4] if fc.date else min(years[k])
            k = f"{k}|{year}"
        out[id(fc)] = k
    return out


def _merge(found: list[_Found], r: _Reader) -> list[Citation]:
    by_key: dict[str, Citation] = {}
    keys = _keys(found)
    for fc in found:
        k = keys[id(fc)]
        c = by_key.get(k)
        mstart, mend = r.norm.span(fc.start, fc.sym_end)
        mention = Mention(mstart, mend, r.norm.text[fc.start : fc.sym_end])
        ss, se = r.sent.around(fc.start)
        os_, oe = r.norm.span(ss, se)
        sentence = Mention(os_, oe, r.t[ss:se])
        if c is None:
            c = Citation(
                type=domain().doctype_by_id(fc.type_id).vi if fc.type_id else None,
                number=fc.number, symbol=fc.symbol, date=fc.date, issuer=fc.issuer, issuer_id=fc.issuer_id,
                term=fc.term, relation=fc.relation or "mentions", title=fc.title, system=fc.system,
                nested=fc.nested_in is not None, year=fc.year, merge_key=k if "|" in k else None,
            )
            by_key[k] = c
        else:
            _merge_into(c, fc)
        c.mentions.append(mention)
        c.sentences.append(sentence)
    _inner_relations(found, by_key, keys, r)
    return list(by_key.values())


def _merge_into(c: Citation, fc: _Found) -> None:
    """Add what another mention of the same document says."""
    c.date = c.date or fc.date
    if c.issuer is None and fc.issuer:
        c.issuer, c.issuer_id = fc.issuer, fc.issuer_id
    c.term = c.term or fc.term
    c.title = c.title or fc.title
    if fc.type_from_word and c.type is None and fc.type_id:
        c.type = domain().doctype_by_id(fc.type_id).vi
    if fc.nested_in is None:
        if c.nested or (fc.relation and _priority(fc.relation) > _priority(c.relation)):
            c.relation = fc.relation or "mentions"
            c.relation_mention = len(c.mentions)
        c.nested = False


def _inner_relations(found: list[_Found], by_key: dict[str, Citation], keys: dict[int, str], r: _Reader) -> None:
    """Relations stated inside citations, recorded on the outer document."""
    for fc in found:
        if not fc.inner:
            continue
        outer = by_key[keys[id(fc)]]
        for rel, target, _pos in fc.inner:
            tkey = keys[id(target)]
            if tkey == keys[id(fc)] or any(x.target == tkey and x.relation == rel for x in outer.relations):
                continue
            ms, me = r.norm.span(target.start, target.sym_end)
            ss, se = r.sent.around(target.start)
            os_, oe = r.norm.span(ss, se)
            outer.relations.append(
                CitedRelation(rel, tkey, Mention(ms, me, r.t[target.start : target.sym_end]),
                              Mention(os_, oe, r.t[ss:se]))
            )
