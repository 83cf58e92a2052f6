"""A Word (.docx) document -> its text (python-docx): paragraphs and tables in document order.

A table is read row by row, each cell's paragraphs on lines of their own, so the two-column header of an
official document reads as the parser expects it: ``TỈNH ỦY X``, ``ĐẢNG CỘNG SẢN VIỆT NAM``, ``Số 12-KH/TU``,
``X, ngày 5 tháng 3 năm 2021``. Page headers and footers are not the document and are left out.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from .convert import Converted, version
from .errors import InputError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def convert_docx(data: bytes, name: str) -> Converted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise InputError(name, "a broken ZIP/Word file") from None
    if "word/document.xml" not in names:
        what = "an OpenDocument file (save it as .docx)" if "content.xml" in names else "a ZIP archive"
        raise InputError(name, f"{what}, not a Word .docx document")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise InputError(name, f"cannot read the Word document ({e})") from None
    lines = _block_lines(document.element.body, document)
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InputError(name, "the Word document has no text")
    props = document.core_properties
    meta = {k: str(v) for k, v in (("title", props.title), ("author", props.author),
                                   ("created", props.created and props.created.date().isoformat()),
                                   ("modified", props.modified and props.modified.date().isoformat())) if v}
    return Converted(text + "\n", "docx", version("python-docx"), meta)


def _block_lines(parent: Any, owner: Any) -> list[str]:
    """Lines of the paragraphs and tables directly inside ``parent`` (a body, a cell, a content control)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    for child in parent.iterchildren():
        if child.tag == f"{_W}p":
            out.extend(Paragraph(child, owner).text.split("\n"))
        elif child.tag == f"{_W}tbl":
            out.extend(_table_lines(Table(child, owner)))
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out.extend(_block_lines(content, owner))
    return out


def _table_lines(table: Any) -> list[str]:
    out: list[str] = []
    seen: set[Any] = set()
    for row in table.rows:
        for cell in row.cells:  # a merged cell is repeated once per grid column (and row) it spans
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            out.extend(ln.rstrip() for ln in _block_lines(cell._tc, cell) if ln.strip())
    out.append("")
    return out
