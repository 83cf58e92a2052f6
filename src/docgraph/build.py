"""The main job: texts -> parsed -> resolved -> triples -> SHACL-validated -> store.

``build(paths, store=…)`` is the library entry point behind ``docgraph build``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import InputError
from .model import ParsedDocument, Warning_
from .parse import parse_file
from .reading import collect_inputs
from .remote import is_url, load_remote
from .resolve import Corpus, resolve
from .store import write_store
from .triples import corpus_graph
from .validate import Report, validate_graph
from .vocab import vocabulary_graph


@dataclass
class BuildResult:
    documents: list[ParsedDocument] = field(default_factory=list)
    refused: list[InputError] = field(default_factory=list)
    corpus: Corpus | None = None
    graph: Graph | None = None
    report: Report | None = None
    store_path: Path | None = None
    written: bool = False

    @property
    def warnings(self) -> list[Warning_]:
        return self.corpus.warnings if self.corpus else []


def _parse_one(path: Path) -> ParsedDocument | InputError:
    try:
        return parse_file(path, _display(path))
    except InputError as e:
        return e


def parse_inputs(paths: list[str], progress: Callable[[str], None] | None = None, jobs: int | None = None
                 ) -> tuple[list[ParsedDocument], list[InputError]]:
    """Parse every input file, on ``jobs`` processes (default: one per core for more than 50 files).
    Results come back in input order whatever the number of processes."""
    files = collect_inputs(paths)
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(files) > 50 else 1
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = []
            for path, r in zip(files, pool.map(_parse_one, files, chunksize=16), strict=True):
                if progress:
                    progress(str(path))
                results.append(r)
    else:
        results = []
        for path in files:
            if progress:
                progress(str(path))
            results.append(_parse_one(path))
    docs = [r for r in results if isinstance(r, ParsedDocument)]
    refused = [r for r in results if isinstance(r, InputError)]
    return docs, refused


def _display(path: Path) -> str:
    """A file as the user named it: relative under a relative folder, absolute under an absolute one."""
    return str(path)


def _keep_converted(generation: Path, docs: list[ParsedDocument]) -> None:
    """Keep each converted text (HTML, Word, PDF, legacy encoding) beside the store: spans point into it."""
    from .convert import write_converted

    for d in docs:
        if d.converted is not None:
            write_converted(generation, d.source, d.converted)


def build(paths: list[str], store: str | os.PathLike[str] | None, *, keep_going: bool = False,
          validate: bool = True, progress: Callable[[str], None] | None = None,
          jobs: int | None = None) -> BuildResult:
    """Build the graph of ``paths``. The store is written only when nothing was refused (or
    ``keep_going``) and the graph conforms to the shapes; otherwise the previous build stays."""
    res = BuildResult()
    res.documents, res.refused = parse_inputs(paths, progress, jobs)
    if res.refused and not keep_going:
        return res
    res.corpus = resolve(res.documents)
    res.graph = corpus_graph(res.corpus)
    if validate:
        res.report = validate_graph(res.graph)
        if not res.report.conforms:
            return res
    if store is not None:
        manifest = {
            "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "files": {d.source: d.content_hash for d in res.documents},
            "refused": [str(e) for e in res.refused],
            "documents": len(res.corpus.documents),
            "relations": len(res.corpus.relations),
            "assignments": len(res.corpus.tasks),
            "warnings": [str(w) for w in res.corpus.warnings],
        }
        if is_url(store):
            load_remote(str(store), [res.graph, vocabulary_graph()])
        else:
            res.store_path = write_store(store, [res.graph, vocabulary_graph()], manifest,
                                         extra=lambda gen: _keep_converted(gen, res.documents))
        res.written = True
    return res
