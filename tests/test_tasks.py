"""`docgraph tasks`: filters by body (ignoring diacritics), document, chain and dates."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run


def tasks(seed_store: Path, *args: str) -> list[dict]:
    result = run("tasks", *args, "--format", "json", "--store", str(seed_store))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_chain_lists_the_tasks_of_seeds_001_and_002(seed_store: Path) -> None:
    found = tasks(seed_store, "--chain", "102-KL/TW")
    files = {t["source_file"] for t in found}
    assert files == {"data/001_bc6328374f6f14aa.txt", "data/002_d5e775b8c46f1c5a.txt"}
    leads = {(t["source_file"][5:8], t["lead"]) for t in found}
    assert ("002", "Ban Tổ chức Tỉnh ủy") in leads and ("001", "Ban Dân vận Tỉnh ủy") in leads


def test_body_matches_without_diacritics_as_lead_or_coordinator(seed_store: Path) -> None:
    for query in ("ban dan van", "BAN DÂN VẬN", "Ban Dân Vận"):
        found = tasks(seed_store, "--body", query)
        assert len({t["source_file"] for t in found}) == 5, query
    coordinated = tasks(seed_store, "--body", "van phong tinh uy")
    assert coordinated and all("Văn phòng Tỉnh ủy" in t["coordinators"] for t in coordinated)


def test_document_and_dates(seed_store: Path) -> None:
    found = tasks(seed_store, "--document", "002_d5e775b8c46f1c5a", "--due-before", "2020-04-01")
    assert [(t["deadline"], t["deadline_text"]) for t in found] == [("2020-03-31", "xong trong quý I năm 2020")]
    assert tasks(seed_store, "--overdue", "--as-of", "2020-03-31") == []
    assert len(tasks(seed_store, "--overdue", "--as-of", "2020-04-01")) == 1


def test_unknown_document_is_bad_input(seed_store: Path) -> None:
    result = run("tasks", "--chain", "1-KL/TW", "--store", str(seed_store))
    assert result.exit_code == 2 and "no document" in result.output
