"""A build keeps the parsed documents packed (as the parse cache stores them) and unpacks one at a time:
what comes out must be the very document the extractor gave, whether parsed now or read from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgraph.build import parse_inputs
from docgraph.inputs import collect_inputs
from docgraph.parse import parse_file

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


def test_resolve_reads_the_heads_as_it_reads_the_documents(tmp_path: Path) -> None:
    """resolve's first pass reads each document's head (resolve.pack_head), not the document: the corpus
    must come out the same. Here the seeds, a copy of one (counted once), a text dating a symbol that
    another cites undated (the first pass learns the year), and a province scoping a /TU symbol."""
    import shutil

    from docgraph.ntriples import corpus_ntriples
    from docgraph.resolve import resolve

    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    seed = next(f for f in sorted(DATA.glob("*.txt")))
    shutil.copy(seed, tmp_path / f"zz-copy-of-{seed.name}")
    (tmp_path / "dated.txt").write_text(
        "TỈNH ỦY HÀ TĨNH\nSố: 12-KH/TU\nHà Tĩnh, ngày 2 tháng 3 năm 2024\n\nKẾ HOẠCH\nthực hiện Chỉ thị\n\n"
        "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị và Nghị quyết số 11-NQ/TU "
        "ngày 4/1/2023 của Tỉnh ủy.\n", "utf-8")
    (tmp_path / "undated.txt").write_text(
        "HUYỆN ỦY CAN LỘC\nSố: 3-KH/HU\nCan Lộc, ngày 9 tháng 4 năm 2024\n\nKẾ HOẠCH\nthực hiện Kế hoạch\n\n"
        "Thực hiện Kế hoạch số 12-KH/TU của Tỉnh ủy về thực hiện Chỉ thị 05-CT/TW và Nghị quyết 11-NQ/TU.\n",
        "utf-8")
    (tmp_path / "undated.meta.yaml").write_text("province: Hà Tĩnh\n", "utf-8")
    docs, refused, _parsed, _keys = parse_inputs([str(tmp_path)], jobs=1)
    assert not refused and docs.heads() is not None
    by_heads, by_docs = resolve(docs, trace=True), resolve(list(docs), trace=True)
    assert corpus_ntriples(by_heads) == corpus_ntriples(by_docs)
    assert [str(w) for w in by_heads.warnings] == [str(w) for w in by_docs.warnings]
    assert any("counted once" in w.reason for w in by_heads.warnings)
    cited = {d.symbol: d.date for d in by_heads.documents.values() if not d.in_corpus}
    assert cited["05-CT/TW"] == "2016-05-15"  # the undated mention joined the document the corpus dates


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_parse_workers_sign_and_pack_each_document_as_resolve_would(tmp_path: Path, jobs: int) -> None:
    """The parse workers make each document's resolution_sig and pack_lean (build._info), so that resolve
    need not on its one core: they must be what resolve makes of the document it reads, parsed now or read
    from the cache, and resolve must put them in the traces. A corrupted signature shows it is used."""
    import dataclasses

    from docgraph.resolve import pack_lean, resolution_sig, resolve

    for round_ in ("parsed now", "from the cache"):
        docs, refused, _parsed, _keys = parse_inputs([str(DATA)], jobs=jobs, cache_dir=tmp_path)
        assert not refused, round_
        assert [docs.traced(i) for i in range(len(docs))] == [(resolution_sig(d), pack_lean(d)) for d in docs]
        traced, computed = resolve(docs, trace=True).traces, resolve(list(docs), trace=True).traces
        assert traced is not None and computed is not None
        assert [(t.sig, t.lean) for t in traced.values()] == [(t.sig, t.lean) for t in computed.values()]
    docs.info[0] = dataclasses.replace(docs.info[0], sig=b"x" * 16)
    traces = resolve(docs, trace=True).traces
    assert traces is not None and next(iter(traces.values())).sig == b"x" * 16


def test_a_replay_reads_the_leans_as_it_reads_the_documents(tmp_path: Path) -> None:
    """A replay reads the files it does not quote lean (resolve.pack_lean: no text, tasks, sentences or
    mentions' wording): resolving the leans must give the same document nodes, relations and warnings as
    resolving the documents. The seeds, and texts with a nested citation and a date that disagrees."""
    import shutil

    from docgraph.ntriples import document_lines
    from docgraph.resolve import pack_lean, resolve, unpack_lean

    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "nested.txt").write_text(
        "TỈNH ỦY HÀ TĨNH\nSố: 12-KH/TU\nHà Tĩnh, ngày 2 tháng 3 năm 2024\n\nKẾ HOẠCH\nthực hiện Thông báo\n\n"
        "Thực hiện Thông báo số 901-TB/TW ngày 5/3/2015 của Ban Bí thư về tiếp tục thực hiện Chỉ thị số "
        "05-CT/TW của Bộ Chính trị, Ban Thường vụ Tỉnh ủy giao Ban Tuyên giáo chủ trì.\n", "utf-8")
    (tmp_path / "other-date.txt").write_text(
        "HUYỆN ỦY CAN LỘC\nSố: 3-KH/HU\nCan Lộc, ngày 9 tháng 4 năm 2024\n\nKẾ HOẠCH\nthực hiện Thông báo\n\n"
        "Thực hiện Thông báo số 901-TB/TW ngày 6/3/2015 của Ban Bí thư và Kế hoạch số 12-KH/TU.\n", "utf-8")
    docs = [parse_file(f, str(f)) for f in collect_inputs([str(tmp_path)])]
    leans = [unpack_lean(pack_lean(d)) for d in docs]
    assert all(not lean.text and not lean.assignments for lean in leans)
    by_docs, by_leans = resolve(docs), resolve(leans)
    assert {i: document_lines(n) for i, n in by_leans.documents.items()} == \
        {i: document_lines(n) for i, n in by_docs.documents.items()}
    assert [(s.subject, s.relation, s.object) for s in by_leans.relations] == \
        [(s.subject, s.relation, s.object) for s in by_docs.relations]
    assert [str(w) for w in by_leans.warnings] == [str(w) for w in by_docs.warnings]
    assert any("dated 2015-03-06 here but 2015-03-05" in w.reason for w in by_leans.warnings)
    assert any(s.relation == "continues" for s in by_leans.relations)
