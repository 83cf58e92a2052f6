"""Rebuilding an embedded store after a few files changed, without reading the rest of the corpus.

Resolution is order-dependent across the corpus (the first mention of a document fills its title, a
later one may conflict with it), so a file cannot in general be resolved alone. But most edits change
only what one document says *itself*: a task added, a sentence reworded, text moved. Such an edit leaves
everything the document gives the others unchanged (its identity and each citation's facts, see
:func:`~docgraph.resolve.resolution_sig`), and then only the document's own statements, evidence and
tasks, and its content hash, differ from the last build.

A full build leaves in its generation, beside the store:

- ``resolution.sqlite``: per corpus file a :class:`DocRecord` (what resolving it did: its node, the
  statements it made and from which spans, the bodies its tasks name), and every body node's label and
  names as written;
- ``files.pickle``: per input file its parse cache key and ``stat`` state (see :func:`cache.file_state`).

A local build (:func:`local_build`) then stats every input, reads only the files whose state changed,
and for each changed one checks that it resolves alike: same signature, a text no other file has, no
conflict quoting its offsets, tasks naming only bodies already known under those names (and none
dropped). If so, it remakes that document's subjects from its record and its new parse, replaces them in
a checkpoint of the last generation, validates their neighbourhoods and publishes. The changes are kept
as patches (``*.patch.pickle``) over the base files, which are hard-linked from generation to
generation. Anything else (files added, removed or renamed, a citation edited, too many files) returns
None, and the caller runs the full build. tests/test_local_build.py checks the result is the store a
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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import URIRef

from . import cache
from .atomic import atomic_write_bytes, atomic_write_text
from .cache import FileState, PackedDocuments, pack, parse_key, stat_state, unpack
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
)
from .store import build_lock, next_generation, publish
from .store_write import DIGEST_PATCH, DIGESTS, LAYOUT, SHAPED, digest, manifest_json
from .validate_store import focus_of_change, validate_store

if TYPE_CHECKING:
    from .build import BuildResult, Seen

RESOLUTION = "resolution.sqlite"
RESOLUTION_PATCH = "resolution.patch.pickle"
FILES = "files.pickle"
FILES_PATCH = "files.patch.pickle"
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
    conflicted: bool
    owned: list[str]  # the subjects only it gives: statements, evidence and selectors, tasks
    tasks: int


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
    for source, t in c.traces.items():
        stmts = [(str(st.subject), st.relation, str(st.object), place) for st, place in t.stmts]
        owned = owned_subjects(dedupe_statements([st for st, _ in t.stmts]), t.tasks)
        yield source, DocRecord(t.sig, t.node, stmts, str(t.task_doc), t.task_province, t.task_orgs,
                                t.warn_start, t.conflicted, owned, len(t.tasks))


def write_index(path: Path, c: Corpus) -> None:
    """``resolution.sqlite`` for a resolved corpus (written to ``path``, replaced whole)."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("CREATE TABLE records (source TEXT PRIMARY KEY, data BLOB NOT NULL)")
        db.execute("CREATE TABLE orgs (iri TEXT PRIMARY KEY, data BLOB NOT NULL)")
        db.executemany("INSERT INTO records VALUES (?, ?)", ((s, pack(r)) for s, r in records(c)))
        db.executemany("INSERT INTO orgs VALUES (?, ?)",
                       ((str(o.iri), pack(OrgFacts(o.label, o.body_id is not None, frozenset(o.names))))
                        for o in c.orgs.values()))
        db.commit()
    finally:
        db.close()


class Index:
    """The last generation's records and bodies: its base ``resolution.sqlite`` and its patch."""

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        uri = (generation / RESOLUTION).resolve().as_uri() + "?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True)
        patch = generation / RESOLUTION_PATCH
        self.patch: dict[str, bytes] = pickle.loads(patch.read_bytes()) if patch.exists() else {}

    def record(self, source: str) -> DocRecord | None:
        data = self.patch.get(source)
        if data is None:
            row = self._db.execute("SELECT data FROM records WHERE source = ?", (source,)).fetchone()
            data = row[0] if row else None
        return unpack(data) if data is not None else None

    def org(self, iri: str) -> OrgFacts | None:
        row = self._db.execute("SELECT data FROM orgs WHERE iri = ?", (iri,)).fetchone()
        return unpack(row[0]) if row else None

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


def _seen_files(generation: Path) -> tuple[str, dict[str, FileSeen], dict[str, FileSeen]]:
    """The extractor, the base states and their patch (the files local builds have seen since)."""
    base = pickle.loads((generation / FILES).read_bytes())
    patch = generation / FILES_PATCH
    return base["extractor"], base["files"], pickle.loads(patch.read_bytes()) if patch.exists() else {}


# -- the local build -----------------------------------------------------------------------------------
class NotLocal(Exception):
    """Why this change needs the full build (shown with --verbose progress)."""


@dataclass
class _Change:
    name: str
    doc: ParsedDocument
    packed: bytes
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


def _remake(name: str, doc: ParsedDocument, packed: bytes, rec: DocRecord, index: Index) -> _Change:
    """The document's own subjects from its record and its new parse; NotLocal when it does not resolve
    as before."""
    if rec.sig != resolution_sig(doc):
        raise NotLocal(f"{name}: what it cites or says of itself changed")
    if rec.conflicted:
        raise NotLocal(f"{name}: a conflict with another text quotes its offsets")
    node = dataclasses.replace(rec.node, content_hash=doc.content_hash)
    stmts = dedupe_statements([RelationStmt(URIRef(s), rel, URIRef(o), node.iri, _span(doc, node.iri, place))
                               for s, rel, o, place in rec.stmts])
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
        tasks.append(task_node(doc, node.iri, n, a, lead.iri, [c.iri if c else None for c in coords],
                               report_to.iri if report_to else None))
    if rec.task_orgs - pairs:
        raise NotLocal(f"{name}: its tasks no longer name a body they named")
    for iri, written in sorted(pairs - rec.task_orgs):
        facts = index.org(iri)
        if facts is None or written not in facts.names or not (facts.known or facts.label == written):
            raise NotLocal(f"{name}: its tasks name a body not yet known as {written!r}")
    return _Change(name, doc, packed, rec, node, stmts, tasks, pairs)


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


def local_build(paths: list[str], root: str | os.PathLike[str], *, cache_dir: Path | None, validate: bool = True,
                progress: Callable[[str], None] | None = None) -> BuildResult | None:
    """Rebuild the embedded store at ``root`` for a few changed files, or None when only the full build
    can (see the module's doc). Never changes the store unless it returns a written result."""
    from .build import BuildResult, _display, _parse_one
    from .inputs import scan_inputs

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
            scanned = scan_inputs(paths)
        except Exception:  # the full build reports it
            return None
        # named as the full build names them: str(Path(f)) == f
        if [f for f, _ in scanned] != list(manifest["files"]):
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
        for f, state in touched:
            try:
                key = parse_key(Path(f), f)
            except OSError:
                return None
            old_key = (patch.get(f) or states.get(f) or (None,))[0]
            patch[f] = (key, state)
            if key != old_key:
                changed.append(Path(f))
                if len(changed) > LOCAL_MAX:  # (a new extractor changes every key: stop reading)
                    why(f"more than {LOCAL_MAX} files changed")
                    return None
        lap("parse")
        index = Index(prev)
        try:
            remade = []
            hashes = Counter(manifest["files"].values())
            new_files = dict(manifest["files"])
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
                old_hash = manifest["files"][name]
                if hashes[old_hash] > 1 or (doc.content_hash != old_hash and hashes[doc.content_hash] > 0):
                    why(f"{name}: another file has its old or new text")
                    return None
                hashes[old_hash] -= 1
                hashes[doc.content_hash] += 1
                new_files[name] = doc.content_hash
                remade.append(_remake(name, doc, packed, rec, index))
        except NotLocal as e:
            why(str(e))
            return None
        finally:
            index.close()
        lap("resolve")
        return _write(root, prev, manifest, new_files, patch, remade, res, validate, progress, t0)


def _write(root: Path, prev: Path, manifest: dict[str, Any], files: dict[str, str], seen: dict[str, FileSeen],
           remade: list[_Change], res: BuildResult, validate: bool, progress: Callable[[str], None] | None,
           t0: float) -> BuildResult:
    from .build import _keep_converted

    gen, tmp = next_generation(root)
    try:
        ox.Store.read_only(str(prev / "oxigraph")).backup(str(tmp / "oxigraph"))
        store = ox.Store(str(tmp / "oxigraph"))
        subjects: dict[str, list[str]] = {}
        gone: set[str] = set()
        for ch in remade:
            doc_iri = str(ch.node.iri)
            own = set(document_lines(ch.record.node))
            attached = {line for line in _stored_lines(store, doc_iri) if line not in own}
            subjects[doc_iri] = sorted(set(document_lines(ch.node)) | attached)
            new = dict(statement_subjects(ch.stmts, ch.tasks))
            subjects.update(new)
            gone.update(s for s in ch.record.owned if s not in new)
        removed = 0
        for s in [*subjects, *sorted(gone)]:
            for q in list(store.quads_for_pattern(ox.NamedNode(s), None, None, ox.DefaultGraph())):
                store.remove(q)
                removed += 1
        lines = [line for ls in subjects.values() for line in ls]
        if lines:
            store.load(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                       to_graph=ox.DefaultGraph())
        changed = [*subjects, *sorted(gone)]
        res.lap("write")
        if validate:
            focus = focus_of_change(store, changed)
            if progress:
                progress(f"validating {len(focus):,} nodes")
            res.report = validate_store(store, focus)
            res.lap("validate")
            if not res.report.conforms:
                del store
                shutil.rmtree(tmp, ignore_errors=True)
                return res
        store.flush()
        del store
        _carry(prev, tmp, remade, subjects, gone)
        _keep_converted(tmp, [ch.doc for ch in remade if ch.doc.converted is not None])
        atomic_write_bytes(tmp / FILES_PATCH, pickle.dumps(seen, protocol=pickle.HIGHEST_PROTOCOL))
        warnings = list(manifest["warnings"])
        for ch in remade:
            at = ch.record.warn_start
            warnings[at: at + len(ch.doc.warnings)] = [str(w) for w in ch.doc.warnings]
        assignments = manifest["counts"]["assignments"] + sum(len(ch.tasks) - ch.record.tasks for ch in remade)
        counts = dict(manifest["counts"], assignments=assignments)
        triples = manifest["triples"] - removed + len(lines)
        res.timings["total"] = round(time.perf_counter() - t0, 3)
        out = dict(manifest, built=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), files=files,
                   warnings=warnings, counts=counts, assignments=assignments, files_parsed=res.parsed,
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
    res.files, res.files_warned = len(files), manifest.get("files_warned", 0)
    res.warnings = [_warning(w) for w in warnings]
    return res


def _carry(prev: Path, tmp: Path, remade: list[_Change], subjects: dict[str, list[str]], gone: set[str]) -> None:
    """The index files of the new generation: the base files hard-linked, the patches extended."""
    for name in (DIGESTS, RESOLUTION, FILES):
        _link_or_copy(prev / name, tmp / name)
    if (prev / SHAPED).exists():
        _link_or_copy(prev / SHAPED, tmp / SHAPED)
    patch = prev / DIGEST_PATCH
    digests: dict[str, int | None] = pickle.loads(patch.read_bytes()) if patch.exists() else {}
    digests.update({s: digest(lines) for s, lines in subjects.items()})
    digests.update(dict.fromkeys(gone))
    atomic_write_bytes(tmp / DIGEST_PATCH, pickle.dumps(digests, protocol=pickle.HIGHEST_PROTOCOL))
    patch = prev / RESOLUTION_PATCH
    recs: dict[str, bytes] = pickle.loads(patch.read_bytes()) if patch.exists() else {}
    for ch in remade:
        owned = owned_subjects(ch.stmts, ch.tasks)
        recs[ch.name] = pack(dataclasses.replace(ch.record, node=ch.node, owned=owned, task_orgs=ch.task_orgs,
                                                  tasks=len(ch.tasks)))
    atomic_write_bytes(tmp / RESOLUTION_PATCH, pickle.dumps(recs, protocol=pickle.HIGHEST_PROTOCOL))
    converted = prev / "converted"
    if converted.is_dir():
        for src in converted.rglob("*"):
            if src.is_file():
                dst = tmp / src.relative_to(prev)
                dst.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(src, dst)
