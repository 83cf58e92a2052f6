"""A build keeps the parsed documents packed (as the parse cache stores them) and unpacks one at a time:
what comes out must be the very document the extractor gave, whether parsed now or read from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgraph.build import parse_inputs
from docgraph.parse import parse_file
from docgraph.reading import collect_inputs

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("jobs", [1, 2])
def test_packed_documents_unpack_to_what_the_extractor_gave(tmp_path: Path, jobs: int) -> None:
    files = collect_inputs([str(DATA)])
    expected = [parse_file(f, str(f)).slim() for f in files]
    for round_ in ("parsed now", "from the cache"):
        docs, refused, parsed, keys = parse_inputs([str(DATA)], jobs=jobs, cache_dir=tmp_path)
        assert not refused and len(keys) == len(files)
        assert parsed == (len(files) if round_ == "parsed now" else 0)
        assert list(docs) == expected and docs[2] == expected[2] and docs[1:3] == expected[1:3]
        assert [(i.source, i.content_hash, i.warned, i.converted) for i in docs.info] == [
            (d.source, d.content_hash, bool(d.warnings), d.converted is not None) for d in expected]
