"""Encodings: UTF-8/16, Windows-1258, TCVN3 and VNI detected and decoded; ordinary text left alone; junk refused."""

from __future__ import annotations

import codecs
import time
import unicodedata

import pytest

from docgraph.charsets import decode_bytes, is_syllable, legacy_decode, legacy_encode, repair, tables
from docgraph.errors import InputError
from docgraph.normalize import normalize
from docgraph.parse import parse_text
from docgraph.textfold import fold

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
LOWER = sorted({unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} | {"đ"})
ALPHABET = LOWER + [c.upper() for c in LOWER]

SAMPLE = ("Thực hiện Kết luận số 102-KL/TW ngày 22/9/2014 của Bộ Chính trị về hội quần chúng; Ban Dân vận Tỉnh ủy "
          "chủ trì, phối hợp với Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện và định kỳ báo cáo kết quả.\n"
          "Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành xây dựng kế hoạch triển khai trước ngày 30/6/2021.\n")

# TCVN3 has no code for a capital with a tone mark: such documents wrote "Uỷ ban" (U + ỷ), not "Ủy ban"
SAMPLE_TCVN3 = SAMPLE.replace("Ủy ban", "Uỷ ban")


def to_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258 as Vietnamese Windows wrote it: base letters and combining tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES[1:]))
        out += base.encode("cp1258") + "".join(c for c in d if c in TONES[1:]).encode("cp1258")
    return bytes(out)


# -- the tables ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_table_round_trips_the_alphabet(encoding: str) -> None:
    # TCVN3 has no codes for capitals with a tone mark (they were typed in a capitals font)
    letters = ALPHABET if encoding == "vni" else [c for c in ALPHABET if c.islower() or c in "ĂÂÊÔƠƯĐ"]
    text = " ".join(letters)
    legacy = legacy_encode(text, encoding)
    assert all(ord(c) < 0x100 for c in legacy), legacy
    assert legacy_decode(legacy, encoding) == text


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_table_is_one_to_one(encoding: str) -> None:
    table = tables()[encoding]["map"]
    assert len(set(table.values())) == len(table)
    assert all(unicodedata.is_normalized("NFC", k) for k in table)


@pytest.mark.parametrize(("encoding", "example"),
                         [(enc, ex) for enc in ("tcvn3", "vni") for ex in tables()[enc]["examples"]])
def test_table_examples(encoding: str, example: dict[str, str]) -> None:
    assert legacy_decode(example["legacy"], encoding) == example["unicode"], example


def test_tcvn3_mojibake_from_the_domain_notes() -> None:
    fixed, was = repair("Uû ban nh©n d©n tØnh Hµ TÜnh vµ Ban Th­êng vô TØnh ñy")
    assert was == "tcvn3"
    assert fixed == "Uỷ ban nhân dân tỉnh Hà Tĩnh và Ban Thường vụ Tỉnh ủy"
    assert fold(fixed[:6]) == fold("Ủy ban")  # old and new tone placement fold alike


# -- detection: positive ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "data", "encoding"), [
    ("utf-8", SAMPLE.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
    ("utf-16 LE BOM", SAMPLE.encode("utf-16"), "utf-16"),
    ("utf-16 BE BOM", codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    ("utf-16 LE no BOM", SAMPLE.encode("utf-16-le"), "utf-16-le"),
    ("windows-1258", to_cp1258(SAMPLE), "cp1258"),
    ("tcvn3 bytes", legacy_encode(SAMPLE_TCVN3, "tcvn3").encode("cp1252"), "tcvn3"),
    ("vni bytes", legacy_encode(SAMPLE, "vni").encode("cp1252"), "vni"),
    ("tcvn3 mojibake saved as utf-8", legacy_encode(SAMPLE_TCVN3, "tcvn3").encode("utf-8"), "utf-8+tcvn3"),
    ("vni mojibake saved as utf-8", legacy_encode(SAMPLE, "vni").encode("utf-8"), "utf-8+vni"),
    ("utf-8 decoded twice", SAMPLE.encode("utf-8").decode("cp1252", errors="latin1_fallback").encode("utf-8"),
     "utf-8+utf-8-double"),
])
def test_detects_and_decodes(label: str, data: bytes, encoding: str) -> None:
    dec = decode_bytes(data, "x.txt")
    assert dec.encoding == encoding, label
    assert dec.text == (SAMPLE_TCVN3 if "tcvn3" in encoding else SAMPLE), label
    assert dec.verbatim == (encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le")), label


def test_windows_1258_comes_out_nfc() -> None:
    data = to_cp1258(SAMPLE)
    assert b"\xec" in data or b"\xd2" in data  # the file really carries combining tone marks
    dec = decode_bytes(data, "x.txt")
    assert dec.text == SAMPLE and unicodedata.is_normalized("NFC", dec.text)


def test_nfd_utf8_is_read_verbatim_and_spans_index_it() -> None:
    raw = unicodedata.normalize("NFD", SAMPLE)
    dec = decode_bytes(raw.encode("utf-8"), "nfd.txt")
    assert dec.text == raw and dec.verbatim  # reading does not move offsets
    doc = parse_text(dec.text, "nfd.txt")
    assert [c.symbol for c in doc.citations] == ["102-KL/TW"]
    for c in doc.citations:
        for m in c.mentions:
            assert unicodedata.normalize("NFC", raw[m.start:m.end]) == unicodedata.normalize("NFC", m.text)
    assert doc.normalized == unicodedata.normalize("NFC", raw)
    lead = doc.assignments[0]
    assert lead.lead == "Ban Dân vận Tỉnh ủy" and lead.coordinators == ["Văn phòng Tỉnh ủy"]


def test_mixed_normalization_comes_out_nfc() -> None:
    raw = unicodedata.normalize("NFD", SAMPLE[:80]) + SAMPLE[80:]
    text = decode_bytes(raw.encode("utf-8"), "mixed.txt").text
    assert normalize(text).text == SAMPLE


# -- detection: negative ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    SAMPLE,
    "Plain ASCII text, Chi thi so 05-CT/TW ngay 15/5/2016 cua Bo Chinh tri.\n",
    "Bản quyền © 2021 Cổng thông tin «Đảng bộ tỉnh» · nhiệt độ 30°C, giá 1.000 ¥ — theo Nghị quyết số 18-NQ/TW.\n",
    "Công văn số 12-CV/TU gửi các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy; Đảng ủy Khối các cơ quan tỉnh.\n" * 50,
    "Café, résumé and naïve façade: English with a few accents, saved as UTF-8.\n",
])
def test_ordinary_utf8_is_left_alone(text: str) -> None:
    dec = decode_bytes(text.encode("utf-8"), "ok.txt")
    assert dec.text == text and dec.verbatim


@pytest.mark.parametrize(("label", "data", "problem"), [
    ("empty", b"", "empty file"),
    ("blank", b"  \n\r\n\t ", "empty file"),
    ("BOM only", codecs.BOM_UTF8 + b"\n", "empty file"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    ("random bytes", bytes(range(256)) * 8, "binary file"),
    ("control chars", b"abc\x01\x02\x03\x04\x05\x06def" * 20, "binary file"),
    ("english cp1252", "Café résumé naïve façade déjà vu über.".encode("cp1252"), "not UTF-8"),
    ("too little to tell", to_cp1258("Ban Thường"), "not UTF-8"),
    ("garbled 8-bit", b"Ch\xd2 th\xd2 s\xf4 05-CT/TW cu\xf5a Ban Th\xfd\xf5ng vu\xf2", "not UTF-8"),
    ("broken utf-8 after BOM", codecs.BOM_UTF8 + b"ok \xff\xfe text", "broken UTF-8"),
])
def test_refused_with_one_line(label: str, data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as e:
        decode_bytes(data, "bad.txt")
    msg = str(e.value)
    assert msg.startswith("bad.txt: ") and problem in msg and "\n" not in msg, (label, msg)


def test_refusal_names_the_suspected_encoding() -> None:
    half = (legacy_encode("Ban Thường vụ Tỉnh ủy chủ trì", "vni")
            + " Ch\xd2 th\xd2 s\xf4 cu\xf5a vu\xf2 Th\xfd\xf5ng x\xd2")
    with pytest.raises(InputError, match=r"may be (VNI Windows|TCVN3 \(ABC\)|Windows-1258)"):
        decode_bytes(half.encode("cp1252"), "half.txt")


@pytest.mark.parametrize(("word", "ok"), [
    ("nghiêng", True), ("Thường", True), ("TỈNH", True), ("Uỷ", True), ("khuya", True), ("quốc", True),
    ("nh©n", False), ("ChỊ", False), ("Thýõng", False), ("hoứa", False), ("café", False),
])
def test_syllable_check(word: str, ok: bool) -> None:
    assert is_syllable(word) is ok, word


# -- size ---------------------------------------------------------------------------------------------------------

def test_ten_megabyte_single_line_decodes_and_normalizes_in_reasonable_time() -> None:
    unit = "Thực hiện Kết luận số 102-KL/TW ngày 22/9/2014 của Bộ Chính trị; "
    data = (unit * (10 * 2**20 // len(unit.encode("utf-8")))).encode("utf-8")
    t0 = time.perf_counter()
    text = decode_bytes(data, "big.txt").text
    t1 = time.perf_counter()
    norm = normalize(text)
    t2 = time.perf_counter()
    print(f"\n10 MB single line: decode {t1 - t0:.2f} s, normalize {t2 - t1:.2f} s ({len(text):,} chars)")
    assert len(norm.text) == len(text)
    assert t1 - t0 < 30  # a generous bound: the figure printed above is the measurement
