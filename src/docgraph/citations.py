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

import re
from dataclasses import dataclass, field
from functools import cache

from . import dates
from .bodies import body_at
from .domain import domain
from .model import Citation, CitedRelation, Mention, Warning_
from .normalize import Normalized
from .sentences import Sentences, split_sentences
from .textfold import fold

_DASH = r"[-–—‑‐]"
_CODE_CH = r"A-Za-zĐđƯưƠơ"
# Party: 102-KL/TW, 47 – QĐ/TW, 37QĐ/TW, 84 QĐ/TWĐTN, 08-QĐi/TW, 445-KL/TƯ, 12-CT/T.Ư, 01-HD/BTGTU
_PARTY = (
    rf"(?P<pn>\d{{1,5}}[a-z]?)\s*(?:{_DASH}\s*)?(?P<pt>[A-ZĐ][{_CODE_CH}]{{0,5}})\s*/\s*"
    rf"(?P<pi>T\.\s?Ư|[A-ZĐƯ][A-ZĐƯa-zđư&]*(?:\.[A-ZĐƯ]+)*(?:{_DASH}[A-ZĐ][A-ZĐa-z]*)?(?:/[A-ZĐƯ][A-ZĐƯa-z]*)?)"
)
# State: 16/CT-TTg, 30/2020/NĐ-CP, 02/2011/TTLT-VPCP-BNV, 80/2015/QH13, 4912/UBND-NC, 217/QĐ-TW
_STATE = (
    rf"(?P<sn>\d{{1,5}})\s*/\s*(?:(?P<sy>(?:19|20)\d{{2}})\s*/\s*)?(?P<st>[A-ZĐ][{_CODE_CH}]{{0,6}}\d{{0,2}})"
    rf"(?:\s*{_DASH}\s*(?P<si>[A-ZĐ][{_CODE_CH}0-9&]*(?:\s*{_DASH}\s*[A-ZĐ][{_CODE_CH}0-9&]*)*))?"
)
SYMBOL_RE = re.compile(rf"(?<![\w/.\-])(?:{_PARTY}|{_STATE})(?![\w])")

_NUM_ONLY_RE = re.compile(r"\s*(?:so\s*:?\s*)?(\d{1,5})(?![\d/\-–\w])(?!\s*(?:nam|thang|ngay|lan|dieu|khoan)\b)")


@cache
def _type_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """Regex of type words (folded) and folded word -> type id."""
    words: dict[str, str] = {}
    for t in domain().doctypes:
        words[fold(t.vi)] = t.id
    words["quy dinh"] = "quy-dinh"
    alts = sorted(words, key=len, reverse=True)
    rx = re.compile(r"(?<![\w])(?:cac\s+)?(" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")
    return rx, words


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


def _party_issuer_codes() -> set[str]:
    return {c.code.upper() for c in domain().issuer_codes if c.system == "party"}


@cache
def _relation_phrases() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str]]:
    """(phrase at end of text, folded phrase -> relation, fillers at end of text)."""
    by_phrase: dict[str, str] = {}
    for r in domain().relations:
        for p in r.phrases:
            by_phrase.setdefault(" ".join(fold(p).split()), r.relation)
    alts = sorted(by_phrase, key=len, reverse=True)
    ending = re.compile(r"(?<![\w])(" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts) + r")\s*$")
    fill = sorted((fold(f) for f in domain().fillers), key=len, reverse=True)
    fillers = re.compile(r"(?:[\s,]+|(?<![\w])(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in fill)
                         + r"))\s*$")
    return ending, by_phrase, fillers


def _priority(relation: str) -> int:
    return domain().relation(relation).priority


_TERM_RE = re.compile(r"\s*[,(]?\s*khoa\s+(?P<term>[ivxl]{1,5})(?![\w])\s*\)?")
_CUA_RE = re.compile(r"\s*,?\s*(?:cua|do)\s+")
_DATE_TAIL_RE = re.compile(rf"\s*[,(]?\s*(?:ban hanh\s+)?(?:ngay\s*)?{dates.DATE}\s*\)?")
_TITLE_START_RE = re.compile(r"\s*[,:]?\s*[\"“”']?\s*(?:ve|v/v)\s+")
_TITLE_END_RE = re.compile(r"[;\n]|\.(?:\s|$)|\(sau day|\(goi tat|[\"”]|,\s+(?=[A-ZĐ])|$")
_GAP_RE = re.compile(
    r"^\s*(?:ket luan\s*)?(?:lien tich\s*)?(?:(?:cua|do)\s+[^;.\n]{0,90}?)?\s*[(,:]?\s*"
    r"(?:so(?:\s*hieu)?|so\s*va\s*ky\s*hieu)?\s*[:.]?\s*$"
)
_LIST_GAP_RE = re.compile(r"^\s*(?:[,;]|va|hoac)?\s*(?:so\s*:?)?\s*$")
_DATE_BEFORE_RE = re.compile(rf"ngay\s*{dates.DATE}\s*,\s*([^,;.\n]{{2,80}}?)\s+ban hanh\s+$")


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
    inner: list[tuple[str, _Found, int]] = field(default_factory=list)  # (relation, target, phrase pos)


def _normalize_symbol(m: re.Match[str], warn: list[tuple[int, str]]) -> tuple[str, str, str, str | None, str] | None:
    """(symbol, number, type code, year, system) or None if the type code is unknown."""
    party_codes, state_codes = _codes()
    canon = _canonical_codes()
    if m.group("pn"):
        number, tcode, icode, year = m.group("pn"), m.group("pt"), m.group("pi"), None
        system = "party"
    else:
        number, tcode, icode, year = m.group("sn"), m.group("st"), m.group("si"), m.group("sy")
        system = "state"
    tkey = tcode.upper()
    if system == "state" and re.fullmatch(r"(?:UBTV)?QH\d{1,2}", tkey) and year and not icode:
        return f"{number}/{year}/{tcode}", number, tcode, year, "state"
    if tkey not in party_codes and tkey not in state_codes:
        return None
    tcode = canon.get(tkey, tcode)
    if system == "party":
        icode = re.sub(r"\s", "", icode)
        if re.fullmatch(r"T\.?Ư", icode):
            icode = "TW" if "." in icode else "TU"
            warn.append((m.start(), f"issuer code read as {icode}"))
        icode = icode.rstrip(".")
        if tkey not in party_codes:
            return None
        return f"{number}-{tcode}/{icode}", number, tcode, None, "party"
    if not icode:
        return None  # "12/2020" with a letter code and no issuer is too weak to be a symbol
    icode = re.sub(rf"\s*{_DASH}\s*", "-", icode)
    if not year and icode.upper() in _party_issuer_codes() and tkey in party_codes:
        warn.append((m.start(), f"Party symbol written in State order: {m.group()!r} read as {number}-{tcode}/{icode}"))
        return f"{number}-{tcode}/{icode}", number, tcode, None, "party"
    if tkey not in state_codes:
        return None
    sym = f"{number}/{year}/{tcode}-{icode}" if year else f"{number}/{tcode}-{icode}"
    return sym, number, tcode, year, "state"


def _type_for_code(code: str, system: str) -> str | None:
    party_codes, state_codes = _codes()
    table = party_codes if system == "party" else state_codes
    return table.get(code.upper()) or party_codes.get(code.upper()) or state_codes.get(code.upper())


def _codes_of(type_id: str) -> set[str]:
    t = domain().doctype_by_id(type_id)
    return {c.upper() for c in (*t.party_codes, *t.state_codes)}


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
        type_rx, words = _type_words()
        occupied: list[tuple[int, int]] = []
        for m in SYMBOL_RE.finditer(self.t):
            norm = _normalize_symbol(m, self.warn)
            if not norm:
                continue
            symbol, number, tcode, year, system = norm
            if self._is_stamp(m.start()):
                continue
            fc = _Found(m.start(), m.start(), m.end(), m.end(), None, False, number, symbol, system, year)
            self._type_word(fc, found, type_rx, words, tcode)
            found.append(fc)
            occupied.append((fc.start, fc.sym_end))
        # number-only citations: "Chỉ thị số 17", "Quy định 377"
        for m in type_rx.finditer(self.f):
            tid = words[m.group(1)]
            if tid == "van-ban" or any(s <= m.start() < e for s, e in occupied):
                continue
            n = _NUM_ONLY_RE.match(self.f, m.end())
            if not n or self._is_stamp(m.start()):
                continue
            if not self.t[m.start(1)].isupper() and "so" not in self.f[m.end() : n.start(1)]:
                continue  # "kế hoạch 5" in running text; a citation is capitalised or says "số"
            found.append(_Found(m.start(1), n.start(1), n.end(1), n.end(1), tid, True, n.group(1), None, None))
        found.sort(key=lambda x: x.start)
        return found

    def _is_stamp(self, pos: int) -> bool:
        """Inside a received stamp ("ĐẾN Số: 2664 Ngày: …") or a "Số và ký hiệu HS" line."""
        line_start = self.f.rfind("\n", 0, pos) + 1
        line = self.f[line_start:pos]
        return bool(re.search(r"(?<![\w])den\s*(?:so)?\s*:?\s*$|ky hieu hs", line))

    def _type_word(self, fc: _Found, found: list[_Found], type_rx: re.Pattern[str], words: dict[str, str],
                   tcode: str) -> None:
        lo = max(0, fc.sym_start - 140, found[-1].sym_end if found else 0)
        window = self.f[lo : fc.sym_start]
        best = None
        for tm in type_rx.finditer(window):
            best = tm
        if best is not None and _GAP_RE.match(window[best.end() :]):
            tid = words[best.group(1)]
            if tid == "ket-luan" and re.search(r"thong bao\s+$", window[: best.start(1)]):
                best = re.search(r"(thong bao)\s+$", window[: best.start(1)])  # "Thông báo kết luận"
                tid = "thong-bao"
            fc.start = lo + best.start(1)
            gap_start = lo + best.end()
            self._issuer_in(fc, gap_start, fc.sym_start)
            if tid == "van-ban":
                fc.type_id = _type_for_code(tcode, fc.system or "party")
                return
            fc.type_id, fc.type_from_word = tid, True
            if tcode.upper() not in _codes_of(tid) and not (fc.system == "state" and not _codes_of(tid)):
                self.warn.append((fc.start, f"type word {domain().doctype_by_id(tid).vi!r} does not match "
                                            f"symbol code {tcode!r} in {fc.symbol}; keeping the type word"))
            return
        # a list under one type word: "các Nghị quyết: số 18-NQ/TW, số 19-NQ/TW và số 20-NQ/TW"
        if found and found[-1].type_from_word and _LIST_GAP_RE.match(self.f[found[-1].sym_end : fc.sym_start]):
            prev = found[-1]
            if prev.type_id and tcode.upper() in _codes_of(prev.type_id):
                fc.type_id, fc.type_from_word = prev.type_id, True
                return
        fc.type_id = _type_for_code(tcode, fc.system or "party")

    def _issuer_in(self, fc: _Found, start: int, end: int) -> None:
        m = re.search(r"(?:cua|do)\s+", self.f[start:end])
        if m:
            b = body_at(self.t, self.f, start + m.end())
            if b and b.end <= end:
                fc.issuer, fc.issuer_id, fc.issuer_province = b.text, b.body_id, b.province

    # -- step 3 -----------------------------------------------------------------------------
    def tail(self, fc: _Found, next_start: int) -> None:
        f = self.f
        pos = fc.sym_end
        if f.startswith(")", pos):
            pos += 1
        for _ in range(4):
            m = _DATE_TAIL_RE.match(f, pos)
            if m and fc.date is None:
                d, _raw = dates.date_from_match(m)
                if d is None:
                    self.warn.append((m.start(), f"not a real date: {self.t[m.start():m.end()].strip()!r}"))
                fc.date = d
                pos = m.end()
                continue
            m = _CUA_RE.match(f, pos)
            if m and fc.issuer is None:
                b = body_at(self.t, f, m.end())
                if b:
                    fc.issuer, fc.issuer_id, fc.issuer_province = b.text, b.body_id, b.province
                    pos = b.end
                    continue
            m = _TERM_RE.match(f, pos)
            if m and fc.term is None:
                fc.term = m.group("term").upper()
                pos = m.end()
                continue
            break
        if fc.system == "party" and fc.symbol and fc.symbol.endswith("/TU") and fc.issuer_id:
            level = domain().body(fc.issuer_id).level
            if level == "central":  # OCR'd TƯ was Trung ương after all
                fc.symbol = fc.symbol[:-3] + "/TW"
        fc.end = pos
        m = _TITLE_START_RE.match(f, pos)
        if m:
            ts = m.end()
            e = _TITLE_END_RE.search(f, ts)
            while e and e.start() < len(f) and f[e.start()] == "\n" and self._continues_line(e.start()):
                e = _TITLE_END_RE.search(f, e.start() + 1)
            te = e.start() if e else len(f)
            if e and e.start() < len(f) and f[e.start()] in "\"”" and f[pos:m.end()].strip(" ,:")[:1] in "\"“'":
                te = e.start()
            title = " ".join(self.t[ts:te].replace("*", " ").split()).strip(" ,;:")
            if title:
                fc.title = ("về " + title) if not title.lower().startswith(("về", "ve")) else title
                fc.title_start = ts
                fc.end = te

    def _continues_line(self, pos: int) -> bool:
        """A line break inside a sentence: the next line starts lower-case (a wrapped title, a page break)."""
        rest = self.t[pos : pos + 40].lstrip("\n *")
        return bool(rest) and (rest[0].islower() or (self.t[pos - 1 : pos] not in ".;:" and rest[:3].lower() == "của"))

    def date_before(self, fc: _Found) -> None:
        """ "ngày 02/01/2020, Ban Bí thư ban hành Thông báo số 158-TB/TW" """
        if fc.date:
            return
        s, _ = self.sent.around(fc.start)
        m = _DATE_BEFORE_RE.search(self.f, s, fc.start)
        if m and m.end() == fc.start:
            fc.date = dates.date_from_match(m)[0]
            if fc.issuer is None:
                b = body_at(self.t, self.f, m.start(len(m.groups())))
                if b:
                    fc.issuer, fc.issuer_id, fc.issuer_province = b.text, b.body_id, b.province

    # -- step 4 -----------------------------------------------------------------------------
    def relation_before(self, start: int, lo: int) -> tuple[str | None, int]:
        """Relation phrase ending right before ``start`` (fillers allowed), not before ``lo``."""
        ending, by_phrase, fillers = _relation_phrases()
        seg = self.f[lo:start]
        for _ in range(8):
            m = ending.search(seg)
            if m:
                return by_phrase[" ".join(m.group(1).split())], lo + m.start(1)
            fm = fillers.search(seg)
            if not fm or fm.start() == len(seg):
                break
            seg = seg[: fm.start()]
        return None, -1

    def relation_anywhere(self, lo: int, hi: int) -> str | None:
        _, by_phrase, _ = _relation_phrases()
        seg = self.f[lo:hi]
        best: tuple[int, str] | None = None
        for phrase, rel in by_phrase.items():
            for m in re.finditer(r"(?<![\w])" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?![\w])", seg):
                if rel == "alignedWith":
                    continue
                if best is None or m.end() > best[0]:
                    best = (m.end(), rel)
        return best[1] if best else None


def _key(fc: _Found) -> str:
    if fc.symbol:
        return fc.symbol
    return f"{domain().doctype_by_id(fc.type_id).vi if fc.type_id else '?'} {fc.number}"


def extract_citations(norm: Normalized, source: str = "-") -> tuple[list[Citation], list[Warning_]]:
    """Every document the text cites, one :class:`Citation` per document, in order of first mention."""
    r = _Reader(norm, source)
    found = r.find()
    for i, fc in enumerate(found):
        nxt = found[i + 1].start if i + 1 < len(found) else len(r.f)
        r.tail(fc, nxt)
        r.date_before(fc)
    _resolve_number_only(found)
    # nesting: a citation that starts inside another's title
    for i, fc in enumerate(found):
        for outer in reversed(found[:i]):
            if outer.title_start is not None and outer.title_start <= fc.start < outer.end:
                fc.nested_in = outer
                rel, _ = r.relation_before(fc.start, outer.title_start)
                outer.inner.append((rel or "mentions", fc, fc.start))
                break
    # the citing document's own relation to each top-level citation
    prev: _Found | None = None
    for fc in found:
        if fc.nested_in is not None:
            continue
        s, _ = r.sent.around(fc.start)
        lo = max(s, prev.end if prev else 0)
        rel, _ = r.relation_before(fc.start, lo)
        if rel:
            fc.relation, fc.relation_from = rel, "own"
        elif prev and prev.relation and r.sent.index(prev.start) == r.sent.index(fc.start):
            fc.relation, fc.relation_from = prev.relation, "list"
        else:
            fc.relation = r.relation_anywhere(max(s, fc.start - 240), fc.start)
            fc.relation_from = "clause" if fc.relation else "none"
        prev = fc
    citations = _merge(found, r)
    warnings = [Warning_(source, norm.to_original(off), why) for off, why in r.warn]
    return citations, warnings


def _resolve_number_only(found: list[_Found]) -> None:
    """ "Chỉ thị số 17" takes the symbol of a "17-CT/…" named in the same text, when only one is."""
    for fc in found:
        if fc.symbol or not fc.type_id:
            continue
        codes = _codes_of(fc.type_id)
        cands = {
            o.symbol for o in found
            if o.symbol and o.number == fc.number and o.symbol.split("-", 1)[-1].split("/")[0].upper() in codes
        }
        if len(cands) == 1:
            fc.symbol = cands.pop()
            fc.system = "party" if "-" in fc.symbol.split("/")[0] else "state"


def _merge(found: list[_Found], r: _Reader) -> list[Citation]:
    by_key: dict[str, Citation] = {}
    for fc in found:
        k = _key(fc)
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
                nested=fc.nested_in is not None, year=fc.year,
            )
            by_key[k] = c
        else:
            c.date = c.date or fc.date
            if c.issuer is None and fc.issuer:
                c.issuer, c.issuer_id = fc.issuer, fc.issuer_id
            c.term = c.term or fc.term
            c.title = c.title or fc.title
            if fc.nested_in is None:
                if c.nested or (fc.relation and _priority(fc.relation) > _priority(c.relation)):
                    c.relation = fc.relation or "mentions"
                    c.relation_mention = len(c.mentions)
                c.nested = False
        c.mentions.append(mention)
        c.sentences.append(sentence)
    # relations stated inside citations, recorded on the outer document
    for fc in found:
        if not fc.inner:
            continue
        outer = by_key[_key(fc)]
        for rel, target, _pos in fc.inner:
            if any(x.target == _key(target) and x.relation == rel for x in outer.relations):
                continue
            ms, me = r.norm.span(target.start, target.sym_end)
            ss, se = r.sent.around(target.start)
            os_, oe = r.norm.span(ss, se)
            outer.relations.append(
                CitedRelation(rel, _key(target), Mention(ms, me, r.t[target.start : target.sym_end]),
                              Mention(os_, oe, r.t[ss:se]))
            )
    return list(by_key.values())
