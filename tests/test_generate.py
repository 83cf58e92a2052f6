"""The synthetic corpus generator (bench/generate.py): determinism, chains, dates, symbols, sidecars."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from docgraph.citations import SYMBOL_RE
from docgraph.sidecar import load_sidecar

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

N = 50


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("corpus")
    generate.generate(out, N, seed=7, share=0.3, workers=1)
    gold = [json.loads(line) for line in (out / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, gold


def test_same_seed_same_bytes(corpus: tuple[Path, list[dict]], tmp_path: Path) -> None:
    out, _ = corpus
    again = tmp_path / "again"
    generate.generate(again, N, seed=7, share=0.3, workers=2)
    assert _files(out) == _files(again)


def test_one_file_per_document(corpus: tuple[Path, list[dict]]) -> None:
    out, gold = corpus
    assert len(gold) == N
    assert all((out / g["file"]).exists() for g in gold)
    assert all(1 <= len(g["citations"]) <= 12 for g in gold)
    assert all(2 <= len(g["assignments"]) for g in gold)


def test_chain_depth_at_least_five(corpus: tuple[Path, list[dict]]) -> None:
    _, gold = corpus
    plan = {g["plan"]["idx"]: g["plan"] for g in gold}

    def depth(i: int) -> int:
        p = plan[i]["primary"]
        return 1 + (depth(p) if p is not None else 0)

    assert max(depth(i) for i in plan) >= 5


def test_citing_documents_are_later(corpus: tuple[Path, list[dict]]) -> None:
    _, gold = corpus
    dates = {g["plan"]["idx"]: g["document"]["date"] for g in gold}
    for g in gold:
        for c in g["citations"]:
            assert c["true_date"] < g["document"]["date"], (g["file"], c["symbol"])
        p = g["plan"]["primary"]
        if p is not None:
            assert dates[p] < g["document"]["date"]


def test_no_district_document_after_july_2025(corpus: tuple[Path, list[dict]]) -> None:
    _, gold = corpus
    assert all(g["document"]["date"] < "2025-07-01" for g in gold if g["document"]["level"] == "district")


def test_gold_symbols_parse(corpus: tuple[Path, list[dict]]) -> None:
    _, gold = corpus
    for g in gold:
        for sym in [g["document"]["symbol"], *(c["symbol"] for c in g["citations"])]:
            assert SYMBOL_RE.fullmatch(sym), sym


def test_sidecars_load(corpus: tuple[Path, list[dict]]) -> None:
    out, gold = corpus
    sidecars = sorted(out.glob("*.meta.yaml"))
    assert sidecars
    for p in sidecars:
        assert load_sidecar(p)["province"]
    with_side = {g["file"] for g in gold if g["sidecar"]}
    assert {p.name.replace(".meta.yaml", ".txt") for p in sidecars} == with_side


def test_add_and_change_one(tmp_path: Path) -> None:
    out = tmp_path / "c"
    generate.generate(out, 30, seed=3, share=0.1, workers=1)
    before = _files(out)
    generate.add(out, 10, workers=1)
    gold = [json.loads(line) for line in (out / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(gold) == 40
    assert all(before[name] == data for name, data in _files(out).items() if name.endswith(".txt") and name in before)
    name = generate.change_one(out)
    assert (out / name).read_bytes() != before.get(name, b"")
