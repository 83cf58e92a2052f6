"""docgraph.ntriples writes exactly the triples of corpus_graph / vocabulary_graph, one group per subject."""

from __future__ import annotations

import copy
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, URIRef

from docgraph.build import parse_inputs
from docgraph.namespaces import base_iri
from docgraph.ntriples import corpus_ntriples, corpus_subjects, vocabulary_subjects
from docgraph.resolve import Corpus, DocNode, Evidence, OrgNode, RelationStmt, TaskNode, resolve
from docgraph.triples import corpus_graph
from docgraph.vocab import vocabulary_graph

REPO = Path(__file__).resolve().parents[1]


def _oxi(text: str) -> set[pyoxigraph.Triple]:
    return set(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES))


def _check_subjects(subjects: list[tuple[str, list[str]]]) -> None:
    names = [s for s, _ in subjects]
    assert len(names) == len(set(names)), "a subject was yielded more than once"
    for s, lines in subjects:
        assert lines, s
        assert lines == sorted(set(lines)), f"lines of {s} repeat or are not sorted"
        for line in lines:
            assert line.startswith(f"<{s}> ") and line.endswith(" .\n") and line.count("\n") == 1, line


def _check_same(expected: Graph, subjects: Iterable[tuple[str, list[str]]]) -> str:
    subjects = list(subjects)
    _check_subjects(subjects)
    text = "".join(line for _, lines in subjects for line in lines)
    ours = Graph().parse(data=text, format="nt")
    assert len(ours) == len(expected)
    missing, extra = set(expected) - set(ours), set(ours) - set(expected)
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])
    # lexical forms exactly (pyoxigraph keeps them as written; rdflib's own N-Triples writer is the reference)
    ox = _oxi(text)
    assert len(ox) == len(expected)
    assert ox == _oxi(expected.serialize(format="nt"))
    return text


def _check_corpus(c: Corpus) -> str:
    expected = corpus_graph(copy.deepcopy(c))
    fresh = copy.deepcopy(c)
    text = _check_same(expected, corpus_subjects(fresh))
    assert corpus_ntriples(copy.deepcopy(c)) == text  # deterministic, same lines
    return text


def test_sample_corpus() -> None:
    parsed = parse_inputs([str(REPO / "data")])  # (docs, refused, parsed now, cache keys)
    docs, refused = parsed[0], parsed[1]
    assert docs and not refused
    c = resolve(docs)
    text = _check_corpus(c)
    assert "/def#implements> " in text and "/org#changedBy> " in text  # relations and change events are covered


def test_generated_corpus(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--docs", "150", "--seed", "3",
                    "--out", str(out), "--workers", "1"], check=True, capture_output=True)
    docs = parse_inputs([str(out)], jobs=1)[0]
    assert len(docs) >= 140
    c = resolve(docs)
    assert c.relations and c.tasks
    _check_corpus(c)


TRICKY = [
    pytest.param('Nghị quyết "số 18-NQ/TW" về \\ đường dẫn C:\\tmp\\', id="quotes-backslashes"),
    pytest.param("dòng một\ndòng hai\n", id="newlines"),
    pytest.param("cột\tcột\r\nxuống dòng\rCR", id="tab-cr"),
    pytest.param("điều khiển \x00\x01\x08\x0b\x0c\x1b\x1f\x7f hết", id="control"),
    pytest.param(unicodedata.normalize("NFD", "Ban Thường vụ Tỉnh ủy Hà Tĩnh"), id="nfd"),
    pytest.param("văn bản 📄 🇻🇳 \U0001f600", id="emoji"),
    pytest.param("\u2028 line separator \u0085 NEL \ufeff BOM", id="unicode-separators"),
    pytest.param('"', id="only-quote"),
    pytest.param("\\", id="only-backslash"),
    pytest.param(" ", id="space"),
]


def _tricky_corpus(value: str) -> Corpus:
    """A hand-made corpus carrying ``value`` in every literal position, plus records that share IRIs."""
    b = base_iri()
    a, d2, cited = URIRef(b + "doc/tw/1-nq/2024"), URIRef(b + "doc/tw/2-ct/2023"), URIRef(b + "doc/tw/3-kl/2020")
    org = URIRef(b + "org/vn/x")
    group = URIRef(b + "group/cac-ban")

    def ev(source: URIRef, start: int, sentence: str = value) -> Evidence:
        return Evidence(source, start, start + 4, value, value, value, sentence)

    c = Corpus()
    c.documents[a] = DocNode(a, type_id="nghi-quyet", number="1", symbol="1-NQ/TW", date="2024-02-05", issuer=org,
                             issuer_name=value, term="xiii", level="central", province="Hà Tĩnh", title=value,
                             signer=value, signer_role=value, place=value, in_corpus=True, source_file=value,
                             content_hash="abc", source_kind="document", published="2024-02-06T00:00",
                             received="2024-2-7", mention_count=3, conflicts=[value, value + "2"])
    c.documents[d2] = DocNode(d2, symbol="2-CT/TW", date="2023-13-40", system="party")
    c.orgs[org] = OrgNode(org, value, "central", body_id=None, names={value, "x" + value}, parent=group)
    c.orgs[group] = OrgNode(group, value, None, kind="collective", province="Hà Tĩnh", scoped_to=a)
    shared = ev(a, 10)
    c.relations = [
        RelationStmt(a, "continues", d2, a, shared),
        RelationStmt(a, "implements", d2, a, ev(a, 10, value + " khác")),  # same evidence IRI, other sentence
        RelationStmt(cited, "basedOn", d2, a, ev(a, 20)),  # subject only met through a relation
    ]
    c.tasks = [
        TaskNode(URIRef(b + "task/x/1"), a, org, [group], value, "assignment", "2025-12-31", value, value, org,
                 shared),  # evidence shared with a relation
        TaskNode(URIRef(b + "task/x/1"), a, group, [], value + "!", "request", None, None, None, None,
                 ev(a, 30)),  # same task IRI: merged
    ]
    return c


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_literals(value: str) -> None:
    c = _tricky_corpus(value)
    text = _check_corpus(c)
    subjects = dict(corpus_subjects(copy.deepcopy(c)))
    assert str(c.relations[2].subject) in subjects  # yielded although not a document of the corpus
    assert "\r" not in text and text.count("\n") == len(Graph().parse(data=text, format="nt"))


def test_bad_iri_refused() -> None:
    c = Corpus()
    d = URIRef(base_iri() + "doc/a b")
    c.documents[d] = DocNode(d)
    with pytest.raises(ValueError, match="IRI"):
        list(corpus_subjects(c))


def test_vocabulary() -> None:
    _check_same(vocabulary_graph(), vocabulary_subjects())
