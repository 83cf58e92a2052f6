"""The plan of a synthetic corpus: which documents exist and which earlier document each one carries out.

A plan is a list of :class:`Doc` (metadata only, no text). Documents are planned top-down: central Party
documents, State documents, provincial documents (those carrying out a central document first, then the
notices and letters that follow them up), district plans, letters and reports. Every document that
carries out another one (``primary``) is dated after it, so implementation chains run up to 6 deep:
NQ/TW -> KL/TW "về tiếp tục thực hiện" -> KH/TU -> KH/HU -> CV/HU -> BC/HU.
Numbers are given last, per issuer, type and term, increasing with the date.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from gen_data import (
    CENTRAL_ISSUERS,
    MINISTRIES,
    PARTY_TYPES,
    STATE_TYPES,
    TOPICS,
    districts,
    in_congress,
    provinces,
    stable_int,
    term_of,
)

FIRST_DAY = dt.date(1996, 7, 2)
LAST_DAY = dt.date(2025, 12, 31)
DISTRICT_END = dt.date(2025, 6, 30)  # no district bodies from 1/7/2025
MAX_DEPTH = 6
# provincial congresses (approximate): a provincial term starts in the autumn of these years
_PROV_CONGRESS = [1996, 2000, 2005, 2010, 2015, 2020, 2025]


@dataclass
class Doc:
    idx: int
    level: str  # central / state / province / district
    code: str  # type code in the symbol: NQ, KL, KH, NĐ, TT ...
    type_id: str  # doctypes.json id
    issuer_id: str  # bodies.json id
    date: str  # ISO
    province: str | None = None
    district: str | None = None
    topic: int = 0
    term: str | None = None  # central khóa (roman) for Party documents of the centre
    pterm: int = 0  # provincial term index (numbering restarts per term)
    number: str = ""
    symbol: str = ""
    issuer_code: str = ""  # after the slash: TW, TU, HU; State: CP, TTg, BNV ...
    primary: int | None = None  # the document this one carries out / continues / reviews
    relation: str | None = None  # this document's relation to ``primary``
    extras: list[int] = field(default_factory=list)  # other documents it cites
    depth: int = 1

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)

    def to_json(self) -> dict:
        out = dict(self.__dict__)
        out["extras"] = list(self.extras)
        return out


def _rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    d = lo + dt.timedelta(days=rng.randrange(max((hi - lo).days, 0) + 1))
    while in_congress(d) and d < hi:
        d += dt.timedelta(days=9)
    return d


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _zipf_weights(n: int, s: float = 0.9) -> list[float]:
    return [1.0 / (k + 1) ** s for k in range(n)]


@cache
def _congress_days(province: str) -> tuple[dt.date, ...]:
    return tuple(dt.date(y, 10, 1) + dt.timedelta(days=stable_int("congress", province, y) % 60 - 20)
                 for y in _PROV_CONGRESS)


def provincial_term(province: str, d: dt.date) -> int:
    """Index of the provincial Party term (nhiệm kỳ) of date ``d``: numbering restarts with each term."""
    k = 0
    for i, start in enumerate(_congress_days(province)):
        if d >= start:
            k = i
    return k


_CAPS = {
    ("central", "NQ"): 70, ("central", "KL"): 300, ("central", "CT"): 60, ("central", "TB"): 400,
    ("central", "QĐ"): 400, ("state", "NĐ"): 180, ("state", "CT"): 40, ("state", "QĐ"): 2500, ("state", "TT"): 60,
    ("province", "KH"): 400, ("province", "CT"): 45, ("province", "NQ"): 40, ("province", "TB"): 1500,
    ("province", "CV"): 3000, ("province", "CTr"): 30, ("district", "KH"): 250, ("district", "CV"): 1800,
    ("district", "BC"): 500,
}


class Planner:
    """Plans documents; ``docs`` may start with an existing corpus (``--add``)."""

    def __init__(self, seed: int | str, docs: list[Doc] | None = None) -> None:
        self.rng = random.Random(f"plan:{seed}")
        self.docs: list[Doc] = list(docs or [])
        self.provs = [p for p in provinces()]
        order = list(range(len(self.provs)))
        random.Random(f"provinces:{seed}").shuffle(order)
        self.prov_order = [self.provs[i] for i in order]
        self.prov_weights = _zipf_weights(len(self.provs), 0.8)
        self.used: dict[tuple, set[int]] = defaultdict(set)
        for d in self.docs:
            if d.number.isdigit():
                self.used[self._key(d)].add(int(d.number))

    # --- pools ------------------------------------------------------------------------------------------
    def _pool(self, level: str, codes: tuple[str, ...] | None = None, province: str | None = None,
              district: str | None = None) -> list[Doc]:
        return [d for d in self.docs if d.level == level and (codes is None or d.code in codes)
                and (province is None or d.province == province) and (district is None or d.district == district)]

    def _tournament(self, pool: list[Doc], before: dt.date | None = None, k: int = 6,
                    max_depth: int = MAX_DEPTH - 1) -> Doc | None:
        """A document of the pool (deeper ones preferred), dated before ``before`` when given."""
        if not pool:
            return None
        limit = before.isoformat() if before is not None else None
        best: Doc | None = None
        for _ in range(k * 3):
            c = pool[self.rng.randrange(len(pool))]
            if c.depth > max_depth or (limit is not None and c.date >= limit):
                continue
            if best is None or c.depth + self.rng.random() * 2.5 > best.depth:
                best = c
            k -= 1
            if k <= 0:
                break
        return best

    def _province(self) -> object:
        return self.rng.choices(self.prov_order, self.prov_weights)[0]

    def _pick_district(self, province: str) -> str:
        names = districts(province)
        return self.rng.choices(names, _zipf_weights(len(names), 1.0))[0]

    def _new(self, level: str, code: str, type_id: str, issuer_id: str, day: dt.date, **kw: object) -> Doc:
        d = Doc(len(self.docs), level, code, type_id, issuer_id, day.isoformat(), **kw)  # type: ignore[arg-type]
        d.topic = self.rng.randrange(len(TOPICS))
        self.docs.append(d)
        return d

    def _link(self, d: Doc, parent: Doc | None, relation: str) -> None:
        if parent is None:
            return
        d.primary, d.relation, d.depth = parent.idx, relation, parent.depth + 1
        if self.rng.random() < 0.6:
            d.topic = parent.topic

    @staticmethod
    def _after(parent: Doc, rng: random.Random, lo: int, hi: int, end: dt.date) -> dt.date | None:
        start = parent.day + dt.timedelta(days=lo)
        if start > end:
            return None
        return _rand_date(rng, start, min(end, parent.day + dt.timedelta(days=hi)))

    # --- the plan -----------------------------------------------------------------------------------------
    def plan(self, n: int, initial: bool = True) -> list[Doc]:
        first = len(self.docs)
        n_central = max(2, round(0.02 * n)) if initial else round(0.02 * n)
        n_state = max(1, round(0.03 * n)) if initial else round(0.03 * n)
        n_prov = round(0.45 * n)
        n_dist = max(n - n_central - n_state - n_prov, 0)
        self._central(n_central, initial)
        self._state(n_state)
        self._provincial(n_prov)
        self._district(n_dist)
        new = self.docs[first:]
        self._extras(new)
        self._number(new)
        return new

    def _central(self, n: int, initial: bool) -> None:
        rng = self.rng
        planned: list[tuple[dt.date, str, str, str]] = []
        for i in range(n):
            code = "NQ" if (initial and i == 0) else _pick(rng, [("NQ", 3), ("KL", 3), ("CT", 1.5), ("TB", 2),
                                                                 ("QĐ", 1)])
            issuer = _pick(rng, [(b, float(w)) for b, w in CENTRAL_ISSUERS[code]])
            if code == "QĐ":
                type_id = "quy-dinh" if rng.random() < 0.6 else "quyet-dinh"
            else:
                type_id = PARTY_TYPES[code]
            same = [p for p in planned if p[1] == "NQ" and p[2] == "ban-chap-hanh-trung-uong"]
            if code == "NQ" and issuer == "ban-chap-hanh-trung-uong" and same and rng.random() < 0.35:
                day = rng.choice(same)[0]  # several resolutions of one plenum share its date
            else:
                day = _rand_date(rng, FIRST_DAY, LAST_DAY)
            planned.append((day, code, issuer, type_id))
        if initial and len(planned) > 1:  # the corpus's first chain: a resolution, then a conclusion on it
            first = min(p[0] for p in planned) - dt.timedelta(days=400)
            planned[0] = (max(first, FIRST_DAY), "NQ", "ban-chap-hanh-trung-uong", "nghi-quyet")
            if planned[1][1] not in ("KL", "TB"):
                planned[1] = (planned[1][0], "KL", "bo-chinh-tri", "ket-luan")
        planned.sort(key=lambda p: p[0])
        roots = self._pool("central", ("NQ", "CT", "KL"))
        rules = [c for c in self._pool("central", ("QĐ",)) if c.type_id == "quy-dinh"]
        for day, code, issuer, type_id in planned:
            d = self._new("central", code, type_id, issuer, day, issuer_code="TW", term=term_of(day).roman)
            if code in ("KL", "TB", "CT") and rng.random() < 0.8:
                parent = self._tournament(roots, day - dt.timedelta(days=60), max_depth=1)
                self._link(d, parent, "continues")
            elif code == "QĐ" and type_id == "quy-dinh" and rng.random() < 0.4:
                self._link(d, self._tournament(rules, day, max_depth=1), "replaces")
            if code in ("NQ", "CT", "KL"):
                roots.append(d)
            if type_id == "quy-dinh":
                rules.append(d)

    def _state(self, n: int) -> None:
        rng = self.rng
        roots = self._pool("central", ("NQ", "CT", "KL"))
        decrees = self._pool("state", ("NĐ",))
        for _ in range(n):
            kind = _pick(rng, [("NĐ", 2), ("CT", 2), ("QĐ", 2), ("TT", 2)])
            day = _rand_date(rng, dt.date(1998, 1, 1), LAST_DAY)
            if kind == "NĐ":
                d = self._new("state", "NĐ", "nghi-dinh", "chinh-phu", day, issuer_code="CP")
                decrees.append(d)
            elif kind in ("CT", "QĐ"):
                d = self._new("state", kind, STATE_TYPES[kind], "thu-tuong-chinh-phu", day, issuer_code="TTg")
                parent = self._tournament(roots, day, max_depth=1)
                if parent and rng.random() < 0.6:
                    self._link(d, parent, "implements")
            else:
                body, _name, code = rng.choice(MINISTRIES)
                d = self._new("state", "TT", "thong-tu", body, day, issuer_code=code)
                parent = self._tournament(decrees, day)
                if parent and rng.random() < 0.6:
                    self._link(d, parent, "guides")

    def _prov_end(self, prov: object) -> dt.date:
        until = getattr(prov, "until", None)
        return min(until, LAST_DAY) if until else LAST_DAY

    def _provincial(self, n: int) -> None:
        rng = self.rng
        n_top = round(n * 0.62)
        central = self._pool("central", ("NQ", "CT", "KL", "TB", "QĐ"))
        ttg = self._pool("state", ("CT",))
        for _ in range(n_top):
            code = _pick(rng, [("KH", 6), ("CT", 2), ("NQ", 1.7), ("CTr", 0.8)])
            prov = self._province()
            end = self._prov_end(prov)
            parent, day = None, None
            if code == "KH" or rng.random() < 0.55:
                for _try in range(6):
                    pool = ttg if (ttg and code == "KH" and rng.random() < 0.12) else central
                    cand = self._tournament(pool, end)
                    day = self._after(cand, rng, 12, 500, end) if cand else None
                    if day:
                        parent = cand
                        break
            day = day or _rand_date(rng, dt.date(1998, 1, 1), end)
            issuer = "tinh-uy" if code == "NQ" and rng.random() < 0.5 else "ban-thuong-vu-tinh-uy"
            d = self._new("province", code, PARTY_TYPES[code], issuer, day, province=prov.name, issuer_code="TU")
            if parent:
                rel = {"KH": "implements", "CTr": "implements"}.get(
                    code, rng.choice(["implements", "continues", "concretizes"]))
                if parent.code == "CT" and code == "CT":
                    rel = "continues"
                self._link(d, parent, rel)
        top = self._pool("province", ("KH", "CT", "NQ", "CTr"))
        for _ in range(n - n_top):
            code = _pick(rng, [("TB", 5), ("CV", 4.5)])
            parent, day = None, None
            for _try in range(6):
                cand = self._tournament(top, None)
                if cand is None:
                    break
                prov_end = self._prov_end(next(p for p in self.provs if p.name == cand.province))
                day = self._after(cand, rng, 10, 900, prov_end)
                if day:
                    parent = cand
                    break
            if parent is None:
                prov = self._province()
                day = _rand_date(rng, dt.date(1998, 1, 1), self._prov_end(prov))
                pname = prov.name
            else:
                pname = parent.province
            issuer = "thuong-truc-tinh-uy" if code == "TB" and rng.random() < 0.25 else "ban-thuong-vu-tinh-uy"
            d = self._new("province", code, PARTY_TYPES[code], issuer, day, province=pname, issuer_code="TU")
            if parent:
                rel = rng.choice(["reviews", "reviews", "implements"]) if code == "TB" else "implements"
                self._link(d, parent, rel)

    def _district(self, n: int) -> None:
        rng = self.rng
        n_kh = round(n * 0.4)
        n_cv = round(n * 0.35)
        prov_pool = [d for d in self._pool("province", ("KH", "CT", "NQ", "CTr"))
                     if d.date < "2025-06-10"]
        kinds = ["KH"] * n_kh + ["CV"] * n_cv + ["BC"] * (n - n_kh - n_cv)
        dist_pool: list[Doc] = []
        for code in kinds:
            parent, day = None, None
            for _try in range(6):
                if code == "KH" or not dist_pool:
                    pool = prov_pool
                else:
                    pool = dist_pool if rng.random() < 0.85 else prov_pool
                cand = self._tournament(pool, DISTRICT_END)
                if cand is None:
                    break
                day = self._after(cand, rng, 5, 300, DISTRICT_END)
                if day:
                    parent = cand
                    break
            if parent is None:
                prov = self._province()
                pname = prov.name
                dname = self._pick_district(pname)
                end = min(DISTRICT_END, self._prov_end(prov))
                day = _rand_date(rng, dt.date(1998, 1, 1), end)
            else:
                pname = parent.province
                dname = parent.district if parent.level == "district" else self._pick_district(pname)
            issuer = "huyen-uy" if code == "KH" and rng.random() < 0.15 else "ban-thuong-vu-huyen-uy"
            type_id = PARTY_TYPES[code]
            d = self._new("district", code, type_id, issuer, day, province=pname, district=dname, issuer_code="HU")
            if parent:
                rel = "reviews" if code == "BC" else "implements"
                self._link(d, parent, rel)
            if code in ("KH", "CV"):
                dist_pool.append(d)

    def _extras(self, new: list[Doc]) -> None:
        """Other documents each new one cites (1-8 cited documents in all, counting nested ones)."""
        rng = self.rng
        central = self._pool("central")
        state = self._pool("state")
        by_prov: dict[str, list[Doc]] = defaultdict(list)
        for d in self.docs:
            if d.level == "province":
                by_prov[d.province or ""].append(d)
        for d in new:
            want = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]) + (0 if d.primary is not None else 1)
            have = {d.idx, d.primary}
            for _ in range(want * 4):
                if len(d.extras) >= want:
                    break
                r = rng.random()
                if d.level in ("province", "district") and r < 0.35:
                    pool = by_prov.get(d.province or "", [])
                elif r < 0.85 or not state:
                    pool = central
                else:
                    pool = state
                if not pool:
                    continue
                c = pool[rng.randrange(len(pool))]
                if c.idx in have or c.date >= d.date:
                    continue
                have.add(c.idx)
                d.extras.append(c.idx)

    # --- numbers ------------------------------------------------------------------------------------------
    def _key(self, d: Doc) -> tuple:
        y = d.date[:4]
        if d.level == "central":
            return ("central", d.code, d.term)
        if d.level == "state":
            return ("state", d.code, d.issuer_code, y)
        if d.level == "province":
            return ("province", d.code, d.province, d.pterm)
        return ("district", d.code, d.province, d.district, d.pterm)

    def _number(self, new: list[Doc]) -> None:
        groups: dict[tuple, list[Doc]] = defaultdict(list)
        for d in new:
            if d.level in ("province", "district"):
                d.pterm = provincial_term(d.province or "", d.day)
            groups[self._key(d)].append(d)
        for key in sorted(groups, key=repr):
            docs = sorted(groups[key], key=lambda x: (x.date, x.idx))
            used = self.used[key]
            cap = _CAPS.get((key[0], key[1]), 300)
            cap = max(cap, len(docs) + len(used) + 5)
            free = [k for k in range(1, cap + 1) if k not in used]
            nums = sorted(self.rng.sample(free, len(docs)))
            for d, k in zip(docs, nums, strict=False):
                used.add(k)
                d.number = f"{k:02d}"
                d.symbol = symbol(d)


def symbol(d: Doc) -> str:
    if d.level == "state":
        n = d.number
        if d.code == "NĐ":
            return f"{n}/{d.date[:4]}/NĐ-CP"
        if d.code == "TT":
            return f"{n}/{d.date[:4]}/TT-{d.issuer_code}"
        return f"{n}/{d.code}-{d.issuer_code}"
    return f"{d.number}-{d.code}/{d.issuer_code}"


def doc_from_json(obj: dict) -> Doc:
    return Doc(**obj)
