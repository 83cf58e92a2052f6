"""Every entry of the domain data files carries examples, and each example is recognised."""

from __future__ import annotations

import itertools

import pytest

from docgraph.bodies import identify
from docgraph.citations import SYMBOL_RE
from docgraph.domain import domain, load
from docgraph.iris import slug
from docgraph.parse import parse_text

TYPES = [(t.vi, ex) for t in domain().doctypes for ex in t.examples if "số" in ex]
CODES = [(c.code, ex) for c in domain().issuer_codes for ex in c.examples]
RELATIONS = [(r.relation, ex) for r in domain().relations for ex in r.examples if r.relation != "mentions"]


@pytest.mark.parametrize("name", ["doctypes", "bodies", "issuer_codes", "party_terms", "provinces", "relations",
                                  "abbreviations"])
def test_every_entry_has_examples(name: str) -> None:
    data = load(name)
    entries = next(v for k, v in data.items() if isinstance(v, list))
    assert entries
    for e in entries:
        assert e.get("examples"), f"{name}: {e} has no examples"


@pytest.mark.parametrize(("vi", "example"), TYPES)
def test_type_examples_are_cited_with_their_type(vi: str, example: str) -> None:
    doc = parse_text(f"Thực hiện {example} của Ban Thường vụ Tỉnh ủy.")
    expected = "Công văn" if vi == "Văn bản" else vi  # "văn bản số 1234-CV/TU" is typed by its symbol
    assert [c.type for c in doc.citations] == [expected], example


@pytest.mark.parametrize(("code", "example"), CODES)
def test_issuer_code_examples_are_symbols_with_that_code(code: str, example: str) -> None:
    m = SYMBOL_RE.search(example)
    assert m is not None, example
    issuer = m.group("pi") or m.group("si") or m.group("st")
    assert code in issuer.replace(" ", "") or issuer.startswith(code), example


@pytest.mark.parametrize(("relation", "example"), RELATIONS)
def test_relation_examples_yield_their_relation(relation: str, example: str) -> None:
    doc = parse_text(f"Ban Thường vụ Tỉnh ủy {example[0].lower() + example[1:]}.")
    assert doc.citations, example
    assert doc.citations[0].relation == relation, example


@pytest.mark.parametrize("term", domain().party_terms, ids=lambda t: t.roman)
def test_term_examples_are_read(term) -> None:  # type: ignore[no-untyped-def]
    for ex in term.examples:
        doc = parse_text(f"Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương {ex} về công tác dân vận.")
        assert doc.citations[0].term == term.roman, ex


@pytest.mark.parametrize("province", domain().provinces, ids=lambda p: slug(p.name))
def test_province_examples_name_the_province(province) -> None:  # type: ignore[no-untyped-def]
    from docgraph.bodies import province_in

    for ex in province.examples:
        assert province_in(ex) in (province.name, province.successor), ex
        assert identify(ex) is not None, ex


def test_terms_are_in_order_and_contiguous() -> None:
    terms = domain().party_terms
    for a, b in itertools.pairwise(terms):
        assert a.next_congress_start == b.congress_start
