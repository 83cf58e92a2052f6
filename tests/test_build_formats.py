"""A folder of downloads (Word, HTML next to text) builds; converted texts are kept beside the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run
from docgraph.store import Store

docx = pytest.importorskip("docx")

PARAS = ["TỈNH ỦY NGHỆ AN", "Số: 21-KH/TU", "Nghệ An, ngày 5 tháng 3 năm 2021", "KẾ HOẠCH",
         "thực hiện Thông báo số 158-TB/TW",
         "Thực hiện Thông báo số 158-TB/TW, ngày 02/01/2020 của Ban Bí thư, Ban Thường vụ Tỉnh ủy xây dựng "
         "Kế hoạch như sau:",
         "1- Ban Dân vận Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện."]


def test_a_docx_builds_and_its_text_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    d = docx.Document()
    for p in PARAS:
        d.add_paragraph(p)
    d.save(folder / "ke-hoach.docx")
    store = tmp_path / "dg"
    result = run("build", str(folder), "--store", str(store), "-q")
    assert result.exit_code == 0, result.output
    s = Store(store)
    rows = s.query("""SELECT ?start ?end ?exact WHERE { ?st rdf:subject ?d ; rdf:object ?c ; dg:evidence ?ev .
        ?c dg:symbol "158-TB/TW" . ?d dg:symbol "21-KH/TU" .
        ?ev oa:hasSelector ?p, ?q . ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }""").rows
    assert rows, "the Kế hoạch 21-KH/TU of the .docx implements 158-TB/TW"
    kept = list((store / "current" / "converted").glob("*.txt"))
    assert len(kept) == 1
    text = kept[0].read_bytes().decode("utf-8")
    start, end, exact = int(rows[0][0]), int(rows[0][1]), str(rows[0][2])
    assert text[start:end] == exact == "Thông báo số 158-TB/TW"
