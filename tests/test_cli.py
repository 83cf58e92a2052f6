"""The CLI as a user meets it: help, formats, stdin, exit codes, bad input leaving the store alone."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run
from docgraph.cli import main

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output, f"docgraph {command} --help has no example"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"docgraph {command}" in (REPO / "README.md").read_text("utf-8"), f"README lacks docgraph {command}"


def test_extract_jsonl_contract() -> None:
    result = run("extract", "data/002_d5e775b8c46f1c5a.txt", "data/004_fd900f5e1bd67a51.txt")
    assert result.exit_code == 0
    objs = [json.loads(line) for line in result.output.splitlines()]
    assert [o["source"] for o in objs] == ["data/002_d5e775b8c46f1c5a.txt", "data/004_fd900f5e1bd67a51.txt"]
    assert set(objs[0]) == {"source", "document", "citations", "assignments", "warnings"}
    assert set(objs[0]["document"]) >= {"type", "number", "symbol", "date", "issuer", "province", "title", "signer"}
    tb = next(c for c in objs[0]["citations"] if c["symbol"] == "158-TB/TW")
    assert (tb["type"], tb["number"], tb["date"], tb["issuer"], tb["relation"]) == (
        "Thông báo", "158", "2020-01-02", "Ban Bí thư", "implements")
    text = (REPO / "data/002_d5e775b8c46f1c5a.txt").read_text("utf-8")
    for m in tb["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]
    assert len({c["symbol"] for c in objs[0]["citations"]}) == len(objs[0]["citations"])  # one per document
    assert [c["symbol"] for c in objs[1]["citations"]] == ["16/CT-TTg"]


def test_extract_reads_stdin_and_nfd() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Triển khai thực hiện Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị")
    result = run("extract", "-", input=text)
    c = json.loads(result.output)["citations"][0]
    assert (c["symbol"], c["date"], c["issuer"], c["relation"]) == ("05-CT/TW", "2016-05-15", "Bộ Chính trị",
                                                                      "implements")
    assert text[c["mentions"][0]["start"] : c["mentions"][0]["end"]] == unicodedata.normalize(
        "NFD", "Chỉ thị số 05-CT/TW")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_query_formats(seed_store: Path, fmt: str) -> None:
    result = run("query", "missing-documents", "--format", fmt, "--store", str(seed_store))
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.output)
    elif fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(result.output), delimiter="," if fmt == "csv" else "\t"))
    else:
        assert result.output.splitlines()[0].split()[:2] == ["doc", "label"]
        return
    labels = {r["label"] for r in rows}
    assert {"Kết luận 102-KL/TW", "Thông báo 158-TB/TW", "Chỉ thị 16/CT-TTg"} <= labels
    assert not any(r["label"].startswith("Kế hoạch (") for r in rows)  # corpus documents are not missing


def test_query_from_stdin_and_params(seed_store: Path) -> None:
    q = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dg:Document ; dg:inCorpus true }"
    result = run("query", "-", "--format", "csv", "--store", str(seed_store), input=q)
    assert result.output.splitlines() == ["n", "5"]
    result = run("query", "citing", "--param", "root=158-TB/TW", "--format", "json", "--store", str(seed_store))
    rows = json.loads(result.output)
    assert {r["label"] for r in rows} == {"Kế hoạch (002_d5e775b8c46f1c5a.txt)", "Công văn (001_bc6328374f6f14aa.txt)"}
    assert all("158-TB/TW" in r["sentence"] for r in rows)


def test_query_errors_are_one_line_exit_2(seed_store: Path) -> None:
    for args in (["query", "no-such-query"], ["query", "citing"], ["query", "citing", "-p", "root=999-XX/TW"],
                 ["chain", "999-KL/TW"]):
        result = run(*args, "--store", str(seed_store))
        assert result.exit_code == 2, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("docgraph: ")


def test_check_queries_exit_1_only_with_rows(seed_store: Path) -> None:
    assert run("query", "chronology-violation", "--store", str(seed_store)).exit_code == 0


def test_no_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run("chain", "102-KL/TW", "--store", str(tmp_path / "none"))
    assert result.exit_code == 2 and "no build here yet" in result.output


def _snapshot(store: Path) -> tuple[str, str]:
    current = (store / "current").resolve()
    return current.name, (current / "build.json").read_text("utf-8")


def _built_copy(tmp_path: Path) -> tuple[Path, Path, tuple[str, str]]:
    """A copy of data/ built into a store: (corpus, store, snapshot of the store)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "data", corpus)
    store = tmp_path / "dg"
    assert run("build", str(corpus), "--store", str(store), "-q").exit_code == 0
    return corpus, store, _snapshot(store)


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("legacy.txt", b"Ch\xd2 th\xd2 s\xf4 05-CT/TW cu\xf5a Ban Th\xfd\xf5ng vu\xf2", "not UTF-8"),  # 8-bit text
])
def test_bad_text_exits_2_and_leaves_the_store(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    corpus, store, before = _built_copy(tmp_path)
    (corpus / name).write_bytes(content)
    result = run("build", str(corpus), "--store", str(store), "-q")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert any(str(corpus / name) in ln and problem in ln for ln in lines), result.output
    assert _snapshot(store) == before


@pytest.mark.parametrize(("sidecar", "where", "problem"), [
    ("type: Chỉ thị\ntitle: [unclosed\n", ":2:", "malformed YAML"),
    ("type: Chỉ thị\ncolour: red\n", ":2:", "unknown key 'colour'"),
    ("date: 2021-02-30\n", ":1:", "not a date"),
    ("signer: [1, 2]\n", ":1:", "expected text"),
])
def test_malformed_sidecar_names_file_line_and_problem(tmp_path: Path, sidecar: str, where: str, problem: str) -> None:
    corpus, store, before = _built_copy(tmp_path)
    side = corpus / "000_e8a34ee3c37c1dd0.meta.yaml"
    side.write_text(sidecar, "utf-8")
    result = run("build", str(corpus), "--store", str(store), "-q")
    assert result.exit_code == 2
    line = next(ln for ln in result.output.splitlines() if str(side) in ln)
    assert f"{side}{where}" in line and problem in line, line
    assert _snapshot(store) == before


def test_build_summary_and_view(tmp_path: Path) -> None:
    result = run("build", "data", "--store", str(tmp_path / "dg"), "--view", str(tmp_path / "v.html"))
    assert result.exit_code == 0, result.output
    assert "documents         17 (5 in the corpus, 12 only cited)" in result.output
    assert "SHACL             conforms" in result.output
    html = (tmp_path / "v.html").read_text("utf-8")
    assert "102-KL/TW" in html and "<script src=" not in html


def test_duplicate_files_are_counted_once_and_flagged(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "data", corpus)
    shutil.copy(corpus / "002_d5e775b8c46f1c5a.txt", corpus / "copy-of-002.txt")
    result = run("build", str(corpus), "--store", str(tmp_path / "dg"))
    assert result.exit_code == 0, result.output
    assert "documents         17 (5 in the corpus, 12 only cited)" in result.output
    from docgraph.store import Store

    manifest = Store(tmp_path / "dg").manifest
    assert any("copy-of-002.txt" in w and "same text as" in w for w in manifest["warnings"])


def test_a_file_that_vanishes_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    from docgraph.errors import InputError
    from docgraph.parse import parse_file
    from docgraph.sidecar import load_sidecar

    for call in (lambda: parse_file(tmp_path / "gone.txt"), lambda: load_sidecar(tmp_path / "gone.meta.yaml")):
        with pytest.raises(InputError) as err:
            call()
        assert str(err.value).startswith(str(tmp_path / "gone")) and len(str(err.value).splitlines()) == 1
