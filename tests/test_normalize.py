"""normalize(): NFC, markup and escape noise removed, and offsets that map back into the text as read."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgraph.normalize import normalize
from docgraph.parse import parse_text

NFC_TEXT = "Thực hiện Kết luận số 102-KL/TW ngày 22/9/2014 của Bộ Chính trị khóa XI."


def test_nfd_is_composed() -> None:
    n = normalize(unicodedata.normalize("NFD", NFC_TEXT))
    assert n.text == NFC_TEXT
    assert len(n.folded) == len(n.text)


def test_mixed_nfc_and_nfd() -> None:
    raw = "Chỉ thị " + unicodedata.normalize("NFD", "số 17-CT/TW của Bộ Chính trị")
    assert normalize(raw).text == "Chỉ thị số 17-CT/TW của Bộ Chính trị"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("<p>Thực hiện <b>Chỉ thị</b></p>", " Thực hiện  Chỉ thị \n"),
        ("<div>A<br/>B</div>", " A\nB\n"),
        ("Bộ&nbsp;Chính trị", "Bộ Chính trị"),
        ("ng&agrave;y 2/1/2020", "ngày 2/1/2020"),
        ("17&#45;CT/TW", "17-CT/TW"),
        ("BTG&DVTU và TT&TT", "BTG&DVTU và TT&TT"),
        ("a < b and c > d", "a < b and c > d"),
    ],
)
def test_html_tags_and_entities(raw: str, text: str) -> None:
    assert normalize(raw).text == text


def test_literal_backslash_escapes() -> None:
    raw = r"Thực hiện Chỉ thị số 42-CT/TW,\r\nngày 06/10/1998\tcủa Bộ Chính trị\nxong"
    assert normalize(raw).text == "Thực hiện Chỉ thị số 42-CT/TW,\nngày 06/10/1998 của Bộ Chính trị\nxong"


def test_odd_spaces() -> None:
    assert normalize("số\u00a017-CT/TW\u200b của\u2009Bộ").text == "số 17-CT/TW của Bộ"


def test_tone_placement_is_folded_not_rewritten() -> None:
    n = normalize("Tỉnh uỷ khoá XI, hoà giải")
    assert n.text == "Tỉnh uỷ khoá XI, hoà giải"
    assert n.folded == "tinh uy khoa xi, hoa giai"


def test_span_maps_back_to_the_original() -> None:
    raw = "<p>Thực hiện&nbsp;" + unicodedata.normalize("NFD", "Kết luận số 102-KL/TW của Bộ Chính trị") + "</p>"
    n = normalize(raw)
    for word in ("Kết luận", "102-KL/TW", "Bộ Chính trị", "Thực hiện"):
        i = n.text.index(word)
        s, e = n.span(i, i + len(word))
        assert normalize(raw[s:e]).text == word, (word, raw[s:e])


NOISY = [
    "<p>Thực hiện <strong>Kết luận số 102-KL/TW</strong> ngày 22/9/2014 của Bộ Chính trị&nbsp;khóa XI.</p>",
    r"Thực hiện Chỉ thị số 42-CT/TW,\r\nngày 06/10/1998 của Bộ Chính trị (khóa VIII).",
    unicodedata.normalize("NFD", "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ; Chỉ thị số 17"),
    "Thực hiện Thông báo số 158-\nTB/TW ngày 02/01/2020 của Ban Bí thư về tiếp tục thực hiện Kết luận số 102-KL/TW.",
    "<div>Quán triệt các Nghị quyết: số 18-NQ/TW, số 19-NQ/TW &amp; số 20-NQ/TW</div>",
]


@pytest.mark.parametrize("raw", NOISY)
def test_every_mention_points_at_its_text(raw: str) -> None:
    doc = parse_text(raw)
    assert doc.citations
    for c in doc.citations:
        for m in [*c.mentions, *c.sentences]:
            assert normalize(raw[m.start : m.end]).text == m.text, (m, raw[m.start : m.end])


@given(st.text(alphabet=st.sampled_from(list("ab ố\u0301\u0323e\u0302<>p/&;#x\\rn\u00a0")), max_size=60))
def test_map_is_monotonic_and_complete(raw: str) -> None:
    n = normalize(raw)
    assert len(n._map) == len(n.text) + 1
    assert all(a <= b for a, b in zip(n._map, n._map[1:], strict=False))
    assert n._map[-1] == len(raw)
    assert len(n.folded) == len(n.text)
