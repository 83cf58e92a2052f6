"""read_header(): the document's own identity (number, date, place, issuer, title, signer)."""

from __future__ import annotations

from typing import Any

import pytest

from docgraph.header import read_header
from docgraph.normalize import normalize
from docgraph.parse import parse_text

PARTY = """ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG BỘ TỈNH NGHỆ AN
BAN THƯỜNG VỤ TỈNH ỦY
*
Số: 25-CT/TU
Nghệ An, ngày 12 tháng 3 năm 2024

CHỈ THỊ
về tăng cường công tác dân vận
trong tình hình mới

Thực hiện Nghị quyết số 43-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng (khóa XIII), Ban Thường vụ
Tỉnh ủy yêu cầu các cấp ủy triển khai thực hiện Chỉ thị này.

T/M BAN THƯỜNG VỤ
BÍ THƯ

(đã ký)

Nguyễn Văn A
"""

ONE_LINE = """HUYỆN ỦY ĐỊNH HÓA
*
Số 120-KH/HU    Định Hóa, ngày 05 tháng 01 năm 2023

KẾ HOẠCH
thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương Đảng khóa XIII

I. MỤC ĐÍCH
"""

STATE = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 594/KH-UBND
Hà Tĩnh, ngày 03 tháng 11 năm 2021

KẾ HOẠCH
Triển khai công tác dân vận chính quyền năm 2022

Căn cứ Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ;

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Văn B
"""

STAMPED = """BAN TUYÊN GIÁO TỈNH ỦY

ĐẾN Số: 2664
 Ngày: 09/9/2021
 Chuyển:

CHỈ THỊ

CỦA BAN THƯỜNG VỤ TỈNH ỦY

về tăng cường công tác tuyên truyền, vận động tập hợp
 quần chúng vào các đoàn thể

Thực hiện Chỉ thị số 16/CT-TTg, ngày 16-5-2016 của Thủ tướng Chính phủ.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ

Nguyễn Văn C
"""

BOLD = """

KẾ HOẠCH

**thực hiện Thông báo số 158-TB/TW, ngày 02/01/2020
của Ban Bí thư về tiếp tục thực hiện Kết luận số 102-KL/TW
của Bộ Chính trị khóa XI về hội quần chúng trong tình hình mới**

Thực hiện Thông báo số 158-TB/TW ngày 02/01/2020 của Ban Bí thư, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch.

**T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ**

Ngô Văn D
"""

ARTICLE = """Triển khai thực hiện Quy chế tổ chức và hoạt động của hội quần chúng

Thứ Hai, 10 Tháng Sáu, 2024 25 lượt xem Chia sẻ bài viết:

Theo đó, Ban Thường vụ Tỉnh ủy yêu cầu thực hiện có hiệu quả Thông báo số 158-TB/TW ngày 2/1/2020 của Ban Bí thư.
"""

BODY_SO_LINE = """Thực hiện Chỉ thị
số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị.
Sơ kết 5 năm thực hiện Nghị quyết số 39-NQ/TW của Bộ Chính trị.
"""

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("party-header", PARTY, {"type": "Chỉ thị", "number": "25", "symbol": "25-CT/TU", "date": "2024-03-12",
                             "place": "Nghệ An", "issuer": "Ban Thường vụ Tỉnh ủy", "province": "Nghệ An",
                             "title": "về tăng cường công tác dân vận trong tình hình mới",
                             "signer": "Nguyễn Văn A", "signer_role": "Bí thư"}),
    ("symbol-and-date-on-one-line", ONE_LINE, {"type": "Kế hoạch", "number": "120", "symbol": "120-KH/HU",
                                               "date": "2023-01-05", "place": "Định Hóa",
                                               "issuer": "Huyện ủy Định Hóa",
                                               "title": "thực hiện Kết luận số 21-KL/TW của Ban Chấp hành "
                                                        "Trung ương Đảng khóa XIII"}),
    ("state-header", STATE, {"type": "Kế hoạch", "number": "594", "symbol": "594/KH-UBND", "date": "2021-11-03",
                             "place": "Hà Tĩnh", "issuer": "Ủy ban nhân dân tỉnh Hà Tĩnh", "province": "Hà Tĩnh",
                             "title": "Triển khai công tác dân vận chính quyền năm 2022",
                             "signer": "Trần Văn B", "signer_role": "Phó chủ tịch"}),
    ("received-stamp-is-not-own", STAMPED, {"type": "Chỉ thị", "number": None, "symbol": None, "date": None,
                                            "received": "2021-09-09", "issuer": "Ban Thường vụ Tỉnh ủy",
                                            "title": "về tăng cường công tác tuyên truyền, vận động tập hợp "
                                                     "quần chúng vào các đoàn thể",
                                            "signer": "Nguyễn Văn C", "signer_role": "Phó Bí thư"}),
    ("bold-title-and-signer", BOLD, {"type": "Kế hoạch", "symbol": None,
                                     "title": "thực hiện Thông báo số 158-TB/TW, ngày 02/01/2020 của Ban Bí thư về "
                                              "tiếp tục thực hiện Kết luận số 102-KL/TW của Bộ Chính trị khóa XI "
                                              "về hội quần chúng trong tình hình mới",
                                     "signer": "Ngô Văn D", "signer_role": "Phó Bí thư"}),
    ("news-article", ARTICLE, {"type": None, "symbol": None, "date": None, "published": "2024-06-10"}),
    ("body-so-line-is-not-own-number", BODY_SO_LINE, {"symbol": None, "number": None, "type": None}),
]


@pytest.mark.parametrize(("text", "want"), [(t, w) for _, t, w in CASES], ids=[n for n, _, _ in CASES])
def test_header(text: str, want: dict[str, Any]) -> None:
    meta, _warn = read_header(normalize(text))
    got = {k: getattr(meta, k) for k in want}
    assert got == want, f"input:\n{text}"


def test_own_symbol_is_not_a_citation() -> None:
    doc = parse_text(PARTY)
    assert [c.symbol for c in doc.citations] == ["43-NQ/TW"]


def test_body_lines_starting_with_so_keep_their_citations() -> None:
    doc = parse_text(BODY_SO_LINE)
    assert sorted(c.symbol for c in doc.citations) == ["05-CT/TW", "39-NQ/TW"]


def test_stamp_number_is_neither_own_number_nor_citation() -> None:
    doc = parse_text(STAMPED)
    assert doc.document.number is None
    assert [c.symbol for c in doc.citations] == ["16/CT-TTg"]
    assert doc.citations[0].date == "2016-05-16"
