"""Recognising bodies (issuers, leads, coordinators) by name, with abbreviations and provinces.

Names are matched on folded text (case, diacritics and tone placement ignored), longest name first.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .domain import Body, domain
from .phrase_regex import for_text, phrase_alternation
from .textfold import fold


@dataclass(frozen=True)
class BodyMatch:
    body_id: str | None  # bodies.json id, None for a name we do not know
    start: int
    end: int
    text: str  # as written
    province: str | None = None  # a province named right after the body ("Tỉnh ủy Hà Tĩnh")


@lru_cache(maxsize=1 << 16)
def expand(name: str) -> str:
    """Expand known abbreviations word by word ("BCS đảng UBND tỉnh" -> "Ban cán sự đảng Ủy ban …")."""
    out = name
    for abbr, exp in sorted(domain().abbreviations, key=lambda a: -len(a[0])):
        out = re.sub(rf"(?<![\w&]){re.escape(abbr)}(?![\w&])", exp, out)
    return out


# abbreviations too short to stand for a body unless written exactly so ("TU" folds like "từ", "tư")
_SHORT = 3


def _contractions(name: str) -> set[str]:
    """Ways texts shorten a name with the known abbreviations ("Ủy ban nhân dân tỉnh" -> "UBND tỉnh")."""
    out = {name}
    for abbr, exp in domain().abbreviations:
        if len(abbr) < _SHORT and abbr != "TW":
            continue  # "TU", "HU", "ĐU" inside a longer name would match ordinary words once folded
        out |= {v.replace(exp, abbr) for v in out if exp in v}
    return out


_SPACE = r"\s+"  # a space in a name matches any run of spaces (line breaks included)


@cache
def _names() -> dict[str, str]:
    """folded name -> body id, for every name and alias (and their abbreviation expansions and contractions)."""
    names: dict[str, str] = {}
    for b in domain().bodies:
        for n in (b.name, *b.aliases):
            for variant in (n, *_contractions(expand(n))):
                names.setdefault(" ".join(fold(variant).split()), b.id)
    return names


@cache
def _strict() -> dict[str, set[str]]:
    """Short all-capital aliases ("TU", "HU") -> the exact spellings a text must use for them to count."""
    out: dict[str, set[str]] = {}
    for b in domain().bodies:
        for n in b.aliases:
            if len(n) <= _SHORT and " " not in n:
                out.setdefault(fold(n), set()).add(n)
    return out


@cache
def _name_re() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?:{phrase_alternation(_names(), space=_SPACE)})(?![\w])")


@cache
def _stems() -> dict[str, str]:
    """Province-level names without their trailing "tỉnh" ("báo", "cong an"), for "Báo Hà Tĩnh"."""
    return {k[: -len(" tinh")]: v for k, v in _names().items()
            if k.endswith(" tinh") and domain().body(v).level == "province"}


@cache
def _stem_re() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?:{phrase_alternation(_stems(), space=_SPACE)})(?=\s)")


def _by_stem(text: str, folded: str, pos: int) -> BodyMatch | None:
    """ "Báo Hà Tĩnh", "Công an Hà Tĩnh": a province-level name whose "tỉnh" is the province's own name."""
    m = _stem_re().match(folded, pos)
    pm = _province_re().match(folded, m.end()) if m else None
    if not m or not pm:
        return None
    p = domain().province(pm.group().strip())
    return BodyMatch(_stems()[" ".join(m.group().split())], pos, pm.end(), text[pos : pm.end()],
                     p.name if p else None)


@cache
def _province_re() -> re.Pattern[str]:
    names: list[str] = []
    for p in domain().provinces:
        names.extend(fold(n) for n in (p.name, *p.aliases))
    return re.compile(rf"\s+(?:{phrase_alternation(names, space=_SPACE)})(?![\w])")


@cache
def _openings() -> tuple[frozenset[str], frozenset[str]]:
    """How names and stems open: their first two letters, and the first letter of those whose second
    character is a space (which the text may write as any run of spaces). Most offsets a reader asks
    about open none of them."""
    keys = [*_names(), *_stems()]
    short = frozenset(k[0] for k in keys if len(k) < 2 or k[1] == " ")
    return frozenset(k[:2] for k in keys), short


def body_at(text: str, folded: str, pos: int) -> BodyMatch | None:
    """The known body whose name starts at ``pos`` (after spaces), with a following province name."""
    while pos < len(folded) and folded[pos] == " ":
        pos += 1
    two, one = _openings()
    if folded[pos : pos + 2] not in two and folded[pos : pos + 1] not in one:
        return None
    m = _name_re().match(folded, pos)
    stem = _by_stem(text, folded, pos)
    if stem and (not m or stem.end > m.end()):
        return stem
    if not m:
        return None
    end = m.end()
    key = " ".join(m.group().split())
    if key in _strict() and text[pos:end] not in _strict()[key]:
        return None
    province = None
    body = domain().body(_names()[key])
    if body.level in ("province", "district"):
        pm = _province_re().match(folded, end)
        if pm:
            p = domain().province(pm.group().strip())
            province = p.name if p else None
            end = pm.end()
    return BodyMatch(body.id, pos, end, text[pos:end], province)


def find_bodies(text: str, folded: str, start: int = 0, end: int | None = None) -> list[BodyMatch]:
    """Every known body named in ``text[start:end]``."""
    out: list[BodyMatch] = []
    for m in _name_re().finditer(folded, start, len(folded) if end is None else end):
        bm = body_at(text, folded, m.start())
        if bm:
            out.append(bm)
    return out


@cache
def _start_re() -> re.Pattern[str]:
    """Where a name or a stem may start: the non-word character before it, with the name or stem after it.
    Matching that character, rather than looking behind for it, lets the regex engine skip the letters."""
    either = phrase_alternation({*_names(), *_stems()}, space=_SPACE)
    return re.compile(rf"\W(?=(?:{either})(?![\w]))")


def all_body_spans(text: str, folded: str) -> list[tuple[int, int]]:
    """(start, end) of every known body named in the text, left to right, not overlapping.

    Candidates come from one regex pass over the whole text (names and "Báo Hà Tĩnh"-style stems);
    only those are checked with :func:`body_at`, so this costs one scan, not one match per word. They are
    the starts ``finditer`` gives for names and for stems (a match inside an earlier one of the same
    pattern is not one)."""
    name_re, stem_re = for_text(_name_re(), folded), for_text(_stem_re(), folded)
    spans: list[tuple[int, int]] = []
    reach = name_reach = stem_reach = -1
    for pos in itertools.chain((0,), (m.end() for m in for_text(_start_re(), folded).finditer(folded))):
        start = False
        if pos >= name_reach and (m := name_re.match(folded, pos)):
            name_reach, start = m.end(), True
        if pos >= stem_reach and (m := stem_re.match(folded, pos)):
            stem_reach, start = m.end(), True
        if not start or pos < reach:
            continue
        b = body_at(text, folded, pos)
        if b:
            spans.append((b.start, b.end))
            reach = b.end
    return spans


@lru_cache(maxsize=1 << 16)  # a corpus names the same bodies again and again
def identify(name: str) -> Body | None:
    """The known body a whole name stands for, or None ("Ban Dân vận Tỉnh ủy" -> ban-dan-van-tinh-uy)."""
    key = " ".join(fold(expand(name.strip(" ,.;:-–"))).split())
    bid = _names().get(key)
    if bid is None:
        # a trailing province name: "Tỉnh ủy Hà Tĩnh"
        m = _name_re().match(key)
        if m and _province_re().fullmatch(key, m.end()):
            bid = _names()[" ".join(m.group().split())]
        stem = _by_stem(key, key, 0)
        if bid is None and stem and stem.end == len(key):
            bid = stem.body_id
    return domain().body(bid) if bid else None


@lru_cache(maxsize=1 << 16)
def province_in(name: str) -> str | None:
    """The province named at the end of a body name, if any."""
    m = _province_re().search(fold(name))
    if not m:
        return None
    p = domain().province(m.group().strip())
    return p.name if p else None
