"""A PDF with a text layer -> its text (pdfminer.six), with a page map.

pdfminer's layout analysis gives the reading order (columns, the two-column header of an official document).
Then: page headers and footers repeated on most pages are dropped, and so are page-number lines ("- 2 -",
"Trang 2", "2/5") at a page's top or bottom; lines wrapped inside a paragraph are joined (a word hyphenated at a
line end is joined without its hyphen; "102-" + "KL/TW" keeps it), also across a page break. A PDF without a
text layer is refused as a likely scan.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from .convert import Converted, version
from .errors import InputError

EDGE = 0.12  # top and bottom share of a page where headers, footers and page numbers live
_PAGE_NO = re.compile(r"^[\s\-–—.]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[\s\-–—.]*$", re.I)
_END = re.compile(r"[.:;!?…\"”)]\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,3}[.)\-]|[IVXL]{1,5}[.\-]|[a-zđ][)]|[-–•+*])\s")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float  # share of the page height from the top, 0..1
    box: int  # index of its text box on the page


def convert_pdf(data: bytes, name: str) -> Converted:
    lines, npages, info = _read(data, name)
    if not any(ln.text.strip() for ln in lines):
        raise InputError(name, f"no text layer (scanned PDF?): {npages} page(s) of images only; OCR it first")
    chars = sum(len(ln.text) for ln in lines)
    if sum(len(m) for ln in lines for m in _CID.findall(ln.text)) > chars / 3:
        raise InputError(name, "the PDF's text layer has no Unicode mapping (cid codes only); OCR it or export "
                               "it again from the source document")
    lines = _drop_furniture(lines, npages)
    text, pages = _join(lines)
    empty = sorted(set(range(1, npages + 1)) - {p for _, p in pages})
    meta = dict(info, pages=str(npages))
    if empty:
        meta["pages_without_text"] = ",".join(map(str, empty))
    return Converted(text, "pdf", version("pdfminer.six"), meta, pages)


def _read(data: bytes, name: str) -> tuple[list[_Line], int, dict[str, str]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    lines: list[_Line] = []
    npages = 0
    try:
        for npages, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), start=1):
            height = (page.y1 - page.y0) or 1.0
            for b, box in enumerate(el for el in page if isinstance(el, LTTextContainer)):
                for line in box:
                    if isinstance(line, LTTextLine):
                        text = line.get_text().rstrip("\n")
                        if text.strip():
                            lines.append(_Line(npages, text, line.x0, line.x1, (page.y1 - line.y1) / height, b))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(name, "an encrypted PDF: remove the password first") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as e:
        raise InputError(name, f"a broken PDF ({type(e).__name__}: {e})") from None
    return lines, npages, _info(data)


def _info(data: bytes) -> dict[str, str]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    out: dict[str, str] = {}
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        info = doc.info[0] if doc.info else {}
    except Exception:  # metadata is a nicety; the text was read already
        return out
    for key, field in (("title", "Title"), ("author", "Author"), ("created", "CreationDate")):
        value = resolve1(info.get(field))
        if isinstance(value, bytes):
            value = _pdf_string(value)
        if isinstance(value, str) and value.strip():
            if key == "created":
                m = re.match(r"D:(\d{4})(\d{2})(\d{2})", value)
                value = f"{m[1]}-{m[2]}-{m[3]}" if m else value
            out[key] = value.strip()
    return out


def _pdf_string(raw: bytes) -> str:
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _edge(line: _Line) -> bool:
    return line.top < EDGE or line.top > 1 - EDGE


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _drop_furniture(lines: list[_Line], npages: int) -> list[_Line]:
    """Without running headers/footers (same text at a page edge on at least half the pages, two at least)
    and page-number lines at a page edge."""
    pages_with = Counter(k for _, k in {(ln.page, _key(ln.text)) for ln in lines if _edge(ln)})
    need = max(2, (npages + 1) // 2)
    repeated = {k for k, n in pages_with.items() if n >= need}
    return [ln for ln in lines if not (_edge(ln) and (_PAGE_NO.match(ln.text) or _key(ln.text) in repeated))]


def _join(lines: list[_Line]) -> tuple[str, list[tuple[int, int]]]:
    """Lines -> text; a wrapped line (wide, not ending a sentence) runs on into the next one."""
    widths = sorted(ln.x1 - ln.x0 for ln in lines)
    full = widths[int(len(widths) * 0.9)] if widths else 0.0
    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    size = 0
    prev: _Line | None = None
    for ln in lines:
        text = ln.text.strip()
        if prev is not None:
            sep = _separator(prev, ln, full)
            if sep == "-drop":
                parts[-1] = parts[-1][:-1]
                size -= 1
                sep = ""
            parts.append(sep)
            size += len(sep)
        if not pages or pages[-1][1] != ln.page:
            pages.append((size, ln.page))
        parts.append(text)
        size += len(text)
        prev = ln
    return "".join(parts) + "\n", pages


def _separator(prev: _Line, ln: _Line, full: float) -> str:
    before, after = prev.text.rstrip(), ln.text.strip()
    if before.endswith("\u00ad"):
        return "-drop"
    if before.endswith("-") and not before.endswith(" -"):
        if len(before) > 1 and before[-2].islower() and after[:1].islower():
            return "-drop"  # a hyphenated word
        return ""  # "102-" + "KL/TW"
    wrapped = (prev.x1 - prev.x0) >= 0.85 * full and not _END.search(before) and not _LIST_ITEM.match(after)
    same_block = prev.box == ln.box or prev.page != ln.page
    if wrapped and same_block:
        return " "
    return "\n"
