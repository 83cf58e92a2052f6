"""ontology/vocabularies.ttl is generated from the package data files and must be up to date."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from conftest import REPO
from docgraph.domain import domain
from docgraph.namespaces import DGT, SKOS
from docgraph.vocab import vocabulary_graph


def test_committed_vocabularies_are_current() -> None:
    committed = Graph().parse(REPO / "ontology" / "vocabularies.ttl")
    fresh = vocabulary_graph()
    if not isomorphic(committed, fresh):
        _, only_committed, only_fresh = graph_diff(committed, fresh)
        raise AssertionError(
            f"ontology/vocabularies.ttl is stale: run python -m docgraph.vocab "
            f"({len(only_committed)} triples only in the file, {len(only_fresh)} only in the data)"
        )


def test_every_type_is_a_concept_with_vi_en_labels_and_its_notations() -> None:
    g = vocabulary_graph()
    for t in domain().doctypes:
        c = DGT[t.id]
        labels = {(str(o), o.language) for o in g.objects(c, SKOS.prefLabel)}
        assert (t.vi, "vi") in labels and (t.en, "en") in labels
        assert {str(n) for n in g.objects(c, SKOS.notation)} == set(t.notations)
        assert g.value(c, SKOS.definition) is not None
