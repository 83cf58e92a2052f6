"""The cyclic collector is paused only while a build makes its corpus (docgraph.heap), never left off; memory
another thread allocated goes back to the system once freed."""

from __future__ import annotations

import gc
import importlib
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgraph.build import build
from docgraph.heap import paused_gc, trim_heap

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_pause_restores_the_collector_as_it_was_and_nests() -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one paused
    assert gc.isenabled()
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()  # off before, off after
    gc.enable()


def test_a_pause_ends_when_its_block_raises() -> None:
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("x")
    assert gc.isenabled()


def test_a_build_pauses_the_collector_while_it_resolves_and_turns_it_back_on(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process builds (the library's and the tests'): on during validation, on afterwards, whether the
    build writes, is refused or fails half-way through its triples."""
    build_module = importlib.import_module("docgraph.build")  # the package's ``build`` is the function
    seen: dict[str, bool] = {}
    resolve = build_module.resolve

    def watched(*args: object, **kw: object) -> object:
        seen["resolve"] = gc.isenabled()
        return resolve(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "resolve", watched)
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "data", corpus)
    res = build([str(corpus)], tmp_path / "store", separate_process=False)
    assert res.written and seen["resolve"] is False and gc.isenabled()

    (corpus / "zz-empty.txt").write_bytes(b"")
    refused = build([str(corpus)], tmp_path / "store", separate_process=False, incremental=False)
    assert not refused.written and refused.refused and gc.isenabled()

    def broken(*args: object, **kw: object) -> Iterator[tuple[str, list[str]]]:
        yield "urn:x", ["<urn:x> <urn:p> <urn:o> .\n"]
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "corpus_subjects", broken)
    with pytest.raises(OSError, match="disk full"):
        build([str(corpus)], tmp_path / "store", separate_process=False, incremental=False, keep_going=True)
    assert gc.isenabled()


def test_no_collection_runs_while_the_resolved_corpus_is_summed_up(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """From the resolution index written to the Prepared made (counts and manifest read off the live corpus)
    the collector stays off: at 10^5 documents each full collection there walks millions of objects. With a
    threshold of 1, any allocation with the collector on starts one."""
    build_module = importlib.import_module("docgraph.build")
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "data", corpus)
    state = {"summing": False, "collections": 0, "after": 0}
    lap, prepared = build_module.BuildResult.lap, build_module.Prepared

    def watched_lap(self: object, stage: str) -> None:
        lap(self, stage)  # type: ignore[arg-type]
        state["summing"] = stage == "index"

    def made(*args: object, **kw: object) -> object:
        state["summing"] = False
        return prepared(*args, **kw)  # type: ignore[arg-type]

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            state["collections" if state["summing"] else "after"] += 1

    monkeypatch.setattr(build_module.BuildResult, "lap", watched_lap)
    monkeypatch.setattr(build_module, "Prepared", made)
    thresholds = gc.get_threshold()
    gc.callbacks.append(count)
    try:
        gc.set_threshold(1)
        prep = build_module.prepare([str(corpus)], tmp_path / "store", jobs=1)
        [[] for _ in range(100)]  # the collector is on again: allocations start collections
    finally:
        gc.set_threshold(*thresholds)
        gc.callbacks.remove(count)
    assert isinstance(prep, prepared) and prep.manifest["documents"] > 0 and prep.index is not None
    assert state["collections"] == 0 and state["after"] > 0 and gc.isenabled()


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and glibc's malloc_trim")
def test_memory_a_thread_allocated_goes_back_once_freed() -> None:
    """As a build's parse results arrive: 2 KB blocks made on another thread (the worker pool's, whose malloc
    arena is its own), a few kept, the rest freed by the main thread. Their pages stay resident until
    trim_heap hands them back (at 10^5 documents the build's corpus process held 403 MiB so)."""
    made: list[bytes] = []

    def receive() -> None:
        made.extend(bytes([i % 251]) * 2048 for i in range(120_000))  # 234 MiB

    t = threading.Thread(target=receive)
    t.start()
    t.join()
    kept = made[::16]  # one in 16 stays: the arena cannot shrink from its top
    made.clear()
    freed = _rss_mib()
    trim_heap()
    assert freed - _rss_mib() > 120, "the freed blocks' pages are still resident"
    assert len(kept) == 7_500 and kept[1][0] == 16
