"""SHACL core property shapes compiled to SPARQL SELECTs that run once over the whole graph (pyoxigraph).

pySHACL checks every focus node one by one in Python, which dominates a build on a large corpus. The
property shapes made only of simple components (min/maxCount, datatype, class, in, pattern, hasValue,
minInclusive, minLength, lessThan, disjoint) become one SELECT each, returning ``?this`` (and ``?value``)
for every violation; anything else (sh:or, sh:not, sh:node, qualified shapes …) stays with pySHACL.
tests/test_validate.py checks that the result equals pySHACL's on every broken fixture.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

SIMPLE = {SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.pattern, SH.flags, SH.hasValue,
          SH.minInclusive, SH.minLength, SH.lessThan, SH.disjoint}
# also compiled, in one form only: sh:or of [ sh:class X ] members; sh:qualifiedValueShape [ sh:class X ]
CLASS_FORMS = {SH["or"], SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
ANNOTATIONS = {SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, RDF.type, RDFS.comment,
               RDFS.label, SH.targetClass, SH.targetSubjectsOf}
_CASTS = {XSD.date: "xsd:date", XSD.integer: "xsd:integer", XSD.boolean: "xsd:boolean", XSD.decimal: "xsd:decimal",
          XSD.dateTime: "xsd:dateTime"}


# Oxigraph stores "189"^^xsd:int as xsd:integer (and likewise other derived numeric types), so a datatype
# check on a numeric type cannot see the difference there: those shapes stay with pySHACL.
_CANONICALIZED = {XSD.integer, XSD.decimal, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                  XSD.positiveInteger, XSD.float, XSD.double}


@dataclass(frozen=True)
class CompiledCheck:
    shape: URIRef
    severity: str
    message: str
    path: URIRef | None
    query: str  # SELECT ?this ?value (for a "datatype" check: SELECT ?this, the focus nodes)
    datatype: URIRef | None = None  # checked in Python on the rdflib graph (see _CANONICALIZED)


def _n3(term: object) -> str:
    return term.n3()  # type: ignore[attr-defined]


def _path(sg: Graph, path: object) -> str | None:
    if isinstance(path, URIRef):
        return _n3(path)
    if isinstance(path, BNode):
        alt = sg.value(path, SH.alternativePath)
        if alt is not None:
            items = list(Collection(sg, alt))
            if all(isinstance(i, URIRef) for i in items):
                return "(" + "|".join(_n3(i) for i in items) + ")"
    return None


def _classes(onto: Graph, cls: URIRef) -> list[URIRef]:
    return sorted({cls, *(c for c in onto.transitive_subjects(RDFS.subClassOf, cls) if isinstance(c, URIRef))})


def _targets(sg: Graph, onto: Graph, node: URIRef) -> list[str]:
    parts = [f"{{ ?this a ?targetClass . VALUES ?targetClass {{ {' '.join(_n3(k) for k in _classes(onto, c))} }} }}"
             for c in sg.objects(node, SH.targetClass) if isinstance(c, URIRef)]
    parts += [f"{{ ?this {_n3(p)} ?targetValue }}" for p in sg.objects(node, SH.targetSubjectsOf)]
    return parts


def _class_only(sg: Graph, node: object) -> URIRef | None:
    """X when ``node`` is a blank node whose only statement is ``sh:class X``."""
    triples = list(sg.predicate_objects(node))  # type: ignore[arg-type]
    if isinstance(node, BNode) and len(triples) == 1 and triples[0][0] == SH["class"]:
        return triples[0][1] if isinstance(triples[0][1], URIRef) else None
    return None


def _class_forms_ok(sg: Graph, ps: URIRef) -> bool:
    alt = sg.value(ps, SH["or"])
    if alt is not None and not all(_class_only(sg, m) for m in Collection(sg, alt)):
        return False
    q = sg.value(ps, SH.qualifiedValueShape)
    return q is None or _class_only(sg, q) is not None


def _value_checks(sg: Graph, onto: Graph, ps: URIRef, p: str, skip_datatype: bool = False) -> list[str]:
    """WHERE bodies (after the target) whose solutions are violations with ?value bound."""
    out = []
    dt = sg.value(ps, SH.datatype)
    if dt is not None and not skip_datatype:
        cast = _CASTS.get(dt)
        bad = f"!isLiteral(?value) || DATATYPE(?value) != {_n3(dt)}"
        if cast:
            bad += " || !BOUND(?cast)"
            # a failed cast leaves ?cast unbound: an ill-formed literal such as "2001-02-30"^^xsd:date
            out.append(f"?this {p} ?value . BIND({cast}(STR(?value)) AS ?cast) FILTER({bad})")
        else:
            out.append(f"?this {p} ?value . FILTER({bad})")
    for cls in sg.objects(ps, SH["class"]):
        ks = " ".join(_n3(k) for k in _classes(onto, cls))
        out.append(f"?this {p} ?value . FILTER NOT EXISTS {{ ?value a ?k . VALUES ?k {{ {ks} }} }}")
    lst = sg.value(ps, SH["in"])
    if lst is not None:
        ok = " ".join(_n3(i) for i in Collection(sg, lst))
        out.append(f"?this {p} ?value . FILTER NOT EXISTS {{ VALUES ?ok {{ {ok} }} FILTER(sameTerm(?value, ?ok)) }}")
    pattern = sg.value(ps, SH.pattern)
    if pattern is not None:
        flags = sg.value(ps, SH.flags)
        flag = f", {Literal(str(flags)).n3()}" if flags else ""
        regex = f"REGEX(STR(?value), {Literal(str(pattern)).n3()}{flag})"
        out.append(f"?this {p} ?value . FILTER(isBlank(?value) || !{regex})")
    low = sg.value(ps, SH.minInclusive)
    if low is not None:
        out.append(f"?this {p} ?value . FILTER(!(?value >= {_n3(low)}))")
    length = sg.value(ps, SH.minLength)
    if length is not None:
        out.append(f"?this {p} ?value . FILTER(isBlank(?value) || STRLEN(STR(?value)) < {int(length)})")
    other = sg.value(ps, SH.lessThan)
    if other is not None:
        out.append(f"?this {p} ?value . ?this {_n3(other)} ?o . FILTER(!(?value < ?o))")
    other = sg.value(ps, SH.disjoint)
    if other is not None:
        out.append(f"?this {p} ?value . ?this {_n3(other)} ?value .")
    alt = sg.value(ps, SH["or"])
    if alt is not None:  # sh:or ( [ sh:class A ] [ sh:class B ] ): the value is an A or a B
        ks = " ".join(_n3(k) for m in Collection(sg, alt) for k in _classes(onto, _class_only(sg, m)))
        out.append(f"?this {p} ?value . FILTER NOT EXISTS {{ ?value a ?k . VALUES ?k {{ {ks} }} }}")
    for v in sg.objects(ps, SH.hasValue):
        out.append(f"FILTER NOT EXISTS {{ ?this {p} ?hv . FILTER(sameTerm(?hv, {_n3(v)})) }}")
    return out


def _count_query(target: str, values: str, lo: object, hi: object) -> str:
    """Focus nodes whose number of values is below ``lo`` or above ``hi``. The counts come from one grouped
    subquery joined to the targets: Oxigraph evaluates an OPTIONAL with a join inside once per focus node."""
    tests = [f"?n < {int(lo)}" for _ in [0] if lo is not None] + [f"?n > {int(hi)}" for _ in [0] if hi is not None]
    return (f"SELECT ?this ?n WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {target} }} }} "
            f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?count) WHERE {{ {values} }} GROUP BY ?this }} "
            f"BIND(COALESCE(?count, 0) AS ?n) FILTER({' || '.join(tests)}) }}")


def compile_shapes(sg: Graph, onto: Graph, prefixes: str) -> tuple[Graph, list[CompiledCheck]]:
    """(the shapes pySHACL still has to run, the compiled checks)."""
    compiled: list[CompiledCheck] = []
    done: set[URIRef] = set()
    owners: dict[URIRef, list[URIRef]] = {}
    for node, ps in sg.subject_objects(SH.property):
        if isinstance(ps, URIRef) and isinstance(node, URIRef):
            owners.setdefault(ps, []).append(node)
    for ps in set(sg.subjects(SH.path, None)):
        if not isinstance(ps, URIRef):
            continue
        preds = set(sg.predicates(ps, None))
        if not preds <= SIMPLE | CLASS_FORMS | ANNOTATIONS or not _class_forms_ok(sg, ps):
            continue
        targets = _targets(sg, onto, ps) or [t for n in owners.get(ps, []) for t in _targets(sg, onto, n)]
        p = _path(sg, sg.value(ps, SH.path))
        if not targets or p is None or (ps in owners and _targets(sg, onto, ps)):
            continue
        target = " UNION ".join(targets)
        severity = str(sg.value(ps, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        message = str(sg.value(ps, SH.message) or "does not conform")
        path = sg.value(ps, SH.path)
        dt = sg.value(ps, SH.datatype)
        if dt in _CANONICALIZED:
            if not isinstance(path, URIRef):
                continue
            compiled.append(CompiledCheck(ps, severity, message, path,
                                          f"{prefixes}SELECT DISTINCT ?this WHERE {{ {target} }}", dt))
        bodies = [f"SELECT DISTINCT ?this ?value WHERE {{ {{ {target} }} {b} }}"
                  for b in _value_checks(sg, onto, ps, p, skip_datatype=dt in _CANONICALIZED)]
        lo, hi = sg.value(ps, SH.minCount), sg.value(ps, SH.maxCount)
        if lo is not None or hi is not None:
            bodies.append(_count_query(target, f"?this {p} ?v", lo, hi))
        q = sg.value(ps, SH.qualifiedValueShape)
        if q is not None:  # how many values are of the qualified class
            ks = " ".join(_n3(k) for k in _classes(onto, _class_only(sg, q)))  # type: ignore[arg-type]
            bodies.append(_count_query(target, f"?this {p} ?v . ?v a ?k . VALUES ?k {{ {ks} }}",
                                       sg.value(ps, SH.qualifiedMinCount), sg.value(ps, SH.qualifiedMaxCount)))
        compiled += [CompiledCheck(ps, severity, message, path if isinstance(path, URIRef) else None, prefixes + b)
                     for b in bodies]
        done.add(ps)
    rest = Graph()
    for t in sg:
        if t[0] in done or (t[1] == SH.property and t[2] in done):
            continue
        rest.add(t)
    return rest, compiled


def datatype_violations(data: Graph, check: CompiledCheck, focus_nodes: list[object]) -> list[tuple[object, object]]:
    """(focus, value) pairs whose value is not a well-formed literal of the check's datatype, read on the rdflib
    graph itself (where "189"^^xsd:int is still xsd:int)."""
    out = []
    for focus in focus_nodes:
        for value in data.objects(focus, check.path):  # type: ignore[arg-type]
            if not isinstance(value, Literal) or value.datatype != check.datatype or value.ill_typed is True:
                out.append((focus, value))
    return out
