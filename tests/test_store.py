"""The store: a build replaces it atomically; killed builds and concurrent builds leave it readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import REPO
from docgraph.errors import StoreError
from docgraph.store import Store, build_lock, write_store


def _graph(n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"urn:x:{i}"), URIRef("urn:p"), Literal(i)))
    return g


def test_write_store_swaps_generations(tmp_path: Path) -> None:
    write_store(tmp_path, [_graph(3)], {})
    first = Store(tmp_path)
    write_store(tmp_path, [_graph(5)], {})
    assert len(Store(tmp_path)) == 5
    assert len(first) == 3  # a reader of the previous build keeps working
    write_store(tmp_path, [_graph(7)], {})
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == ["gen-2", "gen-3"]


def test_a_second_build_refuses_while_one_writes(tmp_path: Path) -> None:
    with build_lock(tmp_path), pytest.raises(StoreError, match="another build"):
        write_store(tmp_path, [_graph(1)], {}, wait=False)


def test_killed_builds_leave_the_previous_store(tmp_path: Path) -> None:
    store = tmp_path / "dg"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "docgraph", "build", str(REPO / "data"), "--store", str(store), "-q"]
    subprocess.run(cmd, check=True, env=env, cwd=tmp_path)
    count = len(Store(store))
    for delay in (0.3, 0.8, 1.5, 2.2):  # kill -9 at different stages of the next builds
        proc = subprocess.Popen(cmd, env=env, cwd=tmp_path)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert len(Store(store)) == count
    subprocess.run(cmd, check=True, env=env, cwd=tmp_path)  # and the next build completes
    assert len(Store(store)) == count


def _lines(n: int, bad_at: int | None = None) -> list[tuple[str, list[str]]]:
    """n subjects of three N-Triples lines each; the subject ``bad_at`` gets a line no parser accepts."""
    out = []
    for i in range(n):
        s = f"urn:x:{i}"
        # a predicate longer than 16 bytes is stored as a string of its own: every chunk holds it
        lines = [f'<{s}> <urn:p> "{i}" .\n',
                 f'<{s}> <urn:docgraph:test:shared-predicate> "tên {i} dài hơn mười sáu byte"@vi .\n',
                 f"<{s}> <urn:r> <urn:x:{(i + 1) % n}> .\n"]
        if i == bad_at:
            lines.append(f"<{s}> <urn:p> not a term .\n")
        out.append((s, lines))
    return out


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_chunks_loaded_while_the_next_is_written_give_the_same_store(tmp_path: Path, threads: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks loaded one at a time or several at once (store_write._Loader) give the store one load gives."""
    import pyoxigraph as ox

    from docgraph import store_write

    monkeypatch.setattr(store_write, "LOAD_THREADS", threads)
    whole = store_write.write_generation(tmp_path / "one", _lines(500), {}, validate=False)
    chunked = store_write.write_generation(tmp_path / "many", None, {}, validate=False,
                                           chunks=lambda tmp: store_write.write_chunks(tmp, _lines(500), chunk=7))
    assert whole.generation and chunked.generation
    dump = [sorted(ox.Store.read_only(str(g / "oxigraph")).dump(format=ox.RdfFormat.N_TRIPLES,
                                                               from_graph=ox.DefaultGraph()).splitlines())
            for g in (whole.generation, chunked.generation)]
    assert dump[0] == dump[1] and len(dump[0]) == 1500
    assert not list((tmp_path / "many").rglob("chunk-*"))


@pytest.mark.parametrize("threads", [1, 2])
def test_a_chunk_the_loader_refuses_leaves_the_previous_store(tmp_path: Path, threads: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from docgraph import store_write

    monkeypatch.setattr(store_write, "LOAD_THREADS", threads)
    store_write.write_generation(tmp_path, _lines(50), {}, validate=False)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(SyntaxError):
        store_write.write_generation(tmp_path, None, {}, validate=False,
                                     chunks=lambda tmp: store_write.write_chunks(tmp, _lines(500, bad_at=20), chunk=7))
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert len(Store(tmp_path)) == 150


@pytest.mark.parametrize("incremental", [False, True])
def test_a_subject_given_twice_is_refused_and_the_previous_store_stays(tmp_path: Path, incremental: bool) -> None:
    """From scratch or as a delta of the last generation (whose digests are then read from a file too)."""
    from docgraph import store_write

    store_write.write_generation(tmp_path, _lines(50), {}, validate=False)
    twice = _lines(60)
    twice.insert(40, twice[3])
    with pytest.raises(ValueError, match="subject given twice: urn:x:3"):
        store_write.write_generation(tmp_path, twice, {}, validate=False, incremental=incremental)
    assert len(Store(tmp_path)) == 150 and sorted(p.name for p in tmp_path.glob("gen-*")) == ["gen-1"]
