"""The main job: texts -> parsed -> resolved -> triples -> SHACL-validated -> store.

``build(paths, store=…)`` is the library entry point behind ``docgraph build``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .cache import ParseCache, parse_key
from .errors import InputError
from .model import ParsedDocument, Warning_
from .ntriples import corpus_subjects, vocabulary_subjects
from .parse import parse_file
from .reading import collect_inputs
from .remote import is_url, load_remote
from .resolve import Corpus, resolve
from .store_write import write_generation
from .validate import Report
from .validate_store import validate_store


@dataclass
class BuildResult:
    documents: list[ParsedDocument] = field(default_factory=list)  # slim copies; emptied once resolved
    files: int = 0  # files read (not refused)
    files_warned: int = 0  # of which with extractor warnings
    refused: list[InputError] = field(default_factory=list)
    corpus: Corpus | None = None
    report: Report | None = None
    store_path: Path | None = None
    written: bool = False
    triples: int = 0  # in the store, vocabularies included
    mode: str = ""  # "scratch" | "delta" (embedded store), "remote"
    changed: int = 0  # subjects changed or removed by a delta build
    parsed: int = 0  # files parsed (the others came from the parse cache)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Warning_]:
        return self.corpus.warnings if self.corpus else []


def _parse_one(job: tuple[Path, str | None, bool]) -> tuple[ParsedDocument | InputError | bytes, bool, str | None]:
    """(slim parsed document, or the refusal, or with ``raw`` the compressed cache entry; whether it was
    parsed now rather than read from the cache; its cache key)."""
    path, cache_root, raw = job
    name = _display(path)
    cache = ParseCache(cache_root) if cache_root else None
    key = None
    if cache is not None:
        try:
            key = parse_key(path, name)
        except OSError:
            key = None
        entry = cache.get_raw(key) if key else None
        hit = entry if raw else ParseCache.load(entry) if entry is not None else None
        if hit is not None:
            return hit, False, key
    try:
        doc = parse_file(path, name).slim()
    except InputError as e:
        return e, True, key
    if cache is not None and key:
        cache.put(key, doc)
    return doc, True, key


def parse_inputs(paths: list[str], progress: Callable[[str], None] | None = None, jobs: int | None = None,
                 cache_dir: str | os.PathLike[str] | None = None
                 ) -> tuple[list[ParsedDocument], list[InputError], int, set[str]]:
    """Parse every input file (slim copies), on ``jobs`` processes (default: one per core for more than 50
    files), reading unchanged files from the parse cache in ``cache_dir``. Results come back in input
    order whatever the number of processes; then how many files were parsed now, and the cache keys."""
    files = collect_inputs(paths)
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(files) > 50 else 1
    root = str(cache_dir) if cache_dir else None
    results: list[tuple[ParsedDocument | InputError | bytes, bool, str | None]] = []
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            work = [(f, root, True) for f in files]
            for n, (path, r) in enumerate(zip(files, pool.map(_parse_one, work, chunksize=32), strict=True), 1):
                if progress and (n % 500 == 0 or n == len(work)):
                    progress(f"read {n:,}/{len(work):,} files")
                if isinstance(r[0], bytes):  # a cache hit, unpickled here only; a damaged one is parsed again
                    doc = ParseCache.load(r[0])
                    r = (doc, False, r[2]) if doc is not None else _parse_one((path, root, False))
                results.append(r)
    else:
        for path in files:
            if progress:
                progress(str(path))
            results.append(_parse_one((path, root, False)))
    docs = [r for r, _, _ in results if isinstance(r, ParsedDocument)]
    refused = [r for r, _, _ in results if isinstance(r, InputError)]
    return docs, refused, sum(1 for _, fresh, _ in results if fresh), {k for _, _, k in results if k}


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


def graph_subjects(corpus: Corpus) -> Iterator[tuple[str, list[str]]]:
    """The whole graph of a build, subject by subject: the corpus and the vocabularies it refers to."""
    yield from corpus_subjects(corpus)
    yield from vocabulary_subjects()


def build(paths: list[str], store: str | os.PathLike[str] | None, *, keep_going: bool = False,
          validate: bool = True, progress: Callable[[str], None] | None = None,
          jobs: int | None = None, cache_dir: str | os.PathLike[str] | None = None,
          incremental: bool = True) -> BuildResult:
    """Build the graph of ``paths``. The store is written only when nothing was refused (or
    ``keep_going``) and the graph conforms to the shapes; otherwise the previous build stays.

    Unchanged files come from the parse cache; an embedded store is updated as a delta of its last
    build (only changed subjects rewritten and validated) unless ``incremental`` is false."""
    res = BuildResult()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        res.timings[name] = round(now - clock, 3)
        clock = now

    cache = cache_dir if cache_dir is not None else default_cache_dir(store)
    res.documents, res.refused, res.parsed, keys = parse_inputs(paths, progress, jobs, cache)
    lap("parse")
    if res.refused and not keep_going:
        return res
    res.corpus = resolve(res.documents)
    lap("resolve")
    # the corpus holds all it needs: free the parsed documents before the triples are written (at 10^5
    # documents they are gigabytes), keeping the converted texts the store keeps beside it
    res.files, res.files_warned = len(res.documents), sum(1 for d in res.documents if d.warnings)
    converted = [d for d in res.documents if d.converted is not None]
    files = {d.source: d.content_hash for d in res.documents}
    res.documents = []
    manifest = {
        "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "files": files,
        "refused": [str(e) for e in res.refused],
        "documents": len(res.corpus.documents),
        "relations": len(res.corpus.relations),
        "assignments": len(res.corpus.tasks),
        "warnings": [str(w) for w in res.corpus.warnings],
        "files_parsed": res.parsed,
        "timings": dict(res.timings),
    }
    if store is not None and not is_url(store):
        out = write_generation(store, graph_subjects(res.corpus), manifest, validate=validate,
                               incremental=incremental, progress=progress,
                               extra=lambda gen: _keep_converted(gen, converted))
        res.report, res.mode, res.triples, res.changed = out.report, out.mode, out.triples, len(out.changed)
        lap("store and validate")
        res.timings.update(out.timings)
        if out.generation is None:
            return res
        res.store_path, res.written = out.generation, True
        if cache_dir is None and not os.environ.get("DOCGRAPH_CACHE") and cache is not None:
            ParseCache(cache).prune(keys)  # the store's own cache: drop parses of files gone or changed
        return res
    with tempfile.TemporaryDirectory(prefix="docgraph-") as tmp:  # no embedded store: validate on a scratch one
        data = Path(tmp) / "graph.nt"
        with open(data, "w", encoding="utf-8", newline="\n") as fh:
            for _s, lines in graph_subjects(res.corpus):
                fh.writelines(lines)
        scratch = ox.Store(str(Path(tmp) / "oxigraph"))
        scratch.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        res.triples = len(scratch)
        lap("triples")
        if validate:
            res.report = validate_store(scratch, None)
            lap("validate")
            if not res.report.conforms:
                return res
        if store is not None:
            res.mode = "remote"
            load_remote(str(store), data)
            res.written = True
    return res
