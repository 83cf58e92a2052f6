"""SHACL validation of a built pyoxigraph store, whole or around the nodes a rebuild changed.

The shapes are compiled to SPARQL SELECTs (:func:`docgraph.validate._split_shapes`; tests/test_validate.py
proves they report what pySHACL reports on every fixture) and run on the store itself, on every core: no
copy of the graph in Python. A rebuild validates only the *focus*: the subjects whose triples changed and
the nodes that point at them (one hop in), each judged on its neighbourhood copied into a small in-memory
store (its triples, and those of the nodes as far out as a check reads: one step for ours, and the chain of
``org:subOrganizationOf`` to its end; the triples pointing at it only should a check read those, see
:func:`check_reads`), so the cost follows the change, not the corpus. tests/test_validate_store.py applies
each broken fixture as a change and checks that this finds exactly what the whole-graph run finds. Should
a shape be left that the compiler cannot translate, the store is read into rdflib and pySHACL checks that
shape.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from .namespaces import DG
from .store import from_ox
from .validate import Finding, Report, SparqlCheck, _message, _split_shapes, has_constraints


def _datatype_ok(value: Any, datatype: Any) -> bool:
    lit = from_ox(value)
    return isinstance(value, ox.Literal) and lit.datatype == datatype and lit.ill_typed is not True


_WELL_FORMED = {str(XSD.integer): r"^[+-]?[0-9]+$"}


def _datatype_query(check: SparqlCheck) -> str | None:
    """The focus nodes' values that are not well-formed literals of the check's datatype, in SPARQL: in a
    store the datatype is canonical, so an xsd:int there is already an xsd:integer (see shacl_compile)."""
    pattern = _WELL_FORMED.get(str(check.datatype))
    if pattern is None or check.path is None:
        return None
    prefixes, _, select = check.query.rpartition("\nSELECT") if "\nSELECT" in check.query else ("", "", "")
    head = " DISTINCT ?this WHERE "
    if not select.startswith(head):
        return None
    # the ill-formed values first, then only their nodes looked up as targets (see shacl_compile._with_value)
    return (f"{prefixes}\nSELECT ?this ?value WHERE {{ {{ SELECT ?this ?value WHERE {{ "
            f"?this <{check.path}> ?value . FILTER(!isLiteral(?value) || DATATYPE(?value) != <{check.datatype}> "
            f"|| !REGEX(STR(?value), \"{pattern}\")) }} }} FILTER EXISTS {select[len(head):]} }}")


def _rows(store: ox.Store, check: SparqlCheck) -> list[dict[str, Any]]:
    query = (_datatype_query(check) if check.datatype is not None else None) or check.query
    res = store.query(query)
    variables = [v.value for v in res.variables]
    rows = [{v: sol[v] for v in variables} for sol in res]
    if check.datatype is None or "value" in variables:
        return rows
    out = []  # the query gave the focus nodes; judge each value's datatype here (see shacl_compile)
    for row in rows:
        this = row["this"]
        for q in store.quads_for_pattern(this, ox.NamedNode(str(check.path)), None, ox.DefaultGraph()):
            if not _datatype_ok(q.object, check.datatype):
                out.append({"this": this, "value": q.object})
    return out


def _source_file(store: ox.Store, node: Any) -> str | None:
    """The file the triples about ``node`` came from (via the document asserting or scoping it)."""
    if not isinstance(node, ox.NamedNode):
        return None
    q = f"""SELECT ?f WHERE {{
      {{ <{node.value}> <{DG.sourceFile}> ?f }}
      UNION {{ <{node.value}> <{DG.assertedBy}>|<{DG.assignedBy}>|<{DG.scopedTo}> ?d . ?d <{DG.sourceFile}> ?f }}
      UNION {{ ?s <{DG.evidence}> <{node.value}> . ?s <{DG.assertedBy}> ?d . ?d <{DG.sourceFile}> ?f }}
    }} LIMIT 1"""
    for sol in store.query(q):
        return str(sol["f"].value)
    return None


class _AnyPredicate(Exception):
    """A check may read a predicate it does not name."""


def _walk(node: Any, iris: set[str], triples: list[tuple[Any, Any, Any]]) -> None:
    """The IRIs a query's algebra names (paths included) and its triple patterns, EXISTS blocks included."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.term import URIRef

    if isinstance(node, URIRef):
        iris.add(str(node))
    elif isinstance(node, NegatedPath):
        raise _AnyPredicate
    elif isinstance(node, (SequencePath, AlternativePath)):
        _walk(node.args, iris, triples)
    elif isinstance(node, InvPath):
        _walk(node.arg, iris, triples)
    elif isinstance(node, MulPath):
        _walk(node.path, iris, triples)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for x in node:
            _walk(x, iris, triples)
    elif isinstance(node, dict):  # rdflib's CompValue: an algebra node
        if getattr(node, "name", None) in ("BGP", "TriplesBlock"):  # an EXISTS keeps the parser's blocks,
            for block in node["triples"]:  # where a list runs on subject, predicate, object, subject, …
                if node.name == "BGP":
                    triples.append(tuple(block))
                else:
                    triples.extend(tuple(block[i : i + 3]) for i in range(0, len(block), 3))
        for x in node.values():
            _walk(x, iris, triples)


def _steps(path: Any) -> int | None:
    """How many triples a predicate or path walks forward; None for a ``+``/``*`` path or an inverse one."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(path, (MulPath, InvPath)):
        return None
    if isinstance(path, (SequencePath, AlternativePath)):
        parts = [_steps(a) for a in path.args]
        if any(n is None for n in parts):
            return None
        return sum(parts) if isinstance(path, SequencePath) else max(parts)  # type: ignore[arg-type]
    return 1


def _inverse(path: Any) -> bool:
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(path, InvPath):
        return True
    if isinstance(path, (SequencePath, AlternativePath)):
        return any(_inverse(a) for a in path.args)
    return isinstance(path, MulPath) and _inverse(path.path)


def _closed(path: Any) -> frozenset[str] | None:
    """The predicates of a ``+``/``*`` path of plain predicates (``org:subOrganizationOf+``), else None."""
    from rdflib.paths import AlternativePath, MulPath
    from rdflib.term import URIRef

    if not isinstance(path, MulPath):
        return None
    inner = path.path.args if isinstance(path.path, AlternativePath) else [path.path]
    return frozenset(str(a) for a in inner) if all(isinstance(a, URIRef) for a in inner) else None


def _reach(triples: list[tuple[Any, Any, Any]]) -> tuple[int, frozenset[str]] | None:
    """How far a check reads from ``?this`` going forward: the farthest a triple's subject lies from it
    (0: the focus node's own triples; 1: those of the nodes it points at), and the predicates it follows
    any number of times from a node within that reach, back to ``?this`` (``?this org:subOrganizationOf+
    ?this``). None when it reads otherwise: a subject not reached from ``?this``, an inverse or mixed
    path, a ``+`` path going on elsewhere, a loop among its variables."""
    from rdflib.term import Variable

    this = Variable("this")
    dist: dict[Any, int] = {this: 0}
    closure: set[str] = set()
    for _ in range(len(triples) + 2):
        grown = False
        for s, p, o in triples:
            if s not in dist or not isinstance(o, Variable) or o == this:
                continue
            steps = _steps(p)
            if steps is None:
                return None
            if dist.get(o, -1) < dist[s] + steps:
                dist[o] = dist[s] + steps
                grown = True
        if not grown:
            break
    else:
        return None  # the distances keep growing: a loop
    farthest = 0
    for s, p, o in triples:
        if s not in dist:
            return None
        if _steps(p) is None:
            closed = _closed(p)
            if closed is None or o != this:
                return None
            closure |= closed
        farthest = max(farthest, dist[s] + (_steps(p) or 1) - 1)
    return farthest, frozenset(closure)


# How far a neighbourhood reaches when the checks do not say (see _reach): the triples of what the focus
# nodes reach in two steps
DEFAULT_HOPS = 2


class CheckReads(NamedTuple):
    """What the checks read: every predicate (None when any may count, see :func:`query_reads`); whether
    one reads a triple pointing at its focus node (then a neighbourhood copies those too); how many steps
    out from the focus node they read, and the predicates they follow any number of times (see _reach)."""

    predicates: frozenset[str] | None
    incoming: bool
    hops: int = DEFAULT_HOPS
    closure: frozenset[str] = frozenset()


def query_reads(query: str) -> CheckReads:
    """What a SELECT can read (see :class:`CheckReads`). Its predicates: every IRI it names (a superset), or
    None when it may read others (a variable in a predicate's place not held to a list by ``FILTER(?v IN
    (…))``, a negated property set). It reads inward with ``?x <p> ?this``, an inverse path or a negated
    set; ``?this <p>+ ?this`` does not: the triple that closes the cycle is read going forward."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    iris: set[str] = set()
    triples: list[tuple[Any, Any, Any]] = []
    try:
        _walk(prepareQuery(query).algebra, iris, triples)
    except _AnyPredicate:
        return CheckReads(None, True)
    this = Variable("this")
    inward = any((o == this and s != this) or _inverse(p) for s, p, o in triples)
    reach = _reach(triples)
    hops, closure = reach if reach is not None else (DEFAULT_HOPS, frozenset())
    for v in {str(p) for _s, p, _o in triples if isinstance(p, Variable)}:
        if not re.search(rf"FILTER\s*\(\s*[?$]{re.escape(v)}\s+IN\s*\(", query, re.IGNORECASE):
            return CheckReads(None, inward, hops, closure)
    return CheckReads(frozenset(iris | {str(RDF.type)}), inward, hops, closure)  # "a"


@cache
def check_reads() -> CheckReads:
    """What the checks read (see :func:`query_reads`; a shape left to pySHACL counts as reading everything
    inward and :data:`DEFAULT_HOPS` out). A change to other triples alone (a document's
    ``dg:mentionCount`` when new files cite it) cannot change a result; a neighbourhood need not copy the
    triples pointing at a focus node when no check reads inward (1,437 for the most cited document of 10^5),
    nor go further out than the checks read. 2.2 s to work out (rdflib's SPARQL parser): a store keeps the
    answer under :func:`checks_key` (``store_write._shaped``)."""
    rest, checks = _split_shapes()
    if has_constraints(rest):
        return CheckReads(None, True)
    out: set[str] | None = set()
    incoming, hops, closure = False, 0, set()
    for check in checks:
        reads = query_reads(check.query)
        incoming, hops, closure = incoming or reads.incoming, max(hops, reads.hops), closure | reads.closure
        if reads.predicates is None or out is None:
            out = None
            continue
        out |= reads.predicates
        if check.path is not None:  # a datatype check's query gives the targets; _rows reads the path itself
            out.add(str(check.path))
    return CheckReads(frozenset(out) if out is not None else None, incoming, hops, frozenset(closure))


def checks_key() -> str:
    """A hash of what :func:`check_reads` depends on, to keep its answer beside a store: the shapes, the
    ontology (subclasses widen targets) and the code that compiles and reads the checks. (Not the queries'
    text: it lists a set of subclasses in an order that varies from process to process.)"""
    from pathlib import Path

    from .resources import ontology_path

    h = hashlib.blake2b(digest_size=16)
    here = Path(__file__).parent
    for f in (ontology_path("shapes.ttl"), ontology_path("docgraph.ttl"), here / "validate.py",
              here / "shacl_compile.py", here / "validate_store.py"):
        h.update(f.read_bytes())
    return h.hexdigest()


def focus_of_change(store: ox.Store, changed: Iterable[str], quiet: Collection[str] = ()) -> list[str]:
    """The changed subjects and every subject with a triple pointing at one of them, leaving out the ``quiet``
    ones: subjects whose change no check reads (see :func:`check_reads`), so no result can differ."""
    out = {s for s in changed if s not in quiet}
    for s in list(out):
        for q in store.quads_for_pattern(None, None, ox.NamedNode(s), ox.DefaultGraph()):
            if isinstance(q.subject, ox.NamedNode):
                out.add(q.subject.value)
    return sorted(out)


def neighbourhood(store: ox.Store, focus: list[str], hops: int = DEFAULT_HOPS, incoming: bool = True,
                  closure: Collection[str] = ()) -> ox.Store:
    """An in-memory store of what the shapes can read about the focus nodes: their triples, the triples
    pointing at them (unless not ``incoming``), the triples of the nodes they reach in ``hops`` steps out,
    and from every node met, the chains of ``closure`` predicates to their ends."""
    sub = ox.Store()
    seen: set[str] = set()
    frontier = set(focus)
    quads: list[ox.Quad] = []
    for f in focus if incoming else ():
        quads.extend(store.quads_for_pattern(None, None, ox.NamedNode(f), ox.DefaultGraph()))
    for _ in range(hops + 1):
        nxt: set[str] = set()
        for s in frontier - seen:
            seen.add(s)
            for q in store.quads_for_pattern(ox.NamedNode(s), None, None, ox.DefaultGraph()):
                quads.append(q)
                if isinstance(q.object, ox.NamedNode):
                    nxt.add(q.object.value)
        frontier = nxt
    chained = set(seen)  # their closure triples are among the quads already
    frontier -= seen
    while frontier:  # beyond the hops: only the closure predicates, as far as they go
        nxt = set()
        for s in frontier - chained:
            chained.add(s)
            for p in closure:
                for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, ox.DefaultGraph()):
                    quads.append(q)
                    if isinstance(q.object, ox.NamedNode):
                        nxt.add(q.object.value)
        frontier = nxt if closure else set()
    sub.extend(quads)
    return sub


# Focus nodes whose neighbourhoods are copied out together. 100 files added at 10^5 documents gave a focus of
# 52,125 nodes; 52,000 tasks of the store take 3.0M quads in one copy: 57.5 s, peak 3,248 MiB; by 20,000
# 63.1 s and 1,749 MiB; by 10,000 68.8 s and 1,148 MiB; by 4,000 83.0 s and 674 MiB (nodes a batch shares
# with the next are copied again).
FOCUS_BATCH = 10_000


def validate_store(store: ox.Store, focus: list[str] | None = None, reads: CheckReads | None = None,
                   checks: tuple[SparqlCheck, ...] | None = None) -> Report:
    """Validate the store's default graph against the shapes; with ``focus``, only those nodes, on their
    neighbourhood copied out of the store (milliseconds, however large the store), :data:`FOCUS_BATCH`
    nodes at a time. A node's result does not depend on its batch: each is judged on a store that holds
    its whole neighbourhood, and reported only by its own batch. ``reads``: how far the checks read (None:
    :func:`check_reads` works it out; a build passes what its store kept). ``checks``: the shapes compiled,
    when nothing is left to pySHACL (None: compiled here; a build passes those its store kept)."""
    if focus is None:
        return _validate(store, store, None, checks)
    if reads is None:
        reads = check_reads()
    findings: list[Finding] = []
    for i in range(0, len(focus), FOCUS_BATCH):
        batch = focus[i : i + FOCUS_BATCH]
        sub = neighbourhood(store, batch, reads.hops, reads.incoming, reads.closure)
        findings.extend(_validate(sub, store, set(batch), checks).findings)
    return _report(findings)


def _report(findings: list[Finding]) -> Report:
    findings.sort(key=lambda f: (f.severity != "Violation", f.source_file or "", f.focus, f.path or ""))
    return Report(conforms=not any(f.severity == "Violation" for f in findings), findings=findings)


def _validate(store: ox.Store, origin: ox.Store, keep: set[str] | None,
              kept: tuple[SparqlCheck, ...] | None = None) -> Report:
    rest, checks = (None, kept) if kept is not None else _split_shapes()
    findings: list[Finding] = []
    # oxigraph evaluates a query without holding the GIL: the checks run on every core
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(lambda check: _rows(store, check), checks))
    for check, rows in zip(checks, results, strict=True):
        for row in rows:
            this, value = row.get("this"), row.get("value")
            if keep is not None and getattr(this, "value", None) not in keep:
                continue  # a neighbour: judged on part of its triples only
            findings.append(Finding(
                severity=check.severity, focus=str(this.value if hasattr(this, "value") else this),
                path=str(check.path) if check.path else None,
                value=str(from_ox(value)) if value is not None else None,
                message=_message(check.message, from_ox(this), {k: from_ox(v) for k, v in row.items()}),
                shape=str(check.shape), source_file=_source_file(origin, this),
            ))
    if rest is not None and has_constraints(rest):
        findings.extend(_pyshacl_rest(store, keep))
    findings.sort(key=lambda f: (f.severity != "Violation", f.source_file or "", f.focus, f.path or ""))
    return Report(conforms=not any(f.severity == "Violation" for f in findings), findings=findings)


def _pyshacl_rest(store: ox.Store, keep: set[str] | None) -> list[Finding]:
    """Shapes the compiler left (a shapes.ttl edited by hand): pySHACL on the store read into rdflib."""
    from rdflib import Graph

    from .validate import validate_graph

    g = Graph()
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8"),
            format="nt")
    _rest, checks = _split_shapes()
    compiled = {str(c.shape) for c in checks}
    report = validate_graph(g, with_vocabulary=False)
    return [f for f in report.findings if f.shape not in compiled and (keep is None or f.focus in keep)]
