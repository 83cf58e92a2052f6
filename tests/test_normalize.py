"""normalize(): NFC, markup and escape noise removed, and offsets that map back into the text as read."""

from __future__ import annotations

import importlib
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


NOISY_TEXT = st.text(alphabet=st.sampled_from(list("ab ố\u0301\u0323e\u0302<>p/&;#x\\rn\u00a0\u200b\u2126\u0958")),
                     max_size=60)


def reference_map(raw: str) -> list[int]:
    """Where each character of normalize(raw).text came from, one offset per character (and one for the
    end), built the plain way: the map the runs of Normalized stand for."""
    nz = importlib.import_module("docgraph.normalize")

    omap: list[int] = []

    def put(rep: str, base: int, width: int) -> None:
        omap.extend(base + min(k, width - 1) for k in range(len(rep)))

    def simple(seg: str, base: int) -> None:
        for i, ch in enumerate(seg):
            put(unicodedata.normalize("NFC", ch), base + i, 1)

    def plain(chunk: str, base: int) -> None:
        last = 0
        for m in nz._CLUSTER.finditer(chunk):
            simple(chunk[last : m.start()], base + last)
            put(unicodedata.normalize("NFC", m.group()).translate(nz._SPACES), base + m.start(), len(m.group()))
            last = m.end()
        simple(chunk[last:], base + last)

    looks_html = "<" in raw and nz.re.search(r"</?(p|div|br|span|td|li|b|i|strong|em)\b", raw, nz.re.I) is not None
    pos = 0
    for m in nz._NOISE.finditer(raw):
        if m.lastgroup in ("tag", "br") and not looks_html:
            continue
        plain(raw[pos : m.start()], pos)
        put(nz._replacement(m), m.start(), 1)
        pos = m.end()
    plain(raw[pos:], pos)
    return [*omap, len(raw)]


@given(NOISY_TEXT)
def test_offsets_map_each_character_back_to_where_it_came_from(raw: str) -> None:
    n = normalize(raw)
    expected = reference_map(raw)
    assert len(expected) == len(n.text) + 1
    assert [n.to_original(i) for i in range(len(n.text) + 1)] == expected
    assert n.to_original(-3) == expected[0] and n.to_original(len(n.text) + 5) == len(raw)
    # from_original: the last offset whose character came from o or before it
    for o in range(len(raw) + 2):
        assert n.from_original(o) == max(sum(1 for x in expected if x <= o) - 1, 0), o
    assert len(n.folded) == len(n.text)


@pytest.mark.parametrize(("raw", "runs"), [
    ("Thực hiện Kết luận số 102-KL/TW", 1),                      # clean: one run
    ("Thực hiện&nbsp;Kết luận", 2),                              # an entity: the text after it is a run of its own
    (unicodedata.normalize("NFD", "Kết luận"), 3),              # after a composed letter, a new run
])
def test_a_clean_text_is_one_run_of_offsets(raw: str, runs: int) -> None:
    assert len(normalize(raw)._starts) == runs
