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


def test_collect_inputs_keeps_its_contract(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.meta.yaml").write_text("x")
    assert reading.collect_inputs([str(tmp_path)]) == [tmp_path / "a.txt", tmp_path / "b.txt"]
    with pytest.raises(InputError, match="no such file or folder"):
        reading.collect_inputs([str(tmp_path / "missing")])


def _by_the_book(folder: Path) -> list[Path]:
    """What collect_inputs gave before it scanned with os.scandir: rglob, is_file, sorted Paths."""
    from docgraph.convert import SUFFIXES
    from docgraph.sidecar import is_sidecar

    return sorted(q for q in folder.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES
                  and not is_sidecar(q) and not q.name.startswith((".", "~$")))


def test_scan_inputs_finds_what_rglob_finds_in_the_same_order(tmp_path: Path) -> None:
    names = ["b.txt", "a.TXT", "a.meta.yaml", "c.html", "d.pdf", "notes.csv", ".hidden.txt", "~$lock.docx",
             "a-b.txt", "a/x.txt", "a/y.meta.json", "a/y.txt", "a b/z.md", "deep/er/w.docx", "deep/er/w.meta.yml",
             "tỉnh/kế-hoạch.txt", "folder.txt/inside.txt"]
    for n in names:
        (tmp_path / n).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / n).write_text("x")
    (tmp_path / "dir.txt").mkdir()  # a folder with an input's name is not an input
    scanned = reading.scan_inputs([str(tmp_path)])
    assert [Path(p) for p, _ in scanned] == _by_the_book(tmp_path)
    assert [p for p, _ in scanned] == [str(p) for p in reading.collect_inputs([str(tmp_path)])]
    # the folder listing finds the same sidecars a stat per suffix finds
    from docgraph.sidecar import sidecar_for

    for p, folder in scanned:
        assert sidecar_for(Path(p), folder) == sidecar_for(Path(p))
    assert {Path(p).name for p, _ in scanned if sidecar_for(Path(p))} == {"a.TXT", "y.txt", "w.docx"}
