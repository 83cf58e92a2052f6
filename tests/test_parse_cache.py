"""The parse cache's packs (cache.PackWriter): a build that parses many files keeps their entries in a few
pack files instead of a file each, reads them back, prunes them, and treats a damaged one as a miss."""

from __future__ import annotations

import importlib
import os
import shutil
import time
from pathlib import Path

import pytest

from docgraph import cache as cache_module
from docgraph.build import build, parse_inputs
from docgraph.cache import PackWriter, ParseCache, pack_indexes, prune_packs, write_pack

ROOT = Path(__file__).resolve().parents[1]
build_module = importlib.import_module("docgraph.build")  # (docgraph.build is also the function)


def _packs(cache: Path) -> list[Path]:
    return sorted((cache / "parse" / "packs").glob("*.pack"))


def _files(cache: Path) -> list[Path]:
    return sorted((cache / "parse").glob("*/*.pickle.z"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def small_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs of two entries, and a pack for as few as two left over (the five seeds make two packs and a file)."""
    monkeypatch.setattr(cache_module, "PACK_BATCH", 2)
    monkeypatch.setattr(cache_module, "PACK_LEAST", 2)


def test_a_build_keeps_many_parses_in_packs_and_reads_them_back(data: Path, tmp_path: Path,
                                                                small_packs: None) -> None:
    cache = tmp_path / "cache"
    first = build([str(data)], tmp_path / "a", cache_dir=cache)
    assert first.written and first.parsed == 5
    assert len(_packs(cache)) == 2 and len(_files(cache)) == 1  # 2 + 2 in packs, the fifth in a file
    indexed = [k for _, index in pack_indexes(cache / "parse" / "packs") for k in index]
    assert len(indexed) == 4 and len(set(indexed)) == 4
    again = build([str(data)], tmp_path / "b", cache_dir=cache)
    assert again.written and again.parsed == 0  # every parse from the cache: four of them from packs
    reference = build([str(data)], tmp_path / "c", cache_dir=tmp_path / "other")
    assert again.triples == first.triples == reference.triples


def test_few_parses_go_to_a_file_each(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([str(data)], tmp_path / "a", cache_dir=cache)
    assert _packs(cache) == [] and len(_files(cache)) == 5  # fewer than PACK_LEAST: no pack


def test_a_damaged_entry_in_a_pack_or_a_file_is_a_miss_and_is_parsed_again(data: Path, tmp_path: Path,
                                                                           small_packs: None) -> None:
    store = tmp_path / "store"
    first = build([str(data)], store)
    packs = store / "cache" / "parse" / "packs"
    pack, index = pack_indexes(packs)[0]
    key, (offset, length) = next(iter(index.items()))
    with open(pack, "r+b") as fh:
        fh.seek(offset)
        fh.write(b"\0" * length)
    [own] = _files(store / "cache")
    own.write_bytes(b"not a cache entry")  # the fifth, in a file of its own
    c = ParseCache(store / "cache")
    assert c.get(key) is None and c.get(own.name.split(".")[0]) is None
    (store / "current" / "files.pickle").unlink()  # no stat index: every file's parse is read again
    again = build([str(data)], store)
    assert again.parsed == 2 and again.changed == 0 and again.triples == first.triples
    # both parsed again into a new pack; the damaged file went, so the pack's entry is found
    assert c.get(key) is not None and c.get(own.name.split(".")[0]) is not None
    assert not own.exists() and len(_packs(store / "cache")) == 3
    assert build([str(data)], store, incremental=False).parsed == 0


def test_a_parse_stopped_half_way_keeps_the_parses_it_made(data: Path, tmp_path: Path, small_packs: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    real = build_module.parse_file
    calls = []

    def parse_file(path: Path, name: str | None = None):  # type: ignore[no-untyped-def]
        calls.append(path)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(path, name)

    monkeypatch.setattr(build_module, "parse_file", parse_file)
    cache = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        parse_inputs([str(data)], jobs=1, cache_dir=cache)
    # a pack of the first two, and the third in a file of its own (one left over: fewer than PACK_LEAST)
    assert len(_packs(cache)) == 1 and len(_files(cache)) == 1
    monkeypatch.setattr(build_module, "parse_file", real)
    _docs, _refused, fresh, _seen = parse_inputs([str(data)], jobs=1, cache_dir=cache)
    assert fresh == 2


def test_the_newest_pack_of_a_key_wins(tmp_path: Path) -> None:
    packs = tmp_path / "parse" / "packs"
    write_pack(packs, [("k", b"old"), ("j", b"other")])
    time.sleep(0.001)
    write_pack(packs, [("k", b"new")])
    c = ParseCache(tmp_path)
    assert c.get_raw("k") == b"new" and c.get_raw("j") == b"other" and c.get_raw("x") is None


def test_a_cut_pack_gives_misses_not_errors(tmp_path: Path) -> None:
    packs = tmp_path / "parse" / "packs"
    pack = write_pack(packs, [("a", b"a" * 100), ("b", b"b" * 100)])
    with open(pack, "r+b") as fh:
        fh.truncate(150)
    c = ParseCache(tmp_path)
    assert c.get_raw("a") == b"a" * 100 and c.get_raw("b") is None
    damaged = pack.with_name("damaged.tmp")
    damaged.write_bytes(b"not an index")
    os.replace(damaged, pack.with_suffix(".idx"))  # (as a crash could leave it: files are renamed into place)
    assert c.get_raw("a") is None


def test_prune_drops_entries_from_indexes_and_rewrites_mostly_dead_packs(tmp_path: Path) -> None:
    packs = tmp_path / "parse" / "packs"
    big, small = b"B" * 1000, b"s" * 10
    pack = write_pack(packs, [("big", big), ("small", small), ("other", b"o" * 300)])
    c = ParseCache(tmp_path)
    assert c.prune({"big", "small", "other"}) == 0
    # the kept entries are most of the pack: only its index changes
    assert c.prune({"big", "small"}) == 1
    assert _packs(tmp_path) == [pack] and c.get_raw("other") is None
    assert c.get_raw("big") == big and c.get_raw("small") == small
    # the kept entry is less than half the pack: a new pack of it alone
    assert c.prune({"small"}) == 1
    [new] = _packs(tmp_path)
    assert new != pack and new.stat().st_size == len(small) and not pack.with_suffix(".idx").exists()
    assert c.get_raw("small") == small and c.get_raw("big") is None
    assert c.prune(set()) == 1
    assert list(packs.iterdir()) == []


def test_prune_removes_a_pack_left_without_its_index_only_when_old(tmp_path: Path) -> None:
    packs = tmp_path / "parse" / "packs"
    old = write_pack(packs, [("a", b"a")])
    fresh = write_pack(packs, [("b", b"b")])
    old.with_suffix(".idx").unlink()
    fresh.with_suffix(".idx").unlink()  # (a build writing it now: its index comes next)
    hour_ago = time.time() - 2 * 3600
    os.utime(old, (hour_ago, hour_ago))
    assert prune_packs(packs, set()) == 0
    assert not old.exists() and fresh.exists()


def test_pack_writer_leaves_a_few_entries_to_files(tmp_path: Path) -> None:
    c = ParseCache(tmp_path)
    w = PackWriter(c, batch=3, least=2)
    for k in "abcd":
        w.add(k, k.encode() * 5)
    assert w.packs == 1 and len(_packs(tmp_path)) == 1  # a, b, c
    w.close()
    assert w.packs == 1 and [p.name for p in _files(tmp_path)] == ["d.pickle.z"]
    assert [c.get_raw(k) for k in "abcd"] == [k.encode() * 5 for k in "abcd"]


def test_a_reader_sees_packs_written_after_it_first_looked(tmp_path: Path) -> None:
    packs = tmp_path / "parse" / "packs"
    write_pack(packs, [("a", b"1")])
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(packs, ns=(hour_ago, hour_ago))  # an old folder: its listing is kept while it is unchanged
    c = ParseCache(tmp_path)
    assert c.get_raw("a") == b"1" and c.get_raw("b") is None
    write_pack(packs, [("b", b"2")])  # in the same second as the look before it: still seen
    assert c.get_raw("b") == b"2"
    assert ParseCache(tmp_path).prune({"a"}) == 1
    assert c.get_raw("b") is None and c.get_raw("a") == b"1"


def test_extract_shards_fill_one_cache_with_packs_of_their_own(data: Path, tmp_path: Path, small_packs: None,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from docgraph.cli import main

    monkeypatch.chdir(tmp_path)
    files = sorted(str(p.relative_to(tmp_path)) for p in data.glob("*.txt"))
    for n, shard in enumerate((files[:3], files[3:]), start=1):
        Path(f"shard-{n}.txt").write_text("\n".join(shard) + "\n", "utf-8")
        out = CliRunner().invoke(main, ["extract", "--files-from", f"shard-{n}.txt", "--cache", "shared"])
        assert out.exit_code == 0, out.output
    assert len(_packs(Path("shared"))) == 2 and len(_files(Path("shared"))) == 1  # 2 + 2 in packs, 1 in a file
    built = build(["data"], "store", cache_dir="shared")
    assert built.written and built.parsed == 0  # every file came from the shards
    assert built.triples == build(["data"], "fresh", cache_dir="fresh-cache").triples


@pytest.mark.parametrize("n", [0, 1, 255, 256, 257, 600])
def test_packed_on_a_thread_gives_what_pack_gives_in_order(n: int) -> None:
    from docgraph.cache import pack, packed, unpack

    objs = [{"n": i, "text": "Kết luận số 102-KL/TW" * (i % 7)} for i in range(n)]
    out = list(packed((f"k{i}", o) for i, o in enumerate(objs)))
    assert out == [(f"k{i}", pack(o)) for i, o in enumerate(objs)]
    assert [unpack(b) for _, b in out] == objs
