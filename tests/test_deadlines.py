"""Deadlines: one-off ones become the last day they allow, recurring ones an ISO 8601 duration."""

from __future__ import annotations

import pytest

from docgraph.deadlines import find_deadline, report_frequency
from docgraph.textfold import fold

# (clause, deadline text as written, ISO date, recurrence)
CASES = [
    ("lập kế hoạch (xong trong quý I năm 2020)", "xong trong quý I năm 2020", "2020-03-31", None),
    ("báo cáo trước ngày 30/6/2024", "trước ngày 30/6/2024", "2024-06-30", None),
    ("tổng hợp trong tháng 12/2023", "trong tháng 12/2023", "2023-12-31", None),
    ("hoàn thành 6 tháng đầu năm 2021", "6 tháng đầu năm 2021", "2021-06-30", None),
    ("xây dựng đề án, hoàn thành trong quý 2/2026", "hoàn thành trong quý 2/2026", "2026-06-30", None),
    ("sơ kết trong quý IV/2023", "trong quý IV/2023", "2023-12-31", None),
    ("hoàn thành trước quý III năm 2024", "hoàn thành trước quý III năm 2024", "2024-06-30", None),
    ("tổ chức tập huấn trong năm 2025", "trong năm 2025", "2025-12-31", None),
    ("hoàn thành việc sắp xếp đến hết năm 2025", "đến hết năm 2025", "2025-12-31", None),
    ("gửi báo cáo chậm nhất ngày 15/11/2024", "chậm nhất ngày 15/11/2024", "2024-11-15", None),
    ("hoàn thành trước 31/3/2025", "hoàn thành trước 31/3/2025", "2025-03-31", None),
    ("thực hiện 6 tháng cuối năm 2022", "6 tháng cuối năm 2022", "2022-12-31", None),
    ("trình trong tháng 9 năm 2024", "trong tháng 9 năm 2024", "2024-09-30", None),
    ("hoàn thành trước ngày 20 tháng 10 năm 2024", "hoàn thành trước ngày 20 tháng 10 năm 2024", "2024-10-20", None),
    ("ban hành trước tháng 6/2024", "trước tháng 6/2024", "2024-05-31", None),
    ("kiện toàn xong trước năm 2025", "xong trước năm 2025", "2024-12-31", None),
    ("tổ chức sơ kết hằng năm", "hằng năm", None, "P1Y"),
    ("kiểm tra hàng năm", "hàng năm", None, "P1Y"),
    ("định kỳ 6 tháng đánh giá kết quả", "định kỳ 6 tháng", None, "P6M"),
    ("báo cáo trước ngày 15/12 hằng năm", "trước ngày 15/12 hằng năm", None, "P1Y"),
    ("giao ban hằng quý", "hằng quý", None, "P3M"),
    ("cập nhật số liệu hằng tháng", "hằng tháng", None, "P1M"),
    ("gửi báo cáo trước ngày 25 hằng tháng", "trước ngày 25 hằng tháng", None, "P1M"),
    ("nắm tình hình hằng tuần", "hằng tuần", None, "P1W"),
    ("tổ chức hội thi 2 năm một lần", "2 năm một lần", None, "P2Y"),
]


@pytest.mark.parametrize(("clause", "text", "date", "recurrence"), CASES, ids=[c[1] for c in CASES])
def test_deadline(clause: str, text: str, date: str | None, recurrence: str | None) -> None:
    found = find_deadline(fold(clause), clause)
    assert found is not None, clause
    d, start, end = found
    assert (d.text, d.date, d.recurrence) == (text, date, recurrence), clause
    assert clause[start:end].strip() == text


@pytest.mark.parametrize("clause", [
    "từ năm 2021 thực hiện việc khoán kinh phí",
    "giai đoạn 2021 - 2025",
    "Chỉ thị số 17-CT/TW, ngày 28/8/2012 của Bộ Chính trị",
    "theo dõi, đôn đốc việc thực hiện Chỉ thị này",
])
def test_not_a_deadline(clause: str) -> None:
    assert find_deadline(fold(clause), clause) is None


def test_a_recurrence_is_an_iso_8601_duration() -> None:
    import re

    for clause, _, _, rec in CASES:
        if rec:
            assert re.fullmatch(r"P\d+[YMWD]", rec), clause


@pytest.mark.parametrize(("phrase", "frequency"), [
    ("định kỳ 6 tháng báo cáo", "P6M"),
    ("định kỳ hằng quý báo cáo", "P3M"),
    ("định kỳ hoặc đột xuất báo cáo", "periodic"),
    ("định kỳ báo cáo", "periodic"),
    ("đột xuất báo cáo", "ad hoc"),
    ("kịp thời báo cáo", None),
])
def test_report_frequency(phrase: str, frequency: str | None) -> None:
    assert report_frequency(fold(phrase)) == frequency
