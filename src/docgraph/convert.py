"""Published documents (text, HTML, Word, PDF) -> one plain text with its provenance.

``convert_bytes(data, name)`` picks a converter by content first (a PDF renamed ``.txt`` is still a PDF), then
by the file name's suffix. The :class:`Converted` text is what the parser reads and what every span points into;
``write_converted`` keeps it (with its metadata and page map) beside the store so spans can be looked up later.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from .atomic import atomic_write_bytes
from .errors import InputError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
DOCX_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
DOC_SUFFIXES = (".doc",)
TEXT_SUFFIXES = (".txt", ".text", ".md")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES + PDF_SUFFIXES + DOC_SUFFIXES


@dataclass
class Converted:
    """A document as plain text, with where it came from.

    ``pages`` is a list of (offset, page number), ascending by offset: the text from ``offset`` on is on that
    page (PDF only; empty for formats without pages). ``metadata`` holds what the container says about the
    document (``title``, ``published`` for a web page's publication date, ``encoding``...); it is never the
    document's own issue date, which the parser reads from the text.
    """

    text: str
    format: str  # "text", "html", "docx", "pdf", "doc"
    converter: str  # "charsets", "trafilatura 2.3.1", "pdfminer.six 20260107", "antiword 0.37"...
    metadata: dict[str, str] = field(default_factory=dict)
    pages: list[tuple[int, int]] = field(default_factory=list)
    verbatim: bool = False  # True when ``text`` is the file's own text code point for code point

    def page_at(self, offset: int) -> int | None:
        """The page number of the character at ``offset`` (None without a page map)."""
        if not self.pages:
            return None
        i = bisect.bisect_right([o for o, _ in self.pages], offset) - 1
        return self.pages[max(i, 0)][1]

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "converter": self.converter, "metadata": dict(self.metadata),
                "pages": [list(p) for p in self.pages], "verbatim": self.verbatim, "chars": len(self.text)}


def version(dist: str) -> str:
    try:
        return f"{dist} {importlib_metadata.version(dist)}"
    except importlib_metadata.PackageNotFoundError:
        return dist


def sniff(data: bytes, name: str) -> str:
    """The format of a file: by its first bytes when they say, else by its name's suffix."""
    head = data[:1024]
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and not head.lstrip().startswith(b"<")):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in (".docx", ".pdf", ".doc"):
        return suffix[1:]
    if suffix not in TEXT_SUFFIXES and _looks_html(head):
        return "html"
    return "text"


_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)


def _looks_html(head: bytes) -> bool:
    return _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")) is not None


def convert_bytes(data: bytes, name: str) -> Converted:
    """Convert one file's bytes (``name`` is for messages and the suffix); InputError when it cannot be read."""
    fmt = sniff(data, name)
    if fmt == "pdf":
        from .convert_pdf import convert_pdf

        return convert_pdf(data, name)
    if fmt == "docx":
        from .convert_docx import convert_docx

        return convert_docx(data, name)
    if fmt == "doc":
        from .convert_doc import convert_doc

        return convert_doc(data, name)
    if fmt == "html":
        from .convert_html import convert_html

        return convert_html(data, name)
    from .charsets import decode_bytes

    dec = decode_bytes(data, name)
    return Converted(dec.text, "text", "docgraph.charsets", {"encoding": dec.encoding}, verbatim=dec.verbatim)


def convert_file(path: Path, name: str | None = None) -> Converted:
    name = name or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    return convert_bytes(data, name)


def converted_path(store_dir: str | Path, source_name: str) -> Path:
    """Where ``write_converted`` puts the text of ``source_name``: ``<store>/converted/<safe name>.txt``."""
    safe = re.sub(r"[^\w.\-]+", "_", source_name.replace("\\", "/").lstrip("./")).strip("_")[-120:] or "document"
    tag = hashlib.sha256(source_name.encode("utf-8")).hexdigest()[:8]  # "a/b.pdf" and "a_b.pdf" stay apart
    return Path(store_dir) / "converted" / f"{safe}.{tag}.txt"


def write_converted(store_dir: str | Path, source_name: str, converted: Converted) -> Path:
    """Write the converted text (UTF-8, exactly what spans index: read it back as bytes or with ``newline=""``)
    and a ``.json`` with its provenance beside it; returns the text's path."""
    path = converted_path(store_dir, source_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, converted.text.encode("utf-8"))  # bytes: no newline translation, offsets stay true
    info = {"source": source_name, **converted.as_dict()}
    atomic_write_bytes(path.with_suffix(".json"), (json.dumps(info, ensure_ascii=False, indent=1) + "\n").encode())
    return path
