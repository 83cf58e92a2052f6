"""Stage 5: SHACL validation against ``ontology/shapes.ttl``. Every shape is compiled to SPARQL SELECTs
(src/docgraph/shacl_compile.py) that run once over the whole graph on pyoxigraph; pySHACL, the reference,
runs only a shape whose form the compiler does not know (none in today's shapes.ttl). tests/test_validate.py
proves the same findings as pySHACL on the valid fixture and every broken one of tests/test_shapes.py.

A report lists each result with its focus node, path, message, severity and the source file the
offending triples came from, so a user can go and fix the text or its sidecar.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH

from .namespaces import DG
from .resources import ontology_path
from .shacl_compile import compile_shapes
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


@dataclass(frozen=True)
class SparqlCheck:
    """A SHACL-SPARQL constraint, run once over the whole graph instead of once per focus node."""

    shape: URIRef
    severity: str
    message: str
    query: str  # SELECT with ?this for $this, prefixes and the shape's targets included
    path: URIRef | None = None
    datatype: URIRef | None = None  # a numeric datatype check, done on the rdflib graph


@cache
def _split_shapes() -> tuple[Graph, tuple[SparqlCheck, ...]]:
    """(what is left for pySHACL, every other constraint as a global SELECT).

    pySHACL evaluates a SPARQL constraint through rdflib once per focus node, which dominates a build;
    run over the whole graph on pyoxigraph the same SELECT answers for every focus node at once. The core
    constraints are compiled likewise (shacl_compile); with shapes.ttl as it is nothing is left for pySHACL.

    A SHACL-SPARQL constraint stays with pySHACL when it is not a targeted node shape's (a property shape's
    SELECT has $PATH and reports its path; sh:targetNode / sh:targetObjectsOf are not translated) or is
    sh:deactivated."""
    sg = shapes_graph()
    onto = ontology_graph()
    targeting = (SH.targetNode, SH.targetObjectsOf)
    sparql = [
        (shape, c) for shape, c in sg.subject_objects(SH.sparql)
        if (shape, SH.path, None) not in sg and not any((shape, t, None) in sg for t in targeting)
        and ((shape, SH.targetClass, None) in sg or (shape, SH.targetSubjectsOf, None) in sg)
        and not any((n, SH.deactivated, Literal(True)) in sg for n in (shape, c))
    ]
    constraint_nodes = {c for _, c in sparql}
    core = Graph()
    for prefix, namespace in sg.namespaces():
        core.bind(prefix, namespace)
    for t in sg:
        if t[0] in constraint_nodes or (t[1] == SH.sparql and t[2] in constraint_nodes):
            continue  # the SHACL-SPARQL constraints run below, over the whole graph
        core.add(t)
    prefixes = "".join(
        f"PREFIX {sg.value(d, SH.prefix)}: <{sg.value(d, SH.namespace)}>\n" for d in sg.objects(None, SH.declare)
    )
    checks: list[SparqlCheck] = []
    for shape, c in sparql:
        select = str(sg.value(c, SH.select)).replace("$this", "?this")
        targets = []
        for p in sg.objects(shape, SH.targetSubjectsOf):
            targets.append(f"{{ ?this <{p}> ?targetValue }}")
        for cls in sg.objects(shape, SH.targetClass):
            subclasses = {cls, *onto.transitive_subjects(RDFS.subClassOf, cls)}
            targets.extend(f"{{ ?this a <{k}> }}" for k in subclasses)
        query = prefixes + constraint_query(select, targets)
        severity = sg.value(shape, SH.severity) or sg.value(c, SH.severity) or SH.Violation
        message = sg.value(c, SH.message) or sg.value(shape, SH.message) or "does not conform"
        checks.append(SparqlCheck(shape, str(severity).rsplit("#", 1)[-1], str(message), query))
    rest, compiled = compile_shapes(core, onto, prefixes)
    checks += [SparqlCheck(c.shape, c.severity, c.message, c.query, c.path, c.datatype) for c in compiled]
    return rest, tuple(checks)


# a SELECT whose rows are not those of its WHERE block: kept as it is written
_MODIFIED = re.compile(r"\b(?:GROUP\s+BY|HAVING|ORDER\s+BY|LIMIT|OFFSET|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\b",
                       re.IGNORECASE)


def constraint_query(select: str, targets: list[str]) -> str:
    """A SHACL-SPARQL constraint's SELECT (``?this`` for ``$this``) run over the whole graph at once: its
    rows whose ``?this`` matches one of ``targets`` (graph patterns, as ``{ ?this a <K> }``), with the focus
    node as ``?value`` when the SELECT names none (pySHACL's sh:value, SHACL 5.3.2). The body is read as a
    sub-select and the target test applied to its rows: written beside the body, Oxigraph pushed the test
    into it and asked it of every row of its first pattern (at 10^5 documents ImplementationChronology took
    5.8 s instead of 1.8, NumberMatchesSymbol 2.0 instead of 1.3). A SELECT that groups, counts, orders or
    slices keeps the test beside its body."""
    target = f"FILTER EXISTS {{ {' UNION '.join(targets)} }}" if targets else ""
    head, _, body = select.partition("{")
    if "?value" not in head and "*" not in head:
        # validate_graph reads a blank sh:value as none
        head = re.sub(r"\bSELECT(\s+(DISTINCT|REDUCED)\b)?",
                      lambda m: m.group(0) + " (IF(isBlank(?this), ?_unbound, ?this) AS ?value)", head, count=1,
                      flags=re.IGNORECASE)
    if target and not _MODIFIED.search(select):
        return f"{head}{{ {{ SELECT * WHERE {{\n{body} }} {target} }}"
    return f"{head}{{ {target}\n{body}"


def _run_sparql_checks(data: Graph, checks: tuple[SparqlCheck, ...]) -> list[tuple[SparqlCheck, Any, dict[str, Any]]]:
    """Every (check, focus node, bindings) the global SELECTs return, on an in-memory pyoxigraph copy."""
    import pyoxigraph as ox

    from .store import from_ox, to_ox

    store = ox.Store()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in data)
    out = []
    for check in checks:
        res = store.query(check.query)
        variables = [v.value for v in res.variables]
        rows = [{v: from_ox(sol[v]) for v in variables} for sol in res]
        if check.datatype is not None:
            from .shacl_compile import CompiledCheck, datatype_violations

            cc = CompiledCheck(check.shape, check.severity, check.message, check.path, check.query, check.datatype)
            rows = [{"this": f, "value": v} for f, v in datatype_violations(data, cc, [r["this"] for r in rows])]
        out.extend((check, row.get("this"), row) for row in rows)
    return out


def _message(template: str, focus: Any, row: dict[str, Any]) -> str:
    text = template.replace("{$this}", str(focus)).replace("{?this}", str(focus))
    for k, v in row.items():
        text = text.replace("{?" + k + "}", "" if v is None else str(v)).replace("{$" + k + "}", str(v))
    return text


def has_constraints(rest: Graph) -> bool:
    """Whether a shapes graph still holds a constraint (not only targets, comments and prefixes)."""
    from rdflib.namespace import RDF, RDFS, SH

    structural = {RDF.type, RDFS.comment, RDFS.label, SH.targetClass, SH.targetSubjectsOf, SH.targetNode,
                  SH.targetObjectsOf, SH.property, SH.declare, SH.prefix, SH.namespace}
    shapes = set(rest.subjects(RDF.type, SH.NodeShape)) | set(rest.subjects(RDF.type, SH.PropertyShape))
    for s in shapes:
        if any(p not in structural for p in rest.predicates(s, None)):
            return True
        for ps in rest.objects(s, SH.property):
            if any(p not in structural | {SH.path} for p in rest.predicates(ps, None)):
                return True
    return False


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ontology_path("docgraph.ttl"), format="turtle")


@contextlib.contextmanager
def _prepared_sparql() -> Iterator[None]:
    """pySHACL hands rdflib the same SHACL-SPARQL text once per focus node and rdflib parses it each
    time (~50 ms a parse, most of a run). Parse each text once and evaluate the prepared query, as
    rdflib's ``prepareQuery`` is meant to be used; evaluation is unchanged. Restored on exit."""
    from rdflib.plugins.sparql import processor

    prepared: dict[tuple[str, str | None, tuple[Any, ...]], Any] = {}
    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.prepareQuery(strOrQuery, initNs=initNs, base=base)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


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


def _pyshacl_findings(g: Graph, core: Graph) -> list[Finding]:
    """pySHACL on the shapes the compiler left."""
    from pyshacl import validate

    with _prepared_sparql():
        _conforms, results, _text = validate(
            g, shacl_graph=core, ont_graph=ontology_graph(), inference="none", advanced=True,
            allow_warnings=True,
        )
    findings = []
    # top-level results only: the sh:detail results nested under them explain, they are not findings
    for r in results.objects(None, SH.result):
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
    return findings


def validate_graph(data: Graph, *, with_vocabulary: bool = True) -> Report:
    """Validate ``data`` (plus the vocabularies it refers to) against the shapes."""
    g = data
    if with_vocabulary:
        g = Graph()
        for t in data:
            g.add(t)
        for t in vocabulary_graph():
            g.add(t)
    core, checks = _split_shapes()
    findings = []
    if has_constraints(core):  # only when shapes.ttl holds a form the compiler does not translate
        findings = _pyshacl_findings(g, core)
    for check, focus, row in _run_sparql_checks(g, checks):
        value = row.get("value")
        findings.append(Finding(
            severity=check.severity, focus=str(focus), path=str(check.path) if check.path else None,
            value=str(value) if value is not None else None, message=_message(check.message, focus, row),
            shape=str(check.shape), source_file=_source_file(g, focus) if isinstance(focus, URIRef) else None,
        ))
    findings.sort(key=lambda f: (f.severity != "Violation", f.source_file or "", f.focus, f.path or ""))
    return Report(conforms=not any(f.severity == "Violation" for f in findings), findings=findings)
