"""A build from scratch with its corpus side in a process of its own.

Parsing, resolving and emitting N-Triples leave gigabytes of small objects behind at 10^5 documents; freed,
they still pin most of their pages (pymalloc arenas and the C heap fragment), and the load and SHACL then
run on top of them. Here a child process parses, resolves, writes the resolution index and emits the
triples as chunk files into the new generation's folder; the build's own process loads each chunk while
the child writes the next, then validates, once the child has exited and its memory is back.

The two talk over a pipe, in this order::

    child  -> ("progress", text)* ("stage", "resolve") ("prepared", Prepared) | ("stopped", BuildResult)
    parent -> ("go", generation folder) | ("stop",)
    child  -> ("chunk", path)  parent -> ("ack",) | ("stop",)   … for every chunk
    child  -> ("done", store_write.Written, seconds, peak RSS)
    child  -> ("error", exception, traceback) at any point

On ("stage", "resolve") the build's process readies the checks (store_write.ready_checks) while the child
resolves on one core; it waits for them before the write. Every step waits for the other side (a chunk is
acknowledged once the loader has taken it, as in store_write._Loader), so at most four chunk files exist at
a time (two loading, one waiting, one being written).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .build import BuildResult, Prepared, prepare, write_embedded
from .heap import paused_gc, peak_rss_mib
from .store_write import Chunks, ready_checks, write_chunks


class CorpusProcessError(RuntimeError):
    """The corpus process failed in a way that cannot be handed back as its own exception."""


def _child(conn: Connection, paths: list[str], store: str, keep_going: bool, jobs: int | None,
           cache: str | None) -> None:
    try:
        prep = prepare(paths, store, keep_going=keep_going, jobs=jobs, cache=cache,
                       progress=lambda text: conn.send(("progress", text)),
                       stage=lambda name: conn.send(("stage", name)))
        if isinstance(prep, BuildResult):
            conn.send(("stopped", prep))
            return
        subjects, prep.subjects = prep.subjects, None
        assert subjects is not None
        with paused_gc():  # pickled while the corpus lives: a collection would walk all of it (see prepare)
            conn.send(("prepared", prep))
        go = conn.recv()
        if go[0] != "go":
            return
        t0 = time.perf_counter()
        chunks = write_chunks(Path(go[1]), subjects, progress=lambda text: conn.send(("progress", text)))
        while True:
            try:
                path = next(chunks)
            except StopIteration as done:
                conn.send(("done", done.value, round(time.perf_counter() - t0, 3), peak_rss_mib()))
                return
            conn.send(("chunk", str(path)))
            if conn.recv()[0] != "ack":
                chunks.close()
                return
    except BaseException as e:  # handed to the build's process, which raises it there
        try:
            pickle.dumps(e)
        except Exception:
            e = CorpusProcessError(f"{type(e).__name__}: {e}")
        try:
            conn.send(("error", e, traceback.format_exc()))
        except (OSError, ValueError):
            pass  # the build's process is gone
    finally:
        conn.close()


def _ready() -> None:
    """ready_checks, its failure left to the write, which works the checks out again and reports it."""
    with contextlib.suppress(Exception):
        ready_checks()


def _context() -> Any:
    """fork (no re-import, nothing to pickle) when this process runs no other thread; spawn otherwise."""
    fork = "fork" in mp.get_all_start_methods() and threading.active_count() == 1
    return mp.get_context("fork" if fork else "spawn")


class _Child:
    """The corpus process and the parent's end of its pipe."""

    def __init__(self, paths: list[str], store: str, keep_going: bool, jobs: int | None, cache: str | None,
                 progress: Callable[[str], None] | None) -> None:
        ctx = _context()
        self.conn, child_end = ctx.Pipe()
        self.progress = progress
        self.proc = ctx.Process(target=_child, args=(child_end, paths, store, keep_going, jobs, cache),
                                name="docgraph-corpus")
        self.proc.start()
        child_end.close()
        self.ready: threading.Thread | None = None  # readying the checks (ready_checks)

    def recv(self) -> tuple[Any, ...]:
        """The next message that is not progress; the child's exception raised here."""
        while True:
            try:
                msg = self.conn.recv()
            except EOFError:
                self.proc.join()
                raise CorpusProcessError(f"the corpus process ended without a result (exit code "
                                         f"{self.proc.exitcode})") from None
            if msg[0] == "progress":
                if self.progress:
                    self.progress(msg[1])
                continue
            if msg[0] == "stage":
                if msg[1] == "resolve" and self.ready is None:
                    # the corpus process resolves on one core: the other readies the checks the store's
                    # validation needs, 1.6 s it would otherwise wait for once loaded
                    self.ready = threading.Thread(target=_ready, name="docgraph-ready-checks", daemon=True)
                    self.ready.start()
                continue
            if msg[0] == "error":
                raise msg[1] from CorpusProcessError("in the corpus process:\n" + msg[2])
            return msg

    def chunks(self, tmp: Path, timings: dict[str, float], peaks: dict[str, int]) -> Chunks:
        """The child's chunk files as it writes them into ``tmp``; returns what it wrote (store_write.Written)."""
        self.conn.send(("go", str(tmp)))
        while True:
            msg = self.recv()
            if msg[0] == "done":
                _, written, seconds, peak = msg
                timings["emit"], peaks["emit"] = seconds, peak
                return written
            try:
                yield Path(msg[1])
            except GeneratorExit:  # the parent stops (its loader failed): so does the child
                self.stop()
                raise
            self.conn.send(("ack",))

    def stop(self) -> None:
        """Tell the child to stop where it waits (unless it is gone already)."""
        with contextlib.suppress(OSError):
            self.conn.send(("stop",))

    def close(self) -> None:
        self.conn.close()
        self.proc.join(timeout=30)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join()


def build_in_child(paths: list[str], store: str | os.PathLike[str], *, keep_going: bool, validate: bool,
                   progress: Callable[[str], None] | None, jobs: int | None,
                   cache: str | os.PathLike[str] | None, prune: Path | None) -> BuildResult:
    """docgraph.build.build from scratch into an embedded store, its corpus side in a child process."""
    child = _Child(paths, str(store), keep_going, jobs, str(cache) if cache is not None else None, progress)
    try:
        msg = child.recv()
        if msg[0] == "stopped":
            res: BuildResult = msg[1]
            return res
        prep: Prepared = msg[1]
        if child.ready is not None:
            child.ready.join()  # done long since at 10^5 documents; rdflib's query parser is not shared
        timings: dict[str, float] = prep.manifest["timings"]  # the child's emission goes into build.json
        peaks: dict[str, int] = prep.manifest["peak_rss_mib"]
        started: list[Iterator[Path]] = []

        def chunks(tmp: Path) -> Chunks:
            gen = child.chunks(tmp, timings, peaks)
            started.append(gen)
            return gen

        try:
            res = write_embedded(prep, store, validate=validate, incremental=False, progress=progress,
                                 prune=prune, chunks=chunks)
        finally:
            if not started:  # the write failed before it asked for the triples
                child.stop()
        if "emit" in timings:
            res.timings["emit"], res.peak_rss["emit"] = timings["emit"], peaks["emit"]
        return res
    finally:
        child.close()
