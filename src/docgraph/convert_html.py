"""A web page -> its main text (trafilatura): navigation, menus, related links, share buttons and footers dropped,
entities decoded; the page title and publication date kept as metadata, never as the document's issue date."""

from __future__ import annotations

import codecs
import re
import unicodedata

from .charsets import decode_bytes, repair
from .convert import Converted, version
from .errors import InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): a BOM first, then the page's own ``<meta charset>``, then detection."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            try:
                enc = codecs.lookup(declared).name
                text = data.decode(enc)
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown declaration: detect instead
            else:
                if enc != "utf-8":
                    text = unicodedata.normalize("NFC", text)  # windows-1258 pages carry combining tone marks
                return text, enc
    dec = decode_bytes(data, name)
    return dec.text, dec.encoding


def convert_html(data: bytes, name: str) -> Converted:
    import trafilatura

    page, encoding = decode_html(data, name)
    try:
        doc = trafilatura.bare_extraction(
            page, with_metadata=True, include_tables=True, include_comments=False, include_links=False,
            include_images=False, favor_precision=True, deduplicate=False,
        )
    except Exception as e:  # trafilatura raises lxml's and its own errors on broken pages
        raise InputError(name, f"cannot read the HTML page ({type(e).__name__}: {e})") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise InputError(name, "no main text found in the HTML page (is it an index or a script-only page?)")
    text = _table_cells(text)
    text, was = repair(text)  # pages of .VnTime fonts served as Windows-1252: TCVN3 mojibake
    meta = {"encoding": encoding + (f"+{was}" if was else "")}
    for key, attr in (("title", "title"), ("published", "date"), ("url", "url"), ("site", "sitename"),
                      ("author", "author")):
        value = getattr(doc, attr, None)
        if value:
            meta[key] = str(value)
    return Converted(text + "\n", "html", version("trafilatura"), meta)


def _table_cells(text: str) -> str:
    """trafilatura writes a table row as ``| a | b |``: each cell on a line of its own, as for Word tables."""
    out: list[str] = []
    for line in text.split("\n"):
        s = line.strip()
        if len(s) > 1 and s.startswith("|") and s.endswith("|"):
            out.extend(cell.strip() for cell in s[1:-1].split("|") if cell.strip())
        else:
            out.append(line)
    return "\n".join(out)
