"""The extractor's whole-text scans find exactly what the plain patterns find.

Body names, task verbs, type words and symbols are looked for once over each text. Those scans skip the
offsets where nothing can start (inside a word, between the digits of a number) instead of trying the
pattern there; folding a long text looks its characters up in a list. Each is checked here against the
plain form (``finditer`` of the pattern at every offset, the fold table as a dict), on tables of
written forms and on texts made of them at random.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgraph import assignments, bodies, citations
from docgraph.normalize import normalize
from docgraph.phrase_regex import word_matches
from docgraph.textfold import _FOLD, fold

# pieces of texts: body names (with "Báo Hà Tĩnh"-style stems and short abbreviations), task verbs (also in
# body names and noun phrases), type words, symbols and numbers, and what stands between them
_PIECES = [
    "Ban Tuyên giáo Tỉnh ủy", "Ban Thường vụ Tỉnh ủy", "Ủy ban nhân dân tỉnh", "UBND tỉnh", "Tỉnh ủy Hà Tĩnh",
    "Báo", "Báo Hà Tĩnh", "Công an", "Hà Tĩnh", "Nghệ An", "Sở Nội vụ", "TU", "Tu", "HU", "Ban Chỉ đạo",
    "Ban Bí thư", "các cấp ủy", "Mặt trận Tổ quốc", "Đảng ủy Khối", "Văn phòng Tỉnh ủy",
    "chủ trì", "phối hợp", "tổ chức", "tổ chức đảng", "tổ chức,", "triển khai thực hiện", "chỉ đạo",
    "tham mưu, giúp việc", "thông tin và truyền thông", "ban hành", "mở", "mô hình", "quản lý dự án",
    "Kết luận", "Chỉ thị số", "các Nghị quyết", "Quy định", "Kế hoạch", "Hướng dẫn", "Thông báo",
    "102-KL/TW", "16/CT-TTg", "30/2020/NĐ-CP", "217, 218-QĐ/TW", "80/2015/QH13", "30 / 2020 / NĐ-CP",
    "12-CT/T.Ư", "84 QĐ/TWĐTN",
    "17", "2024", "1.5", "a1/2", "số", "ngày 05/3/2024", "QH13",
    "và", "của", "đ", "Đ", ",", ".", ";", ":", "(", ")", "-", "/", "–", "“", "”", "\n", "1.", "a)",
]
_texts = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", "", "\n", "  ", ", "])),
                  max_size=30).map(lambda parts: "".join(p + sep for p, sep in parts))

_TABLE = [
    "",
    "Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Báo Hà Tĩnh tổ chức thực hiện Kết luận số 102-KL/TW.",
    "Tỉnh ủy Hà Tĩnh ban hành Chỉ thị số 17 và Kế hoạch 5 năm; Quy định 377.",
    "Chủ trì: Ban Chỉ đạo; thực hiện Quyết định 217, 218-QĐ/TW, Nghị định 30/2020/NĐ-CP.",
    "UBND tỉnh,Sở Nội vụ;TU;tổ chức đảng\ncác cấp ủy-Công an Nghệ An triển khai.",
    "102-KL/TW",  # a symbol at the first offset
    "Báo Hà Tĩnh",  # a stem at the first offset
    "chỉ đạo các tổ chức đảng",  # a verb at the first offset
    "Nghị định 30 / 2020 / NĐ-CP",  # the year, after a space, is no symbol of its own
]


# -- the plain forms, as the extractor read them before ---------------------------------------------


def _plain_body_spans(text: str, folded: str) -> list[tuple[int, int]]:
    starts = sorted({m.start() for m in bodies._name_re().finditer(folded)}
                    | {m.start() for m in bodies._stem_re().finditer(folded)})
    spans: list[tuple[int, int]] = []
    reach = -1
    for pos in starts:
        if pos < reach:
            continue
        b = bodies.body_at(text, folded, pos)
        if b:
            spans.append((b.start, b.end))
            reach = b.end
    return spans


def _plain_verbs(reader: assignments._Reader) -> tuple[list[int], list[int]]:
    spans = reader._spans or []
    starts, ends = [], []
    for m in assignments._VERB_RE.finditer(reader.f):
        if not any(a <= m.start() < b for a, b in spans):
            starts.append(m.start())
            ends.append(m.end())
    return starts, ends


def _plain_number_only(folded: str) -> list[tuple[int, int]]:
    rx, _ = citations._type_words()
    return [m.span() for m in rx.finditer(folded)]


def _check(text: str) -> None:
    norm = normalize(text)
    t, f = norm.text, norm.folded
    assert bodies.all_body_spans(t, f) == _plain_body_spans(t, f)
    reader = assignments._Reader(norm)
    assert reader._found() == _plain_verbs(reader)
    assert [m.span() for m in citations._symbols(t)] == [m.span() for m in citations.SYMBOL_RE.finditer(t)]
    rx, _ = citations._type_words()
    assert [m.span() for m in word_matches(rx, citations._type_word_scan(), f)] == _plain_number_only(f)


@pytest.mark.parametrize("text", _TABLE)
def test_scans_find_what_the_patterns_find(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(text=_texts)
def test_scans_find_what_the_patterns_find_in_any_order(text: str) -> None:
    _check(text)


@pytest.mark.parametrize(("text", "spans"), [
    ("Giao Ban Tuyên giáo Tỉnh ủy chủ trì", [(5, 27)]),
    ("Báo Hà Tĩnh, Công an Nghệ An phối hợp", [(0, 11), (13, 28)]),
    ("Thường trực Tỉnh ủy; Ủy ban nhân dân tỉnh", [(0, 19), (21, 41)]),
])
def test_body_spans_of_written_names(text: str, spans: list[tuple[int, int]]) -> None:
    norm = normalize(text)
    assert bodies.all_body_spans(norm.text, norm.folded) == spans


@pytest.mark.parametrize(("text", "verbs"), [
    ("Ban Chỉ đạo tỉnh chỉ đạo triển khai thực hiện", ["chi dao", "trien khai thuc hien"]),
    ("các tổ chức đảng tổ chức quán triệt", ["to chuc", "quan triet"]),  # "tổ chức đảng" is a noun
])
def test_task_verbs_outside_body_names(text: str, verbs: list[str]) -> None:
    reader = assignments._Reader(normalize(text))
    starts, ends = reader._found()
    assert [reader.f[s:e] for s, e in zip(starts, ends, strict=True)] == verbs


def test_every_verb_ends_with_a_letter() -> None:
    """The verb scan takes the character before a verb as part of its match, so a verb that ended with a
    mark could hide the next one right after it (see assignments._VERB_SCAN)."""
    assert all(v[-1].isalpha() for v in assignments._VERBS)


def test_long_text_folds_as_the_table_does() -> None:
    """Every character up to the end of the list and past it (Kelvin sign, Roman numeral, full-width and
    mathematical letters, Deseret), in a text long enough to be folded with the list."""
    differ = []
    for code in [*range(0, 0x2100), 0x212A, 0x2163, 0xFF21, 0x1D400, 0x10400]:
        text = "Tỉnh ủy " * 30 + chr(code) + " Hà Tĩnh"
        if fold(text) != text.translate(_FOLD) or len(fold(text)) != len(text):
            differ.append(hex(code))
    assert differ == []


def test_folding_keeps_length_of_nfc_vietnamese() -> None:
    text = unicodedata.normalize("NFC", "Ủy ban nhân dân tỉnh Hà Tĩnh, Đảng bộ Khối “Cơ quan” – ") * 10
    assert fold(text) == "uy ban nhan dan tinh ha tinh, dang bo khoi “co quan” – " * 10
    assert re.fullmatch(r"[a-z ,“”–]+", fold(text))
