"""Sample documents in every input format built from one plain text, for the tests and the benchmark.

Needs the test extras (python-docx, reportlab and a TrueType font with Vietnamese glyphs, Debian's
``fonts-dejavu-core``); LibreOffice (``soffice``) only for ``.doc``. The sample text is written for this
project in the formulaic style of a provincial Party plan; it quotes no published document.
"""

from __future__ import annotations

import html
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

HEADER = [("TỈNH ỦY HÀ TĨNH", "ĐẢNG CỘNG SẢN VIỆT NAM"), ("Số 12-KH/TU", "Hà Tĩnh, ngày 05 tháng 3 năm 2021")]
TITLE = ["KẾ HOẠCH", "thực hiện Kết luận số 102-KL/TW của Bộ Chính trị về hội quần chúng"]
BODY = [
    "Thực hiện Kết luận số 102-KL/TW ngày 22/9/2014 của Bộ Chính trị về hội quần chúng trong tình hình mới, "
    "Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch thực hiện như sau:",
    "1. Ban Dân vận Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện Kế hoạch "
    "này, định kỳ hằng năm báo cáo Ban Thường vụ Tỉnh ủy.",
    "2. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ rà soát tổ chức bộ máy các hội quần chúng, hoàn "
    "thành trước ngày 30/6/2021.",
    "3. Các cấp ủy, tổ chức đảng tiếp tục quán triệt và thực hiện nghiêm Thông báo số 158-TB/TW ngày 02/01/2020 "
    "của Ban Bí thư về hội quần chúng.",
]
SIGNATURE = ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]


def plain_text() -> str:
    """The document as a plain UTF-8 text file would hold it."""
    head = [cell for row in HEADER for cell in row]  # a two-column header, one cell a line
    return "\n".join([*head, "", *TITLE, "", *BODY, "", *SIGNATURE]) + "\n"


def make_docx(paragraphs: list[str] | None = None) -> bytes:
    import docx

    d = docx.Document()
    table = d.add_table(rows=len(HEADER), cols=2)
    for r, row in enumerate(HEADER):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in [*TITLE, *(paragraphs if paragraphs is not None else BODY), *SIGNATURE]:
        d.add_paragraph(line)
    d.core_properties.title = "Kế hoạch 12-KH/TU"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_html(paragraphs: list[str] | None = None) -> bytes:
    """A news portal page: menu, breadcrumbs, share buttons, a sidebar of related news citing other documents,
    a footer of links; the document is the article."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in (paragraphs if paragraphs is not None else BODY))
    head = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>" for a, b in HEADER)
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Kế hoạch thực hiện Kết luận số 102-KL/TW - Cổng thông tin điện tử Đảng bộ tỉnh</title>
<meta property="article:published_time" content="2021-03-18T08:30:00+07:00">
</head><body>
<header><div class="logo">Cổng thông tin điện tử Đảng bộ tỉnh</div>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức &amp; sự kiện</a></li>
<li><a href="/van-ban">Văn bản chỉ đạo</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; <a href="/van-ban">Văn bản chỉ đạo</a></div>
<div class="wrap"><main><article>
<h1 class="title">Kế hoạch thực hiện Kết luận số 102-KL/TW</h1>
<div class="meta">Thứ năm, 18/03/2021 08:30</div>
<table class="doc-head">{head}</table>
{"".join(f"<p><b>{html.escape(t)}</b></p>" for t in TITLE)}
{body}
{"".join(f"<p><b>{html.escape(t)}</b></p>" for t in SIGNATURE)}
</article>
<div class="share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">In bài viết</a></div>
</main>
<aside class="sidebar"><h3>Tin liên quan</h3><ul>
<li><a href="/t1">Triển khai Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương</a></li>
<li><a href="/t2">Quán triệt Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị</a></li>
<li><a href="/t3">Sơ kết Quy định số 66-QĐ/TW ngày 06/02/2017 của Ban Chấp hành Trung ương</a></li>
</ul></aside></div>
<footer><ul><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/so-do">Sơ đồ cổng</a></li>
<li><a href="/x">Hướng dẫn số 03-HD/TU ngày 10/01/2021</a></li></ul>
<p>Cơ quan chủ quản: Văn phòng Tỉnh ủy. Ghi rõ nguồn khi phát hành lại thông tin từ cổng này.</p></footer>
</body></html>
"""
    return page.encode("utf-8")


def pdf_pages() -> list[list[str]]:
    """The body laid out on two pages as a typesetter would, "158-" / "TB/TW" broken at a line end."""
    return [
        [*TITLE, "",
         "Thực hiện Kết luận số 102-KL/TW ngày 22/9/2014 của Bộ Chính trị về hội quần chúng trong tình",
         "hình mới, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch thực hiện như sau:",
         "1. Ban Dân vận Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện",
         "Kế hoạch này, định kỳ hằng năm báo cáo Ban Thường vụ Tỉnh ủy.",
         "2. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ rà soát tổ chức bộ máy các hội quần",
         "chúng, hoàn thành trước ngày 30/6/2021."],
        ["3. Các cấp ủy, tổ chức đảng tiếp tục quán triệt và thực hiện nghiêm Thông báo số 158-",
         "TB/TW ngày 02/01/2020 của Ban Bí thư về hội quần chúng.", "", *SIGNATURE],
    ]


def make_pdf(pages: list[list[str]] | None = None, *, text_layer: bool = True) -> bytes:
    """A PDF with the header on page 1, a running header and a page number on every page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.setTitle("Kế hoạch 12-KH/TU")
    pages = pdf_pages() if pages is None else pages
    for n, lines in enumerate(pages, start=1):
        if not text_layer:  # a "scan": a grey page with no text
            c.setFillGray(0.8)
            c.rect(60, 60, 475, 720, fill=1)
            c.showPage()
            continue
        c.setFont("DejaVu", 8)
        c.drawString(60, 810, "Ban Thường vụ Tỉnh ủy Hà Tĩnh — Kế hoạch số 12-KH/TU")
        c.drawCentredString(297, 30, f"- {n} -")
        y = 770
        if n == 1:
            c.setFont("DejaVu", 11)
            for left, right in HEADER:
                c.drawString(60, y, left)
                c.drawString(330, y, right)
                y -= 16
            y -= 16
        c.setFont("DejaVu", 11)
        for line in lines:
            if line:
                c.drawString(60, y, line)
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


def wrap(paragraphs: list[str], width: float = 470, size: float = 11) -> list[str]:
    """Greedy line breaking with DejaVu Sans metrics (for generated PDFs)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    out: list[str] = []
    for para in paragraphs:
        line = ""
        for word in para.split():
            trial = f"{line} {word}".strip()
            if line and pdfmetrics.stringWidth(trial, "DejaVu", size) > width:
                out.append(line)
                line = word
            else:
                line = trial
        out.append(line)
    return out


def make_doc(docx_bytes: bytes) -> bytes | None:
    """A Word 97 .doc converted from a .docx by LibreOffice; None without ``soffice``."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="docgraph-sample-") as tmp:
        src = Path(tmp) / "sample.docx"
        src.write_bytes(docx_bytes)
        subprocess.run([exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                        "doc:MS Word 97", "--outdir", tmp, str(src)], capture_output=True, timeout=180, check=False)
        out = Path(tmp) / "sample.doc"
        return out.read_bytes() if out.exists() else None
