"""Conversion of published formats: the same document as .txt, .html, .docx, .pdf and .doc parses the same."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from docgraph import convert_doc
from docgraph import convert_samples as S
from docgraph.convert import Converted, convert_bytes, write_converted
from docgraph.errors import InputError
from docgraph.inputs import collect_inputs
from docgraph.model import ParsedDocument
from docgraph.parse import parse_text
from docgraph.reading import read_document, read_text

pytestmark = pytest.mark.skipif(not S.FONT.exists(), reason="needs Debian's fonts-dejavu-core for the PDF samples")


def summary(doc: ParsedDocument) -> tuple[list, list]:
    cits = sorted((c.symbol, c.date, c.issuer) for c in doc.citations)
    tasks = sorted((a.lead, tuple(a.coordinators)) for a in doc.assignments)
    return cits, tasks


@pytest.fixture(scope="module")
def plain() -> ParsedDocument:
    doc = parse_text(S.plain_text(), "plan.txt")
    assert summary(doc) == (
        [("102-KL/TW", "2014-09-22", "Bộ Chính trị"), ("158-TB/TW", "2020-01-02", "Ban Bí thư")],
        [("Ban Dân vận Tỉnh ủy", ("Văn phòng Tỉnh ủy",)), ("Ban Tổ chức Tỉnh ủy", ("Sở Nội vụ",)),
         ("Các cấp ủy, tổ chức đảng", ())],
    )
    return doc


@pytest.fixture(scope="module")
def samples() -> dict[str, bytes]:
    out = {"plan.docx": S.make_docx(), "plan.html": S.make_html(), "plan.pdf": S.make_pdf()}
    doc = S.make_doc(out["plan.docx"])
    if doc is not None:
        out["plan.doc"] = doc
    return out


def check_spans(doc: ParsedDocument, text: str) -> None:
    assert doc.text == text
    for c in doc.citations:
        for m in c.mentions:
            assert unicodedata.normalize("NFC", text[m.start:m.end]) == unicodedata.normalize("NFC", m.text), m
            assert c.number and c.number in text[m.start:m.end]
    for a in doc.assignments:
        assert a.lead in text[a.start:a.end], (a.lead, text[a.start:a.end])


@pytest.mark.parametrize("name", ["plan.docx", "plan.html", "plan.pdf", "plan.doc"])
def test_same_citations_and_assignments_as_plain_text(name: str, samples: dict[str, bytes],
                                                       plain: ParsedDocument) -> None:
    if name not in samples:
        pytest.skip("LibreOffice (soffice) is needed to make a .doc sample")
    conv = convert_bytes(samples[name], name)
    doc = parse_text(conv.text, name)
    assert summary(doc) == summary(plain), conv.text
    check_spans(doc, conv.text)
    assert (doc.document.symbol, doc.document.date) == ("12-KH/TU", "2021-03-05"), conv.text[:300]
    assert conv.format == name.rsplit(".", 1)[1] and conv.converter


def test_html_keeps_the_article_only(samples: dict[str, bytes]) -> None:
    conv = convert_bytes(samples["plan.html"], "plan.html")
    doc = parse_text(conv.text, "plan.html")
    for other in ("18-NQ/TW", "05-CT/TW", "66-QĐ/TW", "03-HD/TU"):  # related news and footer links
        assert other not in conv.text
    for chrome in ("Trang chủ", "Chia sẻ", "Zalo", "Tin liên quan", "Cơ quan chủ quản", "&amp;", "&raquo;"):
        assert chrome not in conv.text, chrome
    assert conv.metadata["title"].startswith("Kế hoạch thực hiện Kết luận số 102-KL/TW")
    assert conv.metadata["published"] == "2021-03-18"
    assert doc.document.date == "2021-03-05"  # the publication date is metadata, not the issue date


def test_pdf_pages_headers_and_hyphenation(samples: dict[str, bytes]) -> None:
    conv = convert_bytes(samples["plan.pdf"], "plan.pdf")
    assert [p for _, p in conv.pages] == [1, 2] and conv.metadata["pages"] == "2"
    assert "Kế hoạch số 12-KH/TU" not in conv.text  # the running header
    assert "- 1 -" not in conv.text and "- 2 -" not in conv.text  # page numbers
    assert "số 158-TB/TW ngày 02/01/2020" in conv.text  # "158-" + "TB/TW" joined, hyphen kept
    assert "trong tình hình mới, Ban Thường vụ" in conv.text  # a wrapped line runs on
    doc = parse_text(conv.text, "plan.pdf")
    pages = {c.symbol: {conv.page_at(m.start) for m in c.mentions} for c in doc.citations}
    assert pages == {"102-KL/TW": {1}, "158-TB/TW": {2}}
    assert conv.page_at(0) == 1 and conv.page_at(len(conv.text)) == 2


def test_scanned_pdf_is_refused() -> None:
    with pytest.raises(InputError, match=r"^scan\.pdf: no text layer \(scanned PDF\?\)"):
        convert_bytes(S.make_pdf(text_layer=False), "scan.pdf")


def test_broken_pdf_is_one_line() -> None:
    with pytest.raises(InputError) as e:
        convert_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer\n%%EOF", "broken.pdf")
    assert str(e.value).startswith("broken.pdf: ") and "\n" not in str(e.value)


@pytest.mark.parametrize("name", ["plan.pdf", "plan.docx"])
def test_binary_document_renamed_txt_is_converted(tmp_path: Path, samples: dict[str, bytes], name: str) -> None:
    path = tmp_path / "renamed.txt"
    path.write_bytes(samples[name])
    conv = read_document(path)
    assert conv.format == name.rsplit(".", 1)[1]
    assert "102-KL/TW" in read_text(path)


def test_zip_that_is_not_word_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("content.xml", "<office:document/>")
    with pytest.raises(InputError, match="OpenDocument"):
        read_text(path)


def test_doc_without_converter_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert_doc, "available", lambda: [])
    with pytest.raises(InputError, match=r"^old\.doc: a legacy Word \.doc file and no converter .*apt-get install"):
        convert_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.doc")


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword not installed")
def test_doc_with_antiword(samples: dict[str, bytes], plain: ParsedDocument) -> None:
    if "plan.doc" not in samples:
        pytest.skip("LibreOffice (soffice) is needed to make a .doc sample")
    conv = convert_doc.convert_doc(samples["plan.doc"], "plan.doc", ["antiword"])
    assert conv.converter.startswith("antiword")
    assert summary(parse_text(conv.text, "plan.doc")) == summary(plain)


def test_write_converted_keeps_text_and_provenance(tmp_path: Path, samples: dict[str, bytes]) -> None:
    conv = convert_bytes(samples["plan.pdf"], "in/plan.pdf")
    conv.text = conv.text.replace("\n", "\r\n", 1)  # offsets must survive: no newline translation
    path = write_converted(tmp_path / "store", "in/plan.pdf", conv)
    assert path.parent == tmp_path / "store" / "converted"
    assert path.read_bytes().decode("utf-8") == conv.text
    info = json.loads(path.with_suffix(".json").read_text("utf-8"))
    assert info["source"] == "in/plan.pdf" and info["format"] == "pdf"
    assert [tuple(p) for p in info["pages"]] == conv.pages
    other = write_converted(tmp_path / "store", "in_plan.pdf", conv)
    assert other != path


def test_page_at_without_pages() -> None:
    assert Converted("abc", "text", "x").page_at(1) is None


def test_collect_inputs_finds_every_format(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.htm", "d.docx", "e.pdf", "f.doc", "~$d.docx", ".hidden.txt", "a.meta.yaml",
                 "g.png", "h.md"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.name for p in collect_inputs([str(tmp_path)])]
    assert found == ["a.txt", "b.html", "c.htm", "d.docx", "e.pdf", "f.doc", "h.md"]
