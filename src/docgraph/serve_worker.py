"""Run SPARQL queries in worker processes that can be stopped: the endpoint's time limit.

A query cannot be interrupted inside oxigraph, and a thread cannot be killed, so each query runs in
one of a few worker processes, each with the store open read-only. When a query passes its time
limit its worker is killed and a fresh one started in the background; the server itself never waits
longer than the limit and goes on answering.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .namespaces import PREFIXES
from .serve_results import WRITERS, results_json

OX_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
              "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
OX_GRAPH = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
            "rdfxml": ox.RdfFormat.RDF_XML}
READY_TIMEOUT = 60.0


@dataclass
class Job:
    query: str
    results_format: str | None  # for SELECT / ASK; None: the client accepts no results format
    graph_format: str | None  # for CONSTRUCT / DESCRIBE
    limit: int  # rows (or triples) at most


@dataclass
class Answer:
    status: int
    format: str  # a format name, or "text" for a message
    body: bytes
    truncated: bool = False
    count: int = 0  # rows or triples sent


def _message(status: int, text: str) -> Answer:
    return Answer(status, "text", text.encode("utf-8"))


def run_job(store: Any, job: Job) -> Answer:
    """Run one query against an open pyoxigraph store (in a worker, or directly in tests)."""
    try:
        res = store.query(job.query, prefixes=PREFIXES)
        if isinstance(res, (ox.QueryBoolean, ox.QuerySolutions)):
            fmt = job.results_format
            if fmt is None:
                return _message(406, "this query returns results: ask for JSON, XML, CSV, TSV or HTML")
            if isinstance(res, ox.QueryBoolean):
                if fmt == "html":
                    return Answer(200, fmt, b'{"head":{},"boolean":%s}' % (b"true" if res else b"false"))
                return Answer(200, fmt, res.serialize(format=OX_RESULTS[fmt]), count=1)
            variables = [v.value for v in res.variables]
            rows, truncated = [], False
            for sol in res:
                if len(rows) >= job.limit:
                    truncated = True
                    break
                rows.append([sol[v] for v in variables])
            writer = results_json if fmt == "html" else WRITERS[fmt]
            return Answer(200, fmt, writer(variables, rows), truncated, len(rows))
        fmt = job.graph_format
        if fmt is None:
            return _message(406, "this query returns a graph: ask for Turtle, N-Triples, JSON-LD, RDF/XML or HTML")
        triples, truncated = [], False
        for t in res:
            if len(triples) >= job.limit:
                truncated = True
                break
            triples.append(t)
        if fmt == "html":
            body = results_json(["subject", "predicate", "object"], [[t.subject, t.predicate, t.object]
                                                                      for t in triples])
        else:
            body = ox.serialize(triples, format=OX_GRAPH[fmt], prefixes=PREFIXES)
        return Answer(200, fmt, body, truncated, len(triples))
    except SyntaxError as e:
        return _message(400, f"SPARQL syntax error: {e}")
    except (OSError, ValueError, TypeError) as e:
        return _message(500, f"query failed: {e}")


def _worker_main(conn: Connection, store_dir: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    try:
        store = ox.Store.read_only(store_dir)
    except OSError as e:
        conn.send(("error", str(e)))
        return
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(run_job(store, job))


class _Worker:
    """``python -m docgraph.serve_worker FD STORE_DIR``: a plain subprocess (no multiprocessing start
    method re-importing the caller's ``__main__``), talking pickles over a socket pair."""

    def __init__(self, store_dir: str) -> None:
        parent, child = socket.socketpair()
        src = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p))
        with child:
            self.proc = subprocess.Popen([sys.executable, "-m", "docgraph.serve_worker", str(child.fileno()),
                                          store_dir], pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, env=env)
        self.conn = Connection(parent.detach())

    def wait_ready(self) -> None:
        if not self.conn.poll(READY_TIMEOUT):
            self.kill()
            raise RuntimeError("a query worker did not start in time")
        kind, text = self.conn.recv()
        if kind != "ready":
            self.kill()
            raise RuntimeError(f"a query worker cannot open the store: {text}")

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """``size`` worker processes on the store folder ``store_dir`` (an oxigraph folder)."""

    def __init__(self, store_dir: str, size: int, timeout: float) -> None:
        self.store_dir, self.size, self.timeout = store_dir, size, timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self.killed = 0  # workers stopped for passing the time limit (or dying)

    def start(self) -> None:
        workers = [_Worker(self.store_dir) for _ in range(self.size)]
        for w in workers:
            w.wait_ready()
            self._idle.put(w)

    def _replace(self) -> None:
        def start() -> None:
            if self._closed:
                return
            w = _Worker(self.store_dir)
            try:
                w.wait_ready()
            except RuntimeError:
                return
            if self._closed:
                w.kill()
            else:
                self._idle.put(w)

        threading.Thread(target=start, daemon=True, name="docgraph-respawn").start()

    def run(self, job: Job) -> Answer:
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return _message(503, f"all {self.size} query workers are busy; try again")
        healthy = False
        try:
            w.conn.send(job)
            if not w.conn.poll(self.timeout):
                return _message(503, f"query stopped: it ran longer than the {self.timeout:g} s limit (--timeout)")
            answer = w.conn.recv()
            healthy = True
            return answer
        except (EOFError, OSError):
            return _message(500, "the query worker died while running this query")
        finally:
            if healthy:
                self._idle.put(w)
            else:
                self.killed += 1
                w.kill()
                self._replace()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                break
            with contextlib.suppress(Exception):
                w.conn.send(None)
            w.kill()


if __name__ == "__main__":
    # Run the module under its own name, so that pickled answers name docgraph.serve_worker.Answer.
    from docgraph.serve_worker import _worker_main as main

    main(Connection(int(sys.argv[1])), sys.argv[2])
