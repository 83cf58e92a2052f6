"""Identity across the corpus: one node per real document, however and wherever it is mentioned."""

from __future__ import annotations

from docgraph.parse import parse_text
from docgraph.resolve import resolve


def corpus(*docs: tuple[str, str, dict]):  # type: ignore[no-untyped-def]
    return resolve([parse_text(text, name, side) for name, text, side in docs])


def by_symbol(c, symbol: str) -> list:  # type: ignore[no-untyped-def]
    return sorted((d for d in c.documents.values() if d.symbol == symbol), key=lambda d: d.date or "")


def targets(c, source: str) -> set[str]:  # type: ignore[no-untyped-def]
    src = next(d.iri for d in c.documents.values() if d.source_file == source)
    return {str(s.object) for s in c.relations if s.subject == src}


def test_same_symbol_in_two_terms_stays_two_documents() -> None:
    c = corpus(("a.txt", "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương.", {}),
               ("b.txt", "Thực hiện Nghị quyết số 18-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương.", {}))
    docs = by_symbol(c, "18-NQ/TW")
    assert [d.date for d in docs] == ["2017-10-25", "2022-06-16"]
    assert [d.term for d in docs] == ["XII", "XIII"]
    assert docs[0].iri != docs[1].iri


def test_an_undated_mention_goes_to_the_document_of_its_time() -> None:
    c = corpus(
        ("old.txt", "Thực hiện Chỉ thị số 07-CT/TW ngày 3/2/2008 của Ban Bí thư.", {"date": "2009-01-05"}),
        ("new.txt", "Thực hiện Chỉ thị số 07-CT/TW ngày 5/6/2024 của Ban Bí thư.", {"date": "2024-09-01"}),
        ("mid.txt", "Tiếp tục thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư.", {"date": "2013-12-20"}),
    )
    old, new = by_symbol(c, "07-CT/TW")
    assert (old.date, new.date) == ("2008-02-03", "2024-06-05")
    assert targets(c, "mid.txt") == {str(old.iri)}


def test_undated_mention_joins_the_one_dated_document() -> None:
    c = corpus(("a.txt", "Thực hiện Kết luận số 102-KL/TW của Bộ Chính trị khóa XI.", {}),
               ("b.txt", "Thực hiện Kết luận số 102-KL/TW ngày 22/9/2014 của Bộ Chính trị.", {}))
    (doc,) = by_symbol(c, "102-KL/TW")
    assert doc.date == "2014-09-22" and doc.iri.endswith("/2014")
    assert doc.mention_count == 2


def test_tu_symbols_are_scoped_to_their_province() -> None:
    text = "Thực hiện Nghị quyết số 11-NQ/TU ngày 15/7/2019 của Ban Thường vụ Tỉnh ủy."
    c = corpus(("ht.txt", text, {"province": "Hà Tĩnh"}), ("na.txt", text + " Năm 2020.", {"province": "Nghệ An"}),
               ("ht2.txt", "Căn cứ Nghị quyết số 11-NQ/TU của Ban Thường vụ Tỉnh ủy.", {"province": "Hà Tĩnh"}))
    docs = by_symbol(c, "11-NQ/TU")
    assert sorted(d.province for d in docs) == ["Hà Tĩnh", "Nghệ An"]
    ht = next(d for d in docs if d.province == "Hà Tĩnh")
    assert targets(c, "ht2.txt") == {str(ht.iri)} and ht.mention_count == 2


def test_unknown_province_stays_visible() -> None:
    c = corpus(("x.txt", "Thực hiện Nghị quyết số 11-NQ/TU ngày 15/7/2019 của Ban Thường vụ Tỉnh ủy.", {}))
    (doc,) = by_symbol(c, "11-NQ/TU")
    assert doc.province is None and "/tu-@x/" in doc.iri


def test_two_sources_disagreeing_on_a_date_warn() -> None:
    c = corpus(("a.txt", "Thực hiện Chỉ thị số 17-CT/TW ngày 28/8/2012 của Bộ Chính trị.", {}),
               ("b.txt", "Thực hiện Chỉ thị số 17-CT/TW ngày 29/8/2012 của Bộ Chính trị.", {}))
    (doc,) = by_symbol(c, "17-CT/TW")
    assert any("17-CT/TW" in w.reason and "2012-08-29" in w.reason for w in c.warnings)
    assert doc.conflicts == ["date: kept 2012-08-28; b.txt (offset 10) says 2012-08-29"]


def test_two_sources_disagreeing_on_the_issuer_are_a_visible_conflict() -> None:
    from docgraph.namespaces import DG
    from docgraph.triples import corpus_graph

    c = corpus(("a.txt", "Thực hiện Chỉ thị số 17-CT/TW ngày 28/8/2012 của Bộ Chính trị.", {}),
               ("b.txt", "Thực hiện Chỉ thị số 17-CT/TW ngày 28/8/2012 của Ban Bí thư.", {}))
    (doc,) = by_symbol(c, "17-CT/TW")
    notes = [str(o) for o in corpus_graph(c).objects(doc.iri, DG.conflict)]
    assert notes == ["issuer: kept Bộ Chính trị; b.txt (offset 10) says Ban Bí thư"]


def test_a_citation_inside_an_older_one_is_the_older_document() -> None:
    text = ("Thực hiện Chỉ thị số 07-CT/TW ngày 05/06/2024 của Ban Bí thư. Tổng kết việc thực hiện Thông báo số "
            "76-TB/TW ngày 20/12/2013 của Ban Bí thư về tiếp tục thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư.")
    c = corpus(("old.txt", "Thực hiện Chỉ thị số 07-CT/TW ngày 3/2/2008 của Ban Bí thư.", {"date": "2009-01-05"}),
               ("plan.txt", text, {"date": "2024-09-01"}))
    old, new = by_symbol(c, "07-CT/TW")
    (tb,) = by_symbol(c, "76-TB/TW")
    stated = {(str(s.subject), s.relation, str(s.object)) for s in c.relations}
    assert (str(tb.iri), "continues", str(old.iri)) in stated
    assert (str(tb.iri), "continues", str(new.iri)) not in stated


def _district_report(district: str, task: str) -> str:
    return (f"HUYỆN ỦY {district.upper()}\n*\nSố: 32-BC/HU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
            f"{district}, ngày 5 tháng 3 năm 2011\n\nBÁO CÁO\nvề {task}\n\n"
            f"Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với Mặt trận Tổ quốc huyện {task}.\n")


def test_two_district_committees_numbering_alike_are_two_documents() -> None:
    side = {"province": "Bắc Ninh"}
    c = corpus(("a.txt", _district_report("Gia Bình", "tuyên truyền nghị quyết"), side),
               ("b.txt", _district_report("Lương Tài", "tổng kết công tác dân vận"), side))
    docs = [d for d in c.documents.values() if d.in_corpus]
    assert sorted(d.source_file for d in docs) == ["a.txt", "b.txt"]
    assert len({d.iri for d in docs}) == 2
    assert len({t.iri for t in c.tasks}) == len(c.tasks) == 2  # each task once, under its own document
    assert {t.assigned_by for t in c.tasks} == {d.iri for d in docs}
    assert any("kept apart" in w.reason for w in c.warnings)


def test_another_copy_of_a_document_is_counted_once() -> None:
    side = {"province": "Bắc Ninh"}
    text = _district_report("Gia Bình", "tuyên truyền nghị quyết")
    c = corpus(("a.txt", text, side), ("a-copy.txt", text.replace("\n\n", "\n\n\n", 1), side))
    docs = [d for d in c.documents.values() if d.in_corpus]
    assert [d.source_file for d in docs] == ["a.txt"]
    assert len(c.tasks) == 1
    assert any("another copy of a.txt" in w.reason for w in c.warnings)


def test_resolution_signature_is_stable_across_versions() -> None:
    """Stores keep each document's signature (docgraph.local_build): computing it differently must give the
    same digest, or every file would look changed to the next build. Here: the original astuple form."""
    import dataclasses
    import hashlib

    from docgraph.resolve import resolution_sig

    doc = parse_text("TỈNH ỦY HÀ TĨNH\nSố: 12-KH/TU\nHà Tĩnh, ngày 2 tháng 3 năm 2024\n\nKẾ HOẠCH\nthực hiện Kết luận "
                     "số 102-KL/TW\n\nGiao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ tham mưu.\n", "a.txt",
                     {"number": 12})
    cites = [(c.type, c.number, c.symbol, c.date, c.issuer, c.issuer_id, c.term, c.relation, c.title, c.system,
              len(c.mentions), len(c.sentences), [(x.relation, x.target) for x in c.relations], c.nested, c.year,
              c.relation_mention, c.merge_key) for c in doc.citations]
    assert cites and doc.document.number == 12
    facts = (doc.source, dataclasses.astuple(doc.document), cites, [w.reason for w in doc.warnings], False)
    assert resolution_sig(doc) == hashlib.blake2b(repr(facts).encode("utf-8"), digest_size=16).digest()
