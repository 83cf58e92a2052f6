"""The intermediate objects of the pipeline. Every extracted thing carries spans into the source text.

Spans (``start``, ``end``) are code-point offsets into the text *as read* (before normalization), so a
user can find the exact characters in the original file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Warning_:
    """An extractor warning: what is wrong, where."""

    source: str
    offset: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.offset}: {self.reason}"


@dataclass(slots=True)
class CitedRelation:
    """A relation stated inside a citation: ``A … về tiếp tục thực hiện B`` gives A continues B."""

    relation: str
    target: str  # key of the cited document (its symbol, or "type number")
    mention: Mention
    sentence: Mention


@dataclass(slots=True)
class Citation:
    """One cited document, however often the text mentions it."""

    type: str | None  # Vietnamese type name, "Chỉ thị"
    number: str | None
    symbol: str | None  # normalized, "102-KL/TW", "16/CT-TTg"
    date: str | None  # ISO
    issuer: str | None  # as the text names it
    issuer_id: str | None = None  # bodies.json id when known
    term: str | None = None  # khóa, roman numeral
    relation: str = "mentions"  # the citing document's relation to it
    title: str | None = None
    system: str | None = None  # "party" | "state"
    mentions: list[Mention] = field(default_factory=list)
    sentences: list[Mention] = field(default_factory=list)  # sentence of each mention
    relations: list[CitedRelation] = field(default_factory=list)  # relations this document states
    nested: bool = False  # only ever named inside another citation
    year: str | None = None  # year from a State symbol (30/2020/NĐ-CP)
    relation_mention: int = 0  # index of the mention whose wording gave ``relation``
    merge_key: str | None = None  # "07-CT/TW|2008" when one text names two documents with one symbol

    @property
    def key(self) -> str:
        return self.merge_key or self.symbol or f"{self.type} {self.number}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "number": self.number,
            "symbol": self.symbol,
            "date": self.date,
            "issuer": self.issuer,
            "issuer_id": self.issuer_id,
            "term": self.term,
            "relation": self.relation,
            "title": self.title,
            "relations": [{"relation": r.relation, "target": r.target} for r in self.relations],
            "mentions": [m.as_dict() for m in self.mentions],
        }


@dataclass(slots=True)
class Deadline:
    text: str
    date: str | None  # ISO, None when recurring or unparsed
    recurrence: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Assignment:
    lead: str
    coordinators: list[str]
    task: str
    start: int
    end: int
    kind: str = "assignment"  # or "request"
    deadline: Deadline | None = None
    report_to: str | None = None
    report_frequency: str | None = None
    sentence: Mention | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "lead": self.lead,
            "coordinators": list(self.coordinators),
            "task": self.task,
            "kind": self.kind,
            "deadline": self.deadline.date if self.deadline else None,
            "deadline_text": self.deadline.text if self.deadline else None,
            "recurrence": self.deadline.recurrence if self.deadline else None,
            "report_to": self.report_to,
            "report_frequency": self.report_frequency,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class DocumentMeta:
    """What is known of the document itself (header, signer block, sidecar)."""

    type: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: str | None = None
    issuer: str | None = None
    province: str | None = None
    title: str | None = None
    signer: str | None = None
    signer_role: str | None = None
    place: str | None = None
    kind: str = "document"  # or "article"
    published: str | None = None
    received: str | None = None
    term: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "number": self.number,
            "symbol": self.symbol,
            "date": self.date,
            "issuer": self.issuer,
            "province": self.province,
            "title": self.title,
            "signer": self.signer,
        }


@dataclass(slots=True)
class ParsedDocument:
    source: str  # path as given
    text: str  # the text as read (spans point here)
    normalized: str  # NFC, cleaned
    content_hash: str
    document: DocumentMeta
    citations: list[Citation]
    assignments: list[Assignment]
    warnings: list[Warning_] = field(default_factory=list)
    converted: Any = None  # convert.Converted when the text was converted (HTML, Word, PDF, legacy encodings)
    # a slim copy (see slim()) keeps only the spans resolve() quotes: (start, end) -> (exact, prefix, suffix)
    windows: dict[tuple[int, int], tuple[str, str, str]] | None = None

    def window(self, start: int, end: int, context: int = 32) -> tuple[str, str, str]:
        """(exact, prefix, suffix) of a span of the text as read, ``context`` characters either side."""
        if self.windows is not None:
            return self.windows[(start, end)]
        t = self.text
        return t[start:end], t[max(0, start - context) : start], t[end : end + context]

    def spans(self) -> set[tuple[int, int]]:
        """Every span a graph quotes: citation mentions, relations stated inside them, assignments."""
        out = {(m.start, m.end) for c in self.citations for m in c.mentions}
        out |= {(r.mention.start, r.mention.end) for c in self.citations for r in c.relations}
        out |= {(a.start, a.end) for a in self.assignments}
        return out

    def slim(self) -> ParsedDocument:
        """A copy without the full texts, for holding 10^5 documents in memory: the quoted spans stay."""
        windows = {s: self.window(*s) for s in self.spans()}
        return dataclasses.replace(self, text="", normalized="", windows=windows)

    def as_dict(self) -> dict[str, Any]:
        doc = self.document.as_dict()
        return {
            "source": self.source,
            "document": doc,
            "citations": [c.as_dict() for c in self.citations],
            "assignments": [a.as_dict() for a in self.assignments],
            "warnings": [str(w) for w in self.warnings],
        }
