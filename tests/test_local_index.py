"""The resolution index a full build leaves (docgraph.local_build.Index): which files give or cite each identity
key, and how a local build's patch overrides the base file (keys rows replaced, warnings shifted)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from docgraph.build import build
from docgraph.local_build import RESOLUTION_PATCH, Index, NotLocal, Patch, _patch, file_hashes

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("index") / "store"
    assert build([str(ROOT / "data")], store).written
    return (store / "current").resolve()


def _records(index: Index, generation: Path) -> dict[str, object]:
    return {name: index.record(name) for name in file_hashes(generation)}


def test_every_cited_key_lists_its_citing_file(generation: Path) -> None:
    index = Index(generation)
    try:
        records = _records(index, generation)
        cited = 0
        for name, rec in records.items():
            assert rec is not None
            if rec.own_key:
                assert (name, True) in index.sources(rec.own_key)
            for key in rec.cite_keys:
                assert (name, False) in index.sources(key)
                cited += 1
        assert cited >= 5  # the seeds cite each other and the State documents they implement
        assert index.sources("no such key|vn") == []
    finally:
        index.close()


def test_a_patch_replaces_keys_rows_and_shifts_later_warnings(generation: Path) -> None:
    index = Index(generation)
    records = _records(index, generation)
    index.close()
    by_order = sorted(records.items(), key=lambda kv: kv[1].order)  # type: ignore[union-attr]
    first, rest = by_order[0], by_order[1:]
    name, rec = first
    key = rec.cite_keys[0]  # type: ignore[union-attr]
    patch = Patch(keys={name: (rec.own_key, ["a new key|vn"])}, shifts=[(rec.order, 3)])  # type: ignore[union-attr]
    path = generation / RESOLUTION_PATCH
    path.write_bytes(pickle.dumps(patch))
    try:
        index = Index(generation)
        assert (name, False) not in index.sources(key)
        assert index.sources("a new key|vn") == [(name, False)]
        assert index.record(name).warn_start == rec.warn_start  # type: ignore[union-attr]  # not after itself
        for other, was in rest:
            assert index.record(other).warn_start == was.warn_start + 3  # type: ignore[union-attr]
        index.close()
    finally:
        path.unlink()


def test_an_older_patch_gets_the_new_fields_and_a_foreign_one_is_refused(generation: Path) -> None:
    old = Patch()
    del old.__dict__["orgs"]  # as a Patch pickled before the field existed
    assert _patch(old) == Patch()
    assert _patch({"records": {}}) is None
    path = generation / RESOLUTION_PATCH
    path.write_bytes(pickle.dumps({"a": b""}))  # the dict an older docgraph kept
    try:
        with pytest.raises(NotLocal):
            Index(generation)
    finally:
        path.unlink()


def test_each_file_has_its_lean_parse_and_an_index_without_them_is_refused(generation: Path,
                                                                            tmp_path: Path) -> None:
    import dataclasses
    import shutil
    import sqlite3

    from docgraph.parse import parse_file
    from docgraph.resolve import citation_facts

    index = Index(generation)
    try:
        for name in file_hashes(generation):
            lean, doc = index.lean(name), parse_file(Path(name), name)
            assert lean is not None and lean.source == name and lean.document == doc.document
            # (without sentences: a replay quotes none from a lean parse)
            assert [citation_facts(c) for c in lean.citations] == \
                [citation_facts(dataclasses.replace(c, sentences=[])) for c in doc.citations]
            assert [[m.start for m in c.mentions] for c in lean.citations] == \
                [[m.start for m in c.mentions] for c in doc.citations]
    finally:
        index.close()
    older = tmp_path / "gen"
    shutil.copytree(generation, older, ignore=shutil.ignore_patterns("oxigraph"))
    db = sqlite3.connect(older / "resolution.sqlite")
    db.execute("DROP TABLE leans")
    db.commit()
    db.close()
    with pytest.raises(NotLocal, match="older docgraph"):
        Index(older)
