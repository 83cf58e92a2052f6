"""Stage 2: one text (and its sidecar) -> a :class:`~docgraph.model.ParsedDocument`.

``parse_text`` is the library entry point; ``parse_file`` reads a file and its sidecar.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .assignments import extract_assignments
from .citations import extract_citations
from .header import province_from_text, read_header
from .model import DocumentMeta, ParsedDocument, Warning_
from .normalize import content_hash, normalize
from .reading import read_document
from .sidecar import load_sidecar, sidecar_for

_META_FIELDS = ("type", "symbol", "number", "date", "issuer", "province", "title", "signer", "signer_role",
                "place", "kind", "published", "received", "term")


def parse_text(raw: str, source: str = "-", sidecar: dict[str, Any] | None = None) -> ParsedDocument:
    """Parse one document's text. ``sidecar`` values win over what the text says (with a warning)."""
    norm = normalize(raw)
    meta, head_warn = read_header(norm)
    warnings = [Warning_(source, norm.to_original(o), why) for o, why in head_warn]
    if meta.province is None:
        meta.province = province_from_text(norm)
    _apply_sidecar(meta, sidecar or {}, source, warnings)
    citations, cit_warn = extract_citations(norm, source)
    warnings.extend(cit_warn)
    if meta.symbol:
        citations = [c for c in citations if c.symbol != meta.symbol]  # the document naming itself
    assignments = extract_assignments(norm)
    return ParsedDocument(
        source=source, text=raw, normalized=norm.text, content_hash=content_hash(norm.text), document=meta,
        citations=citations, assignments=assignments, warnings=warnings,
    )


def _apply_sidecar(meta: DocumentMeta, side: dict[str, Any], source: str, warnings: list[Warning_]) -> None:
    for key in _META_FIELDS:
        value = side.get(key)
        if value is None:
            continue
        current = getattr(meta, key)
        if current not in (None, "", "document") and str(current).strip().lower() != str(value).strip().lower():
            warnings.append(Warning_(source, 0, f"sidecar {key}={value!r} differs from the text's {current!r}; "
                                                f"using the sidecar"))
        setattr(meta, key, value)


def parse_file(path: str | Path, name: str | None = None) -> ParsedDocument:
    """Read (converting HTML, Word and PDF to text), decode and parse one file with its sidecar.
    A page's title and publication date are metadata (never the issue date); the sidecar wins.
    Raises InputError on bad input."""
    p = Path(path)
    name = name or str(path)
    conv = read_document(p, name)
    side_path = sidecar_for(p)
    side = load_sidecar(side_path) if side_path else {}
    from_page = {k: conv.metadata[k] for k in ("published",) if conv.metadata.get(k)}
    doc = parse_text(conv.text, name, {**from_page, **side})
    if doc.document.title is None and conv.metadata.get("title") and conv.format == "html":
        doc.document.title = str(conv.metadata["title"])
    if not conv.verbatim:
        doc.converted = conv
    return doc
