"""Table-driven citation extraction: tests/cases/citations*.yaml (input text -> expected citations).

A case passes when the text yields exactly one citation per expected document (matched by symbol, or by
type and number when the case gives no symbol) and every field the case states agrees: type, number,
symbol, ISO date, issuer (containment either way, ignoring diacritics), term, relation and the
relations stated inside the citation. Every mention must point at its own text in the original.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from docgraph.normalize import normalize
from docgraph.parse import parse_text
from docgraph.textfold import search_key

_CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(_CASES_DIR.glob("citations*.yaml")):
        cases.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return cases


CASES = _load_cases()


def _text(case: dict[str, Any]) -> str:
    text = case["text"]
    return unicodedata.normalize("NFD", text) if case.get("nfd") else text


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _find(got: list[dict[str, Any]], want: dict[str, Any]) -> list[dict[str, Any]]:
    if want.get("symbol"):
        return [c for c in got if c["symbol"] == _s(want["symbol"])]
    return [c for c in got if c["symbol"] is None and c["type"] == want.get("type", c["type"])
            and c["number"] == _s(want["number"])]


def _issuer_ok(got: str | None, want: str | None) -> bool:
    if want is None or got is None:
        return got == want
    g, w = search_key(got), search_key(want)
    return w in g or g in w


def _problems(got: list[dict[str, Any]], expect: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    matched: list[int] = []
    for want in expect:
        hits = _find(got, want)
        if len(hits) != 1:
            problems.append(f"{len(hits)} citations match {want}")
            continue
        c = hits[0]
        matched.append(id(c))
        for key in ("type", "number", "date", "term", "relation"):
            if key in want and c[key] != _s(want[key]):
                problems.append(f"{want.get('symbol') or want.get('number')}: {key} {c[key]!r} != {want[key]!r}")
        if "issuer" in want and not _issuer_ok(c["issuer"], want["issuer"]):
            problems.append(f"{want.get('symbol')}: issuer {c['issuer']!r} does not contain {want['issuer']!r}")
        if "relations" in want:
            wr = sorted((r["relation"], str(r["target"])) for r in want["relations"])
            gr = sorted((r["relation"], r["target"]) for r in c["relations"])
            if wr != gr:
                problems.append(f"{want.get('symbol')}: relations {gr} != {wr}")
    extra = [c["symbol"] or f"{c['type']} {c['number']}" for c in got if id(c) not in matched]
    if extra:
        problems.append(f"unexpected citations: {extra}")
    return problems


def _mention_problems(raw: str, got: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for c in got:
        for m in c["mentions"]:
            if normalize(raw[m["start"] : m["end"]]).text != m["text"]:
                out.append(f"mention {m} does not match the original {raw[m['start'] : m['end']]!r}")
    return out


def test_cases_have_unique_names_and_forms() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    assert all(c.get("form") for c in CASES), "every case names the form it covers"
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_citation_case(case: dict[str, Any]) -> None:
    raw = _text(case)
    doc = parse_text(raw, source=f"{case['name']}.txt")
    got = [c.as_dict() for c in doc.citations]
    problems = _problems(got, case["expect"]) + _mention_problems(raw, got)
    warnings = [str(w) for w in doc.warnings]
    for needle in case.get("warn", []):
        if not any(needle in w for w in warnings):
            problems.append(f"no warning containing {needle!r}")
    summary = [{k: c[k] for k in ("type", "number", "symbol", "date", "issuer", "term", "relation", "relations")}
               for c in got]
    assert not problems, (
        f"case {case['name']} ({case['form']})\ninput: {case['text']!r}\n"
        + "\n".join(problems) + f"\ngot: {summary}\nexpected: {case['expect']}\nwarnings: {warnings}"
    )


def test_warnings_name_file_and_original_offset() -> None:
    raw = "<p>Thực hiện Chương trình số 12-NQ/TU của Tỉnh ủy.</p>"
    doc = parse_text(raw, source="x.txt")
    w = next(w for w in doc.warnings if "does not match" in w.reason)
    assert w.source == "x.txt"
    assert raw[w.offset :].startswith("Chương trình")
