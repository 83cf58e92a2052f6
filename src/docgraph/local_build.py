"""Rebuilding an embedded store after a few files changed, without reading the rest of the corpus.

Resolution is order-dependent across the corpus (the first mention of a document fills its title, a
later one may conflict with it), so a file cannot in general be resolved alone. But most edits change
only what one document says *itself*: a task added, a sentence reworded, text moved. Such an edit leaves
everything the document gives the others unchanged (its identity and each citation's facts, see
:func:`~docgraph.resolve.resolution_sig`), and then only the document's own statements, evidence and
tasks, and its content hash, differ from the last build.

A full build leaves in its generation, beside the store:

- ``resolution.sqlite``: per corpus file a :class:`DocRecord` (what resolving it did: its node, the
  statements it made and from which spans, the bodies its tasks name, the identity key of each of its
  citations), every body node's label and names as written, and which files give, cite or date each
  identity key (``keys``);
- ``files.pickle``: per input file its parse cache key and ``stat`` state (see :func:`cache.file_state`);
- ``hashes.pickle``: per input file its content hash, in input order.

A local build (:func:`local_build`) then stats every input, reads only the files whose state changed,
and for each changed one checks that it resolves alike: same signature, a text no other file has, no
conflict quoting its offsets, tasks naming only bodies already known under those names (and none
dropped). If so, it remakes that document's subjects from its record and its new parse, replaces them in
a checkpoint of the last generation, validates their neighbourhoods and publishes. The changes are kept
as patches (``*.patch.pickle``) over the base files, which are hard-linked from generation to
generation. A changed file that gives the others something new (a citation edited, a conflict quoting
it) has the identity keys it touches replayed instead (:mod:`docgraph.replay`). Anything else (files
added, removed or renamed, a document's own symbol edited, too many files) returns None, and the caller
runs the full build. tests/test_local_build.py and tests/test_replay.py check the result is the store a
full build gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import re
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import URIRef

from . import cache
from .atomic import atomic_write_bytes, atomic_write_text
from .cache import Decoded, FileState, PackedDocuments, ParseCache, pack, packed, parse_key, stat_state, unpack
from .model import ParsedDocument, Warning_
from .ntriples import document_lines, statement_subjects
from .resolve import (
    Corpus,
    DocNode,
    Evidence,
    RelationStmt,
    TaskNode,
    _evidence,
    dedupe_statements,
    org_place,
    resolution_sig,
    task_node,
    unpack_lean,
)
from .store import build_lock, next_generation, publish
from .store_write import LAYOUT, SHAPED, _shaped, changed_predicates, digest, manifest_json
from .subject_digests import DIGEST_IRIS, DIGEST_PATCH, DIGESTS
from .validate_store import focus_of_change, validate_store

if TYPE_CHECKING:
    from .build import BuildResult, Seen

RESOLUTION = "resolution.sqlite"
RESOLUTION_PATCH = "resolution.patch.pickle"
FILES = "files.pickle"
FILES_PATCH = "files.patch.pickle"
HASHES = "hashes.pickle"  # each input file's content hash, in input order (build.json gives their number)
HASHES_PATCH = "hashes.patch.pickle"
LISTING = "listing.pickle"  # in the cache folder: the last scan of the inputs (inputs.scan_listed)
LOCAL_MAX = 20  # more changed files than this: the full build (its delta write) is as quick


@dataclass(slots=True)
class DocRecord:
    """What resolving one corpus file did, as the next local build needs it."""

    sig: bytes  # resolution_sig of the parse it came from
    node: DocNode  # the document's node as the build left it
    stmts: list[tuple[str, str, str, tuple[str, int, int]]]  # (subject, relation, object, span place)
    task_doc: str  # the document's IRI when its tasks were read
    task_province: str | None
    task_orgs: set[tuple[str, str]]  # (body IRI, name as written) its tasks name
    warn_start: int  # index of its extractor warnings in the build's warnings
    conflicts: int  # warnings its citations gave, just before those
    owned: list[str]  # the subjects only it gives: statements, evidence and selectors, tasks
    tasks: int
    order: int  # its place among the corpus files resolved
    pre_iri: str  # its node's IRI while it was read (see resolve.DocTrace)
    own_key: str | None
    cite_keys: list[str]
    citing_date: str | None
    citing_province: str | None
    self_filled: bool
    learn_keys: list[str]
    refs: dict[int, str | None]
    outer_dates: dict[tuple[int, int], str | None]


@dataclass(frozen=True, slots=True)
class OrgFacts:
    label: str
    known: bool  # a body of bodies.json: its node is the same whoever names it first
    names: frozenset[str]


# -- the index a full build leaves ---------------------------------------------------------------------
def owned_subjects(stmts: Iterable[RelationStmt], tasks: Iterable[TaskNode]) -> list[str]:
    """The subjects ``ntriples.statement_subjects`` gives for these statements and tasks, in its order."""
    out: dict[str, None] = {}
    evidence: dict[str, None] = {}
    for st in stmts:
        out[str(st.iri)] = None
        evidence[str(st.evidence.iri)] = None
    tasks = list(tasks)
    for t in tasks:
        evidence[str(t.evidence.iri)] = None
    for e in evidence:
        out.update(dict.fromkeys((e, f"{e}/pos", f"{e}/quote")))
    out.update(dict.fromkeys(str(t.iri) for t in tasks))
    return list(out)


def records(c: Corpus) -> Iterator[tuple[str, DocRecord]]:
    """Each traced corpus file's record (``resolve(trace=True)``)."""
    assert c.traces is not None, "resolve(…, trace=True) keeps the traces"
    for order, (source, t) in enumerate(c.traces.items()):
        stmts = [(str(st.subject), st.relation, str(st.object), place) for st, place in t.stmts]
        owned = owned_subjects(dedupe_statements([st for st, _ in t.stmts]), t.tasks)
        yield source, DocRecord(t.sig, t.node, stmts, str(t.task_doc), t.task_province, t.task_orgs,
                                t.warn_start, t.conflicts, owned, len(t.tasks), order, str(t.pre_iri), t.own_key,
                                t.cite_keys, t.citing_date, t.citing_province, t.self_filled, t.learn_keys,
                                t.passed.refs, t.passed.outer_dates)


def key_rows(source: str, own_key: str | None, cited: Iterable[str]) -> Iterator[tuple[str, str, int]]:
    """The ``keys`` rows of a file: (identity key, file, 1 for its own symbol's key, 0 for one it cites or
    dates)."""
    if own_key is not None:
        yield own_key, source, 1
    for k in dict.fromkeys(cited):
        yield k, source, 0


def write_index(path: Path, c: Corpus) -> None:
    """``resolution.sqlite`` for a resolved corpus (written to ``path``, replaced whole)."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("CREATE TABLE records (source TEXT PRIMARY KEY, data BLOB NOT NULL)")
        # resolve.pack_lean of each file's parse: what a replay reads of a file it does not quote (a table of
        # its own: ~700-byte rows beside ~1.7 KB records would leave most of each page empty)
        db.execute("CREATE TABLE leans (source TEXT PRIMARY KEY, data BLOB NOT NULL)")
        db.execute("CREATE TABLE orgs (iri TEXT PRIMARY KEY, data BLOB NOT NULL)")
        # which files give or cite each identity key: what a replay of a key reads (docgraph.replay)
        db.execute("CREATE TABLE keys (key TEXT NOT NULL, source TEXT NOT NULL, own INTEGER NOT NULL)")
        assert c.traces is not None
        # (compressed on a thread beside the pickling: this stage has a core to itself, see cache.ahead)
        db.executemany("INSERT INTO records VALUES (?, ?)", packed(records(c)))
        db.executemany("INSERT INTO leans VALUES (?, ?)", ((s, t.lean) for s, t in c.traces.items()))
        db.executemany("INSERT INTO keys VALUES (?, ?, ?)",
                       (row for s, t in c.traces.items()
                        for row in key_rows(s, t.own_key, [*t.cite_keys, *t.learn_keys])))
        db.execute("CREATE INDEX keys_by_key ON keys (key)")
        db.executemany("INSERT INTO orgs VALUES (?, ?)",
                       packed((str(o.iri), OrgFacts(o.label, o.body_id is not None, frozenset(o.names)))
                              for o in c.orgs.values()))
        db.commit()
    finally:
        db.close()


class NotLocal(Exception):
    """Why this change needs the full build (shown with --verbose progress)."""


class Unresolved(NotLocal):
    """The document may resolve differently: a replay of the keys it touches decides (docgraph.replay)."""


@dataclass
class Patch:
    """What local builds changed in ``resolution.sqlite`` since the full build that wrote it: records
    (packed), files' keys rows, and the shifts of the warnings list, as (order, by): a record of a base
    file after ``order`` has its warnings ``by`` further on (records in the patch are kept up to date)."""

    records: dict[str, bytes] = field(default_factory=dict)
    keys: dict[str, tuple[str | None, list[str]]] = field(default_factory=dict)
    shifts: list[tuple[int, int]] = field(default_factory=list)
    orgs: dict[str, OrgFacts] = field(default_factory=dict)


def _patch(kept: Any) -> Patch | None:
    """A kept Patch, with the fields an older one lacks at their defaults."""
    if not isinstance(kept, Patch):
        return None
    return Patch(**{f.name: getattr(kept, f.name) for f in dataclasses.fields(Patch) if hasattr(kept, f.name)})


class Index:
    """The last generation's records and bodies: its base ``resolution.sqlite`` and its patch."""

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        uri = (generation / RESOLUTION).resolve().as_uri() + "?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True)
        patch = generation / RESOLUTION_PATCH
        self.patch = _patch(pickle.loads(patch.read_bytes())) if patch.exists() else Patch()
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not isinstance(self.patch, Patch) or not {"keys", "leans"} <= tables:
            self._db.close()
            raise NotLocal(f"the resolution index of {generation.name} is an older docgraph's")

    def record(self, source: str) -> DocRecord | None:
        data = self.patch.records.get(source)
        if data is not None:
            return unpack(data)
        row = self._db.execute("SELECT data FROM records WHERE source = ?", (source,)).fetchone()
        if row is None:
            return None
        rec: DocRecord = unpack(row[0])
        for order, by in self.patch.shifts:
            if rec.order > order:
                rec.warn_start += by
        return rec

    def lean(self, source: str) -> ParsedDocument | None:
        """The file's parse as the full build read it, lean (``resolve.unpack_lean``)."""
        row = self._db.execute("SELECT data FROM leans WHERE source = ?", (source,)).fetchone()
        return unpack_lean(row[0]) if row else None

    def sources(self, key: str) -> list[tuple[str, bool]]:
        """The files that give (True) or cite (False) an identity key."""
        out = [(s, bool(own)) for s, own in
               self._db.execute("SELECT source, own FROM keys WHERE key = ?", (key,)) if s not in self.patch.keys]
        out += [(s, bool(own)) for s, (own_key, cited) in self.patch.keys.items()
                for k, _, own in key_rows(s, own_key, cited) if k == key]
        return out

    def org(self, iri: str) -> OrgFacts | None:
        if iri in self.patch.orgs:
            return self.patch.orgs[iri]
        row = self._db.execute("SELECT data FROM orgs WHERE iri = ?", (iri,)).fetchone()
        return unpack(row[0]) if row else None

    def knows(self, iri: str, written: str) -> bool:
        """Whether naming a body so changes nothing: its node has that name, and it is a body of
        bodies.json (whose node is the same whoever names it first) or the name is its label."""
        facts = self.org(iri)
        return facts is not None and written in facts.names and (facts.known or facts.label == written)

    def close(self) -> None:
        self._db.close()


FileSeen = tuple[str | None, FileState]  # a file's parse cache key and stat state, as files.pickle keeps them


def seen_pickle(seen: dict[str, Seen]) -> bytes:
    """``files.pickle``: how each file was seen, under the extractor that saw it (a file whose ``stat`` is
    unchanged has an unchanged parse only while the extractor is the same). A pickle, not JSON: read and
    written on every local build, it loads in half the time at 10^5 files."""
    states: dict[str, FileSeen] = {name: (s.key, s.state) for name, s in seen.items()}
    return pickle.dumps({"extractor": cache.extractor_fingerprint().hex(), "files": states},
                        protocol=pickle.HIGHEST_PROTOCOL)


def hashes_pickle(hashes: dict[str, str]) -> bytes:
    """``hashes.pickle``: each input file's content hash, in input order. Kept out of build.json: 10.6 MB of
    JSON at 10^5 files, it took 0.25 s of every one-file rebuild to read and write again; a local build
    now writes only the hashes it changed (``hashes.patch.pickle``)."""
    return pickle.dumps(hashes, protocol=pickle.HIGHEST_PROTOCOL)


def file_hashes(generation: Path, manifest: dict[str, Any] | None = None) -> dict[str, str]:
    """Each input file of a generation and its content hash, in input order (the base and its patch; in
    ``manifest``, the generation's build.json, when an older docgraph built it)."""
    if manifest is not None and "files" in manifest and not (generation / HASHES).exists():
        return dict(manifest["files"])
    hashes: dict[str, str] = pickle.loads((generation / HASHES).read_bytes())
    patch = generation / HASHES_PATCH
    if patch.exists():
        hashes.update(pickle.loads(patch.read_bytes()))  # (names only ever changed there, none added)
    return hashes


def _seen_files(generation: Path) -> tuple[str, dict[str, FileSeen], dict[str, FileSeen]]:
    """The extractor, the base states and their patch (the files local builds have seen since)."""
    base = pickle.loads((generation / FILES).read_bytes())
    patch = generation / FILES_PATCH
    return base["extractor"], base["files"], pickle.loads(patch.read_bytes()) if patch.exists() else {}


# -- the local build -----------------------------------------------------------------------------------
@dataclass
class _Change:
    name: str
    doc: ParsedDocument
    record: DocRecord
    node: DocNode
    stmts: list[RelationStmt]
    tasks: list[TaskNode]
    task_orgs: set[tuple[str, str]]


def _span(doc: ParsedDocument, source: URIRef, place: tuple[str, int, int]) -> Evidence:
    kind, ci, k = place
    c = doc.citations[ci]
    if kind == "m":
        return _evidence(doc, source, c.mentions[k], c.sentences[k] if c.sentences else None)
    rel = c.relations[k]
    return _evidence(doc, source, rel.mention, rel.sentence)


def _remake(name: str, doc: ParsedDocument, rec: DocRecord, index: Index) -> _Change:
    """The document's own subjects from its record and its new parse; NotLocal when it does not resolve
    as before (:class:`Unresolved` when a replay of the keys it cites can tell, see docgraph.replay)."""
    if rec.sig != resolution_sig(doc):
        raise Unresolved(f"{name}: what it cites or says of itself changed")
    if rec.conflicts:
        raise Unresolved(f"{name}: a conflict with another text quotes its offsets")
    node = dataclasses.replace(rec.node, content_hash=doc.content_hash)
    stmts = dedupe_statements([RelationStmt(URIRef(s), rel, URIRef(o), node.iri, _span(doc, node.iri, place))
                               for s, rel, o, place in rec.stmts])
    tasks, pairs = remade_tasks(name, doc, rec, node.iri, index)
    return _Change(name, doc, rec, node, stmts, tasks, pairs)


def remade_tasks(name: str, doc: ParsedDocument, rec: DocRecord, doc_iri: URIRef,
                 index: Index) -> tuple[list[TaskNode], set[tuple[str, str]]]:
    """A document's tasks from its parse, and the (body, name as written) pairs they name; NotLocal when
    they name a body the last build did not know under that name, or no longer name one it did."""
    task_doc = URIRef(rec.task_doc)
    tasks: list[TaskNode] = []
    pairs: set[tuple[str, str]] = set()
    for n, a in enumerate(doc.assignments, start=1):
        lead = org_place(a.lead, rec.task_province, task_doc)
        coords = [org_place(c, rec.task_province, task_doc) for c in a.coordinators]
        report_to = org_place(a.report_to, rec.task_province, task_doc) if a.report_to else None
        if lead is None:
            raise NotLocal(f"{name}: a task without a lead")
        pairs.update((str(at.iri), at.written) for at in (lead, *coords, report_to) if at is not None)
        tasks.append(task_node(doc, doc_iri, n, a, lead.iri, [c.iri if c else None for c in coords],
                               report_to.iri if report_to else None))
    if rec.task_orgs - pairs:
        raise NotLocal(f"{name}: its tasks no longer name a body they named")
    for iri, written in sorted(pairs - rec.task_orgs):
        if not index.knows(iri, written):
            raise NotLocal(f"{name}: its tasks name a body not yet known as {written!r}")
    return tasks, pairs


def _stored_lines(store: ox.Store, subject: str) -> set[str]:
    """The IRI-to-IRI lines of a subject as ``ntriples`` writes them (literal objects left out)."""
    out = set()
    for q in store.quads_for_pattern(ox.NamedNode(subject), None, None, ox.DefaultGraph()):
        if isinstance(q.object, ox.NamedNode):
            out.add(f"<{subject}> <{q.predicate.value}> <{q.object.value}> .\n")
    return out


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


_WARNING = re.compile(r"(.*?):(\d+): (.*)", re.S)


def _warning(text: str) -> Warning_:
    m = _WARNING.match(text)
    return Warning_(m[1], int(m[2]), m[3]) if m else Warning_("", 0, text)


class WarningTexts(Decoded[Warning_]):
    """A build's warnings as build.json keeps them, each read back into a :class:`Warning_` when asked for
    (``docgraph build`` shows how many there are: reading back the 18,000 of 10^5 files took 0.05–0.1 s of a
    one-file rebuild)."""

    def _decode(self, raw: str) -> Warning_:
        return _warning(raw)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def local_build(paths: list[str], root: str | os.PathLike[str], *, cache_dir: Path | None, validate: bool = True,
                progress: Callable[[str], None] | None = None) -> BuildResult | None:
    """Rebuild the embedded store at ``root`` for a few changed files, or None when only the full build
    can (see the module's doc). Never changes the store unless it returns a written result."""
    from .build import BuildResult, _display, _parse_one
    from .inputs import scan_listed

    root = Path(root)
    current = root / "current"
    if cache_dir is None or not current.exists():
        return None
    t0 = time.perf_counter()
    res = BuildResult()
    lap = res.lap

    def why(reason: str) -> None:
        if progress:
            progress(f"full build: {reason}")

    with build_lock(root):
        prev = current.resolve()
        try:
            manifest = json.loads((prev / "build.json").read_text("utf-8"))
            extractor, states, patch = _seen_files(prev)
            files = file_hashes(prev, manifest)
            manifest.pop("files", None)  # (an older store's: see hashes_pickle)
            manifest.setdefault("file_count", len(files))
        except (OSError, ValueError, KeyError, pickle.UnpicklingError, EOFError):
            why(f"no record of how the files were seen in {prev.name} (a store an older docgraph built?)")
            return None
        if extractor != cache.extractor_fingerprint().hex():
            why("the extractor changed since the last build")
            return None
        if manifest.get("layout") != LAYOUT or manifest.get("refused") or "counts" not in manifest \
                or not (prev / RESOLUTION).exists():
            return None
        try:
            scanned = scan_listed(paths, cache_dir / LISTING)
        except Exception:  # the full build reports it
            return None
        # named as the full build names them: str(Path(f)) == f
        if [f for f, _ in scanned] != list(files):
            why("files were added, removed or renamed")
            return None
        touched = []
        now = time.time_ns()  # read once: a file modified after it is too fresh to trust (see stat_state)
        for f, side in scanned:
            try:
                state = stat_state(f, side, now)
            except OSError:
                return None
            old = patch.get(f) or states.get(f)
            if state is None or old is None or old[1] != state:
                touched.append((f, state))
        changed = []
        old_keys: dict[str, str | None] = {}
        for f, state in touched:
            try:
                key = parse_key(Path(f), f)
            except OSError:
                return None
            old_key = (patch.get(f) or states.get(f) or (None,))[0]
            old_keys[f] = old_key
            patch[f] = (key, state)
            if key != old_key:
                changed.append(Path(f))
                if len(changed) > LOCAL_MAX:  # (a new extractor changes every key: stop reading)
                    why(f"more than {LOCAL_MAX} files changed")
                    return None
        lap("parse")
        try:
            index = Index(prev)
        except NotLocal as e:
            why(str(e))
            return None
        try:
            edits: list[Edit] = []
            hashes = Counter(files.values())
            new_files: dict[str, str] = {}  # the hashes that change
            for f in changed:
                packed, info, _fresh, seen = _parse_one((f, str(cache_dir)))
                if info is None or not isinstance(packed, bytes):
                    return None  # refused: the full build reports it
                name = _display(f)
                patch[name] = (seen.key, seen.state)
                res.parsed += 1
                docs = PackedDocuments()
                docs.append(packed, info)
                doc = docs[0]
                rec = index.record(name)
                if rec is None:
                    why(f"{name}: no record of it (a copy of another text?)")
                    return None
                old_hash = files[name]
                if hashes[old_hash] > 1 or (doc.content_hash != old_hash and hashes[doc.content_hash] > 0):
                    why(f"{name}: another file has its old or new text")
                    return None
                hashes[old_hash] -= 1
                hashes[doc.content_hash] += 1
                new_files[name] = doc.content_hash
                edits.append(Edit(name, doc, rec))
            remade: list[_Change] | None = []
            for e in edits:
                try:
                    remade.append(_remake(e.name, e.doc, e.rec, index))
                except Unresolved as u:
                    if progress:
                        progress(f"replaying the keys it touches: {u}")
                    remade = None
                    break
            lap("resolve")
            if remade is not None:
                done = remade

                def plan(store: ox.Store) -> Plan:
                    return _remade_plan(store, done, manifest)
            else:
                from .replay import replay

                parses = ParseCache(cache_dir)

                def last_parse(name: str, lean: bool = False) -> ParsedDocument | None:
                    """A file's parse as the last build read it: from the parse cache, or with ``lean`` (its
                    text, tasks and sentences may be left out) from the index when the full build read it so."""
                    key = old_keys[name] if name in old_keys else (patch.get(name) or states.get(name) or (None,))[0]
                    if lean and key and key == (states.get(name) or (None,))[0]:
                        return index.lean(name)
                    return parses.get(key) if key else None

                def plan(store: ox.Store) -> Plan:
                    return replay(edits, index, last_parse, store, manifest, progress)

            if not (prev / HASHES).exists():  # an older store's: the new generation gets them whole
                new_files = files | new_files
            return _write(root, prev, manifest, new_files, patch, plan, res, validate, progress, t0)
        except NotLocal as e:
            why(str(e))
            return None
        finally:
            index.close()


@dataclass
class Edit:
    """A changed file: its new parse and its record."""

    name: str
    doc: ParsedDocument
    rec: DocRecord


@dataclass
class Plan:
    """What a local build changes, worked out on a copy of the last generation's store: each subject
    rewritten with all its lines, the subjects removed, the records and keys rows that change, the
    build's warnings and counts."""

    subjects: dict[str, list[str]]
    gone: set[str]
    records: dict[str, DocRecord]
    keys: dict[str, tuple[str | None, list[str]]]
    docs: list[ParsedDocument]  # the changed files' parses (their converted texts are kept)
    warnings: list[str]
    counts: dict[str, int]
    shifts: list[tuple[int, int]] = field(default_factory=list)  # (order, by): files after ``order``
    # have their warnings ``by`` further on (the records in ``records`` not yet so)
    orgs: dict[str, OrgFacts] = field(default_factory=dict)  # bodies given a name they were not known by


def _remade_plan(store: ox.Store, remade: list[_Change], manifest: dict[str, Any]) -> Plan:
    subjects: dict[str, list[str]] = {}
    gone: set[str] = set()
    records: dict[str, DocRecord] = {}
    warnings = list(manifest["warnings"])
    for ch in remade:
        doc_iri = str(ch.node.iri)
        own = set(document_lines(ch.record.node))
        attached = {line for line in _stored_lines(store, doc_iri) if line not in own}
        subjects[doc_iri] = sorted(set(document_lines(ch.node)) | attached)
        new = dict(statement_subjects(ch.stmts, ch.tasks))
        subjects.update(new)
        gone.update(s for s in ch.record.owned if s not in new)
        records[ch.name] = dataclasses.replace(ch.record, node=ch.node, owned=owned_subjects(ch.stmts, ch.tasks),
                                               task_orgs=ch.task_orgs, tasks=len(ch.tasks))
        at = ch.record.warn_start
        warnings[at: at + len(ch.doc.warnings)] = [str(w) for w in ch.doc.warnings]
    counts = dict(manifest["counts"])
    counts["assignments"] += sum(len(ch.tasks) - ch.record.tasks for ch in remade)
    return Plan(subjects, gone, records, {}, [ch.doc for ch in remade], warnings, counts)


def _write(root: Path, prev: Path, manifest: dict[str, Any], hashes: dict[str, str], seen: dict[str, FileSeen],
           plan_on: Callable[[ox.Store], Plan], res: BuildResult, validate: bool,
           progress: Callable[[str], None] | None, t0: float) -> BuildResult | None:
    """Work out the plan on a copy of the last generation's store, write, validate and publish it; None
    (nothing changed) when the plan finds the change is not local after all. ``hashes``: the content hashes
    that changed (all of them when the last generation kept none, see :func:`hashes_pickle`)."""
    from .build import _keep_converted

    gen, tmp = next_generation(root)
    try:
        ox.Store.read_only(str(prev / "oxigraph")).backup(str(tmp / "oxigraph"))
        store = ox.Store(str(tmp / "oxigraph"))
        try:
            plan = plan_on(store)
        except NotLocal:
            del store
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        res.lap("plan")
        subjects, gone = plan.subjects, plan.gone
        kept = _shaped(prev, tmp) if validate else None
        shaped = kept.reads.predicates if kept else None
        removed = 0
        quiet: set[str] = set()  # changed only in what no check reads (a mention count): not validated
        for s in [*subjects, *sorted(gone)]:
            before = list(store.quads_for_pattern(ox.NamedNode(s), None, None, ox.DefaultGraph()))
            for q in before:
                store.remove(q)
            removed += len(before)
            if shaped is not None and before and s in subjects and not changed_predicates(before, subjects[s]) & shaped:
                quiet.add(s)
        lines = [line for ls in subjects.values() for line in ls]
        if lines:
            store.load(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                       to_graph=ox.DefaultGraph())
        changed = [*subjects, *sorted(gone)]
        res.lap("write")
        if validate:
            focus = focus_of_change(store, changed, quiet)
            if progress:
                progress(f"validating {len(focus):,} nodes")
            res.report = validate_store(store, focus, *(kept or (None, None)))
            res.lap("validate")
            if not res.report.conforms:
                del store
                shutil.rmtree(tmp, ignore_errors=True)
                return res
        store.flush()
        del store
        _carry(prev, tmp, plan)
        _keep_converted(tmp, [d for d in plan.docs if d.converted is not None])
        atomic_write_bytes(tmp / FILES_PATCH, pickle.dumps(seen, protocol=pickle.HIGHEST_PROTOCOL))
        if (prev / HASHES).exists():
            patch = prev / HASHES_PATCH
            changed_hashes = (pickle.loads(patch.read_bytes()) if patch.exists() else {}) | hashes
            atomic_write_bytes(tmp / HASHES_PATCH, pickle.dumps(changed_hashes, protocol=pickle.HIGHEST_PROTOCOL))
        else:  # an older store's hashes were in its build.json: here they are whole (see local_build)
            atomic_write_bytes(tmp / HASHES, hashes_pickle(hashes))
        counts = plan.counts
        triples = manifest["triples"] - removed + len(lines)
        res.timings["total"] = round(time.perf_counter() - t0, 3)
        out = dict(manifest, built=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                   warnings=plan.warnings, counts=counts, documents=counts["documents"],
                   relations=counts["relations"], assignments=counts["assignments"], files_parsed=res.parsed,
                   triples=triples, mode="local", changed_subjects=len(changed),
                   validated_nodes=len(focus) if validate else 0, timings=dict(res.timings),
                   peak_rss_mib=dict(res.peak_rss))
        atomic_write_text(tmp / "build.json", manifest_json(out))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    publish(root, tmp, gen)
    res.store_path, res.written, res.mode = gen, True, "local"
    res.triples, res.changed, res.counts = triples, len(changed), counts
    res.files, res.files_warned = manifest["file_count"], manifest.get("files_warned", 0)
    res.warnings = WarningTexts(plan.warnings)
    return res


def _carry(prev: Path, tmp: Path, plan: Plan) -> None:
    """The index files of the new generation: the base files hard-linked, the patches extended."""
    for name in (DIGESTS, DIGEST_IRIS, RESOLUTION, FILES, HASHES):
        if name not in (DIGEST_IRIS, HASHES) or (prev / name).exists():  # (an older store has neither)
            _link_or_copy(prev / name, tmp / name)
    if (prev / SHAPED).exists() and not (tmp / SHAPED).exists():
        _link_or_copy(prev / SHAPED, tmp / SHAPED)
    patch = prev / DIGEST_PATCH
    digests: dict[str, int | None] = pickle.loads(patch.read_bytes()) if patch.exists() else {}
    digests.update({s: digest(lines) for s, lines in plan.subjects.items()})
    digests.update(dict.fromkeys(plan.gone))
    atomic_write_bytes(tmp / DIGEST_PATCH, pickle.dumps(digests, protocol=pickle.HIGHEST_PROTOCOL))
    patch = prev / RESOLUTION_PATCH
    resolution = (_patch(pickle.loads(patch.read_bytes())) if patch.exists() else None) or Patch()
    records = {name: unpack(packed) for name, packed in resolution.records.items() if name not in plan.records}
    records |= plan.records
    for name, rec in records.items():
        by = sum(by for order, by in plan.shifts if rec.order > order)
        if by or name in plan.records:
            resolution.records[name] = pack(dataclasses.replace(rec, warn_start=rec.warn_start + by))
    resolution.shifts += plan.shifts
    resolution.orgs.update(plan.orgs)
    resolution.keys.update(plan.keys)
    atomic_write_bytes(tmp / RESOLUTION_PATCH, pickle.dumps(resolution, protocol=pickle.HIGHEST_PROTOCOL))
    converted = prev / "converted"
    if converted.is_dir():
        for src in converted.rglob("*"):
            if src.is_file():
                dst = tmp / src.relative_to(prev)
                dst.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(src, dst)
