"""The 2025 reorganisation as W3C ORG change events, so a query can follow an old body to today's.

- Ban Tuyên giáo and Ban Dân vận merged into Ban Tuyên giáo và Dân vận: at the centre announced
  3/2/2025; in the provinces from 2/2025 (the month is what is known for most provinces).
- Provinces merged (Quốc hội, 12/6/2025; the new provincial Party committees took effect 1/7/2025):
  the bodies of a merged province are succeeded by the same bodies of the province it became part of
  (a *different* body even where the name stays, e.g. Tỉnh ủy Đồng Tháp after 1/7/2025).
- The district level ended on 1/7/2025: its bodies get a change event with no successor.

Each event: ``org:ChangeEvent`` with ``org:originalOrganization``, ``org:resultingOrganization`` and
``dcterms:date`` (``xsd:date``, or ``xsd:gYearMonth`` where only the month is known).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from .domain import domain
from .iris import iri, short_hash, slug
from .resolve import Corpus, OrgNode

_MERGED_BOARDS = {"ban-tuyen-giao-tinh-uy": "ban-tuyen-giao-va-dan-van-tinh-uy",
                  "ban-dan-van-tinh-uy": "ban-tuyen-giao-va-dan-van-tinh-uy",
                  "ban-tuyen-giao-trung-uong": "ban-tuyen-giao-va-dan-van-trung-uong",
                  "ban-dan-van-trung-uong": "ban-tuyen-giao-va-dan-van-trung-uong"}
BOARD_MERGE_CENTRAL = "2025-02-03"
BOARD_MERGE_PROVINCES = "2025-02"  # month known; day differs by province
PROVINCE_MERGE = "2025-07-01"
DISTRICTS_END = "2025-07-01"


@dataclass
class ChangeEvent:
    date: str
    label: str
    original: list[URIRef] = field(default_factory=list)
    resulting: list[URIRef] = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        return iri("event", self.date, short_hash(*sorted(self.original), *sorted(self.resulting)))


def _body_org(c: Corpus, body_id: str, province: str | None, suffix: str | None = None) -> URIRef:
    """The node of a known body in a province (created if needed)."""
    b = domain().body(body_id)
    scope = "vn" if b.level == "central" else slug(province or "")
    node_iri = iri("org", scope, body_id) if suffix is None else iri("org", scope, body_id, suffix)
    if node_iri not in c.orgs:
        label = b.name if b.level == "central" else f"{b.name} {province}"
        parent = None
        if b.parent:
            parent = _body_org(c, b.parent, province, suffix)
        c.orgs[node_iri] = OrgNode(node_iri, label, b.level, body_id=b.id,
                                   province=None if b.level == "central" else province, parent=parent)
    return node_iri


def reorganization_events(c: Corpus) -> list[ChangeEvent]:
    """Change events for the bodies of the corpus (adds their successor bodies to ``c.orgs``)."""
    provinces = {p.name: p for p in domain().provinces}
    events: dict[URIRef, ChangeEvent] = {}

    def add(ev: ChangeEvent) -> None:
        if ev.iri in events:
            return
        events[ev.iri] = ev

    for org in list(c.orgs.values()):
        if org.kind != "organization" or org.body_id is None or org.scoped_to is not None:
            continue
        merged = _MERGED_BOARDS.get(org.body_id)
        current = org
        if merged:
            central = org.level == "central"
            new = _body_org(c, merged, org.province)
            add(ChangeEvent(BOARD_MERGE_CENTRAL if central else BOARD_MERGE_PROVINCES,
                            f"Hợp nhất Ban Tuyên giáo và Ban Dân vận{'' if central else ' ' + str(org.province)}",
                            [_body_org(c, "ban-tuyen-giao-" + ("trung-uong" if central else "tinh-uy"), org.province),
                             _body_org(c, "ban-dan-van-" + ("trung-uong" if central else "tinh-uy"), org.province)],
                            [new]))
            current = c.orgs[new]
        if current.level == "district":
            add(ChangeEvent(DISTRICTS_END, "Kết thúc hoạt động cấp huyện", [current.iri], []))
            continue
        p = provinces.get(current.province or "")
        if current.level == "province" and p is not None and p.successor and p.until and p.until >= "2025-06-30":
            successor = _body_org(c, current.body_id or "", p.successor, "2025")
            add(ChangeEvent(PROVINCE_MERGE, f"Hợp nhất tỉnh {p.name} vào tỉnh {p.successor}",
                            [current.iri], [successor]))
    return sorted(events.values(), key=lambda e: (e.date, e.label))
