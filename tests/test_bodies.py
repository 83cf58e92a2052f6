"""Bodies and abbreviations (src/docgraph/data/bodies.json, abbreviations.json): every example is checked."""

from __future__ import annotations

import pytest

from docgraph import bodies
from docgraph.domain import domain, load
from docgraph.resolve import _is_collective
from docgraph.textfold import fold

BODIES = load("bodies")["bodies"]
ABBREVIATIONS = load("abbreviations")["abbreviations"]
BODY_EXAMPLES = [(b["id"], ex) for b in BODIES for ex in b["examples"]]


@pytest.mark.parametrize(("body_id", "example"), BODY_EXAMPLES, ids=[f"{i}:{e}" for i, e in BODY_EXAMPLES])
def test_every_body_example_resolves_to_its_entry(body_id: str, example: str) -> None:
    named = bodies.identify(example)
    at = bodies.body_at(example, fold(example), 0)
    assert (named and named.id == body_id) or (at and at.body_id == body_id), example


@pytest.mark.parametrize("entry", ABBREVIATIONS, ids=[a["abbr"] for a in ABBREVIATIONS])
def test_every_abbreviation_example_expands(entry: dict) -> None:
    assert entry["examples"], entry["abbr"]
    for ex in entry["examples"]:
        assert entry["abbr"] in ex
        out = bodies.expand(ex)
        assert entry["expansion"] in out and entry["abbr"] not in out.replace(entry["expansion"], ""), (ex, out)


def test_body_entries_are_well_formed() -> None:
    ids = [b["id"] for b in BODIES]
    assert len(ids) == len(set(ids))
    for b in BODIES:
        assert b["level"] in {"central", "province", "district", "commune"}, b["id"]
        assert b["kind"] in {"party", "state", "mass"}, b["id"]
        assert b["parent"] is None or b["parent"] in ids, b["id"]
        assert b["name"] and b["en"] and b["examples"], b["id"]


def test_no_name_stands_for_two_bodies() -> None:
    seen: dict[str, str] = {}
    for b in domain().bodies:
        for n in (b.name, *b.aliases):
            key = " ".join(fold(bodies.expand(n)).split())
            assert seen.setdefault(key, b.id) == b.id, (n, seen[key], b.id)


@pytest.mark.parametrize(("text", "body_id", "written"), [
    ("UBND tỉnh chủ trì", "ubnd-tinh", "UBND tỉnh"),
    ("BTV Tỉnh ủy giao", "ban-thuong-vu-tinh-uy", "BTV Tỉnh ủy"),
    ("Ban cán sự đảng UBND tỉnh lãnh đạo", "ban-can-su-dang-ubnd-tinh", "Ban cán sự đảng UBND tỉnh"),
    ("Ủy ban MTTQ Việt Nam tỉnh và", "uy-ban-mttq-tinh", "Ủy ban MTTQ Việt Nam tỉnh"),
    ("Sở TT&TT phối hợp", "so-thong-tin-va-truyen-thong", "Sở TT&TT"),
    ("Báo Hà Tĩnh, Đài", "bao-tinh", "Báo Hà Tĩnh"),
    ("Tỉnh ủy Hà Tĩnh ban hành", "tinh-uy", "Tỉnh ủy Hà Tĩnh"),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì", "ban-tuyen-giao-va-dan-van-tinh-uy",
     "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
    ("Đảng ủy Khối các cơ quan Trung ương", "dang-uy-khoi-cac-co-quan-trung-uong",
     "Đảng ủy Khối các cơ quan Trung ương"),
    ("Bộ Nội vụ hướng dẫn", "bo-noi-vu", "Bộ Nội vụ"),
])
def test_body_at_reads_names_as_written(text: str, body_id: str, written: str) -> None:
    m = bodies.body_at(text, fold(text), 0)
    assert m is not None and (m.body_id, m.text) == (body_id, written)


@pytest.mark.parametrize("text", ["từ tỉnh đến cơ sở", "tư tưởng", "hủ tục", "Dự thảo"])
def test_short_abbreviations_match_only_as_written(text: str) -> None:
    """ "TU", "HU" and "ĐU" fold like "từ", "hủ", "dự": they count only in capitals."""
    assert bodies.body_at(text, fold(text), 0) is None


@pytest.mark.parametrize("name", [
    "các ban của Tỉnh ủy", "các cơ quan liên quan", "các huyện ủy, thị ủy, thành ủy",
    "các cơ quan chuyên trách, tham mưu giúp việc Tỉnh ủy", "các tổ chức thành viên",
])
def test_collectives_are_groups_not_invented_bodies(name: str) -> None:
    assert bodies.identify(name) is None
    assert _is_collective(name)
