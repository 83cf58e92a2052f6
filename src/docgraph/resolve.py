"""Stage 3: parsed documents -> one node per real document and per body, with IRIs.

Identity rules:

- a document is keyed by its symbol and scope (central and State codes are national; ``TU``, ``HU``,
  ``ĐU`` … are scoped to a province, or to the citing document while the province is unknown);
- within a key, different years (or Party terms) are different documents (18-NQ/TW of 2017 and 2022);
  an undated mention joins the one dated document of its key, if there is exactly one;
- the same document given different days in one year by two sources keeps the first and warns;
- a document of the corpus with no symbol in its text is named after its file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import sys
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from rdflib import URIRef

from .bodies import identify, province_in
from .cache import PackedDocuments, compress, decompress
from .domain import domain
from .iris import iri, short_hash, slug
from .model import Assignment, Citation, CitedRelation, DocumentMeta, Mention, ParsedDocument, Warning_

_NATIONAL = "vn"


@dataclass(slots=True)
class Evidence:
    source: URIRef  # the document whose text it is
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    sentence: str
    iri: URIRef = field(init=False)

    def __post_init__(self) -> None:  # source, start and end never change once made
        self.iri = iri("ev", short_hash(self.source, self.start, self.end))


@dataclass(slots=True)
class OrgNode:
    iri: URIRef
    label: str
    level: str | None
    kind: str = "organization"  # or "collective"
    body_id: str | None = None
    province: str | None = None
    parent: URIRef | None = None
    names: set[str] = field(default_factory=set)
    scoped_to: URIRef | None = None  # province unknown: the document it is scoped to


@dataclass(slots=True)
class DocNode:
    iri: URIRef
    type_id: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: str | None = None
    issuer_name: str | None = None
    issuer: URIRef | None = None
    term: str | None = None
    level: str | None = None
    province: str | None = None
    title: str | None = None
    signer: str | None = None
    signer_role: str | None = None
    place: str | None = None
    in_corpus: bool = False
    source_file: str | None = None
    content_hash: str | None = None
    source_kind: str | None = None
    published: str | None = None
    received: str | None = None
    system: str | None = None
    mention_count: int = 0
    conflicts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RelationStmt:
    subject: URIRef
    relation: str
    object: URIRef
    asserted_by: URIRef
    evidence: Evidence

    @property
    def iri(self) -> URIRef:
        return iri("stmt", short_hash(self.subject, self.relation, self.object, self.asserted_by))


@dataclass(slots=True)
class TaskNode:
    iri: URIRef
    assigned_by: URIRef
    lead: URIRef
    coordinators: list[URIRef]
    task: str
    kind: str
    deadline: str | None
    deadline_text: str | None
    recurrence: str | None
    report_to: URIRef | None
    evidence: Evidence


@dataclass
class Corpus:
    documents: dict[URIRef, DocNode] = field(default_factory=dict)
    orgs: dict[URIRef, OrgNode] = field(default_factory=dict)
    relations: list[RelationStmt] = field(default_factory=list)
    tasks: list[TaskNode] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    traces: dict[str, DocTrace] | None = None  # per source file, with resolve(trace=True)


@dataclass(slots=True)
class DocTrace:
    """What resolving one corpus document did, for rebuilding it alone later (see :class:`DocRecord`)."""

    sig: bytes
    node: DocNode
    stmts: list[tuple[RelationStmt, tuple[str, int, int]]]  # before de-duplication, with their spans' places
    tasks: list[TaskNode]
    task_doc: URIRef  # the document's IRI when its tasks were read (bodies scoped to it are named after it)
    task_province: str | None
    task_orgs: set[tuple[str, str]]  # (body IRI, name as written) of every body its tasks name
    warn_start: int  # where its extractor warnings sit in the corpus's warnings
    conflicts: int  # warnings its citations gave just before them: they disagreed with another text
    pre_iri: URIRef  # its node's IRI while it was read (a later mention may date it: see _settle_iris)
    own_key: str | None  # the identity key of its own symbol
    cite_keys: list[str]  # each citation's identity key (Resolver.identity)
    citing_date: str | None  # its node's date and province when its citations were read
    citing_province: str | None
    self_filled: bool  # its own citations changed them (it cites itself)
    learn_keys: list[str]  # keys it dates (learn_years) that are not its citations' own keys
    passed: CitePass  # the dates its nested citations were read against
    lean: bytes = b""  # pack_lean of the document: what a replay reads of it


def term_for(date: str | None) -> str | None:
    """The Central Committee term (khóa) a date falls in."""
    if not date:
        return None
    found = None
    for t in domain().party_terms:
        if t.congress_start <= date:
            found = t.roman
    return found


def doc_tag(doc_iri: str) -> str:
    """A short unique tag for a document, for IRIs scoped to it: ``doc/file/002-d5e…`` -> ``002-d5e…``,
    ``doc/tu-ha-tinh/12-ct/2015`` -> ``tu-ha-tinh-12-ct-2015``."""
    path = doc_iri.split("/doc/", 1)[-1]
    return path[len("file/"):] if path.startswith("file/") else path.replace("/", "-")


def _file_stem(source: str) -> str:
    name = PurePath(source).name
    return name.rsplit(".", 1)[0] if "." in name else name


def _evidence(doc: ParsedDocument, source: URIRef, m: Mention, sentence: Mention | None) -> Evidence:
    exact, prefix, suffix = doc.window(m.start, m.end)
    return Evidence(
        source=source, start=m.start, end=m.end, exact=exact, prefix=prefix, suffix=suffix,
        sentence=" ".join((sentence.text if sentence else exact).split()),
    )


def _type_notation(type_id: str | None, symbol: str | None) -> str:
    if symbol:
        head = symbol.split("/")[0]
        if "-" in head:  # Party: 102-KL/TW
            return slug(head.split("-", 1)[1])
        parts = symbol.split("/")  # State: 16/CT-TTg, 30/2020/NĐ-CP
        return slug(parts[-1].split("-")[0])
    if type_id:
        t = domain().doctype_by_id(type_id)
        return slug(t.notations[0]) if t.notations else type_id
    return "x"


@lru_cache(maxsize=1 << 12)
def _doctype(name: str) -> Any:
    """domain().doctype, once per name as written (its folding of diacritics took 23 µs a call)."""
    return domain().doctype(name)


@lru_cache(maxsize=1 << 16)
def _issuer_code(symbol: str) -> str:
    if "-" in symbol.split("/")[0]:
        return symbol.split("/", 1)[1]
    last = symbol.split("/")[-1]
    return last.split("-", 1)[1] if "-" in last else last


@lru_cache(maxsize=1 << 12)
def _scoped_code(code: str) -> bool:
    """Codes whose numbering is per province or per body (TU, HU, ĐU, UBND …), not national."""
    ic = domain().issuer_code(code.split("-")[0].split("/")[0])
    if ic is None:
        return True
    return ic.level not in ("central",)


@dataclass(frozen=True, slots=True)
class OrgPlace:
    """Where a body named in a document goes: its node, and what the node is made of when new."""

    iri: URIRef
    written: str  # the name as written, added to the node's names
    label: str  # the label of a new node (for bodies outside bodies.json: the first name written)
    province: str | None
    body: Any = None  # bodies.Body when known
    collective: bool = False


def org_place(name: str | None, province: str | None, doc_iri: URIRef, body_id: str | None = None) -> OrgPlace | None:
    """The node a body named in a document of ``province`` goes to; None when nothing is named. No state:
    :meth:`Resolver.org` makes or extends the node."""
    if not name and not body_id:
        return None
    body = domain().body(body_id) if body_id else identify(name or "")
    written = " ".join((name or (body.name if body else "")).split())
    if body is None:
        if _is_collective(written):
            return OrgPlace(iri("group", slug(written)), written, written, None, collective=True)
        prov = province_in(written) or province
        scope = slug(prov) if prov else f"@{doc_tag(doc_iri)}"
        return OrgPlace(iri("org", scope, slug(written)), written, written, prov)
    prov = province_in(written) or province
    if body.level == "central":
        return OrgPlace(iri("org", _NATIONAL, body.id), written, body.name, None, body)
    if prov:
        label = f"{body.name} {prov}" if body.id != "bao-tinh" else f"Báo {prov}"
        return OrgPlace(iri("org", slug(prov), body.id), written, label, prov, body)
    return OrgPlace(iri("org", f"@{doc_tag(doc_iri)}", body.id), written, body.name, None, body)


def _doc_scoped(at: OrgPlace) -> bool:
    """Whether org_place put the body under the naming document ("@…": no province known)."""
    return at.province is None and not at.collective and not (at.body is not None and at.body.level == "central")


class Resolver:
    def __init__(self) -> None:
        self.c = Corpus()
        self._by_key: dict[str, list[URIRef]] = defaultdict(list)
        self._years: dict[str, set[str]] = defaultdict(set)
        # org_place by (name, province, body id): a corpus names the same bodies again and again (a place
        # scoped to the document that named it, with no province known, is worked out for each document)
        self._places: dict[tuple[str | None, str | None, str | None], OrgPlace] = {}

    # -- bodies -----------------------------------------------------------------------------
    def org(self, name: str | None, province: str | None, doc_iri: URIRef, body_id: str | None = None,
            named: set[tuple[str, str]] | None = None) -> URIRef | None:
        """The node for a body named in a document of ``province`` (None if unknown); ``named`` collects
        (node IRI, name as written)."""
        key = (name, province, body_id)
        at = self._places.get(key)
        if at is None:
            at = org_place(name, province, doc_iri, body_id)
            if at is None:
                return None
            if not _doc_scoped(at):
                self._places[key] = at
        if named is not None:
            named.add((sys.intern(str(at.iri)), sys.intern(at.written)))  # shared by many documents' traces
        node = self.c.orgs.get(at.iri)
        if at.body is None:
            if node is None:
                node = (OrgNode(at.iri, at.label, None, kind="collective") if at.collective else
                        OrgNode(at.iri, at.label, None, province=at.province,
                                scoped_to=None if at.province else doc_iri))
                self.c.orgs[at.iri] = node
            node.names.add(at.written)
            return at.iri
        if node is None:
            body = at.body
            parent = self.org(None, at.province, doc_iri, body.parent) if body.parent else None
            node = OrgNode(at.iri, at.label, body.level, body_id=body.id, province=at.province, parent=parent,
                           scoped_to=None if (at.province or body.level == "central") else doc_iri)
            self.c.orgs[at.iri] = node
        if at.written:
            node.names.add(at.written)
        return at.iri

    # -- documents --------------------------------------------------------------------------
    def corpus_doc(self, doc: ParsedDocument) -> DocNode | None:
        """The node of a document of the corpus; None for another copy of one already read (the same
        symbol, year, issuer and title: an HTML and a PDF of one text), which is counted once."""
        m = doc.document
        type_t = _doctype(m.type) if m.type else None
        if m.symbol:
            node_iri = self._doc_iri(m.symbol, type_t.id if type_t else None, m.date, m.term, m.province,
                                     None)
        else:
            node_iri = iri("doc", "file", slug(_file_stem(doc.source)))
        first = self.c.documents.get(node_iri)
        if first is not None and first.in_corpus:
            if _folded(first.issuer_name) == _folded(m.issuer) and _folded(first.title) == _folded(m.title):
                self.c.warnings.append(Warning_(doc.source, 0, f"another copy of {first.source_file} (same symbol, "
                                                               f"date, issuer and title); counted once"))
                return None
            # two issuers that number alike (the district committees of one province): two documents
            node_iri = URIRef(f"{node_iri}/{slug(_file_stem(doc.source))}")
            self.c.warnings.append(Warning_(doc.source, 0, f"same symbol and year as {first.source_file} but "
                                                           f"another issuer or title; kept apart as {node_iri}"))
        node = self.c.documents.get(node_iri) or DocNode(node_iri)
        node.in_corpus = True
        node.source_file = doc.source
        node.content_hash = doc.content_hash
        node.type_id = node.type_id or (type_t.id if type_t else None)
        node.number, node.symbol = m.number or node.number, m.symbol or node.symbol
        node.date, node.title = m.date or node.date, m.title or node.title
        node.signer, node.signer_role, node.place = m.signer, m.signer_role, m.place
        node.province = m.province
        node.source_kind, node.published, node.received = m.kind, m.published, m.received
        node.issuer_name = m.issuer
        node.issuer = self.org(m.issuer, m.province, node_iri) if m.issuer else None
        node.term = m.term or (term_for(m.date) if node.issuer and self._central(node.issuer) else None)
        node.level = self.c.orgs[node.issuer].level if node.issuer else None
        self.c.documents[node_iri] = node
        if m.symbol:
            self._by_key[self._key(m.symbol, m.province, node_iri)].append(node_iri)
        return node

    def _central(self, org_iri: URIRef) -> bool:
        return self.c.orgs[org_iri].level == "central"

    def _key(self, symbol: str, province: str | None, citing: URIRef) -> str:
        code = _issuer_code(symbol)
        if _scoped_code(code):
            scope = slug(province) if province else f"@{doc_tag(citing)}"
            return f"{symbol.upper()}|{scope}"
        return f"{symbol.upper()}|{_NATIONAL}"

    def _doc_iri(self, symbol: str, type_id: str | None, date: str | None, term: str | None,
                 province: str | None, citing: URIRef | None) -> URIRef:
        code = _issuer_code(symbol)
        scope = slug(code)
        if _scoped_code(code):
            scope += "-" + (slug(province) if province else f"@{doc_tag(citing)}" if citing else "x")
        number = symbol.split("/")[0].split("-")[0]
        when = date[:4] if date else (f"khoa-{term.lower()}" if term else "undated")
        return iri("doc", scope, f"{number}-{_type_notation(type_id, symbol)}", when)

    def _citation_key(self, c: Citation, citing_province: str | None, citing: URIRef) -> tuple[str, str | None]:
        """(identity key, province) of a cited symbol: scoped codes take the citing document's province."""
        province = None
        if _scoped_code(_issuer_code(c.symbol or "")):
            province = province_in(c.issuer or "") or citing_province
        return self._key(c.symbol or "", province, citing), province

    def identity(self, c: Citation, citing: DocNode) -> tuple[str, str | None]:
        """(identity key, province) of a citation: the key groups every mention that can reach the same
        nodes (a citation without a symbol reaches only a node scoped to the citing document)."""
        if c.symbol:
            return self._citation_key(c, citing.province, citing.iri)
        return str(_unsymbolled_iri(c, citing.iri)), None

    def learn_years(self, doc: ParsedDocument, citing: URIRef) -> None:
        """Pre-pass: the dates (or years) on which the corpus dates each cited symbol."""
        for key, when in self.learned_keys(doc, citing):
            self._years[key].add(when)

    def learned_keys(self, doc: ParsedDocument, citing: URIRef) -> Iterator[tuple[str, str]]:
        """(key, date or year) of each citation that dates a symbol. The key is the citation's identity
        key but for the province: the document's own, not one a later mention gave its node."""
        for c in doc.citations:
            when = c.date or c.year
            if c.symbol and when:
                yield self._citation_key(c, doc.document.province, citing)[0], when

    def _guess_year(self, key: str, term: str | None, ref_date: str | None) -> str | None:
        """The year of an undated mention: among the dated documents of its key, those of its term and not
        after the reference date (numbers restart each term; a text cites what came before it); the latest."""
        dates = set(self._years.get(key, ()))
        if term:
            dates = {d for d in dates if term_for(d if len(d) > 4 else f"{d}-07-01") == term} or dates
        if ref_date:
            dates = {d for d in dates if d[: len(ref_date)] <= ref_date[: len(d)]}
        years = {d[:4] for d in dates}
        if len(years) > 1 and ref_date:
            years = {max(years)}
        return years.pop() if len(years) == 1 else None

    def cited_doc(self, c: Citation, citing: DocNode, ref_date: str | None = None,
                  ident: tuple[str, str | None] | None = None) -> URIRef:
        """The node of a cited document. An undated mention is dated by ``ref_date``: the citing document's
        date, or for a citation named inside another ("A về tiếp tục thực hiện B"), A's date. ``ident``:
        its :meth:`identity`, when already known."""
        t = _doctype(c.type) if c.type else None
        province = None
        if c.symbol:
            key, province = ident or self._citation_key(c, citing.province, citing.iri)
            year = c.date[:4] if c.date else (c.year or self._guess_year(key, c.term, ref_date or citing.date))
            cands = [self.c.documents[i] for i in self._by_key.get(key, [])]
            ref = None if c.date else (ref_date or citing.date)
            # an undated mention is never a document of the corpus dated after the text naming it
            match = next((d for d in cands if d.in_corpus and (not year or not d.date or d.date[:4] == year)
                          and not (ref and d.date and d.date > ref)), None)
            if match is None and year and not c.date and any(
                    d.in_corpus and d.date and d.date[:4] == year for d in cands):
                year = None  # that year's document came later: an earlier one of the same number, year unknown
            if match is not None:
                node = match
            else:
                node_iri = self._doc_iri(c.symbol, t.id if t else None, c.date or (f"{year}-01-01" if year else None),
                                         c.term, province, citing.iri)
                node = self.c.documents.get(node_iri) or DocNode(node_iri)
                self.c.documents[node_iri] = node
                if node_iri not in self._by_key[key]:
                    self._by_key[key].append(node_iri)
        else:
            node_iri = URIRef(ident[0]) if ident else _unsymbolled_iri(c, citing.iri)
            node = self.c.documents.get(node_iri) or DocNode(node_iri)
            self.c.documents[node_iri] = node
        self._fill(node, c, t.id if t else None, province, citing)
        return node.iri

    def _fill(self, node: DocNode, c: Citation, type_id: str | None, province: str | None, citing: DocNode) -> None:
        node.mention_count += len(c.mentions)
        node.type_id = node.type_id or type_id
        node.number = node.number or c.number
        node.symbol = node.symbol or c.symbol
        node.system = node.system or c.system
        if c.date and node.date and c.date != node.date:
            why = f"{c.symbol or c.key} dated {c.date} here but {node.date} elsewhere; keeping {node.date}"
            self.c.warnings.append(Warning_(citing.source_file or "-", c.mentions[0].start, why))
            node.conflicts.append(f"date: kept {node.date}; {citing.source_file or citing.iri} "
                                  f"(offset {c.mentions[0].start}) says {c.date}")
        if c.issuer_id and node.issuer is not None and self.c.orgs[node.issuer].body_id not in (None, c.issuer_id):
            kept = self.c.orgs[node.issuer].label
            node.conflicts.append(f"issuer: kept {kept}; {citing.source_file or citing.iri} "
                                  f"(offset {c.mentions[0].start}) says {c.issuer}")
            self.c.warnings.append(Warning_(citing.source_file or "-", c.mentions[0].start,
                                            f"{c.symbol or c.key} issued by {c.issuer} here but {kept} elsewhere"))
        node.date = node.date or c.date
        node.title = node.title or c.title
        node.province = node.province or province
        if c.issuer and not node.issuer_name:
            node.issuer_name = c.issuer
            node.issuer = self.org(c.issuer, province, citing.iri, c.issuer_id)
        if node.issuer is None and node.symbol:
            ic = domain().issuer_code(_issuer_code(node.symbol).split("-")[0])
            if ic and ic.body and (ic.level == "central" or province):
                node.issuer = self.org(None, province, citing.iri, ic.body)
        node.term = node.term or c.term
        if node.term is None and node.symbol and node.symbol.endswith("/TW"):
            node.term = term_for(node.date)
        if node.issuer:
            node.level = self.c.orgs[node.issuer].level
        elif node.symbol:
            ic = domain().issuer_code(_issuer_code(node.symbol).split("-")[0])
            node.level = ic.level if ic else None


def _unsymbolled_iri(c: Citation, citing: URIRef) -> URIRef:
    """The node of a document cited without a symbol: scoped to the citing document."""
    t = _doctype(c.type) if c.type else None
    return iri("doc", f"@{doc_tag(citing)}", f"{c.number}-{_type_notation(t.id if t else None, None)}", "undated")


@dataclass(slots=True)
class CitePass:
    """What reading one document's citations did: its statements (with the place of their span: a
    citation's mention ``("m", citation, mention)`` or a nested relation ``("r", citation, relation)``), and
    the dates its nested citations were read against (the outer document's, as it stood then)."""

    stmts: list[tuple[RelationStmt, tuple[str, int, int]]]
    keys: list[str]  # each citation's identity key
    refs: dict[int, str | None]  # nested citation -> the date it was read against
    outer_dates: dict[tuple[int, int], str | None]  # (citation, relation) -> its outer document's date then


@dataclass(slots=True)
class Given:
    """A replay of a few identity keys (docgraph.replay): the citations of other keys are left out, and
    what they gave the redone ones is taken as it was (their dates, and nested statements' subjects and
    objects). A left-out citation read against a redone one still has the date it is read against noted (in
    ``refs`` and ``outer_dates``): the replay checks it is the one it was."""

    only: Collection[str]
    keys: list[str]
    refs: dict[int, str | None]
    outer_dates: dict[tuple[int, int], str | None]
    subjects: dict[tuple[int, int], URIRef]
    evidence: bool = True  # False: statements without evidence (a replay that only compares their targets)
    objects: dict[tuple[int, int], URIRef] = field(default_factory=dict)


def resolve_citations(r: Resolver, doc: ParsedDocument, node: DocNode, given: Given | None = None) -> CitePass:
    """Read a document's citations into nodes and statements (pass two of :func:`resolve`, one document)."""
    cites = doc.citations
    idents = [r.identity(c, node) for c in cites] if given is None else None
    # (interned: 10^5 documents' traces keep them, and most cite the same few thousand keys)
    out = CitePass([], [sys.intern(k) for k, _ in idents] if idents is not None else given.keys,  # type: ignore[union-attr]
                   {}, {})
    keys: dict[str, URIRef] = {}
    outer_of = {rel.target: c for c in cites for rel in c.relations}
    for ci in sorted(range(len(cites)), key=lambda i: cites[i].nested):  # top-level first: they date the nested
        c = cites[ci]
        if given is not None and given.keys[ci] not in given.only:
            outer = outer_of.get(c.key) if c.nested else None
            if outer is not None and outer.key in keys:  # left out, but read against a redone one
                out.refs[ci] = r.c.documents[keys[outer.key]].date
            continue
        ref = None
        if c.nested:
            outer = outer_of.get(c.key)
            if outer is not None and outer.key in keys:
                ref = r.c.documents[keys[outer.key]].date
            elif given is not None:
                ref = given.refs.get(ci)
            out.refs[ci] = ref
        target = r.cited_doc(c, node, ref, idents[ci] if idents is not None else None)
        keys[c.key] = target
        if not c.nested:
            i = min(c.relation_mention, len(c.mentions) - 1)
            ev = _evidence(doc, node.iri, c.mentions[i], c.sentences[i] if c.sentences else None) \
                if given is None or given.evidence else None
            out.stmts.append((RelationStmt(node.iri, c.relation, target, node.iri, ev), ("m", ci, i)))  # type: ignore[arg-type]
    by_key = {c.key: c for c in cites}
    for ci, c in enumerate(cites):
        for ri, rel in enumerate(c.relations):
            if rel.target not in keys:  # (a replay: a citation it leaves out)
                if c.key in keys and given is not None and (ci, ri) in given.objects:  # a redone one names it
                    subject = keys[c.key]
                    out.outer_dates[(ci, ri)] = r.c.documents[subject].date
                    ev = _evidence(doc, node.iri, rel.mention, rel.sentence) if given.evidence else None
                    out.stmts.append((RelationStmt(subject, rel.relation, given.objects[(ci, ri)], node.iri, ev),  # type: ignore[arg-type]
                                      ("r", ci, ri)))
                continue
            target = keys[rel.target]
            named = by_key[rel.target]
            if c.key in keys:
                subject = keys[c.key]
                outer_date = r.c.documents[subject].date
            else:
                assert given is not None
                subject, outer_date = given.subjects[(ci, ri)], given.outer_dates[(ci, ri)]
            out.outer_dates[(ci, ri)] = outer_date
            # B in "A về … B" is dated by A when undated, or when the text's B is later than A
            # (one text naming 07-CT/TW of 2024 and, inside 76-TB/TW of 2013, 07-CT/TW of 2008)
            if (not named.date and not named.year) or (outer_date and (named.date or "") > outer_date):
                single = dataclasses.replace(named, mentions=[rel.mention], sentences=[rel.sentence],
                                             relations=[], date=None, year=None)
                target = r.cited_doc(single, node, outer_date)
            ev = _evidence(doc, node.iri, rel.mention, rel.sentence) if given is None or given.evidence else None
            out.stmts.append((RelationStmt(subject, rel.relation, target, node.iri, ev), ("r", ci, ri)))  # type: ignore[arg-type]
    return out


def _folded(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _is_collective(name: str) -> bool:
    low = name.lower()
    return (low.startswith(("các ", "cấp ủy", "cấp uỷ", "những ", "mọi ")) or "," in name or " và " in low
            or low.endswith(" các cấp"))


def resolve(docs: Collection[ParsedDocument], trace: bool = False) -> Corpus:
    """Merge parsed documents into one corpus of document, body, relation and task nodes.

    ``docs`` is read twice, one document at a time (first the corpus documents and the dates they give
    each symbol, then their citations and tasks), so it may be a :class:`~docgraph.cache.PackedDocuments`
    that unpacks each document only while it is read: 10^5 parsed documents never sit in memory at once.
    With ``trace``, ``Corpus.traces`` tells what each document did (see :mod:`docgraph.local_build`)."""
    r = Resolver()
    seen: dict[str, str] = {}
    copies: list[Warning_] = []
    nodes: list[DocNode | None] = []  # per document: its node, or None when counted once with another
    heads = docs.heads() if isinstance(docs, PackedDocuments) else None
    for doc in map(unpack_head, heads) if heads is not None else docs:
        first = seen.setdefault(doc.content_hash, doc.source)
        if first != doc.source:  # the same text in two files is one document: keep the first
            copies.append(Warning_(doc.source, 0, f"same text as {first}; counted once"))
            nodes.append(None)
            continue
        node = r.corpus_doc(doc)  # corpus first: citations go to them
        nodes.append(node)
        if node is not None:
            r.learn_years(doc, node.iri)
    r.c.warnings[:0] = copies
    for node in nodes:
        if node is not None and node.symbol and node.date:
            r._years[r._key(node.symbol, node.province, node.iri)].add(node.date)
    if trace:
        r.c.traces = {}
    packed = docs if isinstance(docs, PackedDocuments) else None
    for n_doc, (doc, node) in enumerate(zip(docs, nodes, strict=True)):
        if node is None:
            continue
        warned = len(r.c.warnings)
        pre_iri, citing = node.iri, (node.date, node.province)
        passed = resolve_citations(r, doc, node)
        r.c.relations.extend(st for st, _ in passed.stmts)
        conflicts = len(r.c.warnings) - warned
        tasks_from = len(r.c.tasks)
        orgs: set[tuple[str, str]] | None = set() if r.c.traces is not None else None
        task_doc, task_province = node.iri, node.province
        for n, a in enumerate(doc.assignments, start=1):
            r.c.tasks.append(_task(r, doc, node, n, a, orgs))
        if r.c.traces is not None:
            assert orgs is not None
            m = doc.document
            own_key = r._key(m.symbol, m.province, pre_iri) if m.symbol else None
            # (the same keys unless a mention gave the node a province before its citations were read)
            learned = set(k for k, _ in r.learned_keys(doc, pre_iri)) - set(passed.keys) \
                if citing[1] != m.province else ()
            made = packed.traced(n_doc) if packed is not None else None  # by the parse worker (build._info)
            sig, lean = made if made is not None else (resolution_sig(doc), pack_lean(doc))
            r.c.traces[doc.source] = DocTrace(
                sig, node, passed.stmts, r.c.tasks[tasks_from:], task_doc, task_province, orgs,
                len(r.c.warnings), conflicts, pre_iri, own_key, passed.keys, *citing,
                (node.date, node.province) != citing, sorted(learned), passed, lean)
        r.c.warnings.extend(doc.warnings)
    _settle_iris(r.c)
    _dedupe_relations(r.c)
    return r.c


def pack_head(doc: ParsedDocument) -> bytes:
    """All the first pass of :func:`resolve` reads of a document (``Resolver.corpus_doc`` and
    ``learn_years``), pickled as plain tuples (570 bytes against 2.9 KB for the whole document packed):
    its identity and meta, and the citations that date a symbol. Kept beside each parsed document
    (build.parse_inputs), it spares resolve unpacking every document twice; :func:`unpack_head` reads it.
    tests/test_packed.py holds resolve on heads equal to resolve on the documents."""
    meta = tuple(getattr(doc.document, f) for f in _META_FIELDS)
    cites = tuple((c.symbol, c.date, c.issuer, c.year) for c in doc.citations if c.symbol and (c.date or c.year))
    return pickle.dumps((doc.source, doc.content_hash, meta, cites), protocol=pickle.HIGHEST_PROTOCOL)


def unpack_head(head: bytes) -> ParsedDocument:
    """The document as far as :func:`pack_head` kept it."""
    source, content_hash, meta, cites = pickle.loads(head)
    citations = [Citation(None, None, symbol, date, issuer, year=year) for symbol, date, issuer, year in cites]
    return ParsedDocument(source, "", "", content_hash, DocumentMeta(*meta), citations, [])


_META_FIELDS = tuple(f.name for f in dataclasses.fields(DocumentMeta))
_NO_SPAN = Mention(0, 0, "")


def pack_lean(doc: ParsedDocument) -> bytes:
    """All a replay (docgraph.replay) reads of a document it does not quote: its identity and meta, and
    each citation's facts with where its mentions sit, as plain tuples (compressed, ~760 bytes against
    2.7 KB for the whole document packed, at 10^5 generated documents). :func:`unpack_lean` gives it back
    with its text, tasks, sentences and mentions' wording left out. tests/test_packed.py holds resolving the
    leans equal to resolving the documents."""
    meta = tuple(getattr(doc.document, f) for f in _META_FIELDS)
    cites = tuple((c.type, c.number, c.symbol, c.date, c.issuer, c.issuer_id, c.term, c.relation, c.title, c.system,
                   tuple((m.start, m.end) for m in c.mentions),
                   tuple((x.relation, x.target, x.mention.start, x.mention.end) for x in c.relations),
                   c.nested, c.year, c.relation_mention, c.merge_key) for c in doc.citations)
    raw = pickle.dumps((doc.source, doc.content_hash, meta, cites), protocol=pickle.HIGHEST_PROTOCOL)
    return compress(raw)


def unpack_lean(lean: bytes) -> ParsedDocument:
    source, content_hash, meta, cites = pickle.loads(decompress(lean))
    citations = [
        Citation(kind, number, symbol, date, issuer, issuer_id, term, relation, title, system,
                 [Mention(a, b, "") for a, b in mentions], [],
                 [CitedRelation(rel, target, Mention(a, b, ""), _NO_SPAN) for rel, target, a, b in relations],
                 nested, year, relation_mention, merge_key)
        for (kind, number, symbol, date, issuer, issuer_id, term, relation, title, system, mentions, relations,
             nested, year, relation_mention, merge_key) in cites]
    return ParsedDocument(source, "", "", content_hash, DocumentMeta(*meta), citations, [])


def citation_facts(c: Citation) -> tuple[Any, ...]:
    """All a citation gives resolution: its facts, but not where its mentions sit."""
    return (c.type, c.number, c.symbol, c.date, c.issuer, c.issuer_id, c.term, c.relation, c.title, c.system,
            len(c.mentions), len(c.sentences), [(x.relation, x.target) for x in c.relations], c.nested, c.year,
            c.relation_mention, c.merge_key)


def resolution_sig(doc: ParsedDocument) -> bytes:
    """A digest of all a document gives the other documents' resolution: its own identity and every
    citation's facts, but not where its mentions sit nor what its sentences and tasks say. Two versions
    of a file with one signature resolve alike; only the document's own statements, evidence and tasks
    differ (see :mod:`docgraph.local_build`)."""
    cites = [citation_facts(c) for c in doc.citations]
    # the fields as astuple gives them (all plain values), without its deep copy of each
    meta = tuple(getattr(doc.document, f) for f in _META_FIELDS)
    facts = (doc.source, meta, cites, [w.reason for w in doc.warnings], doc.converted is not None)
    return hashlib.blake2b(repr(facts).encode("utf-8"), digest_size=16).digest()


def _settle_iris(c: Corpus) -> None:
    """A document first met undated gets its year IRI once a later mention dates it."""
    renames: dict[URIRef, URIRef] = {}
    for node in list(c.documents.values()):
        if node.date and node.iri.rsplit("/", 1)[-1].startswith(("undated", "khoa-")):
            new = URIRef(node.iri.rsplit("/", 1)[0] + "/" + node.date[:4])
            if new not in c.documents:
                renames[node.iri] = new
    if not renames:
        return
    docs: dict[URIRef, DocNode] = {}
    for k, node in c.documents.items():
        node.iri = renames.get(k, k)
        docs[node.iri] = node
    c.documents = docs
    rename_statements(c.relations, renames)
    for t in c.tasks:
        if t.assigned_by in renames:
            t.assigned_by = renames[t.assigned_by]
            t.iri = iri("task", doc_tag(t.assigned_by), t.iri.rsplit("/", 1)[-1])
            t.evidence = dataclasses.replace(t.evidence, source=t.assigned_by)
    for o in c.orgs.values():
        o.scoped_to = renames.get(o.scoped_to, o.scoped_to) if o.scoped_to else None


def rename_statements(stmts: list[RelationStmt], renames: dict[URIRef, URIRef]) -> None:
    """Statements that name a renamed node, in place (see _settle_iris)."""
    for s in stmts:
        s.subject, s.object = renames.get(s.subject, s.subject), renames.get(s.object, s.object)
        if s.asserted_by in renames:  # a corpus document dated by a later mention: its own statements follow
            s.asserted_by = renames[s.asserted_by]
            if s.evidence is not None:  # (a replay's statements may have none)
                s.evidence = dataclasses.replace(s.evidence, source=s.asserted_by)


def _task(r: Resolver, doc: ParsedDocument, node: DocNode, n: int, a: Assignment,
          named: set[tuple[str, str]] | None = None) -> TaskNode:
    lead = r.org(a.lead, node.province, node.iri, named=named)
    assert lead is not None
    coords = [r.org(c, node.province, node.iri, named=named) for c in a.coordinators]
    report_to = r.org(a.report_to, node.province, node.iri, named=named) if a.report_to else None
    return task_node(doc, node.iri, n, a, lead, coords, report_to)


def task_node(doc: ParsedDocument, doc_iri: URIRef, n: int, a: Assignment, lead: URIRef,
              coordinators: list[URIRef | None], report_to: URIRef | None) -> TaskNode:
    """The ``n``-th task of a document, its bodies already placed."""
    m = Mention(a.start, a.end, doc.window(a.start, a.end)[0])
    return TaskNode(
        iri=iri("task", doc_tag(doc_iri), str(n)), assigned_by=doc_iri, lead=lead,
        coordinators=list(dict.fromkeys(o for o in coordinators if o and o != lead)), task=a.task, kind=a.kind,
        deadline=a.deadline.date if a.deadline else None, deadline_text=a.deadline.text if a.deadline else None,
        recurrence=a.deadline.recurrence if a.deadline else None, report_to=report_to,
        evidence=_evidence(doc, doc_iri, m, a.sentence),
    )


def _dedupe_relations(c: Corpus) -> None:
    c.relations = dedupe_statements(c.relations)


def dedupe_statements(stmts: list[RelationStmt]) -> list[RelationStmt]:
    """The first of each (subject, relation, object, asserted by), none relating a document to itself."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for s in stmts:
        k = (s.subject, s.relation, s.object, s.asserted_by)
        if k not in seen and s.subject != s.object:
            seen.add(k)
            out.append(s)
    return out
