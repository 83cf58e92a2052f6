"""The main job: texts -> parsed -> resolved -> triples -> SHACL-validated -> store.

``build(paths, store=…)`` is the library entry point behind ``docgraph build``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .atomic import atomic_write_bytes
from .cache import FileState, PackedDocuments, PackedInfo, PackWriter, ParseCache, file_state, pack, parse_key
from .errors import InputError
from .heap import give_back_memory, paused_gc, peak_rss_mib, trim_heap
from .inputs import collect_inputs
from .model import ParsedDocument, Warning_
from .ntriples import corpus_subjects, vocabulary_subjects
from .parse import parse_file
from .remote import is_url, load_remote
from .resolve import Corpus, pack_head, pack_lean, resolution_sig, resolve
from .store_write import Chunks, write_generation
from .validate import Report
from .validate_store import validate_store


@dataclass
class BuildResult:
    documents: PackedDocuments = field(default_factory=PackedDocuments)  # slim, packed; emptied once resolved
    files: int = 0  # files read (not refused)
    files_warned: int = 0  # of which with extractor warnings
    refused: list[InputError] = field(default_factory=list)
    corpus: Corpus | None = None  # kept only with build(keep_corpus=True): at 10^5 documents it is gigabytes
    counts: dict[str, int] = field(default_factory=dict)  # documents, in_corpus, relations, assignments, …
    warnings: Sequence[Warning_] = field(default_factory=list)  # (a local build's: local_build.WarningTexts)
    report: Report | None = None
    store_path: Path | None = None
    written: bool = False
    triples: int = 0  # in the store, vocabularies included
    mode: str = ""  # "scratch" | "delta" (embedded store), "remote"
    changed: int = 0  # subjects changed or removed by a delta build
    parsed: int = 0  # files parsed (the others came from the parse cache)
    timings: dict[str, float] = field(default_factory=dict)
    peak_rss: dict[str, int] = field(default_factory=dict)  # MiB of this process so far, after each stage
    _clock: float = field(default_factory=time.perf_counter, repr=False)

    def lap(self, stage: str) -> None:
        """Record the seconds since the last lap (or since this result was made) and the peak RSS so far."""
        now = time.perf_counter()
        self.timings[stage] = round(now - self._clock, 3)
        self.peak_rss[stage] = peak_rss_mib()
        self._clock = now


@dataclass(frozen=True, slots=True)
class Seen:
    """How a build saw an input file: its parse cache key and its ``stat`` state (see cache.file_state)."""

    key: str | None
    state: FileState


Parsed = tuple[bytes, PackedInfo, bool, Seen] | tuple[InputError, None, bool, Seen]


def _parse_one(job: tuple[Path, str | None], write: bool = True) -> Parsed:
    """(the slim parsed document packed, what the build needs of it, whether it was parsed now rather than
    read from the cache, how the file was seen), or the refusal in place of the first two. Packing and
    unpacking happen here, in the worker: the main process only keeps the packed bytes. A fresh parse goes
    into the cache here only with ``write`` (:func:`parse_inputs` packs them itself, see cache.PackWriter)."""
    path, cache_root = job
    name = _display(path)
    cache = ParseCache(cache_root) if cache_root else None
    key, state = None, None
    if cache is not None:
        try:
            state = file_state(path)  # before the bytes are read: an edit after it changes the state
            key = parse_key(path, name)
        except OSError:
            key, state = None, None
        entry = cache.get_raw(key) if key else None
        doc = ParseCache.load(entry) if entry is not None else None  # a damaged entry is a miss
        if entry is not None and doc is not None:
            return entry, _info(doc), False, Seen(key, state)
        if entry is not None and key:
            cache.discard(key)  # damaged: its file goes (the parse below is kept in its place)
    try:
        doc = parse_file(path, name).slim()
    except InputError as e:
        return e, None, True, Seen(key, state)
    packed = pack(doc)
    if cache is not None and key and write:
        cache.put(key, packed)
    return packed, _info(doc), True, Seen(key, state)


def _info(doc: ParsedDocument) -> PackedInfo:
    """What the build reads of a document without unpacking it, made here in the parse worker: the head the
    first pass of resolve reads, and the signature and lean copy the local-build index keeps (37 µs a
    document: at 10^5 documents 3.7 s of the single core resolve runs on, against half that here on two)."""
    return PackedInfo(doc.source, doc.content_hash, bool(doc.warnings), doc.converted is not None, pack_head(doc),
                      resolution_sig(doc), pack_lean(doc))


def parse_inputs(paths: list[str], progress: Callable[[str], None] | None = None, jobs: int | None = None,
                 cache_dir: str | os.PathLike[str] | None = None
                 ) -> tuple[PackedDocuments, list[InputError], int, dict[str, Seen]]:
    """Parse every input file (slim copies, kept packed), on ``jobs`` processes (default: one per core for
    more than 50 files), reading unchanged files from the parse cache in ``cache_dir``, where this process
    keeps the fresh parses (in packs when there are many, see cache.PackWriter). Results come back in
    input order whatever the number of processes; then how many files were parsed now, and how each file
    was seen (by name)."""
    files = collect_inputs(paths)
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(files) > 50 else 1
    work = [(f, str(cache_dir) if cache_dir else None) for f in files]
    docs, refused, fresh, seen = PackedDocuments(), [], 0, {}
    writer = PackWriter(ParseCache(cache_dir)) if cache_dir else None

    def take(path: Path, r: Parsed) -> None:
        nonlocal fresh
        if isinstance(r[0], InputError):
            refused.append(r[0])
        else:
            assert r[1] is not None
            docs.append(r[0], r[1])
            if r[2] and writer is not None and r[3].key:
                writer.add(r[3].key, r[0])
        fresh += r[2]
        seen[_display(path)] = r[3]

    parse = partial(_parse_one, write=False)
    try:
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for n, (path, r) in enumerate(zip(files, pool.map(parse, work, chunksize=32), strict=True),
                                              start=1):
                    if progress and (n % 500 == 0 or n == len(work)):
                        progress(f"read {n:,}/{len(work):,} files")
                    take(path, r)
        else:
            for path, job in zip(files, work, strict=True):
                if progress:
                    progress(f"reading {path}")
                take(path, parse(job))
    finally:
        if writer is not None:
            writer.close()  # (stopped half-way: the parses so far are kept)
    return docs, refused, fresh, seen


def _display(path: Path) -> str:
    """A file as the user named it: relative under a relative folder, absolute under an absolute one."""
    return str(path)


def _keep_converted(generation: Path, docs: list[ParsedDocument]) -> None:
    """Keep each converted text (HTML, Word, PDF, legacy encoding) beside the store: spans point into it."""
    from .convert import write_converted

    for d in docs:
        if d.converted is not None:
            write_converted(generation, d.source, d.converted)


def default_cache_dir(store: str | os.PathLike[str] | None) -> Path | None:
    """``DOCGRAPH_CACHE``, else ``<store>/cache`` for an embedded store, else none (remote store)."""
    if os.environ.get("DOCGRAPH_CACHE"):
        return Path(os.environ["DOCGRAPH_CACHE"])
    if store is None or is_url(store):
        return None
    return Path(store) / "cache"


@dataclass
class Prepared:
    """The corpus side of a build, done: the result so far, the manifest, the resolution index file (embedded
    store), the converted texts to keep, how each file was seen, the graph's subjects (None once they
    are handed over, or when the corpus was resolved in another process), and each file's content hash."""

    res: BuildResult
    manifest: dict[str, Any]
    index: Path | None
    converted: list[ParsedDocument]
    seen: dict[str, Seen]
    subjects: Iterator[tuple[str, list[str]]] | None
    hashes: dict[str, str] = field(default_factory=dict)


def prepare(paths: list[str], store: str | os.PathLike[str] | None, *, keep_going: bool = False,
            progress: Callable[[str], None] | None = None, jobs: int | None = None,
            cache: str | os.PathLike[str] | None = None, keep_corpus: bool = False,
            stage: Callable[[str], None] | None = None) -> Prepared | BuildResult:
    """Parse, resolve and (for an embedded store) index: everything a build does before it writes. A
    BuildResult when files were refused and not ``keep_going`` (nothing to write). ``stage`` is told
    ``"resolve"`` as the resolution starts (build_process readies the checks then, see there)."""
    res = BuildResult()
    lap = res.lap
    embedded = store is not None and not is_url(store)
    # millions of objects, no cycles (see docgraph.heap): collections stay off until the corpus is handed on, as
    # each full one walks all of it (at 10^5 documents, handing the result to the build's process took 8.7 s
    # of one core with them on, 1.3 s with them off)
    with paused_gc():
        res.documents, res.refused, res.parsed, seen = parse_inputs(paths, progress, jobs, cache)
        lap("parse")
        if res.refused and not keep_going:
            return res
        if stage:
            stage("resolve")
        if progress:
            progress(f"resolving {len(res.documents):,} documents")
        corpus: Corpus | None = resolve(res.documents, trace=embedded)
        assert corpus is not None
        lap("resolve")
        index = None
        if embedded:  # what the next build needs to redo a changed file alone (docgraph.local_build)
            from .local_build import write_index

            assert store is not None
            Path(store).mkdir(parents=True, exist_ok=True)
            index = Path(store) / f".resolution.{os.getpid()}.sqlite"
            if progress:
                progress("indexing for local builds")
            write_index(index, corpus)
            corpus.traces = None
            lap("index")
        res.warnings = corpus.warnings
        res.counts = {
            "documents": len(corpus.documents), "in_corpus": sum(1 for d in corpus.documents.values() if d.in_corpus),
            "relations": len(corpus.relations), "assignments": len(corpus.tasks),
            "bodies": sum(1 for o in corpus.orgs.values() if o.kind == "organization"),
            "collectives": sum(1 for o in corpus.orgs.values() if o.kind == "collective"),
        }
        res.corpus = corpus if keep_corpus else None

        def subjects() -> Iterator[tuple[str, list[str]]]:
            """The graph subject by subject; the corpus is let go as soon as its subjects are out."""
            nonlocal corpus
            assert corpus is not None
            with paused_gc():
                yield from corpus_subjects(corpus)
            corpus = None
            give_back_memory()
            yield from vocabulary_subjects()

        # the corpus holds all it needs: free the parsed documents before the triples are written (at 10^5
        # documents they are gigabytes), keeping the converted texts the store keeps beside it
        info = res.documents.info
        res.files, res.files_warned = len(info), sum(1 for i in info if i.warned)
        converted = [res.documents[n] for n, i in enumerate(info) if i.converted]
        files = {i.source: i.content_hash for i in info}
        res.documents = PackedDocuments()
        del info
        # the packed documents came in on the worker pool's thread, into its own malloc arena: freed, their
        # pages stay resident beside the emission unless handed back (at 10^5 documents 403 MiB, and the
        # build's peak went 3,943 -> 3,808 MiB)
        trim_heap()
        manifest = {
            "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "file_count": len(files),
            "refused": [str(e) for e in res.refused],
            "documents": res.counts["documents"],
            "counts": dict(res.counts),
            "files_warned": res.files_warned,
            "relations": res.counts["relations"],
            "assignments": res.counts["assignments"],
            "warnings": [str(w) for w in res.warnings],
            "files_parsed": res.parsed,
            "timings": dict(res.timings),
            "peak_rss_mib": dict(res.peak_rss),
        }
        return Prepared(res, manifest, index, converted, seen, subjects(), files)


# From this many input files on, a build from scratch into an embedded store parses, resolves and emits
# in a process of its own (build_process), whose heap goes back to the system before the load and SHACL
SEPARATE_PROCESS_FILES = 5_000


def _from_scratch(store: str | os.PathLike[str], incremental: bool) -> bool:
    """Whether a build into this embedded store will write from scratch (no usable current generation)."""
    from .store_write import LAYOUT

    current = Path(store) / "current"
    if not incremental or not current.exists():
        return True
    try:
        return json.loads((current / "build.json").read_text("utf-8")).get("layout") != LAYOUT
    except (OSError, ValueError):
        return True


def build(paths: list[str], store: str | os.PathLike[str] | None, *, keep_going: bool = False,
          validate: bool = True, progress: Callable[[str], None] | None = None,
          jobs: int | None = None, cache_dir: str | os.PathLike[str] | None = None,
          incremental: bool = True, keep_corpus: bool = False,
          separate_process: bool | None = None) -> BuildResult:
    """Build the graph of ``paths``. The store is written only when nothing was refused (or
    ``keep_going``) and the graph conforms to the shapes; otherwise the previous build stays.

    Unchanged files come from the parse cache; an embedded store is updated as a delta of its last
    build (only changed subjects rewritten and validated) unless ``incremental`` is false, and when the
    change is local to a few files, they alone are redone (``mode == "local"``, see
    :mod:`docgraph.local_build`). The resolved corpus is dropped once its triples are written (before
    validation), unless ``keep_corpus`` (which also rules out a local build). ``separate_process``: parse,
    resolve and emit in a process of their own and write from scratch (see :mod:`docgraph.build_process`);
    by default, when a build into an embedded store would write from scratch anyway and has
    :data:`SEPARATE_PROCESS_FILES` files or more. ``build.json`` then records the peak memory of that
    process for the stages up to ``emit`` and of this one for ``write`` and ``validate``."""
    cache = cache_dir if cache_dir is not None else default_cache_dir(store)
    embedded = store is not None and not is_url(store)
    if embedded and incremental and cache is not None and not keep_corpus:  # a local build resolves no corpus
        from .local_build import local_build

        assert store is not None
        done = local_build(paths, store, cache_dir=Path(cache), validate=validate, progress=progress)
        if done is not None:
            return done
    if embedded and not keep_corpus:
        assert store is not None
        if separate_process is None:
            separate_process = (_from_scratch(store, incremental)
                                and len(collect_inputs(paths)) >= SEPARATE_PROCESS_FILES)
        if separate_process:
            from .build_process import build_in_child

            return build_in_child(paths, store, keep_going=keep_going, validate=validate, progress=progress,
                                  jobs=jobs, cache=cache, prune=_own_cache(store, cache_dir))
    prep = prepare(paths, store, keep_going=keep_going, progress=progress, jobs=jobs, cache=cache,
                   keep_corpus=keep_corpus)
    if isinstance(prep, BuildResult):
        return prep
    res = prep.res
    if embedded:
        assert store is not None
        return write_embedded(prep, store, validate=validate, incremental=incremental, progress=progress,
                              prune=_own_cache(store, cache_dir))
    assert prep.subjects is not None
    with tempfile.TemporaryDirectory(prefix="docgraph-") as tmp:  # no embedded store: validate on a scratch one
        data = Path(tmp) / "graph.nt"
        with open(data, "w", encoding="utf-8", newline="\n") as fh:
            for _s, lines in prep.subjects:
                fh.writelines(lines)
        scratch = ox.Store(str(Path(tmp) / "oxigraph"))
        scratch.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
        res.triples = len(scratch)
        res.lap("triples")
        if validate:
            res.report = validate_store(scratch, None)
            res.lap("validate")
            if not res.report.conforms:
                return res
        if store is not None:
            res.mode = "remote"
            load_remote(str(store), data)
            res.written = True
    return res


def write_embedded(prep: Prepared, store: str | os.PathLike[str], *, validate: bool, incremental: bool,
                   progress: Callable[[str], None] | None, prune: Path | None,
                   chunks: Callable[[Path], Chunks] | None = None) -> BuildResult:
    """Write a prepared build into the embedded store (its subjects, or ``chunks`` written elsewhere), keep
    the converted texts, the resolution index and the files' states beside it, and drop from the parse
    cache ``prune`` the files gone or changed."""
    res, index = prep.res, prep.index
    assert index is not None

    def extra(gen: Path) -> None:
        from .local_build import FILES, HASHES, RESOLUTION, hashes_pickle, seen_pickle

        _keep_converted(gen, prep.converted)
        os.replace(index, gen / RESOLUTION)
        atomic_write_bytes(gen / FILES, seen_pickle(prep.seen))
        atomic_write_bytes(gen / HASHES, hashes_pickle(prep.hashes))

    subjects, prep.subjects = prep.subjects, None
    try:
        out = write_generation(store, subjects, prep.manifest, validate=validate, incremental=incremental,
                               progress=progress, extra=extra, chunks=chunks)
    finally:
        index.unlink(missing_ok=True)
    res.report, res.mode, res.triples, res.changed = out.report, out.mode, out.triples, len(out.changed)
    res.lap("store and validate")
    res.timings.update(out.timings)
    res.peak_rss.update(out.peak_rss)
    if out.generation is None:
        return res
    res.store_path, res.written = out.generation, True
    if prune is not None:
        ParseCache(prune).prune({s.key for s in prep.seen.values() if s.key})
    return res


def _own_cache(store: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None) -> Path | None:
    """The store's own parse cache, which a build prunes; not one given by the caller or ``DOCGRAPH_CACHE``."""
    return None if cache_dir is not None or os.environ.get("DOCGRAPH_CACHE") else default_cache_dir(store)
