"""reading: the entry points parse and build call keep working, and every refusal is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgraph import reading
from docgraph.errors import InputError
from docgraph.parse import parse_file

TEXT = "Thực hiện Kết luận số 102-KL/TW ngày 22/9/2014 của Bộ Chính trị.\n"


def test_read_text_returns_the_file_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    assert reading.read_text(path, "a.txt") == TEXT
    assert reading.read_text(path) == TEXT
    conv = reading.read_document(path)
    assert conv.text == TEXT and conv.verbatim and conv.metadata == {"encoding": "utf-8"}


def test_decode_is_bytes_to_text() -> None:
    assert reading.decode(TEXT.encode("utf-16"), "-") == TEXT


def test_parse_file_reads_a_legacy_file(tmp_path: Path) -> None:
    from docgraph.charsets import legacy_encode

    path = tmp_path / "old.txt"
    path.write_bytes(legacy_encode(TEXT * 3, "tcvn3").encode("cp1252"))
    doc = parse_file(path, "old.txt")
    assert [c.symbol for c in doc.citations] == ["102-KL/TW"]


@pytest.mark.parametrize(("make", "problem"), [
    (lambda p: p.write_bytes(b""), "empty file"),
    (lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00"), "binary file"),
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: None, "no such file"),
])
def test_refusals_are_one_line(tmp_path: Path, make, problem: str) -> None:
    path = tmp_path / "x.txt"
    make(path)
    with pytest.raises(InputError) as e:
        reading.read_text(path, "x.txt")
    assert str(e.value).startswith("x.txt: ") and problem in str(e.value) and "\n" not in str(e.value)


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    monkeypatch.setattr(reading, "MAX_BYTES", 1024)
    with pytest.raises(InputError, match="too large"):
        reading.read_text(path, "big.txt")
