"""Domain knowledge loaded from the JSON data files in ``docgraph/data`` (one place to change it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .textfold import fold


def load(name: str) -> dict[str, Any]:
    """Parse ``docgraph/data/<name>.json``."""
    text = resources.files("docgraph.data").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class DocType:
    id: str
    vi: str
    en: str
    party_codes: tuple[str, ...]
    state_codes: tuple[str, ...]
    definition: str
    examples: tuple[str, ...]

    @property
    def notations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.party_codes + self.state_codes))


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    en: str
    level: str
    kind: str
    parent: str | None
    aliases: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class IssuerCode:
    code: str
    system: str
    level: str | None
    body: str | None
    meaning: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class PartyTerm:
    roman: str
    congress_start: str
    congress_end: str
    next_congress_start: str | None
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Province:
    name: str
    kind: str
    until: str | None
    successor: str | None
    since: str | None
    aliases: tuple[str, ...]
    examples: tuple[str, ...]

    @property
    def slug(self) -> str:
        from .iris import slug

        return slug(self.name)


@dataclass(frozen=True)
class Relation:
    relation: str
    label: str
    phrases: tuple[str, ...]
    priority: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    doctypes: tuple[DocType, ...]
    bodies: tuple[Body, ...]
    issuer_codes: tuple[IssuerCode, ...]
    party_terms: tuple[PartyTerm, ...]
    provinces: tuple[Province, ...]
    relations: tuple[Relation, ...]
    fillers: tuple[str, ...]
    abbreviations: tuple[tuple[str, str], ...]
    _by_vi: dict[str, DocType] = field(default_factory=dict, repr=False)

    def doctype(self, name: str) -> DocType | None:
        """Type by Vietnamese name or id, ignoring case, diacritics and tone placement."""
        return self._by_vi.get(fold(name).strip())

    def doctype_by_id(self, id_: str) -> DocType:
        return next(t for t in self.doctypes if t.id == id_)

    def body(self, id_: str) -> Body:
        """The body of an id (KeyError when there is none)."""
        return _bodies()[id_]

    def issuer_code(self, code: str) -> IssuerCode | None:
        return _issuer_codes().get(code.upper())

    def relation(self, name: str) -> Relation:
        return next(r for r in self.relations if r.relation == name)

    def term(self, roman: str) -> PartyTerm | None:
        return next((t for t in self.party_terms if t.roman == roman.upper()), None)

    def province(self, name: str) -> Province | None:
        return _provinces().get(fold(name).strip())


def _tuple(v: Any) -> tuple:
    return tuple(v or ())


@cache
def domain() -> Domain:
    """The loaded domain data (cached)."""
    types = tuple(
        DocType(
            t["id"], t["vi"], t["en"], _tuple(t["party_codes"]), _tuple(t["state_codes"]),
            t["definition"], _tuple(t["examples"]),
        )
        for t in load("doctypes")["types"]
    )
    by_vi = {fold(t.vi): t for t in types} | {t.id: t for t in types}
    rel = load("relations")
    return Domain(
        doctypes=types,
        bodies=tuple(
            Body(b["id"], b["name"], b["en"], b["level"], b["kind"], b["parent"], _tuple(b["aliases"]),
                 _tuple(b["examples"]))
            for b in load("bodies")["bodies"]
        ),
        issuer_codes=tuple(
            IssuerCode(c["code"], c["system"], c["level"], c["body"], c["meaning"], _tuple(c["examples"]))
            for c in load("issuer_codes")["codes"]
        ),
        party_terms=tuple(
            PartyTerm(t["roman"], t["congress_start"], t["congress_end"], t["next_congress_start"],
                      _tuple(t["examples"]))
            for t in load("party_terms")["terms"]
        ),
        provinces=tuple(
            Province(p["name"], p["kind"], p.get("until"), p.get("successor"), p.get("since"),
                     _tuple(p["aliases"]), _tuple(p["examples"]))
            for p in load("provinces")["provinces"]
        ),
        relations=tuple(
            Relation(r["relation"], r["label"], _tuple(r["phrases"]), r["priority"], _tuple(r["examples"]))
            for r in rel["relations"]
        ),
        fillers=_tuple(rel["fillers"]),
        abbreviations=tuple((a["abbr"], a["expansion"]) for a in load("abbreviations")["abbreviations"]),
        _by_vi=by_vi,
    )


@cache
def _issuer_codes() -> dict[str, IssuerCode]:
    return {c.code.upper(): c for c in domain().issuer_codes}


@cache
def _bodies() -> dict[str, Body]:
    out: dict[str, Body] = {}
    for b in domain().bodies:
        out.setdefault(b.id, b)  # the first of an id, as a scan would find
    return out


@cache
def _provinces() -> dict[str, Province]:
    out: dict[str, Province] = {}
    for p in domain().provinces:
        for name in (p.name, *p.aliases):
            out.setdefault(fold(name), p)
    return out
