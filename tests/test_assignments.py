"""Assignments: the table in tests/cases/assignments.yaml, the seed documents' gold, and spans."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from docgraph.assignments import extract_assignments
from docgraph.model import Assignment
from docgraph.normalize import normalize
from docgraph.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "cases" / "assignments.yaml").read_text("utf-8"))
DEFAULTS = {"coordinators": [], "kind": "assignment", "deadline": None, "recurrence": None, "report_to": None}


def extract(text: str) -> list[Assignment]:
    return extract_assignments(normalize(text))


def _got(a: Assignment, want: dict[str, Any]) -> dict[str, Any]:
    d = a.as_dict()
    got = {k: d[k] for k in ("lead", *DEFAULTS)}
    for k in ("deadline_text", "report_frequency"):
        if k in want:
            got[k] = d[k]
    if "task" in want:
        got["task"] = d["task"][: len(want["task"])]
    return got


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_assignment_case(case: dict[str, Any]) -> None:
    found = extract(case["text"])
    want = [DEFAULTS | w for w in case["expect"]]
    got = [_got(a, w) for a, w in zip(found, want, strict=False)]
    got += [a.as_dict() for a in found[len(want) :]]
    assert got == want, f"{case['id']}: {case['text']!r}"


def test_the_table_covers_every_form_with_enough_cases() -> None:
    forms = {c["form"] for c in CASES}
    assert {"chu-tri", "giao", "responsibility", "item", "header", "semicolon", "request", "deadline", "report",
            "negative"} <= forms
    assert len(CASES) >= 60
    assert sum(c["form"] == "negative" for c in CASES) >= 15


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"]], ids=[c["id"] for c in CASES if c["expect"]])
def test_span_covers_the_task_in_the_original_text(case: dict[str, Any]) -> None:
    for a in extract(case["text"]):
        first_words = " ".join(a.task.split()[:3])
        assert first_words in " ".join(case["text"][a.start : a.end].split()), (case["id"], a.task)


def test_span_is_in_the_text_as_read_when_it_is_not_nfc() -> None:
    raw = unicodedata.normalize("NFD", "Mở đầu.\n\nGiao Ban Dân vận Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy "
                                       "theo dõi, đôn đốc việc thực hiện Chỉ thị này.")
    (a,) = extract(raw)
    assert a.lead == "Ban Dân vận Tỉnh ủy" and a.coordinators == ["Văn phòng Tỉnh ủy"]
    assert unicodedata.normalize("NFC", raw[a.start : a.end]).find("theo dõi, đôn đốc") >= 0


def test_as_dict_keeps_its_keys() -> None:
    (a,) = extract("Giao Văn phòng Tỉnh ủy theo dõi việc thực hiện, hoàn thành trong quý I năm 2020.")
    assert set(a.as_dict()) >= {"lead", "coordinators", "task", "kind", "deadline", "deadline_text", "recurrence",
                                "report_to", "report_frequency", "start", "end"}


# -- the seed documents: every "chủ trì" assignment, read by hand -------------------------------------

SEED_GOLD: dict[str, list[tuple[str, list[str]]]] = {
    "000": [
        ("Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội",
         ["các tổ chức thành viên", "các hội quần chúng"]),
        ("Ban Dân vận Tỉnh ủy", ["các ban của Tỉnh ủy", "Văn phòng Tỉnh ủy"]),
    ],
    "001": [
        ("Ban cán sự đảng UBND tỉnh", ["Ban Tổ chức Tỉnh ủy", "các cơ quan liên quan"]),  # "Chủ trì, phối hợp …"
        ("Ban Dân vận Tỉnh ủy", ["các cơ quan liên quan"]),
    ],
    "002": [
        ("Ban cán sự Đảng Ủy ban nhân dân tỉnh", ["Ban Tổ chức Tỉnh ủy", "các cơ quan, tổ chức có liên quan"]),
        ("Ban Tổ chức Tỉnh ủy", ["các cơ quan liên quan"]),
        ("Ban Dân vận Tỉnh ủy", ["các cơ quan chuyên trách, tham mưu giúp việc Tỉnh ủy"]),
    ],
    "003": [
        ("Ban Tuyên giáo Tỉnh ủy",
         ["Sở Thông tin và Truyền thông", "Báo Hà Tĩnh", "Đài Phát thanh và Truyền hình tỉnh"]),
        ("Ban Dân vận Tỉnh ủy", ["các ban Đảng", "Ủy ban Kiểm tra", "Văn phòng Tỉnh ủy"]),
    ],
    "004": [
        ("Ban Dân vận Tỉnh ủy", ["các cơ quan liên quan"]),
    ],
}


def seed(n: str) -> list[Assignment]:
    (path,) = sorted((ROOT / "data").glob(f"{n}_*.txt"))
    return parse_file(path).assignments


@pytest.mark.parametrize("n", sorted(SEED_GOLD))
def test_seed_chu_tri_assignments_exactly(n: str) -> None:
    got = [(a.lead, a.coordinators) for a in seed(n) if a.sentence and "chủ trì" in a.sentence.text.lower()]
    assert got == SEED_GOLD[n]


def test_seed_002_plans_due_in_the_first_quarter_of_2020() -> None:
    due = [a for a in seed("002") if a.deadline and a.deadline.date == "2020-03-31"]
    assert len(due) == 1 and due[0].lead.startswith("các huyện ủy, thành ủy")
    assert due[0].deadline.text == "xong trong quý I năm 2020"
    assert "(xong" not in due[0].task


def test_seed_reports_to_the_standing_board() -> None:
    (a,) = [a for a in seed("000") if a.lead == "Ban Dân vận Tỉnh ủy"]
    assert (a.report_to, a.report_frequency) == ("Ban Thường vụ Tỉnh ủy", "periodic")
    (b,) = [a for a in seed("002") if a.lead == "Ban Dân vận Tỉnh ủy"]
    assert b.report_to == "Ban Thường vụ Tỉnh ủy"


def test_seed_001_request_has_its_list_of_leads() -> None:
    first = seed("001")[0]
    assert first.kind == "request"
    assert first.lead.startswith("các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy; các ban cán sự đảng")
    assert first.lead.endswith("Đảng ủy Các cơ quan tỉnh")


@pytest.mark.parametrize("n", sorted(SEED_GOLD))
def test_seed_spans_point_at_the_tasks(n: str) -> None:
    (path,) = sorted((ROOT / "data").glob(f"{n}_*.txt"))
    raw = path.read_text("utf-8")
    for a in seed(n):
        assert " ".join(a.task.split()[:3]) in " ".join(raw[a.start : a.end].split()), a.task
