"""One planned document -> its text and its truth (gold): the citations and assignments as written.

The layout follows the real seeds in ``data/``: issuer lines, ``*``, ``Số: 12-CT/TU``, place and date,
the TYPE line and title, an opening that names the document carried out, numbered sections and items,
``Nơi nhận:`` and the ``T/M`` signer block.
"""

from __future__ import annotations

import datetime as dt
import random

import gen_noise
from gen_data import (
    CENTRAL_HEADER,
    CENTRAL_SIGNER,
    CENTRAL_SPELLINGS,
    CENTRAL_TASKED,
    COORD_EXTRA,
    DISTRICT_TASKED,
    FAMILY,
    GIVEN,
    MIDDLE,
    MINISTRIES,
    PROVINCE_TASKED,
    PROVINCE_TASKED_2025,
    STATE_TASKED,
    TOPICS,
    Province,
    priority,
    provinces,
    term_of,
    type_vi,
)
from gen_plan import Doc

_PROV = {p.name: p for p in provinces()}
_MINISTRY = {b: name for b, name, _code in MINISTRIES}
_STATE_NAMES = {"chinh-phu": "Chính phủ", "thu-tuong-chinh-phu": "Thủ tướng Chính phủ", **_MINISTRY}
_ROMAN = ["I", "II", "III", "IV", "V", "VI"]
_VERB = {  # relation -> phrases put right before a citation (all in relations.json)
    "implements": ["thực hiện", "triển khai thực hiện", "tổ chức thực hiện", "triển khai"],
    "continues": ["tiếp tục thực hiện", "tiếp tục thực hiện có hiệu quả", "tiếp tục triển khai thực hiện"],
    "reviews": ["sơ kết {n} năm thực hiện", "tổng kết {n} năm thực hiện", "sơ kết việc thực hiện",
                "tổng kết việc thực hiện"],
    "concretizes": ["cụ thể hóa"],
    "guides": ["hướng dẫn thi hành", "hướng dẫn thực hiện"],
    "replaces": ["thay thế"],
    "basedOn": ["căn cứ"],
    "disseminates": ["quán triệt", "học tập, quán triệt"],
    "alignedWith": ["theo tinh thần", "gắn với"],
}

# --- sentence frames ------------------------------------------------------------------------------------
FILLER = [
    "Thời gian qua, các cấp ủy, tổ chức đảng đã quan tâm lãnh đạo, chỉ đạo công tác {topic}, đạt được nhiều "
    "kết quả quan trọng.",
    "Nhận thức của cán bộ, đảng viên và Nhân dân về {topic} từng bước được nâng lên.",
    "Tuy nhiên, việc {topic} ở một số địa phương, đơn vị còn hình thức, hiệu quả chưa cao.",
    "Một số cấp ủy, người đứng đầu chưa thực sự quan tâm, thiếu sâu sát trong lãnh đạo, chỉ đạo.",
    "Công tác phối hợp giữa các cơ quan, đơn vị có lúc chưa chặt chẽ, thiếu đồng bộ.",
    "Nguyên nhân chủ yếu là do nhận thức của một bộ phận cán bộ, đảng viên về {topic} chưa đầy đủ.",
    "Nguồn lực bảo đảm cho việc {topic} còn hạn chế, chưa đáp ứng yêu cầu nhiệm vụ trong tình hình mới.",
    "Nâng cao nhận thức, trách nhiệm của các cấp ủy, tổ chức đảng, chính quyền, cán bộ, đảng viên về {topic}.",
    "Xác định rõ mục tiêu, nhiệm vụ, giải pháp, lộ trình và trách nhiệm của từng cơ quan, đơn vị.",
    "Việc triển khai phải bảo đảm nghiêm túc, thiết thực, hiệu quả, tránh hình thức, lãng phí.",
    "Phát huy vai trò nêu gương của cán bộ, đảng viên, trước hết là người đứng đầu.",
    "Gắn công tác {topic} với nhiệm vụ chính trị của từng địa phương, cơ quan, đơn vị.",
    "Đổi mới nội dung, phương thức tuyên truyền, chú trọng ứng dụng công nghệ thông tin và mạng xã hội.",
    "Kịp thời biểu dương, khen thưởng các tập thể, cá nhân có thành tích xuất sắc; chấn chỉnh, xử lý "
    "nghiêm các trường hợp vi phạm.",
    "Tăng cường công tác kiểm tra, giám sát việc thực hiện ở các cấp, các ngành.",
    "Chú trọng xây dựng, nhân rộng các mô hình hay, cách làm hiệu quả trong {topic}.",
    "Bố trí đủ nguồn lực, kinh phí cho việc {topic} theo quy định.",
    "Nhiều cơ quan báo chí, hệ thống thông tin cơ sở đã mở chuyên trang, chuyên mục phản ánh kết quả thực hiện.",
    "Đến nay, 100% tổ chức cơ sở đảng đã xây dựng chương trình hành động cụ thể.",
    "Sự phối hợp giữa Mặt trận Tổ quốc và các tổ chức chính trị - xã hội ngày càng chặt chẽ.",
    "Ý thức trách nhiệm của đội ngũ cán bộ, công chức trong thực thi nhiệm vụ có chuyển biến rõ nét.",
    "Tập trung tháo gỡ khó khăn, vướng mắc, tạo chuyển biến rõ nét trong {topic}.",
    "Rà soát, bổ sung, hoàn thiện các quy định, quy chế bảo đảm đồng bộ, thống nhất, khả thi.",
    "Coi đây là nhiệm vụ trọng tâm, thường xuyên của cả hệ thống chính trị.",
    "Nghiên cứu, đề xuất các cơ chế, chính sách phù hợp với điều kiện thực tế của địa phương.",
    "Quan tâm đào tạo, bồi dưỡng, nâng cao năng lực cho đội ngũ cán bộ làm công tác chuyên môn.",
    "Phát huy quyền làm chủ của Nhân dân, thực hiện tốt phương châm dân biết, dân bàn, dân làm, dân kiểm tra, "
    "dân giám sát, dân thụ hưởng.",
    "Chủ động nắm tình hình, kịp thời giải quyết những vấn đề mới phát sinh ngay từ cơ sở.",
    "Kết quả thực hiện là một tiêu chí đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên hằng năm.",
    "Các chỉ tiêu chủ yếu đề ra đều đạt và vượt kế hoạch; đời sống vật chất, tinh thần của Nhân dân được "
    "cải thiện.",
    "Công tác sơ kết, tổng kết, rút kinh nghiệm chưa được tiến hành thường xuyên.",
    "Một số nhiệm vụ còn chậm, chưa hoàn thành đúng tiến độ đề ra.",
    "Bảo đảm sự lãnh đạo toàn diện, trực tiếp của các cấp ủy đảng đối với {topic}.",
    "Tăng cường đối thoại, tiếp xúc giữa người đứng đầu cấp ủy, chính quyền với Nhân dân.",
    "Lồng ghép việc thực hiện các nhiệm vụ này vào chương trình công tác toàn khóa và hằng năm.",
]
TASKS = [
    "xây dựng kế hoạch tuyên truyền sâu rộng các nội dung của {self} đến cán bộ, đảng viên và Nhân dân",
    "hướng dẫn các cấp ủy, tổ chức đảng triển khai thực hiện các nội dung của {self}",
    "tham mưu tổ chức hội nghị quán triệt, triển khai {self}",
    "theo dõi, đôn đốc, kiểm tra, giám sát việc thực hiện {self}",
    "rà soát, sắp xếp, kiện toàn tổ chức bộ máy, biên chế theo hướng tinh gọn",
    "xây dựng đề án nâng cao chất lượng đội ngũ cán bộ làm công tác {area}",
    "bố trí kinh phí bảo đảm cho việc triển khai các nhiệm vụ của {self}",
    "tổ chức tập huấn, bồi dưỡng nghiệp vụ cho đội ngũ cán bộ làm công tác {area}",
    "chỉ đạo các cơ quan báo chí tăng cường thông tin, tuyên truyền về {topic}",
    "nghiên cứu, đề xuất sửa đổi, bổ sung các quy định về {area} cho phù hợp",
    "tổng hợp, đánh giá kết quả thực hiện, đề xuất các giải pháp tháo gỡ khó khăn, vướng mắc",
    "kiểm tra, giám sát việc thực hiện {self} tại các tổ chức đảng trực thuộc",
    "tham mưu ban hành quy chế phối hợp trong công tác {area}",
    "xây dựng cơ sở dữ liệu phục vụ công tác {area}",
    "triển khai các giải pháp nâng cao hiệu quả công tác {area} trên địa bàn",
    "hướng dẫn xây dựng và nhân rộng các mô hình điểm về {area}",
    "tổ chức sơ kết, đánh giá kết quả thực hiện {self}",
]
_FOLLOW_UPS = [
    ("reviews", "Định kỳ sơ kết việc thực hiện {n}, rút kinh nghiệm và đề ra giải pháp phù hợp."),
    ("implements", "Các cấp ủy, tổ chức đảng tổ chức thực hiện nghiêm túc {n}; kết quả thực hiện là tiêu chí đánh giá "
                   "cuối năm."),
    ("mentions", "{n} đã được phổ biến đến cán bộ, đảng viên."),
    ("disseminates", "Trong quý đầu, hoàn thành việc quán triệt {n} đến chi bộ."),
]
AREAS = ["dân vận", "tổ chức xây dựng Đảng", "tuyên giáo", "kiểm tra, giám sát", "nội chính", "văn phòng",
         "chuyển đổi số", "cải cách hành chính", "thi đua, khen thưởng", "quốc phòng, an ninh"]


class Writer:
    """Writes one document of the plan; ``gold()`` is the truth about what the text says."""

    def __init__(self, doc: Doc, docs: list[Doc], rng: random.Random, noise: list[str]) -> None:
        self.d, self.docs, self.rng, self.noise = doc, docs, rng, noise
        self.prov: Province | None = _PROV.get(doc.province or "")
        self.year = int(doc.date[:4])
        self.cits: dict[int, dict] = {}
        self.order: list[int] = []
        self.assignments: list[dict] = []
        self.extern: dict[int, Doc] = {}
        self.symbol_noise = [k for k in noise if k.startswith("sym_")]
        self.item_no = 0
        self.style = rng.choice(["{n}- ", "{n}. ", "{n}- ", "- "])
        self.topic_uses = 0
        self._self_name, self._u, self._c = self.self_name(), self.u, self.c

    # --- names --------------------------------------------------------------------------------------
    @property
    def c(self) -> str:  # "Tỉnh ủy" / "Thành ủy"
        return self.prov.committee if self.prov else "Tỉnh ủy"

    @property
    def u(self) -> str:
        return self.prov.unit if self.prov else "tỉnh"

    def own_issuer(self) -> str:
        d = self.d
        if d.level == "central":
            return CENTRAL_SPELLINGS[d.issuer_id][0]
        if d.level == "state":
            return _STATE_NAMES[d.issuer_id]
        if d.level == "province":
            return {"tinh-uy": self.c, "thuong-truc-tinh-uy": f"Thường trực {self.c}"}.get(
                d.issuer_id, f"Ban Thường vụ {self.c}")
        return "Huyện ủy" if d.issuer_id == "huyen-uy" else "Ban Thường vụ Huyện ủy"

    def self_name(self) -> str:
        return f"{type_vi(self.d.type_id)} này"

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def fill(self, s: str) -> str:
        if "{" not in s:
            return s
        topic = TOPICS[self.d.topic]
        if "{topic}" in s:
            self.topic_uses += 1
            if self.topic_uses > 2:
                topic = self.rng.choice(["công tác này", "nhiệm vụ này", "lĩnh vực này", "các nhiệm vụ trên"])
        area = self.rng.choice(AREAS) if "{area}" in s else ""
        return s.format(topic=topic, self=self._self_name, area=area, u=self._u, c=self._c)

    # --- citations ----------------------------------------------------------------------------------
    def doc(self, idx: int) -> Doc:
        return self.extern[idx] if idx < 0 else self.docs[idx]

    def _g(self, c: Doc) -> dict:
        g = self.cits.get(c.idx)
        if g is None:
            g = {"idx": c.idx, "symbol": c.symbol, "number": c.number, "type": type_vi(c.type_id),
                 "level": c.level, "date": None, "issuer": None, "issuer_id": None, "term": None,
                 "relation": "mentions", "relations": [], "true_date": c.date, "true_issuer_id": c.issuer_id,
                 "forms": []}
            self.cits[c.idx] = g
            self.order.append(c.idx)
        return g

    def _relate(self, c: Doc, relation: str, form: str) -> dict:
        g = self._g(c)
        if priority(relation) > priority(g["relation"]):
            g["relation"] = relation
        if form not in g["forms"]:
            g["forms"].append(form)
        return g

    def sym(self, c: Doc) -> str:
        s = c.symbol
        if not self.symbol_noise or self.rng.random() < 0.4:
            return s
        return gen_noise.noisy_symbol(s, self.rng.choice(self.symbol_noise), self.rng)

    def date_text(self, iso: str) -> str:
        y, m, d = (int(x) for x in iso.split("-"))
        k = self.rng.random()
        if k < 0.55:
            return f"{d:02d}/{m:02d}/{y}" if self.rng.random() < 0.5 else f"{d}/{m}/{y}"
        if k < 0.8:
            return f"{d:02d}-{m:02d}-{y}" if self.rng.random() < 0.5 else f"{d}-{m}-{y}"
        return f"{d} tháng {m} năm {y}"

    def issuer_text(self, c: Doc) -> str:
        r = self.rng
        if c.level == "central":
            return r.choice(CENTRAL_SPELLINGS[c.issuer_id])
        if c.level == "state":
            return _STATE_NAMES[c.issuer_id]
        if c.level == "province":
            com = _PROV[c.province].committee if c.province in _PROV else "Tỉnh ủy"
            if c.issuer_id == "tinh-uy":
                return r.choice([com, f"Ban Chấp hành Đảng bộ {_PROV[c.province].unit}"]) if c.province in _PROV \
                    else com
            if c.issuer_id == "thuong-truc-tinh-uy":
                return f"Thường trực {com}"
            return f"Ban Thường vụ {com}"
        return "Huyện ủy" if c.issuer_id == "huyen-uy" else "Ban Thường vụ Huyện ủy"

    def term_text(self, c: Doc, g: dict) -> str:
        if c.level != "central" or not c.term or self.rng.random() < 0.45:
            return ""
        g["term"] = c.term
        return self.rng.choice([f" khóa {c.term}", f" (khóa {c.term})", f", khóa {c.term}", f" (Khóa {c.term})"])

    def subject(self, c: Doc, depth: int = 0) -> str:
        """ "về …" after a citation; a cited document that carries out another names it (nested)."""
        if depth == 0 and c.primary is not None and c.relation and self.rng.random() < 0.8:
            p = self.doc(c.primary)
            verb = self.rng.choice(_VERB[c.relation]).format(n=self.rng.choice([3, 5, 10]))
            inner = self.mention(p, "mentions", "nested", tail="issuer", depth=1)
            g = self._g(c)
            if not any(r["target"] == p.symbol for r in g["relations"]):
                g["relations"].append({"relation": c.relation, "target": p.symbol})
            if c.relation == "replaces":
                return f"về {TOPICS[c.topic]} ({verb} {inner})"
            return f"về {verb} {inner}"
        return f"về {TOPICS[c.topic]}"

    def mention(self, c: Doc, relation: str, form: str, tail: str = "full", depth: int = 0) -> str:
        """ "Kết luận số 102-KL/TW, ngày 22/9/2014 của Bộ Chính trị khóa XI về …" (tail: full/date/issuer/none)."""
        g = self._relate(c, relation, form)
        tv = type_vi(c.type_id)
        s = f"{tv} số {self.sym(c)}" if self.rng.random() < 0.93 else f"{tv} {self.sym(c)}"
        if tail in ("full", "date"):
            g["date"] = c.date
            s += f"{self.rng.choice([', ', ' '])}ngày {self.date_text(c.date)}"
        if tail in ("full", "issuer", "date") and (tail != "date" or self.rng.random() < 0.7):
            g["issuer"] = g["issuer"] or self.issuer_text(c)
            g["issuer_id"] = c.issuer_id
            s += f" của {self.issuer_text(c)}{self.term_text(c, g)}"
        if tail == "full" and depth == 0:
            s += " " + self.subject(c)
        elif depth == 1 and self.rng.random() < 0.5:
            s += f" về {TOPICS[c.topic]}"
        return s

    def number_only(self, c: Doc) -> str | None:
        """ "Chỉ thị số 17" for a document already named in full, when no other has that type and number."""
        same = [o for o in (*[self.doc(i) for i in self.order], self.d)
                if o.type_id == c.type_id and o.number.lstrip("0") == c.number.lstrip("0")]
        if len(same) != 1 or c.level == "state":
            return None
        n = c.number.lstrip("0") if self.rng.random() < 0.5 else c.number
        return f"{type_vi(c.type_id)} số {n}" if self.rng.random() < 0.7 else f"{type_vi(c.type_id)} {n}"

    # --- assignments ---------------------------------------------------------------------------------
    def bodies(self) -> list[str]:
        d = self.d
        if d.level == "central":
            return list(CENTRAL_TASKED)
        if d.level == "state":
            return list(STATE_TASKED)
        if d.level == "district":
            return [n for n, _ in DISTRICT_TASKED]
        table = PROVINCE_TASKED_2025 if d.date >= "2025-03-01" else PROVINCE_TASKED
        return [n.format(c=self.c, u=self.u, p=self.prov.name if self.prov else "") for n, _ in table]

    def boss(self) -> str:
        if self.d.level == "district":
            return "Ban Thường vụ Huyện ủy"
        if self.d.level == "province":
            return f"Ban Thường vụ {self.c}"
        return "Bộ Chính trị" if self.d.level == "central" else "Thủ tướng Chính phủ"

    def deadline(self) -> tuple[str, dict]:
        r, d0 = self.rng, self.d.day
        k = r.random()
        y = d0.year + (1 if d0.month >= 10 or r.random() < 0.3 else 0)
        if k < 0.2:
            q = r.randint(1, 4) if y > d0.year else r.randint((d0.month - 1) // 3 + 1, 4)
            end = dt.date(y, q * 3, 30 if q in (2, 3) else 31)
            return f" (xong trong quý {_ROMAN[q - 1]} năm {y})", {"deadline": end.isoformat(), "recurrence": None}
        if k < 0.35:
            day = d0 + dt.timedelta(days=r.randint(20, 300))
            return (f", hoàn thành trước ngày {day.day}/{day.month}/{day.year}",
                    {"deadline": day.isoformat(), "recurrence": None})
        if k < 0.45:
            m = r.randint(1, 12) if y > d0.year else r.randint(d0.month, 12)
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
            return f", xong trong tháng {m}/{y}", {"deadline": nxt.isoformat(), "recurrence": None}
        if k < 0.52:
            return f", hoàn thành trong năm {y}", {"deadline": f"{y}-12-31", "recurrence": None}
        if k < 0.6:
            return "; định kỳ 6 tháng báo cáo kết quả", {"deadline": None, "recurrence": "P6M"}
        if k < 0.66:
            return "; hằng năm báo cáo kết quả thực hiện", {"deadline": None, "recurrence": "P1Y"}
        if k < 0.7:
            return ", báo cáo trước ngày 15/12 hằng năm", {"deadline": None, "recurrence": "P1Y;--12-15"}
        return "", {"deadline": None, "recurrence": None}

    def assignment(self, lead: str, pool: list[str]) -> str:
        r = self.rng
        coords: list[str] = []
        frame = r.randrange(10)
        if frame in (0, 1, 2):
            coords = r.sample([b for b in pool if b != lead], r.randint(1, 3))
            if r.random() < 0.4:
                coords.append(r.choice(COORD_EXTRA))
        task = self.fill(r.choice(TASKS))
        dl, dlg = self.deadline()
        cj = ", ".join(coords)
        self.item_no += 1
        n = self.item_no
        bullet = self.style.format(n=n)
        kind = "assignment"
        if frame == 0:
            s = f"{bullet}{lead} chủ trì, phối hợp với {cj} {task}{dl}."
        elif frame == 1:
            s = f"{bullet}Giao {lead} chủ trì, phối hợp với {cj} {task}{dl}."
        elif frame == 2:
            s = (f"{bullet}{self.fill(r.choice(FILLER))} Đồng thời, giao {lead} chủ trì, phối hợp với {cj} "
                 f"{task}{dl}.")
        elif frame == 3:
            s = f"{bullet}{lead} có trách nhiệm {task}{dl}."
        elif frame == 4:
            s = f"{bullet}Giao {lead} {task}{dl}."
        elif frame == 5:
            s = f"{bullet}{lead} chịu trách nhiệm {task}{dl}."
        elif frame == 6:
            s = f"{bullet}{lead} có nhiệm vụ {task}{dl}."
        elif frame == 7:
            s = f"{bullet}{lead} tham mưu {self.boss()} {task}{dl}."
        elif frame == 8:
            dl, dlg = "; định kỳ 6 tháng, hằng năm báo cáo", {"deadline": None, "recurrence": "P6M"}
            s = (f"{bullet}{lead} theo dõi, đôn đốc, kiểm tra việc thực hiện {self.self_name()}{dl} "
                 f"{self.boss()} kết quả thực hiện.")
        else:
            kind = "request"
            s = f"{bullet}Đề nghị {lead} {task}{dl}."
        self.assignments.append({"lead": lead, "coordinators": coords, "kind": kind,
                                 "deadline_text": dl.strip(" ,;()") or None, **dlg})
        return s

    # --- the document --------------------------------------------------------------------------------
    def header(self) -> list[str]:
        d, r = self.d, self.rng
        y, m, day = (int(x) for x in d.date.split("-"))
        dd = f"{day:02d}" if r.random() < 0.5 else str(day)
        mm = f"{m:02d}" if m < 3 and r.random() < 0.7 else str(m)
        own = d.symbol
        if self.symbol_noise and r.random() < 0.5:
            own = gen_noise.noisy_symbol(own, r.choice(self.symbol_noise), r)
        so = r.choice(["Số: ", "Số ", "Số: "]) + own
        if d.level == "state":
            place = "Hà Nội"
            left = [_STATE_NAMES[d.issuer_id].upper(), "-------"]
            right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "---------------"]
        elif d.level == "central":
            place = "Hà Nội"
            left, right = [CENTRAL_HEADER[d.issuer_id], "*"], ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        elif d.level == "province":
            p = self.prov
            place = "Thành phố Hồ Chí Minh" if p and p.name == "Hồ Chí Minh" else (p.name if p else "")
            left, right = [f"{self.c} {place}".upper() if p and p.name != "Hồ Chí Minh"
                           else "THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH", "*"], ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        else:
            p = self.prov
            place = d.district or ""
            left = [f"ĐẢNG BỘ {self.u} {p.name}".upper() if p else "", f"HUYỆN ỦY {d.district}".upper(), "*"]
            right = ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        dateline = f"{place}, ngày {dd} tháng {mm} năm {y}"
        if r.random() < 0.5:  # one column after the other
            lines = [*left, so, *right, dateline]
        else:  # two columns on the same lines
            lines = [f"{left[0]}\t\t{right[0]}", *left[1:], *right[1:], f"{so}\t\t{dateline}"]
        if "stamp" in self.noise:
            rec = d.day + dt.timedelta(days=r.randint(2, 25))
            who = "BAN TUYÊN GIÁO TỈNH ỦY" if d.level != "district" else "VĂN PHÒNG HUYỆN ỦY"
            stamp = [who, f"ĐẾN Số: {r.randint(100, 9999)}", f" Ngày: {rec.day}/{rec.month}/{rec.year}",
                     " Chuyển:", " Số và ký hiệu HS:"]
            lines = [*lines, "", *stamp]
            self.received = rec.isoformat()
        return lines

    def title(self) -> str:
        d = self.d
        if d.primary is None:
            return f"về {TOPICS[d.topic]}"
        p = self.doc(d.primary)
        if d.relation == "replaces":
            return f"về {TOPICS[d.topic]}"
        verb = self.rng.choice(_VERB[d.relation or "implements"]).format(n=self.rng.choice([3, 5, 10]))
        tail = self.rng.choice(["full", "full", "date", "issuer"])
        lead = "về " if d.code in ("CT", "NQ", "TB", "KL", "TT", "QĐ") or d.level == "central" else ""
        return f"{lead}{verb} {self.mention(p, d.relation or 'implements', 'title', tail=tail)}"

    def opening(self) -> list[str]:
        d, r = self.d, self.rng
        me = self.own_issuer()
        tv = type_vi(d.type_id)
        if d.primary is None:
            return [self.fill(r.choice(FILLER[:7])) + " " + self.fill(r.choice(FILLER[:7]))]
        p = self.doc(d.primary)
        rel = d.relation or "implements"
        m = self.mention(p, rel, "opening", tail=r.choice(["full", "full", "date", "issuer", "none"]))
        alias = ""
        if r.random() < 0.3:
            alias = f" (sau đây gọi tắt là {type_vi(p.type_id)} số {p.symbol})"
        if rel == "implements":
            v = r.choice(["Thực hiện", "Triển khai thực hiện", "Để tổ chức thực hiện"])
            return [f"{v} {m}{alias}, {me} xây dựng {tv} thực hiện như sau:"]
        if rel == "continues":
            v = r.choice(["Để tiếp tục thực hiện có hiệu quả", "Tiếp tục thực hiện",
                          "Nhằm tiếp tục triển khai thực hiện"])
            return [self.fill(r.choice(FILLER[:7])), f"{v} {m}{alias}, {me} yêu cầu:"]
        if rel == "reviews":
            v = r.choice(_VERB["reviews"]).format(n=r.choice([3, 5]))
            return [f"Thực hiện chương trình công tác năm {self.year}, {me} đã tổ chức {v} {m}{alias}. "
                    f"{me} đánh giá, kết luận như sau:"]
        if rel == "concretizes":
            return [f"Để cụ thể hóa {m}{alias} phù hợp với tình hình thực tế của {self.u}, {me} ban hành {tv} "
                    f"với những nội dung sau:"]
        if rel == "guides":
            return [f"{tv} này hướng dẫn thi hành {m}."]
        if rel == "replaces":
            return [self.fill(r.choice(FILLER[:7])), f"{tv} này thay thế {m}."]
        return [f"Thực hiện {m}, {me} ban hành {tv} này."]

    def cite_extras(self) -> list[str]:
        """Sentences citing the document's other sources, in varied forms."""
        r = self.rng
        out: list[str] = []
        extras = [self.doc(i) for i in self.d.extras]
        if not extras and self.d.primary is None:
            extras = [self.external()]
        by_type: dict[tuple[str, str, str], list[Doc]] = {}
        for c in extras:
            by_type.setdefault((c.type_id, c.issuer_id, c.level), []).append(c)
        done: set[int] = set()
        for group in by_type.values():
            if len(group) >= 2 and r.random() < 0.7:
                out.append(self.cite_list(group))
                done |= {c.idx for c in group}
        for c in extras:
            if c.idx in done:
                continue
            out.append(self.cite_one(c))
        r.shuffle(out)
        return out

    def cite_list(self, group: list[Doc]) -> str:
        r = self.rng
        group = group[:4]
        rel, verb = r.choice([("disseminates", "Quán triệt"), ("implements", "Thực hiện"),
                              ("continues", "Tiếp tục thực hiện có hiệu quả")])
        tv = type_vi(group[0].type_id)
        nums = [f"số {self.sym(c)}" for c in group]
        for c in group:
            self._relate(c, rel, "list")
        listed = ", ".join(nums[:-1]) + " và " + nums[-1]
        tail = ""
        if r.random() < 0.6:
            first = group[0]
            tail = f" của {self.issuer_text(first)}"
            for c in group:
                g = self._g(c)
                g["issuer"], g["issuer_id"] = g["issuer"] or self.issuer_text(c), c.issuer_id
        colon = ":" if r.random() < 0.5 else ""
        return f"{verb} các {tv}{colon} {listed}{tail}; {self.fill(r.choice(FILLER[7:16])).lower()}"

    def cite_one(self, c: Doc) -> str:
        r = self.rng
        k = r.randrange(12)
        tail = r.choice(["full", "full", "date", "issuer", "none"])
        if k == 0:
            return f"Căn cứ {self.mention(c, 'basedOn', 'can-cu', tail)};"
        if k == 1:
            return f"Tiếp tục quán triệt, thực hiện {self.mention(c, 'continues', 'plain', tail)}."
        if k == 2:
            return (f"Quán triệt sâu sắc {self.mention(c, 'disseminates', 'plain', tail)} đến toàn thể cán bộ, "
                    f"đảng viên.")
        if k == 3:
            return f"Việc triển khai phải gắn với {self.mention(c, 'alignedWith', 'plain', tail)}."
        if k == 4:
            m = self.mention(c, "alignedWith", "plain", tail)
            return f"Theo tinh thần {m}, {self.fill(r.choice(FILLER[7:16])).lower()}"
        if k == 5:  # date and issuer before the citation
            g = self._relate(c, "mentions", "date-before")
            g["date"], g["issuer"], g["issuer_id"] = c.date, self.issuer_text(c), c.issuer_id
            return (f"Ngày {self.date_text(c.date)}, {g['issuer']} ban hành {type_vi(c.type_id)} số {self.sym(c)} "
                    f"{self.subject(c)}.")
        if k == 6:
            m = self.mention(c, "implements", "plain", tail)
            return f"Sau một thời gian thực hiện {m}, {self.fill(r.choice(FILLER[:7])).lower()}"
        if k == 7:
            m = self.mention(c, "reviews", "plain", tail)
            return f"Tổng kết việc thực hiện {m} cho thấy {self.fill(r.choice(FILLER[18:22])).lower()}"
        if k == 8 and c.level != "state":  # type word apart from the symbol
            g = self._relate(c, "implements", "type-apart")
            g["issuer"], g["issuer_id"], g["date"] = self.issuer_text(c), c.issuer_id, c.date
            return (f"Thực hiện {type_vi(c.type_id)} của {g['issuer']} số {self.sym(c)} ngày "
                    f"{self.date_text(c.date)}, {self.fill(r.choice(FILLER[7:16])).lower()}")
        if k == 9:
            return f"Triển khai thực hiện {self.mention(c, 'implements', 'plain', tail)}."
        if k == 10:
            return f"Cụ thể hóa {self.mention(c, 'concretizes', 'plain', tail)} bằng các chương trình, kế hoạch cụ thể."
        self.assignments.append({"lead": "Các cấp ủy", "coordinators": [], "kind": "assignment",
                                 "deadline_text": None, "deadline": None, "recurrence": None})
        return f"Các cấp ủy tổ chức thực hiện nghiêm túc {self.mention(c, 'implements', 'plain', tail)}."

    def external(self) -> Doc:
        """A central document outside the corpus, for a document that cites nothing in it."""
        r = self.rng
        day = self.d.day - dt.timedelta(days=r.randint(200, 4000))
        day = max(day, dt.date(1987, 1, 5))
        code = r.choice(["NQ", "CT"])
        c = Doc(-1 - len(self.extern), "central", code, "nghi-quyet" if code == "NQ" else "chi-thi",
                r.choice(["ban-chap-hanh-trung-uong", "bo-chinh-tri"]) if code == "NQ" else "bo-chinh-tri",
                day.isoformat(), topic=r.randrange(len(TOPICS)), term=term_of(day).roman, issuer_code="TW")
        c.number = f"{r.randint(1, 60):02d}"
        c.symbol = f"{c.number}-{code}/TW"
        self.extern[c.idx] = c
        return c

    def follow_ups(self) -> list[str]:
        """Number-only references to documents already named in full."""
        out = []
        for i in list(self.order):
            c = self.doc(i)
            if self.rng.random() < 0.35:
                n = self.number_only(c)
                if not n:
                    continue
                rel, frame = self.rng.choice(_FOLLOW_UPS)
                if frame.startswith("Các cấp ủy"):
                    self.assignments.append({"lead": "Các cấp ủy, tổ chức đảng", "coordinators": [],
                                             "kind": "assignment", "deadline_text": None, "deadline": None,
                                             "recurrence": None})
                self._relate(c, rel, "number-only")
                out.append(frame.format(n=n, boss=self.boss()))
        return out

    def signer(self) -> list[str]:
        d, r = self.d, self.rng
        if d.level == "central":
            a, b = CENTRAL_SIGNER[d.issuer_id]
            return [a, b, "", self.person()]
        if d.level == "state":
            if d.issuer_id == "chinh-phu":
                return ["TM. CHÍNH PHỦ", "THỦ TƯỚNG", "", self.person()]
            if d.issuer_id == "thu-tuong-chinh-phu":
                return (["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"] if r.random() < 0.5 else ["THỦ TƯỚNG"]) + ["", self.person()]
            return ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "", self.person()]
        if d.issuer_id == "tinh-uy":
            block = [f"T/M {self.c.upper()}", r.choice(["BÍ THƯ", "PHÓ BÍ THƯ"])]
        elif d.issuer_id == "huyen-uy":
            block = ["T/M HUYỆN ỦY", "BÍ THƯ"]
        elif d.issuer_id == "thuong-truc-tinh-uy":
            block = [f"T/M THƯỜNG TRỰC {self.c.upper()}", "PHÓ BÍ THƯ THƯỜNG TRỰC"]
        else:
            block = ["T/M BAN THƯỜNG VỤ", r.choice(["BÍ THƯ", "PHÓ BÍ THƯ", "PHÓ BÍ THƯ"])]
        return [*block, "", self.person()]

    def recipients(self) -> list[str]:
        d = self.d
        if d.level == "district":
            rows = ["Ban Thường vụ Tỉnh ủy (b/c),", "Thường trực Huyện ủy,", "Các ban xây dựng Đảng Huyện ủy,",
                    "Các đảng bộ, chi bộ trực thuộc,", "Lưu Văn phòng Huyện ủy."]
        elif d.level == "province":
            rows = ["Ban Bí thư (b/c),", "Văn phòng Trung ương Đảng,", f"Các đồng chí {self.c} viên,",
                    "Các huyện ủy, thành ủy, đảng ủy trực thuộc,", f"Các ban, sở, ngành, đoàn thể {self.u},",
                    f"Lưu Văn phòng {self.c}."]
        elif d.level == "central":
            rows = ["Các tỉnh ủy, thành ủy,", "Các ban đảng, ban cán sự đảng, đảng đoàn,",
                    "Các đảng ủy trực thuộc Trung ương,", "Các đồng chí Ủy viên Ban Chấp hành Trung ương Đảng,",
                    "Lưu Văn phòng Trung ương Đảng."]
        else:
            rows = ["Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;",
                    "HĐND, UBND các tỉnh, thành phố trực thuộc Trung ương;", "Văn phòng Trung ương Đảng;",
                    "Lưu: VT."]
        return ["Nơi nhận:", *(f"- {x}" for x in rows)]

    def body(self) -> list[str]:
        d, r = self.d, self.rng
        cites = self.cite_extras()
        basis = [x for x in cites if x.startswith("Căn cứ")]
        cites = [x for x in cites if not x.startswith("Căn cứ")]
        paras = basis + self.opening()
        pool = self.bodies()
        n_assign = r.randint(2, min(10, len(pool)))
        leads = r.sample(pool, n_assign)
        target = r.randint(2400, 9500)
        if d.code == "BC":
            heads = ["KẾT QUẢ THỰC HIỆN", "HẠN CHẾ, NGUYÊN NHÂN", "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"]
        elif d.code in ("CT", "TB", "CV", "KL"):
            heads = []
        else:
            heads = ["MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ, GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN"]
        blocks: list[list[str]] = [[], []]
        for k, cs in enumerate(cites):
            blocks[k % 2].append(cs)
        size = sum(map(len, paras)) + sum(map(len, cites)) + 900 + 190 * n_assign
        order = list(range(len(FILLER)))
        r.shuffle(order)
        fi = 0
        while size < target:
            para = " ".join(self.fill(FILLER[order[(fi + j) % len(order)]]) for j in range(r.randint(2, 4)))
            fi += 4
            blk = blocks[r.randrange(2)]
            blk.insert(r.randint(0, len(blk)), para)
            size += len(para)
        self.item_no = 0
        assigns = [self.assignment(lead, pool) for lead in leads] + self.follow_ups()
        out = list(paras)
        numbered = [r.random() < 0.5, r.random() < 0.6]
        if not heads:
            out += blocks[0] + blocks[1]
            if r.random() < 0.5:
                out.append(f"{self.boss() if d.level != 'province' else self.own_issuer()} yêu cầu:")
            out += assigns
        else:
            for k, head in enumerate(heads):
                out.append(f"{_ROMAN[k]}- {head}" if r.random() < 0.5 else f"{_ROMAN[k]}. {head}")
                if k < 2:
                    items = blocks[k]
                    out += [self.style.format(n=j + 1) + it if numbered[k] and "- " not in self.style[:2] else it
                            for j, it in enumerate(items)]
                else:
                    out += assigns
        closing = {"CT": "Chỉ thị này được phổ biến đến chi bộ.", "NQ": "Nghị quyết này được phổ biến đến chi bộ.",
                   "KH": "Kế hoạch này được triển khai đến chi bộ."}.get(d.code)
        if closing:
            out.append(closing)
        return out

    def render(self) -> tuple[str, dict]:
        d, r = self.d, self.rng
        self.received = None
        lines = self.header()
        lines.append("")
        title = self.title()
        tv = type_vi(d.type_id)
        if d.code == "CV":
            lines += [f"V/v {title[3:] if title.startswith('về ') else title}", ""]
            kg = ("Các huyện ủy, thành ủy, đảng ủy trực thuộc" if d.level == "province"
                  else "Các đảng ủy, chi bộ trực thuộc")
            lines += [f"Kính gửi: {kg}", ""]
        else:
            lines.append(tv.upper())
            if d.level == "province" and d.code in ("CT", "NQ", "TB") and r.random() < 0.7:
                lines.append(f"CỦA {self.own_issuer().upper()}")
            lines += gen_noise.wrap(title, r)
            lines.append("")
        lines += [x for p in self.body() for x in (p, "")]
        lines += self.recipients()
        lines.append("")
        lines += self.signer()
        text = "\n".join(lines) + "\n"
        text = gen_noise.apply(text, self.noise, r)
        gold_doc = {"symbol": d.symbol, "number": d.number, "type": tv, "date": d.date, "issuer_id": d.issuer_id,
                    "issuer": self.own_issuer(), "province": d.province, "district": d.district, "level": d.level,
                    "term": d.term, "title": title, "received": self.received}
        cits = [self.cits[i] for i in self.order]
        return text, {"document": gold_doc, "citations": cits, "assignments": self.assignments}
