"""Stage 5: SHACL validation with pySHACL against ``ontology/shapes.ttl``.

A report lists each result with its focus node, path, message, severity and the source file the
offending triples came from, so a user can go and fix the text or its sidecar.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .namespaces import DG
from .resources import ontology_path
from .vocab import vocabulary_graph


@dataclass
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None
    source_file: str | None

    def as_dict(self) -> dict[str, str | None]:
        return self.__dict__.copy()

    def __str__(self) -> str:
        where = f" [{self.source_file}]" if self.source_file else ""
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{path}: {self.message}{where}"


@dataclass
class Report:
    conforms: bool
    findings: list[Finding]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]


@cache
def shapes_graph() -> Graph:
    return Graph().parse(ontology_path("shapes.ttl"), format="turtle")


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ontology_path("docgraph.ttl"), format="turtle")


def _source_file(data: Graph, node: URIRef) -> str | None:
    for n in (node, data.value(node, DG.assertedBy), data.value(node, DG.assignedBy),
              data.value(node, DG.scopedTo)):
        if n is not None:
            f = data.value(n, DG.sourceFile)
            if f is not None:
                return str(f)
    for stmt in data.subjects(DG.evidence, node):
        return _source_file(data, stmt)
    return None


def validate_graph(data: Graph, *, with_vocabulary: bool = True) -> Report:
    """Validate ``data`` (plus the vocabularies it refers to) against the shapes."""
    from pyshacl import validate

    g = data
    if with_vocabulary:
        g = Graph()
        for t in data:
            g.add(t)
        for t in vocabulary_graph():
            g.add(t)
    _conforms, results, _text = validate(
        g, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none", advanced=True,
        allow_warnings=True,
    )
    findings = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        sev = results.value(r, SH.resultSeverity)
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        msg = results.value(r, SH.resultMessage)
        shape = results.value(r, SH.sourceShape)
        findings.append(Finding(
            severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
            focus=str(focus), path=str(path) if isinstance(path, URIRef) else None,
            value=str(value) if isinstance(value, URIRef | Literal) else None,
            message=str(msg) if msg else "does not conform",
            shape=str(shape) if isinstance(shape, URIRef) else None,
            source_file=_source_file(g, focus) if isinstance(focus, URIRef) else None,
        ))
    findings.sort(key=lambda f: (f.severity != "Violation", f.source_file or "", f.focus, f.path or ""))
    return Report(conforms=not any(f.severity == "Violation" for f in findings), findings=findings)
