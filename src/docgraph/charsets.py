"""Bytes -> Unicode text: UTF-8 and UTF-16, Windows-1258, and the legacy Vietnamese font encodings TCVN3 (ABC)
and VNI, detected by how many words come out as valid Vietnamese syllables.

UTF-8 and UTF-16 text is returned as it is (not normalized), so spans index the user's own file; text decoded
from a legacy encoding, or repaired from legacy mojibake inside UTF-8, is returned NFC. The mapping tables
live in ``data/legacy_encodings.json``.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .errors import InputError

SAMPLE_CHARS = 200_000  # detection looks at this much text; the chosen decoding is then applied to all of it
SCORE_WORDS = 2000  # words enough to judge a decoding
MIN_WORDS = 3  # fewer accented words than this is too little evidence to guess a legacy encoding
ACCEPT = 0.75  # share of accented words that must be valid syllables for a guess to be taken
MARGIN = 0.25  # ... and by how much a repair must beat the text as it is

LEGACY = ("tcvn3", "vni")
NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI Windows", "cp1258": "Windows-1258", "utf-8-double": "UTF-8 read as "
         "Windows-1252 (double-encoded)"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "ascii", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258", "tcvn3", "vni", "utf-8+tcvn3"...

    @property
    def verbatim(self) -> bool:
        """True when ``text`` is the file's own text, code point for code point (spans index the file)."""
        return self.encoding in ("ascii", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be")


# -- legacy tables ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def tables() -> dict[str, dict]:
    raw = resources.files("docgraph.data").joinpath("legacy_encodings.json").read_text(encoding="utf-8")
    return json.loads(raw)


@cache
def _decoder(encoding: str) -> tuple[re.Pattern[str], dict[str, str]]:
    rev = {legacy: uni for uni, legacy in tables()[encoding]["map"].items()}
    keys = sorted(rev, key=len, reverse=True)  # longest first: VNI "ôù" (ớ) before "ô" (ơ)
    return re.compile("|".join(map(re.escape, keys))), rev


@cache
def _single_byte_table(encoding: str) -> dict[int, str] | None:
    rev = {legacy: uni for uni, legacy in tables()[encoding]["map"].items()}
    return {ord(k): v for k, v in rev.items()} if all(len(k) == 1 for k in rev) else None


def legacy_decode(text: str, encoding: str) -> str:
    """Legacy text, its bytes read as Windows-1252 characters (mojibake) -> Unicode NFC."""
    table = _single_byte_table(encoding)
    if table is not None:  # TCVN3: one character each, str.translate is fast
        out = text.translate(table)
    else:
        pattern, rev = _decoder(encoding)
        out = pattern.sub(lambda m: rev[m.group()], text)
    if encoding == "tcvn3":
        out = _TCVN3_CAPS.sub(_upper_word, out)
    return unicodedata.normalize("NFC", out)


def legacy_encode(text: str, encoding: str) -> str:
    """Unicode -> legacy mojibake (the reverse table; used by tests and to make samples)."""
    table = tables()[encoding]["map"]
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# TCVN3 capitals with tone marks were typed in a capitals font over the lowercase bytes: "TØNH" reads "TỉNH".
# A word whose ASCII letters are all capitals (two or more, or one that is not the first letter) is a capital word.
_TCVN3_CAPS = re.compile(r"\b[^\Wa-z]*[A-Z][^\Wa-z]*\b")  # words with a capital and no small ASCII letter


def _upper_word(m: re.Match[str]) -> str:
    w = m.group()
    ascii_letters = [(i, c) for i, c in enumerate(w) if c.isascii() and c.isalpha()]
    if any(c.islower() for _, c in ascii_letters) or w.isupper():
        return w
    if len(ascii_letters) >= 2 or ascii_letters[0][0] > 0:
        return w.upper()
    return w


# -- how Vietnamese does a text look ----------------------------------------------------------------------------

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_NUCLEI = sorted(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu "
    "yê iêu yêu oai oay oao oeo uây uôi ươi ươu uyê uya uyu".split(), key=len, reverse=True)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?:" + "|".join(_NUCLEI) + r")(?:ch|ng|nh|[cmnpt])?"
)
_STRIP = "\"'()[]{}<>.,;:!?-–—…“”‘’«»*_/\\|#%&+=~`^@$0123456789•·"


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """A plausible Vietnamese syllable: initial, vowel nucleus, final, at most one tone mark; lower, Title or
    UPPER case (a capital inside a lowercase word is a decoding gone wrong)."""
    if not (word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())):
        return False
    d = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONES for c in d) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    return _SYLLABLE.fullmatch(base) is not None


def vietnamese_score(text: str) -> tuple[float, int]:
    """(share of words with non-ASCII letters that are valid syllables, how many such words)."""
    words = [w for w in (t.strip(_STRIP) for t in text.split()) if w and not w.isascii()][:SCORE_WORDS]
    if not words:
        return 0.0, 0
    ok = sum(1 for w in words if is_syllable(w))
    return ok / len(words), len(words)


# -- decoding --------------------------------------------------------------------------------------------------

def _cp1252(data: bytes) -> str:
    """Bytes as Windows-1252 characters, the 5 undefined bytes as Latin-1 (the way browsers and fonts show them)."""
    return data.decode("cp1252", errors="latin1_fallback")


def _latin1_fallback(e: UnicodeError) -> tuple[str, int]:
    assert isinstance(e, UnicodeDecodeError)
    return e.object[e.start : e.end].decode("latin-1"), e.end


codecs.register_error("latin1_fallback", _latin1_fallback)

_MOJIBAKE_CHARS = frozenset(map(chr, range(0xA1, 0x100))) - frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_MOJIBAKE_RE = re.compile("[" + "".join(sorted(_MOJIBAKE_CHARS)) + "]")  # no character of it needs escaping
_DOUBLE_UTF8 = re.compile("[ÃÄÆá][\u0080-\u00bf\u0152-\u2122]")


def _at_least(rx: re.Pattern[str], text: str, n: int) -> bool:
    """``rx`` is found ``n`` times or more in ``text`` (stops at the n-th: a text of 10^5 characters is
    scanned in C, not character by character in Python)."""
    return n <= 0 or any(k == n for k, _m in enumerate(rx.finditer(text), start=1))


def _to_cp1252_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 0x100:
            out.append(o)
        else:
            try:
                out += ch.encode("cp1252")
            except UnicodeEncodeError:
                return None
    return bytes(out)


def repair(text: str) -> tuple[str, str | None]:
    """Legacy mojibake inside Unicode text (TCVN3 or VNI bytes shown as Windows-1252, or UTF-8 decoded twice)
    -> (repaired text, what it was); ``(text, None)`` when it reads as Vietnamese already."""
    sample = text[:SAMPLE_CHARS]
    double = _at_least(_DOUBLE_UTF8, sample, MIN_WORDS)
    if not double and not _at_least(_MOJIBAKE_RE, sample, MIN_WORDS):
        return text, None
    here, _n = vietnamese_score(sample)
    best: tuple[float, str | None] = (here, None)
    for enc in LEGACY:
        score, m = vietnamese_score(legacy_decode(sample, enc))
        if m >= MIN_WORDS and score > best[0]:
            best = (score, enc)
    if double:
        raw = _to_cp1252_bytes(sample)
        try:
            fixed = raw.decode("utf-8") if raw is not None else None
        except UnicodeDecodeError:
            fixed = None
        if fixed is not None:
            score, m = vietnamese_score(fixed)
            if m >= MIN_WORDS and score > best[0]:
                best = (score, "utf-8-double")
    score, enc = best
    if enc is None or score < ACCEPT or score - here < MARGIN:
        return text, None
    if enc == "utf-8-double":
        raw = _to_cp1252_bytes(text)
        return (raw.decode("utf-8", errors="replace") if raw is not None else text), enc
    return legacy_decode(text, enc), enc


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    if not odd:
        return None
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) > 0.4 * len(zeros) and other.count(0) < 0.05 * len(other):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")  # Cc less tab, newlines, form feed, ^Z


def _printable(text: str) -> bool:
    sample = text[:SAMPLE_CHARS]
    return len(_CONTROL.findall(sample)) <= max(2, len(sample) // 1000)


def decode_bytes(data: bytes, name: str) -> Decoded:
    """Detect the encoding of a text file and decode it; InputError (one line) when it is not text."""
    if not data.strip():
        raise InputError(name, "empty file: no text to read")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(_utf8(data[3:], name, 3), "utf-8-sig", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"), "utf-16", name)
        except UnicodeDecodeError as e:
            raise InputError(name, f"broken UTF-16 text at byte {e.start}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        text16 = _utf16_without_bom(data)
        if text16 is not None and _printable(text16):
            return _checked(text16, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", name)
        raise InputError(name, f"binary file (NUL byte at offset {nul}), not text")
    if data.isascii():
        return _checked(data.decode("ascii"), "ascii", name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return _legacy(data, name, e.start)
    return _checked(text, "utf-8", name)


def _utf8(data: bytes, name: str, shift: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(name, f"broken UTF-8 text (invalid byte at offset {e.start + shift})") from None


def _checked(text: str, encoding: str, name: str) -> Decoded:
    if not text.strip("\ufeff \t\r\n\f\v\x00"):
        raise InputError(name, "empty file: no text to read")
    if not _printable(text):
        raise InputError(name, "binary file (control characters), not text")
    fixed, was = repair(text)
    if was is not None:
        return Decoded(fixed, f"{encoding}+{was}")
    return Decoded(text, encoding)


def _legacy(data: bytes, name: str, bad_at: int) -> Decoded:
    """Not UTF-8: Windows-1258, TCVN3 or VNI, whichever reads best as Vietnamese; refused if none does."""
    sample = data[: SAMPLE_CHARS]
    as1252 = _cp1252(sample)
    candidates: dict[str, str] = {enc: legacy_decode(as1252, enc) for enc in LEGACY}
    try:
        candidates["cp1258"] = unicodedata.normalize("NFC", sample.decode("cp1258"))
    except UnicodeDecodeError:
        pass
    scored = sorted(((*vietnamese_score(t), enc) for enc, t in candidates.items()), reverse=True)
    score, words, enc = scored[0]
    where = f"not UTF-8 (invalid byte 0x{data[bad_at]:02X} at offset {bad_at})"
    if words < MIN_WORDS:
        raise InputError(name, f"{where}, and too little Vietnamese text to tell its encoding; save it as UTF-8")
    if score < ACCEPT:
        raise InputError(name, f"{where}; it may be {NAMES[enc]} but only {score:.0%} of its words read as "
                               f"Vietnamese; convert it to UTF-8 (e.g. with UniKey's converter)")
    if enc == "cp1258":
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    else:
        text = legacy_decode(_cp1252(data), enc)
    if not _printable(text):
        raise InputError(name, "binary file (control characters), not text")
    return Decoded(text, enc)
