"""A build whose corpus side (parse, resolve, emit) runs in a process of its own gives the same store as one
in a single process, reports the same refusals, and leaves the previous build in place when either process
fails (docgraph.build_process, issue 6)."""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from docgraph import build_process
from docgraph.build import build, parse_inputs
from docgraph.errors import InputError
from docgraph.store import Store

ROOT = Path(__file__).resolve().parents[1]
build_module = importlib.import_module("docgraph.build")  # the package's ``build`` is the function


@pytest.fixture(autouse=True)
def _fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork, whatever threads earlier tests left: the failures below are monkeypatched into the child."""
    monkeypatch.setattr(build_process, "_context", lambda: mp.get_context("fork"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("child") / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--out", str(out), "--docs", "120",
                    "--seed", "5"], check=True, capture_output=True)
    for seed in sorted((ROOT / "data").iterdir()):
        shutil.copy(seed, out / seed.name)
    return out


def _lines(store: Path) -> list[bytes]:
    return sorted(Store(store).dump(ox.RdfFormat.N_TRIPLES).splitlines())


def _state(store: Path) -> tuple[list[str], list[bytes]]:
    return sorted(p.name for p in store.iterdir()), _lines(store)


def test_the_corpus_process_gives_the_store_one_process_gives(corpus: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(corpus, work)
    one = build([str(work)], tmp_path / "one", separate_process=False)
    two = build([str(work)], tmp_path / "two", separate_process=True)
    assert one.written and two.written and one.mode == two.mode == "scratch"
    assert _lines(tmp_path / "one") == _lines(tmp_path / "two")
    assert (one.counts, one.files, one.triples) == (two.counts, two.files, two.triples)
    assert [str(w) for w in one.warnings] == [str(w) for w in two.warnings]
    gens = [Store(tmp_path / name).generation for name in ("one", "two")]
    for name in ("subjects.pickle", "resolution.sqlite", "files.pickle"):
        assert (gens[0] / name).exists() and (gens[1] / name).exists(), name
    assert pickle.loads((gens[0] / "subjects.pickle").read_bytes()) == \
        pickle.loads((gens[1] / "subjects.pickle").read_bytes())
    manifest = Store(tmp_path / "two").manifest
    assert manifest["timings"]["emit"] > 0 and manifest["peak_rss_mib"]["emit"] > 0
    assert not list((tmp_path / "two").glob(".resolution.*"))
    assert not list((tmp_path / "two").rglob("chunk-*")) and not list((tmp_path / "two").rglob("subjects.tsv"))

    # the next build of one changed file reads what the corpus process left: a local build, same triples
    shutil.copytree(tmp_path / "two", tmp_path / "local", symlinks=True)
    doc = sorted(work.glob("*.txt"))[7]
    doc.write_text("Văn bản được sao gửi lại.\n" + doc.read_text("utf-8"), "utf-8")  # text inserted
    local = build([str(work)], tmp_path / "local")
    full = build([str(work)], tmp_path / "full", incremental=False, cache_dir=tmp_path / "no-cache",
                 separate_process=True)
    assert local.mode == "local" and full.mode == "scratch"
    assert _lines(tmp_path / "local") == _lines(tmp_path / "full")


def test_the_checks_are_readied_while_the_corpus_process_resolves(corpus: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's process compiles the checks when the child says it resolves, and has them before the
    write asks for them; the progress names the resolution and the index."""
    events: list[str] = []
    ready, write = build_process.ready_checks, build_process.write_embedded

    def readying() -> None:
        events.append("ready")
        ready()

    def writing(*args: object, **kwargs: object) -> object:
        events.append("write")
        return write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_process, "ready_checks", readying)
    monkeypatch.setattr(build_process, "write_embedded", writing)
    said: list[str] = []
    res = build([str(corpus)], tmp_path / "store", separate_process=True, progress=said.append)
    assert res.written and res.report is not None and res.report.conforms
    assert events == ["ready", "write"]
    files = len(list(corpus.glob("*.txt")))
    resolving = said.index(f"resolving {files:,} documents")
    assert said.index(f"read {files:,}/{files:,} files") < resolving < said.index("indexing for local builds")


def test_refused_files_stop_the_build_and_keep_the_previous_one(corpus: Path, tmp_path: Path) -> None:
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    store = tmp_path / "store"
    first = build([str(work)], store, separate_process=True)
    assert first.written
    before = _state(store)
    (work / "zz-empty.txt").write_bytes(b"")
    res = build([str(work)], store, separate_process=True)
    assert not res.written and [e.path for e in res.refused] == [str(work / "zz-empty.txt")]
    assert "empty file" in str(res.refused[0])
    alone = build([str(work)], tmp_path / "alone", separate_process=False)
    assert [str(e) for e in alone.refused] == [str(e) for e in res.refused] and not alone.written
    assert _state(store) == before
    kept = build([str(work)], store, separate_process=True, keep_going=True)
    assert kept.written and len(kept.refused) == 1 and kept.files == first.files


def test_a_failure_in_the_corpus_process_is_raised_here_and_keeps_the_previous_build(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    assert build([str(corpus)], store, separate_process=True).written
    before = _state(store)

    def broken(corpus: object) -> object:
        yield "urn:x:1", ['<urn:x:1> <urn:p> "1" .\n']
        raise RuntimeError("emission broke")

    monkeypatch.setattr(build_module, "corpus_subjects", broken)
    with pytest.raises(RuntimeError, match="emission broke") as info:
        build([str(corpus)], store, separate_process=True, incremental=False)
    assert "in the corpus process" in str(info.value.__cause__)
    assert _state(store) == before and not list(store.glob(".resolution.*")) and not list(store.glob("tmp*"))


def test_a_corpus_process_that_dies_is_reported_and_keeps_the_previous_build(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    assert build([str(corpus)], store, separate_process=True).written
    before = _state(store)
    monkeypatch.setattr(build_module, "resolve", lambda *a, **k: os._exit(3))
    with pytest.raises(build_process.CorpusProcessError, match=r"ended without a result \(exit code 3\)"):
        build([str(corpus)], store, separate_process=True, incremental=False)
    assert _state(store) == before


def test_a_chunk_the_loader_refuses_stops_the_corpus_process(corpus: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    assert build([str(corpus)], store, separate_process=True).written
    before = _state(store)

    def bad(corpus: object) -> object:
        for i in range(200_000):  # several chunks: the child is still writing when the loader refuses
            yield f"urn:x:{i}", [f'<urn:x:{i}> <urn:p> "{i}" .\n' if i != 10 else "<urn:x:10> <urn:p> oops .\n"] * 3

    monkeypatch.setattr(build_module, "corpus_subjects", bad)
    children: list[mp.process.BaseProcess] = []
    start = build_process._Child.__init__

    def spy(self: build_process._Child, *args: object) -> None:
        start(self, *args)  # type: ignore[arg-type]
        children.append(self.proc)

    monkeypatch.setattr(build_process._Child, "__init__", spy)
    with pytest.raises(SyntaxError):
        build([str(corpus)], store, separate_process=True, incremental=False)
    assert children and not children[0].is_alive() and children[0].exitcode == 0
    assert _state(store) == before and not list(store.rglob("chunk-*"))


def test_refusals_cross_process_boundaries(tmp_path: Path) -> None:
    """Parse workers hand refusals back pickled: the error keeps its file, place and problem."""
    for i in range(4):
        (tmp_path / f"doc{i}.txt").write_text("Số: 1-KH/TU\nKẾ HOẠCH\nthực hiện\n", "utf-8")
    (tmp_path / "doc9.txt").write_bytes(b"")
    _docs, refused, _fresh, _seen = parse_inputs([str(tmp_path)], jobs=2)
    assert [(e.path, e.problem) for e in refused] == [(str(tmp_path / "doc9.txt"), "empty file: no text to read")]
    e = InputError("a.txt", "broken UTF-8 text", 12)
    assert str(pickle.loads(pickle.dumps(e))) == "a.txt:12: broken UTF-8 text"


def test_large_builds_from_scratch_use_the_corpus_process_by_default(corpus: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    start = build_process._Child.__init__

    def spy(self: build_process._Child, *args: object) -> None:
        start(self, *args)  # type: ignore[arg-type]
        started.append(self.proc.pid or 0)

    monkeypatch.setattr(build_process._Child, "__init__", spy)
    monkeypatch.setattr(build_module, "SEPARATE_PROCESS_FILES", 50)
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    store = tmp_path / "store"
    assert build([str(work)], store).mode == "scratch" and len(started) == 1  # from scratch, 125 files
    assert "emit" in Store(store).manifest["timings"]
    (work / "zz-new.txt").write_text("Số: 7-KH/TU\nKẾ HOẠCH\nvề việc thử\n\nGiao Ban Tổ chức Tỉnh ủy chủ trì.\n",
                                     "utf-8")
    assert build([str(work)], store).mode == "delta" and len(started) == 1  # a delta stays in this process
    assert build([str(work)], store, incremental=False).mode == "scratch" and len(started) == 2
    monkeypatch.setattr(build_module, "SEPARATE_PROCESS_FILES", 500)
    assert build([str(work)], tmp_path / "small").mode == "scratch" and len(started) == 2  # too few files
