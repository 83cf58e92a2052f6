"""Re-resolving only what an edited citation touches, for a local build (docgraph.local_build).

A citation added, removed or changed in one file can change how other files resolve: the node it names
gains or loses a mention, the dates the corpus gives a symbol change (an undated mention elsewhere may
now be dated otherwise), the first mention that fills a node's title may be another. But it cannot reach
past the *identity keys* involved (``Resolver.identity``: the symbol and its scope). Resolving one key
reads only the corpus documents of that key, every mention of it (in corpus order) and the dates of its
dated mentions; across keys, a citation nested in another (``A về … B``) is read against A's date, so a
redone A may redo B.

So a replay:

1. takes the keys an edited file's citations give otherwise than before (their facts, in order, per key;
   and every key nested with one of those in the file); the file's other citations are taken from its
   record, renumbered as the file now numbers them (a file with conflict warnings has every key redone:
   its warnings quote where its mentions sit). A file whose own citations fill its node has its own key
   redone too;
2. reads the files that give or cite those keys (``keys`` in resolution.sqlite), lean (the citations'
   facts and where their mentions sit, kept in resolution.sqlite by the full build; from the parse cache
   for a file edited since);
3. resolves those keys twice, as the last build read the files and as they read now, with everything
   else taken from the records (the dates nested citations were read against, their statements'
   subjects);
4. checks that the first run gives back exactly what the store and the records hold: each node's own
   triples (its ``mentionCount`` counts every mention that reached it, so a mention from outside the keys
   shows), each statement, each file's conflict warnings. Anything else (a node another key shares, a
   body named anew, a corpus document renamed, the conflicts of a file that has others from keys not
   replayed) is NotLocal, and the full build runs;
5. redoes it all with more keys while a citation left out (B, nested in a redone A) is read against
   another date than the record has: B's key joins the replay, and its files are read;
6. rewrites the nodes of those keys, the statements that changed, the triples other subjects give them,
   the records, and the warnings (an edited file's block, another file's conflicts that changed; the
   warnings of every later file move with them).

tests/test_replay.py edits citations in a generated corpus and compares the store with a full build.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox
from rdflib import URIRef

from .domain import domain
from .model import ParsedDocument
from .ntriples import _relation, _str, document_lines, name_lines, relation_lines, statement_subjects
from .resolve import (
    CitePass,
    DocNode,
    Given,
    RelationStmt,
    Resolver,
    _settle_iris,
    citation_facts,
    dedupe_statements,
    rename_statements,
    resolution_sig,
    resolve_citations,
)

if TYPE_CHECKING:
    from .local_build import DocRecord, Edit, Index, Plan

# files read for one replay; more: the full build. A replay reads ~1 ms and holds ~50 KB a file (its
# parse from the cache, its record, two resolutions of its citations of the keys) at 10^5 files, where the
# full build takes ~200 s and 4 GiB
REPLAY_MAX = 30_000


class LastParse(Protocol):
    """A file's parse as the last build read it; with ``lean``, its text, tasks, sentences and mentions'
    wording may be left out (resolve.pack_lean)."""

    def __call__(self, name: str, lean: bool = False) -> ParsedDocument | None: ...


class _Replayer(Resolver):
    """A resolver that notes every (body, name as written) it names."""

    def __init__(self) -> None:
        super().__init__()
        self.named: set[tuple[str, str]] = set()

    def org(self, name: str | None, province: str | None, doc_iri: URIRef, body_id: str | None = None,
            named: set[tuple[str, str]] | None = None) -> URIRef | None:
        return super().org(name, province, doc_iri, body_id, self.named)


@dataclass
class _Kept:
    """An edited file's citations whose keys its edit leaves alone, as the record has them but numbered
    as the file now numbers its citations: what a replay takes from the record for them."""

    at: dict[int, int]  # citation index then -> now
    refs: dict[int, str | None]
    outer_dates: dict[tuple[int, int], str | None]
    subjects: dict[tuple[int, int], URIRef]
    objects: dict[tuple[int, int], URIRef]


@dataclass
class _File:
    rec: DocRecord
    old: ParsedDocument  # as the last build read it (lean, but for edited files)
    new: ParsedDocument  # as it reads now (the same but for edited files)
    keys: list[str]  # its citations' identity keys now
    edited: bool = False
    kept: _Kept | None = None  # an edited file: the citations taken from its record (None: none are)

    def recorded(self, now: bool) -> tuple[dict[int, str | None], dict[tuple[int, int], str | None]]:
        """The dates its record has its nested citations read against (``refs``, ``outer_dates``),
        numbered as the run that reads it now (``now``) or as the last build numbered them."""
        if self.edited and now:
            return (self.kept.refs, self.kept.outer_dates) if self.kept else ({}, {})
        return self.rec.refs, self.rec.outer_dates


def _lean(doc: ParsedDocument) -> ParsedDocument:
    """What a replay of an unedited file reads: its identity and citations, without its text, tasks and
    sentences (at 10^4 files read, their parses would take gigabytes). Its statements' evidence, when they
    change, is quoted from the whole parse, read again. (Most files come so from the index already:
    resolve.pack_lean.)"""
    if not doc.text and not doc.assignments and not any(c.sentences for c in doc.citations):
        return doc
    cites = [dataclasses.replace(c, sentences=[]) for c in doc.citations]
    return ParsedDocument(doc.source, "", "", doc.content_hash, doc.document, cites, [])


@dataclass
class _Run:
    """One resolution of the replayed keys: the resolver, and per file what its citations gave."""

    r: _Replayer
    passes: dict[str, CitePass] = field(default_factory=dict)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    citing: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # date, province then
    filled: dict[str, bool] = field(default_factory=dict)


def _citing_node(f: _File, r: Resolver, replayed: bool) -> DocNode:
    """The node a file's citations are read from: its node in the replay, or as the record saw it."""
    rec = f.rec
    if replayed:
        return r.c.documents[URIRef(rec.pre_iri)]
    return DocNode(URIRef(rec.pre_iri), province=rec.citing_province, date=rec.citing_date,
                   source_file=rec.node.source_file)


def _learned(r: Resolver, f: _File, doc: ParsedDocument) -> Iterable[tuple[str, str]]:
    return r.learned_keys(doc, URIRef(f.rec.pre_iri))


def _by_key(r: Resolver, doc: ParsedDocument, keys: list[str], citing: URIRef) -> dict[str, list[Any]]:
    """What a document's citations give each identity key, in order: each citation's facts, and the dates
    its dated citations give."""
    out: dict[str, list[Any]] = {}
    for ci, c in enumerate(doc.citations):
        out.setdefault(keys[ci], []).append(citation_facts(c))
    for k, when in r.learned_keys(doc, citing):
        out.setdefault(k, []).append(when)
    return out


def _groups(doc: ParsedDocument, keys: list[str]) -> list[set[str]]:
    """The keys of each group of citations nested in one another (``A về … B``)."""
    at = {c.key: i for i, c in enumerate(doc.citations)}
    head = list(range(len(doc.citations)))

    def top(i: int) -> int:
        while head[i] != i:
            i = head[i]
        return i

    for ci, c in enumerate(doc.citations):
        for rel in c.relations:
            if rel.target in at:
                head[top(at[rel.target])] = top(ci)
    groups: dict[int, set[str]] = {}
    for ci in range(len(doc.citations)):
        groups.setdefault(top(ci), set()).add(keys[ci])
    return list(groups.values())


def _touched(r: Resolver, old: ParsedDocument, new: ParsedDocument, old_keys: list[str], new_keys: list[str],
             citing: URIRef) -> tuple[set[str], dict[int, int]]:
    """The keys an edit touches (those its citations give otherwise, and every key nested with one of
    them), and the other citations' indices then -> now (each key's citations in order)."""
    was, now = _by_key(r, old, old_keys, citing), _by_key(r, new, new_keys, citing)
    touched = {k for k in was.keys() | now.keys() if was.get(k) != now.get(k)}
    groups = _groups(old, old_keys) + _groups(new, new_keys)
    grown = True
    while grown:
        grown = False
        for g in groups:
            if g & touched and not g <= touched:
                touched |= g
                grown = True
    then: dict[str, list[int]] = {}
    for ci, k in enumerate(old_keys):
        then.setdefault(k, []).append(ci)
    at: dict[int, int] = {}
    for ci, k in enumerate(new_keys):
        if k not in touched:
            at[then[k].pop(0)] = ci
    return touched, at


def _kept(rec: DocRecord, at: dict[int, int]) -> _Kept:
    nested = [(s, o, (at[ci], k)) for s, _, o, (kind, ci, k) in rec.stmts if kind == "r" and ci in at]
    return _Kept(at, {at[ci]: d for ci, d in rec.refs.items() if ci in at},
                 {(at[ci], ri): d for (ci, ri), d in rec.outer_dates.items() if ci in at},
                 {place: URIRef(s) for s, _, place in nested}, {place: URIRef(o) for _, o, place in nested})


def _gather(edits: list[Edit], index: Index, last_parse: LastParse
            ) -> tuple[set[str], dict[str, _File]]:
    """The keys to replay and the files that give, cite or date them."""
    from .local_build import NotLocal

    probe = Resolver()
    files: dict[str, _File] = {}
    keys: set[str] = set()
    for e in edits:
        old = last_parse(e.name)
        if old is None:
            raise NotLocal(f"{e.name}: its last parse is no longer in the parse cache")
        citing = DocNode(URIRef(e.rec.pre_iri), province=e.rec.citing_province)
        now = [probe.identity(c, citing)[0] for c in e.doc.citations]
        if e.rec.self_filled and e.rec.own_key:  # its citations filled its own node
            keys.add(e.rec.own_key)
        if old.document == e.doc.document and not e.rec.conflicts:
            # only the keys its citations give otherwise; the others are taken from its record (a key it
            # had conflicts on: its conflicts quote where its mentions sit, so every key is redone)
            touched, at = _touched(probe, old, e.doc, e.rec.cite_keys, now, citing.iri)
            files[e.name] = _File(e.rec, old, e.doc, now, edited=True, kept=_kept(e.rec, at))
            keys |= touched
            continue
        if old.document != e.doc.document:  # its title, say: its node is replayed too, if it keeps its key
            m = e.doc.document
            if e.rec.own_key is None or not m.symbol or probe._key(m.symbol, m.province,
                                                                 URIRef(e.rec.pre_iri)) != e.rec.own_key:
                raise NotLocal(f"{e.name}: what it says of itself changed")
            keys.add(e.rec.own_key)
        files[e.name] = _File(e.rec, old, e.doc, now, edited=True)
        keys.update(e.rec.cite_keys, now, (k for k, _ in probe.learned_keys(old, citing.iri)),
                    (k for k, _ in probe.learned_keys(e.doc, citing.iri)))
    return keys, files


def _read(frontier: set[str], keys: set[str], files: dict[str, _File], index: Index,
          last_parse: LastParse) -> None:
    """Add keys to the replay, and the files that give, cite or date them; a file whose citations filled
    its own node has its own key replayed too."""
    from .local_build import NotLocal

    keys |= frontier
    while frontier:
        grown: set[str] = set()
        for k in sorted(frontier):
            for source, _own in index.sources(k):
                if source in files:
                    continue
                rec, doc = index.record(source), last_parse(source, True)
                if rec is None or doc is None:
                    raise NotLocal(f"{source}: no record or parse of it to replay {k}")
                lean = _lean(doc)
                files[source] = _File(rec, lean, lean, rec.cite_keys)
                if len(files) > REPLAY_MAX:
                    raise NotLocal(f"more than {REPLAY_MAX:,} files cite what the edit touches")
                if rec.self_filled and rec.own_key:
                    grown.add(rec.own_key)
        frontier = grown - keys
        keys |= frontier


_MISSING = object()


def _moved(keys: set[str], files: dict[str, _File], run: _Run, now: bool) -> set[str]:
    """The keys left out of a run that a redone citation dates otherwise than the record has it: a
    citation nested in a redone one (``A về … B``, B read against A's date), or named by one."""
    out: set[str] = set()
    for name, f in files.items():
        passed = run.passes[name]
        if not passed.refs and not passed.outer_dates:
            continue
        doc, ks = (f.new, f.keys) if now else (f.old, f.rec.cite_keys)
        refs, outer_dates = f.recorded(now)
        for ci, d in passed.refs.items():
            if ks[ci] not in keys and refs.get(ci, _MISSING) != d:
                out.add(ks[ci])
        at = {c.key: i for i, c in enumerate(doc.citations)}
        for (ci, ri), d in passed.outer_dates.items():
            k = ks[at[doc.citations[ci].relations[ri].target]]
            if k not in keys and outer_dates.get((ci, ri), _MISSING) != d:
                out.add(k)
    return out


def _run(keys: set[str], files: dict[str, _File], order: list[str], now: bool) -> _Run:
    """Resolve the replayed keys over the files, as they read now (``now``) or at the last build."""
    from .local_build import NotLocal

    run = _Run(_Replayer())
    r = run.r
    for name in order:  # pass one: the corpus documents of the keys, then the dates the corpus gives them
        f = files[name]
        if f.rec.own_key in keys:
            node = r.corpus_doc(f.new if now else f.old)
            if node is None or str(node.iri) != f.rec.pre_iri:
                raise NotLocal(f"{name}: its node is not the one it had")
    for name in order:
        f = files[name]
        doc = f.new if now else f.old
        for k, when in _learned(r, f, doc):
            if k in keys:
                r._years[k].add(when)
    for node in list(r.c.documents.values()):
        if node.symbol and node.date:
            r._years[r._key(node.symbol, node.province, node.iri)].add(node.date)
    for name in order:  # pass two
        f = files[name]
        rec = f.rec
        doc = f.new if now else f.old
        node = _citing_node(f, r, rec.own_key in keys)
        run.citing[name] = (node.date, node.province)
        if f.edited and now:  # what is not replayed is taken from the record, renumbered
            k = f.kept or _Kept({}, {}, {}, {}, {})
            given = Given(keys, f.keys, k.refs, k.outer_dates, k.subjects, objects=k.objects)
        else:
            subjects = {(ci, k): URIRef(s) for s, _, _, (kind, ci, k) in rec.stmts if kind == "r"}
            objects = {(ci, k): URIRef(o) for _, _, o, (kind, ci, k) in rec.stmts if kind == "r"}
            given = Given(keys, rec.cite_keys, rec.refs, rec.outer_dates, subjects, evidence=f.edited,
                          objects=objects)
        warned = len(r.c.warnings)
        run.passes[name] = passed = resolve_citations(r, doc, node, given)
        r.c.relations.extend(st for st, _ in passed.stmts)
        run.conflicts[name] = [str(w) for w in r.c.warnings[warned:]]
        run.filled[name] = (node.date, node.province) != run.citing[name]
    _settle_iris(r.c)
    for name in order:  # a file outside the replayed keys whose node a later mention dated: its IRI follows
        f = files[name]
        if f.rec.own_key not in keys and f.rec.pre_iri != str(f.rec.node.iri):
            rename_statements([st for st, _ in run.passes[name].stmts], {URIRef(f.rec.pre_iri): f.rec.node.iri})
    return run


@cache
def _relation_predicates() -> frozenset[str]:
    return frozenset(p for rel in domain().relations for p in _relation(rel.relation))


def _term(t: Any) -> str:
    """An RDF term as docgraph.ntriples writes it."""
    if isinstance(t, ox.NamedNode):
        return f"<{t.value}>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"{_str(t.value)}@{t.language}"
        if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return _str(t.value)
        return f"{_str(t.value)}^^<{t.datatype.value}>"
    raise ValueError(f"not a term docgraph writes: {t!r}")


def _stored(store: ox.Store, subject: str) -> set[str]:
    """A subject's lines in the store, as docgraph.ntriples writes them."""
    s = f"<{subject}>"
    return {f"{s} {_term(q.predicate)} {_term(q.object)} .\n"
            for q in store.quads_for_pattern(ox.NamedNode(subject), None, None, ox.DefaultGraph())}


def _object(line: str) -> str:
    """The IRI a relation line points at: ``<s> <p> <o> .``."""
    return line.rsplit(" ", 2)[-2][1:-1]


def replay(edits: list[Edit], index: Index, last_parse: LastParse,
           store: ox.Store, manifest: dict[str, Any], progress: Callable[[str], None] | None = None) -> Plan:
    """The plan of a local build for files whose citations changed (see the module's doc); NotLocal when
    only the full build can tell."""
    from .local_build import NotLocal, Plan, _span, owned_subjects, remade_tasks

    keys, files = _gather(edits, index, last_parse)
    _read(set(keys), keys, files, index, last_parse)
    while True:  # until no citation left out is read against a date the replay moved
        if progress:
            progress(f"replaying {len(keys):,} identity keys over {len(files):,} files")
        order = sorted(files, key=lambda n: files[n].rec.order)
        before, after = _run(keys, files, order, now=False), _run(keys, files, order, now=True)
        moved = _moved(keys, files, before, False) | _moved(keys, files, after, True)
        if not moved:
            break
        _read(moved, keys, files, index, last_parse)
    rel_preds = _relation_predicates()

    # -- the first run must give back what the last build wrote -------------------------------------------
    recorded_of = {name: {place: (s, rel, o) for s, rel, o, place in files[name].rec.stmts} for name in order}
    for name in order:
        f = files[name]
        recorded = recorded_of[name]
        got = {place: (str(st.subject), st.relation, str(st.object)) for st, place in before.passes[name].stmts}
        if any(recorded.get(place) != v for place, v in got.items()) or (f.edited and not f.kept and got != recorded):
            raise NotLocal(f"{name}: a replay does not give back its statements")
        n = len(before.conflicts[name])
        if n > f.rec.conflicts or (f.edited and n != f.rec.conflicts):
            raise NotLocal(f"{name}: a replay does not give back its conflicts")
    old_nodes = {str(n.iri): n for n in before.r.c.documents.values()}
    new_nodes = {str(n.iri): n for n in after.r.c.documents.values()}
    stored: dict[str, set[str]] = {}
    for iri, node in old_nodes.items():
        stored[iri] = lines = _stored(store, iri)
        own = {line for line in lines if line.split(" ", 2)[1] not in rel_preds}
        if own != set(document_lines(node)):
            raise NotLocal(f"{iri}: a replay does not give back its triples")
    for iri in new_nodes.keys() - old_nodes.keys():
        if next(store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph()), None) is not None:
            raise NotLocal(f"{iri}: a node the replayed keys share with others")
    for name in order:
        f = files[name]
        if f.rec.own_key in keys and str(after.r.c.documents[URIRef(f.rec.pre_iri)].iri) != str(f.rec.node.iri):
            raise NotLocal(f"{name}: its node's IRI would change")
        if not f.edited and before.conflicts[name] != after.conflicts[name] \
                and len(before.conflicts[name]) != f.rec.conflicts:
            raise NotLocal(f"{name}: its conflicts with other texts change, and keys not replayed have some")
        if before.citing[name][1] != after.citing[name][1] or after.citing[name][1] != f.rec.citing_province:
            raise NotLocal(f"{name}: its node's province changes before its citations are read")
    if before.r.named - after.r.named:
        raise NotLocal("a body is no longer named as it was")
    names: dict[str, set[str]] = {}  # bodies of bodies.json named in a new way: the name is added to their node
    for iri, written in sorted(after.r.named - before.r.named):
        if index.knows(iri, written):
            continue
        facts = index.org(iri)
        if facts is None or not facts.known:
            raise NotLocal(f"a body not yet known as {written!r}")
        names.setdefault(iri, set()).add(written)

    # -- what changes ---------------------------------------------------------------------------------------
    subjects: dict[str, list[str]] = {}
    gone: set[str] = set()
    records: dict[str, DocRecord] = {}
    touched: set[str] = set(old_nodes) | set(new_nodes)  # document subjects whose lines are redone
    new_stmts: dict[str, list[RelationStmt]] = {}
    relations = 0
    for name in order:
        f = files[name]
        recorded = recorded_of[name]
        now = {place: st for st, place in after.passes[name].stmts}
        same = all(recorded.get(place) == (str(st.subject), st.relation, str(st.object))
                   for place, st in now.items())
        if not f.edited and same:
            continue
        # the file's statements in the order resolve gives them: the record's, with the replayed ones in place
        doc_iri = f.rec.node.iri
        if not f.edited:
            whole = last_parse(name)
            if whole is None:
                raise NotLocal(f"{name}: its last parse is no longer in the parse cache")
            f.old = f.new = whole
        stmts: list[tuple[RelationStmt, tuple[str, int, int]]] = []
        if f.edited:
            stmts = list(after.passes[name].stmts)
            if f.kept:  # with the record's statements of the citations not replayed, in resolve's order
                for s, rel, o, (kind, ci, k) in f.rec.stmts:
                    place = (kind, f.kept.at.get(ci, -1), k)
                    if ci in f.kept.at and place not in now:
                        st = RelationStmt(URIRef(s), rel, URIRef(o), doc_iri, _span(f.new, doc_iri, place))
                        stmts.append((st, place))
                stmts.sort(key=lambda sp: (sp[1][0] != "m", sp[1][1], sp[1][2]))
        else:
            for s, rel, o, place in f.rec.stmts:
                st = now.get(place)
                subject, obj = (st.subject, st.object) if st is not None else (URIRef(s), URIRef(o))
                stmts.append((RelationStmt(subject, rel, obj, doc_iri, _span(f.new, doc_iri, place)), place))
        new_stmts[name] = [st for st, _ in stmts]
        old = dedupe_statements([RelationStmt(URIRef(s), rel, URIRef(o), doc_iri, _span(f.old, doc_iri, place))
                                 for s, rel, o, place in f.rec.stmts])
        relations += len(dedupe_statements(new_stmts[name])) - len(old)
        touched.update(str(st.subject) for st in old)
        touched.update(str(st.subject) for st in new_stmts[name])
        refs, outer_dates = f.recorded(now=True)
        records[name] = dataclasses.replace(
            f.rec, stmts=[(str(st.subject), st.relation, str(st.object), place) for st, place in stmts],
            refs={**refs, **after.passes[name].refs}, outer_dates={**outer_dates, **after.passes[name].outer_dates})

    # each statement's relation lines, by subject (every line pointing at a replayed node comes from one)
    gives: dict[str, set[str]] = {}
    for stmts_of in new_stmts.values():
        for st in dedupe_statements(stmts_of):
            gives.setdefault(str(st.subject), set()).update(relation_lines(st))
    unchanged = {name for name in order if name not in new_stmts}
    for name in unchanged:
        for st, _ in after.passes[name].stmts:
            if st.subject != st.object:
                gives.setdefault(str(st.subject), set()).update(relation_lines(st))

    edited = {str(f.rec.node.iri): f for f in files.values() if f.edited}
    touched.update(edited)
    for iri in sorted(touched):
        lines = stored[iri] if iri in stored else _stored(store, iri)
        if iri in old_nodes:
            lines = lines - set(document_lines(old_nodes[iri]))
        f = edited.get(str(iri))
        if f is not None and iri not in new_nodes:  # an edited file: its content hash
            lines = lines - set(document_lines(f.rec.node))
            lines |= set(document_lines(dataclasses.replace(f.rec.node, content_hash=f.new.content_hash)))
        lines = {line for line in lines if line.split(" ", 2)[1] not in rel_preds or _object(line) not in old_nodes}
        lines |= gives.get(iri, set())
        if iri in new_nodes:
            lines |= set(document_lines(new_nodes[iri]))
        if lines:
            subjects[iri] = sorted(lines)
        else:
            gone.add(iri)

    orgs = {}
    for iri, added in names.items():
        facts = index.org(iri)
        assert facts is not None
        subjects[iri] = sorted(_stored(store, iri) | set(name_lines(iri, added)))
        orgs[iri] = dataclasses.replace(facts, names=facts.names | added)

    # the statements' own subjects, for each file whose statements changed
    assignments = 0
    for name, stmts_of in new_stmts.items():
        f = files[name]
        rec = records[name]
        node = f.rec.node
        if f.edited:
            node = dataclasses.replace(node, content_hash=f.new.content_hash)
        tasks, pairs = remade_tasks(name, f.new, f.rec, node.iri, index)
        kept = dedupe_statements(stmts_of)
        new = dict(statement_subjects(kept, tasks))
        subjects.update(new)
        gone.update(s for s in f.rec.owned if s not in new)
        records[name] = dataclasses.replace(rec, node=node, owned=owned_subjects(kept, tasks), task_orgs=pairs,
                                            tasks=len(tasks))
        assignments += len(tasks) - f.rec.tasks
    gone -= subjects.keys()

    # records of files whose node the replay redid (their fills), and of edited files
    keys_rows: dict[str, tuple[str | None, list[str]]] = {}
    for name in order:
        f = files[name]
        rec = records.get(name, f.rec)
        changes: dict[str, Any] = {}
        if f.rec.own_key in keys:
            node = after.r.c.documents[URIRef(f.rec.pre_iri)]
            if document_lines(node) != document_lines(rec.node):
                changes["node"] = node
            date, province = after.citing[name]
            if (date, province, after.filled[name]) != (rec.citing_date, rec.citing_province, rec.self_filled):
                changes.update(citing_date=date, citing_province=province, self_filled=after.filled[name])
        if f.edited:
            learned = sorted({k for k, _ in _learned(after.r, f, f.new)} - set(f.keys)) \
                if rec.citing_province != f.new.document.province else []
            changes.update(sig=resolution_sig(f.new), cite_keys=f.keys, learn_keys=learned,
                           conflicts=len(after.conflicts[name]))
            keys_rows[name] = (f.rec.own_key, [*f.keys, *learned])
        if changes:
            records[name] = dataclasses.replace(rec, **changes)

    # the warnings: an edited file's block (its conflicts, then its extractor's warnings) is replaced, and
    # the conflicts of another file whose conflicts change (all of them from the replayed keys)
    warnings = list(manifest["warnings"])
    shifts = []
    rewarned = [n for n in order if files[n].edited or before.conflicts[n] != after.conflicts[n]]
    for name in sorted(rewarned, key=lambda n: -files[n].rec.order):
        f = files[name]
        own = (f.old.warnings, f.new.warnings) if f.edited else ([], [])
        start, end = f.rec.warn_start - f.rec.conflicts, f.rec.warn_start + len(own[0])
        if warnings[start:end] != [*before.conflicts[name], *(str(w) for w in own[0])]:
            raise NotLocal(f"{name}: its warnings are not where its record puts them")
        block = [*after.conflicts[name], *(str(w) for w in own[1])]
        warnings[start:end] = block
        records[name] = dataclasses.replace(records.get(name, f.rec), warn_start=start + len(after.conflicts[name]),
                                            conflicts=len(after.conflicts[name]))
        if len(block) != end - start:
            shifts.append((f.rec.order, len(block) - (end - start)))
    counts = dict(manifest["counts"])
    counts["documents"] += len(new_nodes) - len(old_nodes)
    counts["relations"] += relations
    counts["assignments"] += assignments
    return Plan(subjects, gone, records, keys_rows, [f.new for f in files.values() if f.edited], warnings,
                counts, shifts, orgs)

