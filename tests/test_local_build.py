"""A few changed files are rebuilt alone (docgraph.local_build), and the store is the one a full build gives.

On a generated 1,000-document corpus: a task added to one file and a paragraph inserted near the top of
six others (every span after it moves), a file touched but not changed, a citation edited (its keys are
replayed), a document's own symbol edited (which must go to the full build), and a task added after that.
After the local builds, the store's triples, its subject digests and its build.json must equal those of a
from-scratch build of the same files with an empty cache.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from docgraph.build import BuildResult, build
from docgraph.cache import file_state
from docgraph.local_build import _seen_files, file_hashes
from docgraph.store import Store
from docgraph.store_write import _previous

ROOT = Path(__file__).resolve().parents[1]
DOCS = 1000
SAME = ("file_count", "warnings", "counts", "triples", "documents", "relations", "assignments", "files_warned")


def _generate(out: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--out", str(out), *args],
                   check=True, capture_output=True)


def _age(folder: Path) -> None:
    """Date every file 10 s back, as if the edits were not just made (a fresh file is re-read anyway)."""
    when = time.time() - 10
    for p in folder.iterdir():
        os.utime(p, (when, when))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("local")
    _generate(tmp / "corpus", "--docs", str(DOCS), "--seed", "23")
    _age(tmp / "corpus")
    first = build([str(tmp / "corpus")], tmp / "store")
    assert first.written and first.mode == "scratch"
    return tmp / "corpus", tmp / "store"


def _rebuild(corpus: Path, store: Path) -> tuple[BuildResult, list[str]]:
    _age(corpus)
    notes: list[str] = []
    res = build([str(corpus)], store, progress=notes.append)
    assert res.written, [str(v) for v in (res.report.violations if res.report else [])][:3]
    return res, [n for n in notes if n.startswith("full build:")]


def _assert_same_as_full(corpus: Path, store: Path, tmp: Path) -> None:
    scratch = tmp / f"scratch-{time.monotonic_ns()}"
    full = build([str(corpus)], scratch, cache_dir=tmp / f"cache-{time.monotonic_ns()}", incremental=False)
    assert full.written and full.mode == "scratch"
    ours, theirs = Store(store), Store(scratch)
    a = set(ours.dump(ox.RdfFormat.N_TRIPLES).splitlines())
    b = set(theirs.dump(ox.RdfFormat.N_TRIPLES).splitlines())
    assert a == b, (sorted(a - b)[:3], sorted(b - a)[:3])
    prev_ours, prev_theirs = _previous(store), _previous(scratch)
    assert prev_ours is not None and prev_theirs is not None
    assert prev_ours[1].as_dict() == prev_theirs[1].as_dict()  # subject digests: the next delta starts from the truth
    for key in SAME:
        assert ours.manifest.get(key) == theirs.manifest.get(key), key
    assert list(file_hashes(ours.generation).items()) == list(file_hashes(theirs.generation).items())
    shutil.rmtree(scratch)


def _bodies(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.txt"))


def _insert_a_paragraph(path: Path) -> bool:
    """A paragraph with no citation, date or body in it, put before the first numbered section (after the
    header and the opening paragraph): every span after it moves."""
    text = path.read_bytes().decode("utf-8")
    m = re.search(r"\r?\n(?:I|1)\. ", text)
    if m is None:
        return False
    nl = "\r\n" if "\r\n" in text else "\n"
    added = nl + "Tình hình chung được đánh giá như sau." + nl
    path.write_bytes((text[: m.start()] + added + text[m.start():]).encode())
    return True


def test_changed_files_are_rebuilt_alone_and_equal_a_full_build(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, store = built
    before = Store(store).manifest["triples"]

    # 1. a task added to one file (bench's --change-one), and a paragraph inserted near the top of six others,
    # which moves every span after it: their statements, evidence, tasks and content hashes change
    _generate(corpus, "--change-one")
    moved: list[Path] = []
    for p in _bodies(corpus)[20:]:
        if len(moved) == 6:
            break
        text = p.read_bytes()
        if _insert_a_paragraph(p):
            moved.append(p)
        else:
            p.write_bytes(text)
    res, why = _rebuild(corpus, store)
    assert res.mode == "local", why
    assert res.parsed == 7 and 0 < res.changed < 1000  # those documents' subjects, of ~270k
    assert res.triples > before
    _assert_same_as_full(corpus, store, tmp_path)

    # 2. a file touched but not changed: nothing parsed, nothing changed; the generation's patch of files.pickle
    # has the states the local builds saw, so the next one reads none of those files again
    os.utime(moved[0])
    res, why = _rebuild(corpus, store)
    assert (res.mode, res.parsed, res.changed) == ("local", 0, 0)
    _, base, patch = _seen_files(store / "current")
    assert patch and all((patch.get(str(p)) or base[str(p)])[1] == file_state(p) for p in _bodies(corpus))

    # 3. a citation edited (another number): the document gives others something new; the keys it touches
    # are replayed (docgraph.replay, more cases in tests/test_replay.py)
    symbol = re.compile(r"\b(\d+)-NQ/TW\b")
    victim = next(p for p in _bodies(corpus)[40:] if symbol.search(p.read_text("utf-8")))
    text = victim.read_text("utf-8")
    cited = symbol.search(text)
    assert cited is not None
    victim.write_text(text.replace(cited[0], f"9{cited[1]}-NQ/TW"), "utf-8")
    res, why = _rebuild(corpus, store)
    assert res.mode == "local" and not why, (why, victim)
    _assert_same_as_full(corpus, store, tmp_path)

    # 3b. a document's own symbol edited: its identity changes, so the full build runs
    own = re.compile(r"(Số:?\s*)(\d+)(-[A-ZĐ]+/[A-ZĐ]+)")
    victim = next(p for p in _bodies(corpus)[60:] if own.search(p.read_text("utf-8")))
    text = victim.read_text("utf-8")
    victim.write_text(own.sub(lambda m: f"{m[1]}9{m[2]}{m[3]}", text, count=1), "utf-8")
    res, why = _rebuild(corpus, store)
    assert res.mode == "delta" and why == [f"full build: {victim}: what it says of itself changed"], (why, victim)

    # 4. after that delta build, local builds pick up again from its records
    _generate(corpus, "--change-one")
    res, why = _rebuild(corpus, store)
    assert res.mode == "local", why
    _assert_same_as_full(corpus, store, tmp_path)


def test_files_added_go_to_the_full_build(built: tuple[Path, Path]) -> None:
    corpus, store = built
    _generate(corpus, "--add", "3")
    res, why = _rebuild(corpus, store)
    assert res.mode == "delta" and why == ["full build: files were added, removed or renamed"]


def test_a_new_extractor_goes_to_the_full_build(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged files (same ``stat``) keep their parse only under the same extractor."""
    import docgraph.cache

    corpus, store = built
    monkeypatch.setattr(docgraph.cache, "extractor_fingerprint", lambda: b"another extractor")
    res, why = _rebuild(corpus, store)
    assert res.mode == "delta" and why == ["full build: the extractor changed since the last build"]
    assert res.parsed == len(_bodies(corpus))


@pytest.mark.parametrize(("text", "warning"), [
    ("data/a.txt:120: citation without a date", ("data/a.txt", 120, "citation without a date")),
    ("b.txt:0: two lines\nof reason", ("b.txt", 0, "two lines\nof reason")),
    ("a note with no place", ("", 0, "a note with no place")),
])
def test_a_local_builds_warnings_read_back_as_the_full_build_gives_them(text: str, warning: tuple) -> None:
    """A local build keeps build.json's texts and reads each back only when asked for (WarningTexts)."""
    from docgraph.local_build import WarningTexts
    from docgraph.model import Warning_

    texts = WarningTexts(["x.txt:1: first", text])
    assert len(texts) == 2 and texts[1] == Warning_(*warning)
    assert texts[-1:] == [Warning_(*warning)] and next(iter(texts)) == Warning_("x.txt", 1, "first")
    assert texts == [Warning_("x.txt", 1, "first"), Warning_(*warning)]


def test_a_store_from_before_hashes_pickle_still_takes_local_builds(built: tuple[Path, Path], tmp_path: Path) -> None:
    """Each file's hash was in build.json until hashes.pickle: such a store is read as it was, and its first
    local build gives the new generation the whole hashes.pickle (and a build.json without them)."""
    import json

    from docgraph.local_build import HASHES, HASHES_PATCH
    from docgraph.store_write import manifest_json

    corpus, store = built
    _rebuild(corpus, store)  # whatever the tests before left, a build of the corpus as it is
    gen = (store / "current").resolve()
    manifest = json.loads((gen / "build.json").read_text("utf-8"))
    del manifest["file_count"]
    manifest["files"] = file_hashes(gen)
    (gen / "build.json").write_text(manifest_json(manifest), "utf-8")
    (gen / HASHES).unlink()
    (gen / HASHES_PATCH).unlink(missing_ok=True)

    _generate(corpus, "--change-one")
    res, why = _rebuild(corpus, store)
    assert res.mode == "local", why
    new = (store / "current").resolve()
    assert new != gen and (new / HASHES).exists() and not (new / HASHES_PATCH).exists()
    assert "files" not in Store(store).manifest and Store(store).manifest["file_count"] == len(_bodies(corpus))
    _assert_same_as_full(corpus, store, tmp_path)
