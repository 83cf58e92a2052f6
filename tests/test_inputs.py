"""inputs: which files a build reads, found as ``rglob`` and a ``stat`` per sidecar suffix would find them."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from docgraph import inputs
from docgraph.errors import InputError
from docgraph.sidecar import sidecar_for


def test_collect_inputs_keeps_its_contract(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.meta.yaml").write_text("x")
    assert inputs.collect_inputs([str(tmp_path)]) == [tmp_path / "a.txt", tmp_path / "b.txt"]
    with pytest.raises(InputError, match="no such file or folder"):
        inputs.collect_inputs([str(tmp_path / "missing")])


def _by_the_book(folder: Path) -> list[Path]:
    """What collect_inputs gave before it scanned with os.scandir: rglob, is_file, sorted Paths."""
    from docgraph.convert import SUFFIXES
    from docgraph.sidecar import is_sidecar

    return sorted(q for q in folder.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES
                  and not is_sidecar(q) and not q.name.startswith((".", "~$")))


def test_scan_inputs_finds_what_rglob_finds_in_the_same_order(tmp_path: Path) -> None:
    # "a-b.txt" and "a.b/c.txt" sort before "a/x.txt" as strings, after it part by part, as Paths sort
    names = ["b.txt", "a.TXT", "a.meta.yaml", "c.html", "d.pdf", "notes.csv", ".hidden.txt", "~$lock.docx",
             "a-b.txt", "a/x.txt", "a/y.meta.json", "a/y.txt", "a b/z.md", "a.b/c.txt", "deep/er/w.docx",
             "deep/er/w.meta.yml", "tỉnh/kế-hoạch.txt", "folder.txt/inside.txt", "p.txt", "p.meta.json",
             "p.meta.yaml", "q.meta.yml", "q.meta.json", "q.txt", "r.v2.txt", "r.v2.meta.json", "r.meta.json"]
    for n in names:
        (tmp_path / n).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / n).write_text("x")
    (tmp_path / "dir.txt").mkdir()  # a folder with an input's name is not an input
    scanned = inputs.scan_inputs([str(tmp_path)])
    assert [Path(p) for p, _ in scanned] == _by_the_book(tmp_path)
    assert [p for p, _ in scanned] == [str(p) for p in inputs.collect_inputs([str(tmp_path)])]
    # the folder listing finds the sidecars a stat per suffix finds, the same one where there are two
    for p, side in scanned:
        assert side == (str(sidecar_for(Path(p))) if sidecar_for(Path(p)) else None), p
    found = {Path(p).name: Path(side).name for p, side in scanned if side}
    assert found == {"a.TXT": "a.meta.yaml", "y.txt": "y.meta.json", "w.docx": "w.meta.yml",
                     "p.txt": "p.meta.yaml", "q.txt": "q.meta.yml", "r.v2.txt": "r.v2.meta.json"}


def test_a_file_named_itself_has_its_sidecar_found(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.meta.json").write_text("{}")
    (tmp_path / "b.txt").write_text("x")
    assert inputs.scan_inputs([str(tmp_path / "b.txt"), str(tmp_path / "a.txt")]) == [
        (str(tmp_path / "b.txt"), None), (str(tmp_path / "a.txt"), str(tmp_path / "a.meta.json"))]


@pytest.mark.parametrize(("names", "expected"), [
    (["kh-12.txt", "kh-12.meta.yaml"], {"kh-12": "kh-12.meta.yaml"}),
    (["a.meta.json", "a.meta.yml", "a.meta.yaml"], {"a": "a.meta.yaml"}),  # the first suffix wins
    (["a.meta.json", "a.meta.yml"], {"a": "a.meta.yml"}),
    (["a.meta.JSON", "a.yaml", "meta.yaml"], {}),  # suffixes are matched as written; a stem is needed…
    ([".meta.yaml"], {"": ".meta.yaml"}),  # …and the empty one is no text's: hidden files are not inputs
    (["tb-158.v2.meta.json"], {"tb-158.v2": "tb-158.v2.meta.json"}),
])
def test_sidecars_in_a_listing(names: list[str], expected: dict[str, str]) -> None:
    assert inputs.sidecars_in(names) == expected


def _age_folders(root: Path) -> None:
    for folder in [root, *(q for q in root.rglob("*") if q.is_dir())]:
        os.utime(folder, ns=(time.time_ns() - 10**10,) * 2)


def test_a_listing_is_taken_again_until_a_folder_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, listing = tmp_path / "corpus", tmp_path / "cache" / "listing.pickle"
    for n in ("a.txt", "a.meta.yaml", "b.txt", "sub/c.txt", "sub/deeper/d.txt"):
        (corpus / n).parent.mkdir(parents=True, exist_ok=True)
        (corpus / n).write_text("x")
    _age_folders(corpus)
    first = inputs.scan_listed([str(corpus)], listing)
    assert first == inputs.scan_inputs([str(corpus)]) and listing.exists()

    real = inputs.scan_inputs

    def no_scan(*args: object, **kw: object) -> list[tuple[str, str | None]]:
        raise AssertionError("scanned again")

    monkeypatch.setattr(inputs, "scan_inputs", no_scan)
    (corpus / "b.txt").write_text("edited inside: the folder's listing is the same")
    assert inputs.scan_listed([str(corpus)], listing) == first
    monkeypatch.setattr(inputs, "scan_inputs", real)

    # a file added deep down, a sidecar added at the top, a file renamed: each is found
    for change in (lambda: (corpus / "sub/deeper/e.txt").write_text("x"),
                   lambda: (corpus / "b.meta.yaml").write_text("x"),
                   lambda: (corpus / "sub/c.txt").rename(corpus / "sub/f.txt")):
        change()
        assert inputs.scan_listed([str(corpus)], listing) == inputs.scan_inputs([str(corpus)])
        _age_folders(corpus)
    names = [Path(p).name for p, _ in inputs.scan_listed([str(corpus)], listing)]
    assert names == ["a.txt", "b.txt", "d.txt", "e.txt", "f.txt"]
    assert dict(inputs.scan_listed([str(corpus)], listing))[str(corpus / "b.txt")] == str(corpus / "b.meta.yaml")

    # not kept: a folder modified just now, a folder holding a symbolic link, a path naming a file
    (corpus / "g.txt").write_text("x")
    inputs.scan_listed([str(corpus)], listing)
    assert not listing.exists()
    _age_folders(corpus)
    (corpus / "sub/link.txt").symlink_to(corpus / "a.txt")
    _age_folders(corpus)
    inputs.scan_listed([str(corpus)], listing)
    assert not listing.exists()
    (corpus / "sub/link.txt").unlink()
    _age_folders(corpus)
    inputs.scan_listed([str(corpus), str(corpus / "a.txt")], listing)
    assert not listing.exists()
    inputs.scan_listed([str(corpus)], listing)
    assert listing.exists()
