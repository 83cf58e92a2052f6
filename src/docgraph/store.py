"""The embedded default store: an on-disk pyoxigraph store behind one small interface.

Layout of a store folder (default ``.docgraph/``, or ``--store`` / ``DOCGRAPH_STORE``)::

    .docgraph/
      lock              held (fcntl) while a build writes; a second build waits or refuses
      current -> gen-3  symlink, replaced atomically when a build has succeeded
      gen-3/oxigraph/   the RocksDB store of that build
      gen-3/build.json  what went into it (counts, warnings, seconds and memory per stage)
      gen-3/hashes.pickle  each input file and its content hash, in input order

A build writes a new generation and only then swaps ``current``: killed at any point, the previous
build stays readable and unchanged. Readers open ``current`` read-only.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .atomic import atomic_write_text
from .errors import StoreError
from .namespaces import PREFIXES

DEFAULT_STORE = ".docgraph"


def default_store_path() -> Path:
    return Path(os.environ.get("DOCGRAPH_STORE", DEFAULT_STORE))


def to_ox(term: Any) -> Any:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Any:
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value if term.datatype else None
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            dt = None
        return Literal(term.value, datatype=URIRef(dt) if dt else None)
    if term is None:
        return None
    raise TypeError(f"not an RDF term: {term!r}")


@dataclass
class QueryResult:
    """Rows of a SELECT (``variables`` + ``rows`` of rdflib terms), an ASK boolean, or a graph."""

    variables: list[str]
    rows: list[list[Any]]
    boolean: bool | None = None
    graph: Graph | None = None


def substitute(sparql: str, params: dict[str, Any] | None) -> str:
    """Replace ``?name`` / ``$name`` by the term (N3 syntax, escaped); works with any SPARQL engine."""
    for name, term in (params or {}).items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a variable name: {name!r}")
        sparql = re.sub(rf"[?$]{name}(?![A-Za-z0-9_])", lambda _m, t=term: t.n3(), sparql)
    return sparql


class Store:
    """A built docgraph store, opened read-only."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(path) if path is not None else default_store_path()
        current = self.root / "current"
        if not current.exists():
            raise StoreError(f"{self.root}: no build here yet (run: docgraph build data/ --store {self.root})")
        self.generation = current.resolve()
        try:
            self._ox = ox.Store.read_only(str(self.generation / "oxigraph"))
        except OSError as e:
            raise StoreError(f"{self.root}: cannot open the store ({e})") from None

    @functools.cached_property
    def manifest(self) -> dict[str, Any]:
        """The generation's ``build.json`` (empty when unreadable): read when asked for, as no query needs it
        (2.2 MB at 10^5 files, nearly all of it warnings; it was 13 MB with each file's hash and cost every
        command 0.12 s)."""
        try:
            manifest: dict[str, Any] = json.loads((self.generation / "build.json").read_text("utf-8"))
        except (OSError, ValueError):
            manifest = {}
        return manifest

    # -- reading ----------------------------------------------------------------------------
    def query(self, sparql: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run SPARQL with docgraph's prefixes predeclared; ``params`` bind variables (rdflib terms)."""
        try:
            res = self._ox.query(substitute(sparql, params), prefixes=PREFIXES)
        except SyntaxError as e:
            raise ValueError(f"SPARQL syntax error: {e}") from None
        if isinstance(res, ox.QueryBoolean):
            return QueryResult([], [], boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = [[from_ox(sol[v]) for v in variables] for sol in res]
            return QueryResult(variables, rows)
        g = Graph()
        for t in res:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return QueryResult([], [], graph=g)

    def __len__(self) -> int:
        return len(self._ox)

    @property
    def ox_store(self) -> ox.Store:
        """The underlying (read-only) pyoxigraph store."""
        return self._ox

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The whole graph serialized by oxigraph (fast), default graph only."""
        return self._ox.dump(format=fmt, from_graph=ox.DefaultGraph())

    def ox_triples(self) -> Iterator[Any]:
        return self._ox.quads_for_pattern(None, None, None, ox.DefaultGraph())

    def triples(self) -> Iterator[tuple[Any, Any, Any]]:
        for q in self._ox.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)

    def rdflib_graph(self) -> Graph:
        g = Graph()
        data = self.dump(ox.RdfFormat.N_TRIPLES)
        g.parse(data=data.decode("utf-8"), format="nt")
        return g


@contextlib.contextmanager
def build_lock(root: Path, wait: bool = True, timeout: float = 600.0) -> Iterator[None]:
    """Hold the store's build lock; a concurrent build waits (or refuses with ``wait=False``)."""
    root.mkdir(parents=True, exist_ok=True)
    fh = open(root / "lock", "a+")
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait or time.monotonic() > deadline:
                    raise StoreError(f"{root}: another build is writing this store; try again when it ends") from None
                time.sleep(0.2)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()


def next_generation(root: Path) -> tuple[Path, Path]:
    """(the next generation's folder, the empty ``.partial`` folder to build it in). Call with the build
    lock held; a partial folder left by a killed build is cleared."""
    nums = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
    gen = root / f"gen-{max(nums, default=0) + 1}"
    tmp = gen.with_name(gen.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return gen, tmp


def write_store(root: str | os.PathLike[str], graphs: list[Graph], manifest: dict[str, Any],
                *, wait: bool = True, extra: Any = None) -> Path:
    """Write a new generation holding ``graphs`` and make it current; returns its folder.
    ``extra(folder)`` may add files to the generation before it becomes current."""
    root = Path(root)
    with build_lock(root, wait=wait):
        gen, tmp = next_generation(root)
        store = ox.Store(str(tmp / "oxigraph"))
        quads = (ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for g in graphs for s, p, o in g)
        store.bulk_extend(quads)
        store.flush()
        store.optimize()
        count = len(store)
        del store
        manifest = dict(manifest, triples=count)
        atomic_write_text(tmp / "build.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        if extra is not None:
            extra(tmp)
        publish(root, tmp, gen)
        return gen


def publish(root: Path, tmp: Path, gen: Path) -> None:
    """Rename the finished ``tmp`` folder to ``gen`` and point ``current`` at it (atomically); drop the
    generations older than the one readers may still have open. Call with the build lock held."""
    os.replace(tmp, gen)
    previous = (root / "current").resolve() if (root / "current").exists() else None
    link_tmp = root / f".current.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    link_tmp.symlink_to(gen.name)
    os.replace(link_tmp, root / "current")
    _fsync_dir(root)
    for old in root.glob("gen-*"):  # keep this build and the one readers may still have open
        if old.resolve() not in (gen.resolve(), previous):
            shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
