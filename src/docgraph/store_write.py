"""Writing a build into the embedded store: a new generation, from scratch or as a delta of the last one.

The graph comes in as *subjects*: each subject IRI with all its N-Triples lines (docgraph.ntriples). A
generation keeps a 64-bit digest of every subject's lines (``subjects.pickle``). The next build compares:

- from scratch (no usable previous generation): every line streams to a file that oxigraph bulk-loads;
- as a delta: the previous generation's RocksDB is checkpointed into the new one (hard links, no copy),
  the triples of every changed or vanished subject are removed and the new lines of changed subjects
  added. The result holds exactly the triples a from-scratch build would (tests/test_incremental.py),
  because every triple belongs to exactly one subject.

Then SHACL runs on the new generation (all of it, or only around the changed subjects), and only a
conforming generation becomes ``current``; killed at any point, the previous build stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import queue
import shutil
import threading
import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import pyoxigraph as ox

from .atomic import atomic_write_bytes, atomic_write_text
from .heap import give_back_memory, peak_rss_mib
from .store import build_lock, next_generation, publish
from .subject_digests import Digests, write_digests
from .validate import Report, SparqlCheck, _split_shapes, has_constraints
from .validate_store import CheckReads, check_reads, checks_key, focus_of_change, validate_store

LAYOUT = 1  # bump when the triples a corpus gives change shape: the next build then starts from scratch
SHAPED = "shaped.pickle"  # what the checks read, under the hash of the checks (see _shaped)
SUBJECT_INDEX = "subjects.tsv"  # a write's digests, a subject per line, until the generation is kept
Subjects = Iterable[tuple[str, list[str]]]
LOAD_THREADS = min(2, os.cpu_count() or 1)  # chunks bulk-loaded at once (_Loader)
WRITE_BATCH = 2_048  # subjects written to a chunk and the digests' file at once (write_chunks)
CHUNK_LINES = 350_000  # lines per chunk file: each chunk's load holds it in memory, LOAD_THREADS at once


@dataclass
class WriteOutcome:
    generation: Path | None  # None when validation failed (nothing written)
    mode: str  # "scratch" | "delta"
    triples: int = 0
    subjects: int = 0
    changed: list[str] = field(default_factory=list)  # changed or vanished subjects (delta)
    quiet: set[str] = field(default_factory=set)  # of which changed only in what no check reads (delta)
    report: Report | None = None
    focus: int = 0  # nodes validated
    timings: dict[str, float] = field(default_factory=dict)  # seconds: "write", "validate"
    peak_rss: dict[str, int] = field(default_factory=dict)  # MiB of the process so far, after each


def manifest_json(manifest: dict[str, Any]) -> str:
    """``build.json``: a line per key, each value compact. (``indent`` makes json use its pure-Python
    encoder: 0.15 s for the 13 MB manifest of 10^5 files, a twentieth of a one-file rebuild.)"""
    body = ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in manifest.items())
    return "{\n" + body + "\n}\n"


def digest(lines: list[str]) -> int:
    return block_digest("".join(lines).encode("utf-8"))


def block_digest(block: bytes) -> int:
    """:func:`digest` of a subject's lines already joined and encoded."""
    return int.from_bytes(hashlib.blake2b(block, digest_size=8).digest(), "little")


def _previous(root: Path) -> tuple[Path, Digests, int | None] | None:
    """The current generation, its subject digests and its triple count, when a delta build can start from
    it."""
    current = root / "current"
    if not current.exists():
        return None
    gen = current.resolve()
    try:
        manifest = json.loads((gen / "build.json").read_text("utf-8"))
        if manifest.get("layout") != LAYOUT:
            return None
        triples = manifest.get("triples")
        return gen, Digests(gen), triples if isinstance(triples, int) else None
    except (OSError, ValueError, KeyError, TypeError, pickle.UnpicklingError, EOFError):
        return None


class _Loader:
    """Bulk-loads N-Triples files into ``store`` on ``threads`` threads of its own (default
    :data:`LOAD_THREADS`), deleting each file once loaded. Oxigraph's bulk loader runs without the GIL, so
    the triples of the next chunk are written meanwhile. On two cores a chunk's load parses and then builds
    its index files, one after the other (oxigraph parses on several threads only from four cores, and a
    call overlaps parsing with building only past 10^6 triples, its batch size): two chunks loaded at once
    keep both cores busy. Loads into one store may run together: each ingests its own files into RocksDB,
    and a string two chunks share is written twice with one value. ``put`` waits while a file is already
    waiting: at most ``threads`` + 2 chunk files exist at a time (being loaded, waiting, being written).
    ``lenient``: the loader does not validate each IRI again (about a tenth of its CPU: 20.6 → 18.4 s for
    the 2.6M triples of 10^4 documents, mean of three loads each way); the lines are ntriples' own, which
    checks every IRI as it writes it (ntriples._iri), and a line that is not N-Triples is still refused."""

    def __init__(self, store: ox.Store, threads: int | None = None) -> None:
        self.store: ox.Store | None = store
        self.error: BaseException | None = None
        self.files: queue.Queue[Path | None] = queue.Queue(maxsize=1)
        n = threads if threads is not None else LOAD_THREADS
        self.threads = [threading.Thread(target=self._run, name=f"docgraph-bulk-load-{i}", daemon=True)
                        for i in range(max(1, n))]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while (path := self.files.get()) is not None:
            try:
                if self.error is None and self.store is not None:
                    self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(),
                                         lenient=True)
            except BaseException as e:  # handed to the writing thread at its next put or at close
                self.error = self.error or e
            finally:
                path.unlink(missing_ok=True)

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def put(self, path: Path) -> None:
        self._raise()
        self.files.put(path)

    def close(self, raising: bool = True) -> None:
        """Wait until every file given is loaded (or the first error), and raise that error here."""
        if self.store is not None:  # not closed yet
            for _ in self.threads:
                self.files.put(None)
            for t in self.threads:
                t.join()
            # let go of the store: a traceback through put or close keeps this loader alive, and the store
            # must close before a failed generation's folder is removed
            self.store = None
        if raising:
            self._raise()


class Written(NamedTuple):
    """What :func:`write_chunks` wrote: the subjects, and their lines, which are the store's triples (a
    subject's lines are distinct and every line is its subject's, see ntriples.corpus_subjects; a subject
    given twice is refused)."""

    subjects: int
    triples: int


Chunks = Generator[Path, None, Written]  # N-Triples files, each yielded once written


def write_chunks(tmp: Path, subjects: Subjects, progress: Callable[[str], None] | None = None,
                 chunk: int = CHUNK_LINES) -> Chunks:
    """Every subject's lines into N-Triples files of about ``chunk`` lines in ``tmp``, each yielded once it is
    closed, and every subject's digest into ``tmp/subjects.tsv`` (see subject_digests.write_digests). Kept
    in memory, the digests' millions of small objects would land among the corpus's and pin its heap once it
    is freed (at 10^5 documents, 0.8 GB of digests kept 2.7 GB resident through validation). Returns what it
    wrote: the lines are the store's triples, which then need no count (``len`` of the 10^5-document store
    reads all 25.4M: 5–7 s of a core). Runs in the build's own process or in the process that resolved the
    corpus (build_process)."""
    chunks = count = pending = lines_out = 0

    def next_chunk() -> tuple[Path, BinaryIO]:
        nonlocal chunks
        chunks += 1
        path = tmp / f"chunk-{chunks}.nt"
        return path, open(path, "wb")

    data, fh = next_chunk()
    blocks: list[bytes] = []  # written WRITE_BATCH subjects at a time (a write each: 0.7 s of 10.7 profiled at 10^4)
    index: list[str] = []
    try:
        with open(tmp / SUBJECT_INDEX, "w", encoding="utf-8", newline="\n") as out:
            for s, lines in subjects:
                block = "".join(lines).encode("utf-8")  # encoded once, for the digest and the file
                index.append(f"{s}\t{block_digest(block)}\n")
                blocks.append(block)
                pending += len(lines)
                lines_out += len(lines)
                if len(blocks) >= WRITE_BATCH or pending >= chunk:
                    count += len(blocks)
                    fh.write(b"".join(blocks))
                    out.write("".join(index))
                    blocks.clear()
                    index.clear()
                if pending >= chunk:
                    fh.close()
                    yield data
                    if progress:
                        progress(f"wrote {count:,} subjects")
                    (data, fh), pending = next_chunk(), 0
            count += len(blocks)
            fh.write(b"".join(blocks))
            out.write("".join(index))
        fh.close()
        yield data
    finally:
        fh.close()
    return Written(count, lines_out)


def _scratch(tmp: Path, chunks: Chunks) -> tuple[ox.Store, Path, Written]:
    """Every chunk into a new store, each bulk-loaded while the next one is written (_Loader): oxigraph's
    bulk loader holds what it is given in memory (2.6M triples in one go peaked at 2.1 GiB). Returns the
    store, the file of subject digests and what the chunks held."""
    store = ox.Store(str(tmp / "oxigraph"))
    loader = _Loader(store)
    try:
        while True:
            try:
                path = next(chunks)
            except StopIteration as done:
                written: Written = done.value
                break
            loader.put(path)
        loader.close()  # raises the error of a load still running
    except BaseException:
        chunks.close()
        loader.close(raising=False)  # the error here is the one to report
        del loader, store  # closes the store (a traceback keeps this frame), so that its folder can go
        raise
    return store, tmp / SUBJECT_INDEX, written


def _delta(tmp: Path, prev: Path, old: Digests, subjects: Subjects, shaped: frozenset[str] | None = None
           ) -> tuple[ox.Store, Path, int, list[str], set[str], int]:
    """The last generation checkpointed into ``tmp``, with the triples of every subject whose digest differs
    from ``old`` (which it takes out) replaced. The new digests go to a file, as _scratch leaves them (a
    dict of them beside the corpus and the old digests took 0.8 GB more at 10^5 documents); a subject
    given twice is refused when it is read (subject_digests.write_digests). Returns the store, that file,
    the number of subjects, the changed or vanished ones, and the quiet ones among them: subjects that were
    there before and whose triples changed only in predicates outside ``shaped`` (see
    validate_store.check_reads), and the triples added less those removed (every triple is one subject's, and
    a subject's lines are distinct: the store's count follows, as a local build counts it)."""
    changed: list[str] = []
    lines_out: list[str] = []
    known: dict[str, tuple[int, int]] = {}  # a changed subject that was there before: where its lines are
    count = 0
    with open(tmp / SUBJECT_INDEX, "w", encoding="utf-8", newline="\n") as out:
        for s, lines in subjects:
            d = digest(lines)
            out.write(f"{s}\t{d}\n")
            count += 1
            was = old.pop(s, d)
            if was != d:
                changed.append(s)
                if was is not None:
                    known[s] = (len(lines_out), len(lines_out) + len(lines))
                lines_out.extend(lines)
    changed.extend(old.rest())  # vanished
    old.close()
    ox.Store.read_only(str(prev / "oxigraph")).backup(str(tmp / "oxigraph"))
    store = ox.Store(str(tmp / "oxigraph"))
    quiet: set[str] = set()
    removed = 0
    for s in changed:
        subject = ox.BlankNode(s[2:]) if s.startswith("_:") else ox.NamedNode(s)
        before = list(store.quads_for_pattern(subject, None, None, ox.DefaultGraph()))
        for q in before:
            store.remove(q)
        removed += len(before)
        if shaped is not None and s in known and not changed_predicates(before, lines_out[slice(*known[s])]) & shaped:
            quiet.add(s)
    if lines_out:
        store.load(input="".join(lines_out).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.DefaultGraph())
    return store, tmp / SUBJECT_INDEX, count, changed, quiet, len(lines_out) - removed


def changed_predicates(before: list[ox.Quad], lines: list[str]) -> set[str]:
    """The predicates whose objects differ between a subject's stored triples and its new N-Triples lines.
    Both sides are written as N-Triples terms; where the two writers differ in form (an escape, say), the
    predicate counts as changed, which only widens the validation."""
    old = {(q.predicate.value, str(q.object)) for q in before}
    new = set()
    for line in lines:
        p_start = line.index(" <") + 2
        p_end = line.index("> ", p_start)
        new.add((line[p_start:p_end], line[p_end + 2 : line.rindex(" .")]))
    return {p for p, _o in old ^ new}


class _Finisher:
    """What a written generation needs besides validation, in a thread of its own while SHACL runs: the
    store compacted (``compact``: after a bulk load; 33 s at 10^5 documents), its triples counted (5–7 s; only
    after a delta whose last generation did not give its count, see _delta: a build from scratch knows the
    lines it wrote) and the subjects' digests kept in ``gen`` (subject_digests.write_digests, from the file
    _scratch or _delta left: 10 s). All of it runs outside the GIL or between the validation's queries, on the
    core the validation leaves idle (its checks keep 1.5 cores busy). ``join`` waits for it and returns the
    number of triples (0 when not ``count``)."""

    def __init__(self, store: ox.Store, digests: Path, gen: Path, compact: bool, count: bool = True) -> None:
        self.triples = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(store, digests, gen, compact, count),
                                       name="docgraph-finish", daemon=True)
        self.thread.start()

    def _run(self, store: ox.Store, digests: Path, gen: Path, compact: bool, count: bool) -> None:
        try:
            store.flush()
            if compact:
                store.optimize()
            if count:
                self.triples = len(store)
            write_digests(digests, gen)
        except BaseException as e:  # raised by join; without this frame, which holds the store (see _Loader)
            self.error = e.with_traceback(None)

    def join(self, raising: bool = True) -> int:
        self.thread.join()
        if raising and self.error is not None:
            raise self.error
        return self.triples


class Shaped(NamedTuple):
    """What a store keeps of its checks (``SHAPED``): what they read, and the compiled checks themselves
    (None when a shape is left to pySHACL: then they are compiled again from the shapes)."""

    reads: CheckReads
    checks: tuple[SparqlCheck, ...] | None


def _shaped(prev: Path | None, tmp: Path) -> Shaped:
    """:func:`~docgraph.validate_store.check_reads` and the compiled checks, kept from generation to
    generation (``SHAPED``) while the checks stay the same: worked out once (by a build from scratch), not
    on every delta or local build. (Compiling the checks parses the shapes with rdflib: 0.2 s of a one-file
    rebuild whose own validation takes 0.03 s.)"""
    key = checks_key()
    try:
        if prev is None:
            raise ValueError("no generation before")
        kept_key, *kept = pickle.loads((prev / SHAPED).read_bytes())
        if kept_key != key:
            raise ValueError("other checks")
        if len(kept) != len(CheckReads._fields) + 1:
            raise ValueError("an older store's")
        *fields, checks = kept
        shaped = Shaped(CheckReads(*fields), checks)
    except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError):
        rest, compiled = _split_shapes()
        shaped = Shaped(check_reads(), None if has_constraints(rest) else compiled)
    atomic_write_bytes(tmp / SHAPED, pickle.dumps((key, *shaped.reads, shaped.checks),
                                                  protocol=pickle.HIGHEST_PROTOCOL))
    return shaped


def ready_checks() -> None:
    """Compile the checks and work out what they read (cached for the process: 1.6 s, rdflib parsing each
    query), which a build from scratch needs once its store is loaded (``_shaped``, validate_store). The
    build's process does it while the corpus process resolves on one core (build_process)."""
    _split_shapes()
    check_reads()


# A change whose focus holds more than 1/WHOLE_GRAPH_SHARE of the subjects is validated on the whole store: at
# 10k documents, 225,632 focus nodes took 62 s in neighbourhoods and the whole store takes 12.6 s
WHOLE_GRAPH_SHARE = 10


def write_generation(root: str | os.PathLike[str], subjects: Subjects | None, manifest: dict[str, Any], *,
                     validate: bool = True, incremental: bool = True, wait: bool = True,
                     extra: Callable[[Path], None] | None = None,
                     progress: Callable[[str], None] | None = None,
                     chunks: Callable[[Path], Chunks] | None = None) -> WriteOutcome:
    """Write the graph given as ``subjects`` as the store's next generation and make it current, unless
    it fails validation (then nothing changes and the outcome carries the report). ``chunks`` instead of
    ``subjects``: the graph is written from scratch into the generation's folder by that function, as
    :func:`write_chunks` does (build_process runs it in another process)."""
    root = Path(root)
    with build_lock(root, wait=wait):
        gen, tmp = next_generation(root)
        t0 = time.perf_counter()
        store = None  # bound for the cleanup below
        try:
            prev = _previous(root) if incremental and chunks is None else None
            shaped, counted = None, None  # counted: the triples, as the lines written or a delta's arithmetic give them
            if prev is None:
                emitted = chunks(tmp) if chunks is not None else write_chunks(tmp, subjects or (), progress)
                store, digests, written = _scratch(tmp, emitted)
                out = WriteOutcome(None, "scratch", subjects=written.subjects)
                counted = written.triples
                if validate:  # for the delta and local builds that follow
                    _shaped(None, tmp)
            else:
                assert subjects is not None
                shaped = _shaped(prev[0], tmp) if validate else None
                store, digests, count, changed, quiet, net = _delta(tmp, prev[0], prev[1], subjects,
                                                                    shaped.reads.predicates if shaped else None)
                out = WriteOutcome(None, "delta", subjects=count, changed=changed, quiet=quiet)
                counted = prev[2] + net if prev[2] is not None else None
            out.timings["write"] = round(time.perf_counter() - t0, 3)
            out.peak_rss["write"] = peak_rss_mib()
            give_back_memory()  # what the bulk loader or the corpus freed, before validation needs its own
            # compacting the store and keeping the digests go on beside the validation (_Finisher)
            finisher = _Finisher(store, digests, tmp, compact=out.mode == "scratch", count=counted is None)
            del digests
            t0 = time.perf_counter()
            try:
                if validate:
                    focus = None if out.mode == "scratch" else focus_of_change(store, out.changed, out.quiet)
                    if focus is not None and len(focus) > out.subjects // WHOLE_GRAPH_SHARE:
                        focus = None  # copying out so many neighbourhoods costs more than checking the whole store
                    out.focus = len(focus) if focus is not None else out.subjects
                    if progress:
                        progress(f"validating {out.focus:,} nodes")
                    out.report = validate_store(store, focus, *(shaped or (None, None)))
                    out.timings["validate"] = round(time.perf_counter() - t0, 3)
                    out.peak_rss["validate"] = peak_rss_mib()
            except BaseException:
                finisher.join(raising=False)
                raise
            t0 = time.perf_counter()
            out.triples = finisher.join(raising=out.report is None or out.report.conforms)
            if counted is not None:
                out.triples = counted
            if out.report is not None and not out.report.conforms:
                store = None
                shutil.rmtree(tmp, ignore_errors=True)
                return out
            out.timings["finish"] = round(time.perf_counter() - t0, 3)  # what was left after validation
            store = None
            manifest = dict(manifest, triples=out.triples, layout=LAYOUT, mode=out.mode,
                            changed_subjects=len(out.changed), validated_nodes=out.focus,
                            timings={**manifest.get("timings", {}), **out.timings},
                            peak_rss_mib={**manifest.get("peak_rss_mib", {}), **out.peak_rss})
            atomic_write_text(tmp / "build.json", manifest_json(manifest))
            if extra is not None:
                extra(tmp)
        except BaseException:
            del store  # closed before its folder goes
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        publish(root, tmp, gen)
        out.generation = gen
        return out
