"""SHACL core shapes compiled to SPARQL SELECTs that run once over the whole graph (pyoxigraph).

pySHACL checks every focus node one by one in Python, which dominates a build on a large corpus. Each
constraint of a targeted shape becomes one SELECT returning ``?this`` (and ``?value`` where pySHACL reports
an sh:value) for every violation:

* property shapes made of simple components (min/maxCount, datatype, class, in, pattern, hasValue,
  minInclusive, minLength, lessThan, disjoint, qualified class counts);
* the logical forms sh:or / sh:not / sh:and / sh:node, on a property shape or on a node shape, whose
  member shapes are built from a smaller set (:class:`_Conformance`): each member becomes a SPARQL
  expression "the node in ?x does not conform", nested as deep as the shapes nest.

A shape with any other form (sh:xone, a nested sh:severity, a numeric sh:datatype inside sh:or …) is left
whole to pySHACL, so an edit to shapes.ttl can never silently skip a constraint. tests/test_validate.py
checks that the result equals pySHACL's on every broken fixture.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

SIMPLE = {SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.pattern, SH.flags, SH.hasValue,
          SH.minInclusive, SH.minLength, SH.lessThan, SH.disjoint}
# also compiled, in one form only: sh:or of [ sh:class X ] members; sh:qualifiedValueShape [ sh:class X ]
CLASS_FORMS = {SH["or"], SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
ANNOTATIONS = {SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, RDF.type, RDFS.comment,
               RDFS.label, SH.targetClass, SH.targetSubjectsOf}
# compiled through _Conformance, on a property shape (one SELECT per value) or on a node shape (per focus)
LOGICAL = {SH["or"], SH["not"], SH["and"], SH.node}
# XSD constructor functions, written as full IRIs: the queries must not depend on shapes.ttl declaring xsd:
_CASTS = {t: t.n3() for t in (XSD.date, XSD.integer, XSD.boolean, XSD.decimal, XSD.dateTime)}


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


class Unsupported(Exception):
    """A form the compiler does not translate: the shape stays with pySHACL."""


def _n3(term: object) -> str:
    return term.n3()  # type: ignore[attr-defined]


def _one(sg: Graph, node: object, pred: URIRef) -> object:
    """The value of ``pred`` on ``node`` (None if absent); two values are Unsupported, not one picked at random."""
    values = list(sg.objects(node, pred))  # type: ignore[arg-type]
    if len(values) > 1:
        raise Unsupported(f"{node}: {len(values)} values of {pred}")
    return values[0] if values else None


def _sparql_path(sg: Graph, path: object) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return _n3(path)
    if not isinstance(path, BNode):
        raise Unsupported(f"path {path!r}")
    if (path, RDF.first, None) in sg:  # a sequence path
        items = list(Collection(sg, path))
        if len(items) < 2:
            raise Unsupported("sequence path of fewer than two steps")
        return "(" + "/".join(_sparql_path(sg, i) for i in items) + ")"
    triples = list(sg.predicate_objects(path))
    if len(triples) != 1:
        raise Unsupported(f"path {path}")
    kind, arg = triples[0]
    if kind == SH.alternativePath:
        items = list(Collection(sg, arg))
        if len(items) < 2:
            raise Unsupported("alternative path of fewer than two members")
        return "(" + "|".join(_sparql_path(sg, i) for i in items) + ")"
    op = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+", SH.zeroOrOnePath: "{}?"}
    if kind not in op:
        raise Unsupported(f"path {kind}")
    return "(" + op[kind].format(_sparql_path(sg, arg)) + ")"


def _path(sg: Graph, path: object) -> str | None:
    try:
        return _sparql_path(sg, path)
    except Unsupported:
        return None


def _classes(onto: Graph, cls: URIRef) -> list[URIRef]:
    return sorted({cls, *(c for c in onto.transitive_subjects(RDFS.subClassOf, cls) if isinstance(c, URIRef))})


_OTHER_TARGETS = (SH.targetNode, SH.targetObjectsOf)


def _has_targets(sg: Graph, node: object) -> bool:
    """Whether pySHACL validates ``node`` on its own: explicit targets, or an implicit class target."""
    return (any((node, t, None) in sg for t in (SH.targetClass, SH.targetSubjectsOf, *_OTHER_TARGETS))
            or (node, RDF.type, RDFS.Class) in sg or (node, RDF.type, OWL.Class) in sg)


def _targets(sg: Graph, onto: Graph, node: object) -> list[str]:
    if any((node, t, None) in sg for t in _OTHER_TARGETS) or (node, RDF.type, RDFS.Class) in sg \
            or (node, RDF.type, OWL.Class) in sg:
        raise Unsupported(f"{node}: a target other than sh:targetClass / sh:targetSubjectsOf")
    parts = [f"{{ ?this a ?targetClass . VALUES ?targetClass {{ {' '.join(_n3(k) for k in _classes(onto, c))} }} }}"
             for c in sg.objects(node, SH.targetClass) if isinstance(c, URIRef)]  # type: ignore[arg-type]
    parts += [f"{{ ?this {_n3(p)} ?targetValue }}" for p in sg.objects(node, SH.targetSubjectsOf)]  # type: ignore[arg-type]
    return parts


def _class_only(sg: Graph, node: object) -> URIRef | None:
    """X when ``node`` is a blank node whose only statement is ``sh:class X``."""
    triples = list(sg.predicate_objects(node))  # type: ignore[arg-type]
    if isinstance(node, BNode) and len(triples) == 1 and triples[0][0] == SH["class"]:
        return triples[0][1] if isinstance(triples[0][1], URIRef) else None
    return None


def _message(sg: Graph, shape: object) -> str:
    """The shape's one sh:message. pySHACL fills no {$this}/{?value} template in a core constraint's message
    (validate._message would), and makes up its own text when there is none: both stay with pySHACL."""
    message = _one(sg, shape, SH.message)
    if message is None or "{$" in str(message) or "{?" in str(message):
        raise Unsupported(f"{shape}: no sh:message, or a templated one")
    return str(message)


# What a shape nested in sh:or / sh:not / sh:and / sh:node (or an sh:property of one) may say. The rest of
# its statements must be inert: a nested sh:severity or sh:deactivated changes what pySHACL calls conforming.
_NESTED = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.pattern, SH.flags,
           SH.hasValue, SH.property, *LOGICAL}
_INERT = {RDF.type, RDFS.comment, RDFS.label, SH.name, SH.description, SH.message, SH.order, SH.targetClass,
          SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf}
# the constraints on a value node (for a node shape, the focus node itself)
_VALUE = {SH["class"], SH.datatype, SH["in"], SH.pattern, SH.property, *LOGICAL}
# sh:datatype inside a logical form: datatypes Oxigraph stores as written (no numeric canonicalization), and
# whose well-formedness a cast decides as rdflib does
_EXPR_DATATYPES = {XSD.string, RDF.langString, XSD.date, XSD.anyURI}
_MAX_COUNT_TERMS = 4  # sh:minCount / sh:maxCount inside a logical form: n distinct values, pairwise compared


class _Conformance:
    """SPARQL expressions that are true when the node bound to a variable does *not* conform to a shape, built
    from the shape's components as SHACL defines them: a node shape's components apply to the node itself, a
    property shape's to each value of its path (counts and sh:hasValue to the values together); sh:not negates,
    sh:or is "fails every member", sh:and "fails some member", sh:node and sh:property "fails the shape"."""

    def __init__(self, sg: Graph, onto: Graph) -> None:
        self.sg, self.onto = sg, onto
        self.n = 0
        self.open: set[object] = set()  # shapes being translated: an sh:node cycle is Unsupported

    def var(self) -> str:
        self.n += 1
        return f"?_c{self.n}"

    def fails(self, shape: object, x: str) -> str:
        """The node in ``x`` does not conform to ``shape``."""
        sg = self.sg
        preds = set(sg.predicates(shape, None))  # type: ignore[arg-type]
        if shape in self.open or not preds or not preds <= _NESTED | _INERT:
            raise Unsupported(f"{shape}: {sorted(preds - _NESTED - _INERT)}")
        self.open.add(shape)
        try:
            path = _one(sg, shape, SH.path)
            if path is None:  # a node shape: the node is its own value node
                if preds & {SH.minCount, SH.maxCount}:
                    raise Unsupported(f"{shape}: counts on a node shape")
                parts = self.value_fails(shape, x)
                parts += [f"!sameTerm({x}, {_n3(v)})" for v in sg.objects(shape, SH.hasValue)]  # type: ignore
            else:
                p = _sparql_path(sg, path)
                parts = []
                v = self.var()
                each = self.value_fails(shape, v)
                if each:
                    parts.append(f"EXISTS {{ {x} {p} {v} . FILTER({' || '.join(each)}) }}")
                parts += [f"NOT EXISTS {{ {x} {p} {_n3(hv)} }}" for hv in sg.objects(shape, SH.hasValue)]  # type: ignore
                lo, hi = _one(sg, shape, SH.minCount), _one(sg, shape, SH.maxCount)
                if lo is not None and int(lo) > 0:  # type: ignore[call-overload]
                    parts.append("!" + self.distinct_values(x, p, int(lo)))  # type: ignore[call-overload]
                if hi is not None:
                    parts.append(self.distinct_values(x, p, int(hi) + 1))  # type: ignore[call-overload]
        finally:
            self.open.discard(shape)
        if not parts:  # a member with nothing to check: pySHACL may not even take it for a shape
            raise Unsupported(f"{shape}: no constraint")
        return "(" + " || ".join(parts) + ")"

    def distinct_values(self, x: str, p: str, n: int) -> str:
        """The node in ``x`` has at least ``n`` distinct values of ``p``."""
        if n > _MAX_COUNT_TERMS:
            raise Unsupported(f"a count of {n}")
        vs = [self.var() for _ in range(n)]
        pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:]]
        test = f" FILTER({' && '.join(pairs)})" if pairs else ""
        return f"EXISTS {{ {' '.join(f'{x} {p} {v} .' for v in vs)}{test} }}"

    def value_fails(self, shape: object, v: str) -> list[str]:
        sg = self.sg
        return [self.component(shape, p, o, v) for p, o in sorted(sg.predicate_objects(shape))  # type: ignore
                if p in _VALUE]

    def component(self, shape: object, param: object, arg: object, v: str) -> str:
        """The value node in ``v`` violates the one constraint ``param arg`` of ``shape``."""
        sg = self.sg
        if param == SH["class"]:
            if not isinstance(arg, URIRef):
                raise Unsupported(f"sh:class {arg!r}")
            k = self.var()
            return f"NOT EXISTS {{ {v} a {k} . VALUES {k} {{ {' '.join(_n3(c) for c in _classes(self.onto, arg))} }} }}"
        if param == SH.datatype:
            if arg not in _EXPR_DATATYPES:
                raise Unsupported(f"sh:datatype {arg}")
            test = f"!isLiteral({v}) || DATATYPE({v}) != {_n3(arg)}"
            cast = _CASTS.get(arg)  # type: ignore[call-overload]
            if cast:  # a failed cast (an ill-formed "2001-02-30"^^xsd:date) is an error: COALESCE makes it false
                test += f" || !COALESCE(isLiteral({cast}(STR({v}))), false)"
            return f"({test})"
        if param == SH["in"]:
            items = list(Collection(sg, arg))  # type: ignore[arg-type]
            return "!(" + " || ".join(f"sameTerm({v}, {_n3(i)})" for i in items) + ")" if items else "true"
        if param == SH.pattern:
            flags = _one(sg, shape, SH.flags)
            flag = f", {Literal(str(flags)).n3()}" if flags else ""
            return f"(isBlank({v}) || !REGEX(STR({v}), {Literal(str(arg)).n3()}{flag}))"
        if param in (SH.node, SH.property):
            return self.fails(arg, v)
        if param == SH["not"]:
            return "!" + self.fails(arg, v)
        members = list(Collection(sg, arg))  # type: ignore[arg-type]
        if not members:
            raise Unsupported(f"empty {param} list")
        # sh:or: fails every member; sh:and: fails some member
        joint = " && " if param == SH["or"] else " || "
        return "(" + joint.join(self.fails(m, v) for m in members) + ")"


def _class_forms_ok(sg: Graph, ps: URIRef) -> bool:
    q = sg.value(ps, SH.qualifiedValueShape)
    return q is None or _class_only(sg, q) is not None


def _value_checks(sg: Graph, onto: Graph, ps: URIRef, p: str, skip_datatype: bool = False,
                  conf: _Conformance | None = None) -> list[str]:
    """WHERE bodies (after the target) whose solutions are violations, the value in ?valueNode.

    On a plain predicate, each body reads ``?this p ?valueNode`` in a subquery of its own (see _scan), and
    a test against another triple (the value's class, sh:lessThan, sh:disjoint) reads that triple the same
    way, joined by hash or removed with MINUS, not looked up once per value."""
    v = "?valueNode"
    plain = _plain(p)
    each = (lambda rest: _scan(f"?this {p} {v} . {rest}", "?this ?valueNode")) if plain else (
        lambda rest: f"?this {p} {v} . {rest}")
    out = []
    dt = sg.value(ps, SH.datatype)
    if dt is not None and not skip_datatype:
        cast = _CASTS.get(dt)
        bad = f"!isLiteral({v}) || DATATYPE({v}) != {_n3(dt)}"
        if cast:
            bad += " || !BOUND(?cast)"
            # a failed cast leaves ?cast unbound: an ill-formed literal such as "2001-02-30"^^xsd:date
            out.append(each(f"BIND({cast}(STR({v})) AS ?cast) FILTER({bad})"))
        else:
            out.append(each(f"FILTER({bad})"))
    for cls in sg.objects(ps, SH["class"]):
        out.append(each(_not_a(v, _classes(onto, cls))))
    lst = sg.value(ps, SH["in"])
    if lst is not None:
        ok = " ".join(_n3(i) for i in Collection(sg, lst))
        out.append(each(f"FILTER NOT EXISTS {{ VALUES ?ok {{ {ok} }} FILTER(sameTerm({v}, ?ok)) }}"))
    pattern = sg.value(ps, SH.pattern)
    if pattern is not None:
        flags = sg.value(ps, SH.flags)
        flag = f", {Literal(str(flags)).n3()}" if flags else ""
        regex = f"REGEX(STR({v}), {Literal(str(pattern)).n3()}{flag})"
        out.append(each(f"FILTER(isBlank({v}) || !{regex})"))
    low = sg.value(ps, SH.minInclusive)
    if low is not None:
        out.append(each(f"FILTER(!({v} >= {_n3(low)}))"))
    length = sg.value(ps, SH.minLength)
    if length is not None:
        out.append(each(f"FILTER(isBlank({v}) || {_shorter(v, int(length))})"))
    other = sg.value(ps, SH.lessThan)
    if other is not None:
        if plain and _plain(_n3(other)):
            out.append(_scan(f"{_scan(f'?this {p} {v}', '?this ?valueNode')} "
                             f"{_scan(f'?this {_n3(other)} ?o', '?this ?o')} FILTER(!({v} < ?o))", "?this ?valueNode"))
        else:
            out.append(each(f"?this {_n3(other)} ?o . FILTER(!({v} < ?o))"))
    other = sg.value(ps, SH.disjoint)
    if other is not None:
        if plain and _plain(_n3(other)):
            out.append(_scan(f"{_scan(f'?this {p} {v}', '?this ?valueNode')} "
                             f"{_scan(f'?this {_n3(other)} {v}', '?this ?valueNode')}", "?this ?valueNode"))
        else:
            out.append(each(f"?this {_n3(other)} {v} ."))
    for param, arg in sorted(sg.predicate_objects(ps)):
        if param not in LOGICAL:
            continue
        members = list(Collection(sg, arg)) if param == SH["or"] else []
        if members and all(_class_only(sg, m) for m in members):
            # sh:or ( [ sh:class A ] [ sh:class B ] ): the value is an A or a B
            ks = [k for m in members for k in _classes(onto, _class_only(sg, m))]  # type: ignore[arg-type]
            out.append(each(_not_a(v, ks)))
        else:  # any other sh:or / sh:not / sh:and / sh:node: one expression over the value
            conf = conf or _Conformance(sg, onto)
            out.append(each(f"FILTER({conf.component(ps, param, arg, v)})"))
    for v in sg.objects(ps, SH.hasValue):
        out.append(f"FILTER NOT EXISTS {{ ?this {p} ?hv . FILTER(sameTerm(?hv, {_n3(v)})) }}")
    return out


def _plain(p: str) -> bool:
    """``p`` is one predicate IRI (not a path expression), so ``?this p ?v`` can be read for every ?this
    at once, and gives each (?this, ?v) once."""
    return p.startswith("<") and p.endswith(">") and ">" not in p[1:-1]


def _scan(body: str, variables: str) -> str:
    """``body`` as a subquery: Oxigraph then reads it once and joins it by hash. Written in line after the
    targets, a triple pattern is looked up once per focus node, a random RocksDB read each: at 2.5 × 10^7
    triples that made "every Evidence has a source that is a Document" 17 s instead of 2.6 s."""
    return f"{{ SELECT {variables} WHERE {{ {body} }} }}"


def _not_a(v: str, classes: list[URIRef]) -> str:
    """The value in ``v`` has none of ``classes`` (removed with MINUS, which reads their members once; the
    value is always bound, so MINUS and FILTER NOT EXISTS agree)."""
    ks = " ".join(_n3(k) for k in sorted(set(classes)))
    return f"MINUS {{ {v} a ?k . VALUES ?k {{ {ks} }} }}"


def _shorter(v: str, n: int) -> str:
    """The lexical form of ``v`` has fewer than ``n`` characters. For n = 1, the form compared to "": at
    10^5 documents 5.3-5.5 s for the quotes' texts, where an xsd:string compared as stored (sameTerm, under
    a test of its datatype) took 7.6-8.0 and their lengths 5.5-6.1."""
    if n == 1:
        return f'STR({v}) = ""'
    return f"STRLEN(STR({v})) < {n}"


def _count_query(target: str, values: str, lo: object, hi: object, distinct: bool = True) -> str:
    """Focus nodes whose number of values is below ``lo`` or above ``hi``. The values and the targets are
    read once each, as one group per node (a target with no value is a group of unbound rows: a count of
    0), kept when the count is out of range, and only those looked up as targets (a node that is not one
    may carry values too). At 10^5 documents this took 2.8 s for an exactly-one check where its two halves
    took 4.9 (the values grouped, then the targets without any removed with MINUS), and joining every
    target to its count (an OPTIONAL of the grouped values, then COALESCE) 7.1. With no lower bound the
    targets are not read at all. ``distinct=False`` when ``values`` cannot give a value twice (one
    predicate: a graph is a set)."""
    count = "COUNT(DISTINCT ?v)" if distinct else "COUNT(?v)"
    low = int(str(lo)) if lo is not None else 0
    tests = []
    if low >= 1:
        tests.append(f"{count} < {low}")
    if hi is not None:
        tests.append(f"{count} > {int(str(hi))}")
    if not tests:  # sh:minCount 0 alone
        return "SELECT ?this ?n WHERE { FILTER(false) }"
    rows = f"{{ {target} }} UNION {{ {values} }}" if low >= 1 else values
    return (f"SELECT ?this ?n WHERE {{ {{ SELECT ?this ({count} AS ?n) WHERE {{ {rows} }} GROUP BY ?this "
            f"HAVING({' || '.join(tests)}) }} FILTER EXISTS {{ {target} }} }}")


def _values_first(sg: Graph, onto: Graph, nodes: list[object], path: object) -> bool:
    """Whether a value check on ``path`` reads the failing values first and looks their nodes up as targets
    (see :func:`_with_value`): yes, unless the predicate's ``rdfs:domain`` is a class the targets leave out.
    Then most of its values are other nodes' (a pattern for State documents' symbols read on every
    document's: 2.8 s at 10^5 documents instead of 0.1 s joined to the few targets)."""
    domains = [d for d in onto.objects(path, RDFS.domain) if isinstance(d, URIRef)]  # type: ignore[arg-type]
    if not domains:
        return True
    covered = {k for n in nodes for c in sg.objects(n, SH.targetClass) if isinstance(c, URIRef)  # type: ignore[arg-type]
               for k in _classes(onto, c)}
    return any(d in covered for d in domains)


def _with_value(target: str, body: str, values_first: bool = True) -> str:
    """SELECT the focus node and ?value of the violations ``body`` finds (the value in ?valueNode) with ?value
    left unbound for a blank node, as validate_graph reads pySHACL's sh:value; ?valueNode is projected too,
    so that two blank values stay two results. A body that is a subquery (_scan) is read first and only the
    nodes it gives are looked up as targets (FILTER EXISTS), ``values_first``: its rows are the values that
    break the constraint, nearly always none, where joining it to every target read them all (at 10^5
    documents, 3.5 s instead of 4.9 for one pattern on the tasks' texts). Otherwise the targets, read as a
    subquery too, are joined to it by hash."""
    bind = "BIND(IF(isBlank(?valueNode), ?_unbound, ?valueNode) AS ?value)"
    if body.startswith("{ SELECT"):
        if values_first:
            return f"SELECT DISTINCT ?this ?value ?valueNode WHERE {{ {body} FILTER EXISTS {{ {target} }} {bind} }}"
        target = f"SELECT DISTINCT ?this WHERE {{ {target} }}"
    return f"SELECT DISTINCT ?this ?value ?valueNode WHERE {{ {{ {target} }} {body} {bind} }}"


def _severity(sg: Graph, shape: object) -> str:
    return str(sg.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]  # type: ignore[arg-type]


def _property_shape(sg: Graph, onto: Graph, ps: URIRef, owners: list[object], prefixes: str,
                    conf: _Conformance) -> list[CompiledCheck] | None:
    """The checks of a property shape, None when it is not one the compiler handles (raises Unsupported too)."""
    preds = set(sg.predicates(ps, None))
    if not preds <= SIMPLE | CLASS_FORMS | LOGICAL | ANNOTATIONS or not _class_forms_ok(sg, ps):
        return None
    # the shapes that give it their targets (an untargeted owner, if pySHACL keeps it, takes it back: _rest)
    owners = [o for o in owners if _has_targets(sg, o)]
    if any(isinstance(o, BNode) or (o, SH.path, None) in sg for o in owners):
        return None  # a blank node shape (findings would name it), or a property shape (its values are the focus)
    targets = _targets(sg, onto, ps) or [t for n in owners for t in _targets(sg, onto, n)]
    p = _path(sg, sg.value(ps, SH.path))
    if not targets or p is None or (owners and _targets(sg, onto, ps)):
        return None
    target = " UNION ".join(targets)
    severity = _severity(sg, ps)
    if preds & LOGICAL:
        message = _message(sg, ps)
    else:
        message = str(sg.value(ps, SH.message) or "does not conform")
        if "{$" in message or "{?" in message:
            return None  # pySHACL leaves a core constraint's message as written; validate._message would not
    path = sg.value(ps, SH.path)
    dt = sg.value(ps, SH.datatype)
    compiled = []
    if dt in _CANONICALIZED:
        if not isinstance(path, URIRef):
            return None
        compiled.append(CompiledCheck(ps, severity, message, path,
                                      f"{prefixes}SELECT DISTINCT ?this WHERE {{ {target} }}", dt))
    first = _values_first(sg, onto, [ps, *owners], path)
    bodies = [_with_value(target, b, values_first=first)
              for b in _value_checks(sg, onto, ps, p, skip_datatype=dt in _CANONICALIZED, conf=conf)]
    lo, hi = sg.value(ps, SH.minCount), sg.value(ps, SH.maxCount)
    if lo is not None or hi is not None:
        bodies.append(_count_query(target, f"?this {p} ?v", lo, hi, distinct=not _plain(p)))
    q = sg.value(ps, SH.qualifiedValueShape)
    if q is not None:  # how many values are of the qualified class
        ks = " ".join(_n3(k) for k in _classes(onto, _class_only(sg, q)))  # type: ignore[arg-type]
        typed = f"?v a ?k . VALUES ?k {{ {ks} }}"
        values = (f"{_scan(f'?this {p} ?v', '?this ?v')} {_scan(typed, '?v')}" if _plain(p)
                  else f"?this {p} ?v . {typed}")  # joined by hash, not a type lookup per value
        # (a value of two of the classes would be two rows: then they are counted DISTINCT)
        bodies.append(_count_query(target, values, sg.value(ps, SH.qualifiedMinCount),
                                   sg.value(ps, SH.qualifiedMaxCount), distinct=not _plain(p) or len(ks.split()) > 1))
    compiled += [CompiledCheck(ps, severity, message, path if isinstance(path, URIRef) else None, prefixes + b)
                 for b in bodies]
    return compiled


# the constraints a targeted node shape may have to be compiled; each reports the focus node as its sh:value
_NODE_TOP = {SH["class"], SH.datatype, SH["in"], SH.pattern, *LOGICAL}


def _node_shape(sg: Graph, onto: Graph, ns: URIRef, compiled_properties: set[object], prefixes: str,
                conf: _Conformance) -> list[CompiledCheck] | None:
    """The checks of a targeted node shape whose constraints are all in _NODE_TOP (its sh:property shapes
    compiled on their own): one SELECT per constraint, ?value the focus node as pySHACL reports it."""
    preds = set(sg.predicates(ns, None))
    if not preds & _NODE_TOP or not preds <= (_NODE_TOP | ANNOTATIONS | {SH.flags, SH.property}) - {SH.path}:
        return None
    if any(ps not in compiled_properties for ps in sg.objects(ns, SH.property)):
        return None
    target = " UNION ".join(_targets(sg, onto, ns))
    if not target:
        return None
    severity, message = _severity(sg, ns), _message(sg, ns)
    out = []
    for param, arg in sorted(sg.predicate_objects(ns)):
        if param in _NODE_TOP:
            test = conf.component(ns, param, arg, "?this")
            out.append(CompiledCheck(ns, severity, message, None,
                                     prefixes + _with_value(target, f"FILTER({test}) BIND(?this AS ?valueNode)")))
    return out


def _rest(sg: Graph, compiled: set[object]) -> tuple[Graph, set[object]]:
    """(what pySHACL still has to run, the compiled shapes it needs after all).

    Kept: every statement reachable from the roots, which are the named subjects that are not shapes
    (the ontology header with its sh:declare), the shapes pySHACL validates on their own (targeted) that
    still have something to check, and unreferenced blank nodes. Not followed: the statements of a compiled
    shape (a compiled node shape keeps its targets and its uncompiled sh:property shapes) and the
    sh:property links of a targeted shape to compiled property shapes. A compiled shape reached anyway (used
    inside a shape left to pySHACL) is returned, to be handed back to pySHACL."""
    def dropped(s: object, p: object, o: object) -> bool:
        if p == SH.property and o in compiled and _has_targets(sg, s):
            return True
        if s in compiled:  # a property shape goes whole; a node shape keeps its targets, loses its constraints
            return (s, SH.path, None) in sg or p not in ANNOTATIONS | {SH.property}
        return False

    def checks_something(s: object) -> bool:
        return any(not dropped(s, p, o) and p not in _INERT | {SH.severity, SH.message}
                   for p, o in sg.predicate_objects(s))  # type: ignore[arg-type]

    subjects = set(sg.subjects())
    shapes = {s for s in subjects if _has_targets(sg, s) or any(
        (s, p, None) in sg for p in (SH.path, SH.property, *_NODE_TOP, *SIMPLE, *CLASS_FORMS))}
    shapes |= set(sg.subjects(RDF.type, SH.NodeShape)) | set(sg.subjects(RDF.type, SH.PropertyShape))
    objects = set(sg.objects())
    roots = [s for s in subjects if (isinstance(s, URIRef) and s not in shapes)
             or (isinstance(s, BNode) and s not in objects and s not in shapes)
             or (s in shapes and _has_targets(sg, s) and checks_something(s))]
    rest, seen, needed = Graph(), set(roots), set()
    todo = list(roots)
    while todo:
        s = todo.pop()
        for p, o in sg.predicate_objects(s):
            if dropped(s, p, o):
                continue
            rest.add((s, p, o))
            if o in compiled:
                needed.add(o)
            if o in subjects and o not in seen:
                seen.add(o)
                todo.append(o)
    for prefix, ns in sg.namespaces():
        rest.bind(prefix, ns)
    return rest, needed


def compile_shapes(sg: Graph, onto: Graph, prefixes: str) -> tuple[Graph, list[CompiledCheck]]:
    """(the shapes pySHACL still has to run, the compiled checks)."""
    conf = _Conformance(sg, onto)
    by_shape: dict[object, list[CompiledCheck]] = {}
    owners: dict[object, list[object]] = {}
    for node, ps in sg.subject_objects(SH.property):
        owners.setdefault(ps, []).append(node)
    for ps in set(sg.subjects(SH.path, None)):
        if isinstance(ps, URIRef):
            with contextlib.suppress(Unsupported):  # the shape stays with pySHACL
                checks = _property_shape(sg, onto, ps, owners.get(ps, []), prefixes, conf)
                if checks is not None:
                    by_shape[ps] = checks
    properties = set(by_shape)
    for ns in set(sg.subjects()) - set(sg.subjects(SH.path, None)):
        if isinstance(ns, URIRef):
            with contextlib.suppress(Unsupported):  # the shape stays with pySHACL
                checks = _node_shape(sg, onto, ns, properties, prefixes, conf)
                if checks is not None:
                    by_shape[ns] = checks
    while True:  # hand back to pySHACL any compiled shape a shape left to pySHACL uses
        rest, needed = _rest(sg, set(by_shape))
        if not needed:
            break
        for shape in needed:
            del by_shape[shape]
        for ns in [n for n, checks in by_shape.items() if set(sg.objects(n, SH.property)) - set(by_shape)]:
            del by_shape[ns]  # a compiled node shape whose sh:property shapes went back: it goes back whole
    return rest, [c for checks in by_shape.values() for c in checks]


def datatype_violations(data: Graph, check: CompiledCheck, focus_nodes: list[object]) -> list[tuple[object, object]]:
    """(focus, value) pairs whose value is not a well-formed literal of the check's datatype, read on the rdflib
    graph itself (where "189"^^xsd:int is still xsd:int)."""
    out = []
    for focus in focus_nodes:
        for value in data.objects(focus, check.path):  # type: ignore[arg-type]
            if not isinstance(value, Literal) or value.datatype != check.datatype or value.ill_typed is True:
                out.append((focus, None if isinstance(value, BNode) else value))  # as validate_graph reads pySHACL
    return out
