"""Research figures over a built store: output per body and year, implementation lag, most-cited
documents (in-degree and PageRank), and the provinces that have not yet followed a document.

Each figure comes from a named query (``queries/by-body-year.rq``, ``stats-*.rq``,
``provinces-without-follow-up.rq``); Python only adds what SPARQL does not do well (day counts,
medians, PageRank). :func:`sections` turns the figures into plain tables for any output format.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from .queries import named_queries
from .store import Store
from .textfold import search_key


@dataclass
class LagRow:
    central: str
    central_label: str
    central_date: str | None
    document: str
    label: str
    level: str
    province: str | None
    date: str | None
    direct: bool
    days: int | None  # date - central_date, None unless both are known


@dataclass
class CitedRow:
    document: str
    label: str
    cited_by: int
    pagerank: float
    in_corpus: bool


@dataclass
class Stats:
    by_body_year: list[dict[str, Any]]
    lag: list[LagRow]
    most_cited: list[CitedRow]
    root: str | None = None
    root_label: str | None = None
    followers: list[dict[str, Any]] = field(default_factory=list)
    provinces_without: list[dict[str, Any]] = field(default_factory=list)

    def lag_summary(self) -> list[dict[str, Any]]:
        return lag_summary(self.lag)


def _s(v: Any) -> str | None:
    return None if v is None else str(v)


def _date(v: Any) -> dt.date | None:
    value = v.toPython() if v is not None else None
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _run(store: Store, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    res = store.query(named_queries()[name].text, params)
    return [dict(zip(res.variables, row, strict=True)) for row in res.rows]


def by_body_year(store: Store) -> list[dict[str, Any]]:
    return [{"body": str(r["body"]), "year": str(r["year"]), "documents": int(r["documents"].toPython())}
            for r in _run(store, "by-body-year")]


def implementation_lag(store: Store) -> list[LagRow]:
    rows = []
    for r in _run(store, "stats-lag"):
        c, d = _date(r["centralDate"]), _date(r["date"])
        rows.append(LagRow(str(r["central"]), str(r["centralLabel"]), _s(r["centralDate"]), str(r["doc"]),
                           str(r["docLabel"]), str(r["level"]), _s(r["province"]), _s(r["date"]),
                           bool(r["direct"].toPython()), (d - c).days if c and d else None))
    return rows


def lag_summary(rows: list[LagRow]) -> list[dict[str, Any]]:
    """Per central document: documents building on it, how many have both dates, min/median/max days."""
    groups: dict[str, list[LagRow]] = {}
    for r in rows:
        groups.setdefault(r.central, []).append(r)
    out = []
    for central, rs in groups.items():
        days = sorted(r.days for r in rs if r.days is not None)
        out.append({"central": central, "label": rs[0].central_label, "date": rs[0].central_date,
                    "documents": len({r.document for r in rs}), "dated": len(days),
                    "min_days": days[0] if days else None,
                    "median_days": statistics.median(days) if days else None,
                    "max_days": days[-1] if days else None})
    return sorted(out, key=lambda d: (-d["dated"], -d["documents"], d["label"]))


def most_cited(store: Store) -> list[CitedRow]:
    """Documents cited at least once: by in-degree, then PageRank, then label."""
    g = nx.DiGraph()
    g.add_edges_from((str(r["citing"]), str(r["cited"])) for r in _run(store, "stats-citation-edges"))
    rank = nx.pagerank(g) if g.number_of_nodes() else {}
    rows = [CitedRow(str(r["doc"]), str(r["label"]), int(r["citedBy"].toPython()), rank.get(str(r["doc"]), 0.0),
                     bool(r["inCorpus"].toPython()) if r["inCorpus"] is not None else False)
            for r in _run(store, "stats-most-cited")]
    return sorted(rows, key=lambda c: (-c.cited_by, -c.pagerank, c.label))


def followers(store: Store, root: Any) -> list[dict[str, Any]]:
    return [{"document": str(r["doc"]), "label": str(r["label"]), "level": _s(r["level"]),
             "province": _s(r["provinceName"]), "date": _s(r["date"])}
            for r in _run(store, "stats-followers", {"root": root})]


def provinces_without(store: Store, root: Any) -> list[dict[str, Any]]:
    """In Vietnamese alphabetical order (diacritics folded), not code-point order."""
    rows = [{"province": str(r["province"]), "name": str(r["name"])}
            for r in _run(store, "provinces-without-follow-up", {"root": root})]
    return sorted(rows, key=lambda p: (search_key(p["name"]), p["name"]))


def compute(store: Store, root: str | None = None) -> Stats:
    """Every figure; with ``root`` (symbol, file or IRI) also who has and has not followed it.

    Raises ``LookupError`` when ``root`` names no document in the store.
    """
    from .queries import find_document

    st = Stats(by_body_year(store), implementation_lag(store), most_cited(store))
    if root:
        iri = find_document(store, root)
        if iri is None or not store.query("ASK { ?d ?p ?o }", {"d": iri}).boolean:
            raise LookupError(f"no document {root!r} in the store")
        label = store.query("SELECT ?l WHERE { ?d rdfs:label ?l }", {"d": iri}).rows
        st.root, st.root_label = str(iri), str(label[0][0]) if label else str(iri)
        st.followers = followers(store, iri)
        st.provinces_without = provinces_without(store, iri)
    return st


SECTION_NAMES = ("by-body-year", "lag", "lag-summary", "most-cited", "followers", "provinces-without")


def sections(st: Stats) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every figure as (headers, rows); the root sections only when a root was given."""
    def table(dicts: list[dict[str, Any]], headers: list[str]) -> tuple[list[str], list[list[Any]]]:
        return headers, [[d[h] for h in headers] for d in dicts]

    out = {
        "by-body-year": table(st.by_body_year, ["body", "year", "documents"]),
        "lag": table([asdict(r) for r in st.lag], ["central_label", "central_date", "label", "level", "province",
                                                    "date", "days", "direct", "central", "document"]),
        "lag-summary": table(st.lag_summary(), ["label", "date", "documents", "dated", "min_days", "median_days",
                                                "max_days", "central"]),
        "most-cited": table([dict(asdict(r), pagerank=round(r.pagerank, 4)) for r in st.most_cited],
                            ["label", "cited_by", "pagerank", "in_corpus", "document"]),
    }
    if st.root:
        out["followers"] = table(st.followers, ["label", "level", "province", "date", "document"])
        out["provinces-without"] = table(st.provinces_without, ["name", "province"])
    return out


def as_json(st: Stats) -> dict[str, Any]:
    return {"by_body_year": st.by_body_year, "lag": [asdict(r) for r in st.lag], "lag_summary": st.lag_summary(),
            "most_cited": [asdict(r) for r in st.most_cited], "root": st.root, "root_label": st.root_label,
            "followers": st.followers, "provinces_without": st.provinces_without}
