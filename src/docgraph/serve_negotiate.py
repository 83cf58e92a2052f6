"""Content negotiation: the Accept header (with q-values) and ``format=`` / ``output=`` parameters.

Two families of formats: query results (SELECT, ASK) and RDF graphs (CONSTRUCT, DESCRIBE, pages).
Each format has a short name (``json``, ``turtle`` …) and the media types that select it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str  # what the response says
    media_types: tuple[str, ...]  # Accept values that select it, best first
    aliases: tuple[str, ...] = ()  # format= values besides the name and the media types


RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("application/sparql-results+json", "application/json")),
    Format("xml", "application/sparql-results+xml; charset=utf-8",
           ("application/sparql-results+xml", "application/xml", "text/xml")),
    Format("csv", "text/csv; charset=utf-8", ("text/csv",)),
    Format("tsv", "text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",)),
    Format("html", "text/html; charset=utf-8", ("text/html", "application/xhtml+xml")),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle; charset=utf-8", ("text/turtle", "application/turtle", "application/x-turtle",
                                                    "text/n3"), ("ttl", "n3")),
    Format("ntriples", "application/n-triples", ("application/n-triples", "text/plain"), ("nt", "n-triples")),
    Format("jsonld", "application/ld+json", ("application/ld+json", "application/x-json+ld", "application/json"),
           ("json-ld", "json")),
    Format("rdfxml", "application/rdf+xml; charset=utf-8", ("application/rdf+xml", "application/xml", "text/xml"),
           ("xml", "rdf+xml", "rdf")),
    Format("html", "text/html; charset=utf-8", ("text/html", "application/xhtml+xml")),
)


class NotAcceptable(ValueError):
    """No format both sides accept (HTTP 406)."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``text/html;q=0.9, */*;q=0.1`` -> [("text/html", 0.9), ("*/*", 0.1)] (media ranges lower-cased)."""
    out = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(v)))
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q))
    return out


def _quality(media: str, accept: list[tuple[str, float]]) -> float:
    """q of the most specific range matching ``media`` (RFC 9110: specificity wins), 0 when none."""
    best, best_spec = 0.0, -1
    major = media.split("/")[0]
    for rng, q in accept:
        spec = 2 if rng == media else 1 if rng == f"{major}/*" else 0 if rng == "*/*" else -1
        if spec > best_spec:
            best, best_spec = q, spec
    return best if best_spec >= 0 else 0.0


def choose(formats: tuple[Format, ...], accept: str | None, format_params: list[str] | None = None,
           default: str | None = None) -> Format:
    """The format for a response: ``format=`` values first (any recognized one), else the Accept header."""
    by_name = {}
    for f in formats:
        for key in (f.name, *f.aliases, *f.media_types):
            by_name.setdefault(key, f)
    if format_params:
        for v in format_params:
            f = by_name.get(v.strip().lower())
            if f is not None:
                return f
        known = ", ".join(f.name for f in formats)
        raise NotAcceptable(f"unknown format {format_params[0]!r} (known: {known})")
    ranges = parse_accept(accept)
    if not ranges:
        return next(f for f in formats if f.name == (default or formats[0].name))
    scored = []
    for i, f in enumerate(formats):
        q = max(_quality(m, ranges) for m in f.media_types)
        if f.name == default:
            i = -1  # the default wins a tie (e.g. */*)
        scored.append((q, -i, f))
    q, _, f = max(scored, key=lambda t: (t[0], t[1]))
    if q <= 0:
        wanted = ", ".join(m for f in formats for m in f.media_types[:1])
        raise NotAcceptable(f"cannot answer with {accept!r}; available: {wanted}")
    return f
