"""Names and word lists for the synthetic corpus (bench/generate.py).

Domain facts (types, codes, provinces, terms, relation verbs) come from ``src/docgraph/data/*.json``;
the word lists below (district syllables, people, topics, sentence frames) are invented but follow the
layout of the real seeds in ``data/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _load(name: str) -> dict:
    return json.loads((resources.files("docgraph") / "data" / name).read_text(encoding="utf-8"))


def fold(s: str) -> str:
    """Lower case without diacritics ("Tỉnh ủy" -> "tinh uy")."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def stable_int(*parts: object) -> int:
    """A hash of the parts that does not depend on PYTHONHASHSEED."""
    h = hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=8)
    return int.from_bytes(h.digest(), "big")


@dataclass(frozen=True)
class Province:
    name: str
    kind: str  # tỉnh / thành phố
    until: dt.date | None

    @property
    def is_city(self) -> bool:
        return self.kind == "thành phố"

    @property
    def committee(self) -> str:
        return "Thành ủy" if self.is_city else "Tỉnh ủy"

    @property
    def unit(self) -> str:
        return "thành phố" if self.is_city else "tỉnh"


@dataclass(frozen=True)
class Term:
    roman: str
    start: dt.date
    end: dt.date  # congress closing day
    next_start: dt.date | None


@cache
def provinces() -> tuple[Province, ...]:
    out = []
    for p in _load("provinces.json")["provinces"]:
        if p.get("since"):
            continue
        until = dt.date.fromisoformat(p["until"]) if p.get("until") else None
        out.append(Province(p["name"], p["kind"], until))
    return tuple(out)


@cache
def party_terms() -> tuple[Term, ...]:
    out = []
    for t in _load("party_terms.json")["terms"]:
        nxt = t.get("next_congress_start")
        out.append(Term(t["roman"], dt.date.fromisoformat(t["congress_start"]),
                        dt.date.fromisoformat(t["congress_end"]), dt.date.fromisoformat(nxt) if nxt else None))
    return tuple(out)


def term_of(d: dt.date) -> Term:
    """The Central Committee term (khóa) a central document of date ``d`` belongs to."""
    for t in party_terms():
        if t.end < d and (t.next_start is None or d < t.next_start):
            return t
    return party_terms()[-1]


def in_congress(d: dt.date) -> bool:
    return any(t.start <= d <= t.end for t in party_terms())


@cache
def relation_phrases() -> dict[str, tuple[str, int]]:
    """relation -> (first phrase, priority)."""
    return {r["relation"]: (r["phrases"][0] if r["phrases"] else "", r["priority"])
            for r in _load("relations.json")["relations"]}


def priority(relation: str) -> int:
    return relation_phrases().get(relation, ("", 0))[1]


@cache
def doctype_names() -> dict[str, str]:
    """type id -> Vietnamese name, from doctypes.json."""
    return {t["id"]: t["vi"] for t in _load("doctypes.json")["types"]}


@cache
def body_names() -> dict[str, str]:
    return {b["id"]: b["name"] for b in _load("bodies.json")["bodies"]}


# --- types used by the generator: code -> (type id, TYPE line) ---------------------------------------
PARTY_TYPES = {
    "NQ": "nghi-quyet", "KL": "ket-luan", "CT": "chi-thi", "TB": "thong-bao", "QĐ": "quy-dinh",
    "KH": "ke-hoach", "CV": "cong-van", "BC": "bao-cao", "CTr": "chuong-trinh", "HD": "huong-dan",
}
STATE_TYPES = {"NĐ": "nghi-dinh", "CT": "chi-thi", "QĐ": "quyet-dinh", "TT": "thong-tu"}


def type_vi(type_id: str) -> str:
    return doctype_names()[type_id]


# --- central bodies ----------------------------------------------------------------------------------
CENTRAL_ISSUERS = {  # type code -> [(body id, weight)]
    "NQ": [("ban-chap-hanh-trung-uong", 3), ("bo-chinh-tri", 2)],
    "KL": [("bo-chinh-tri", 3), ("ban-bi-thu", 2)],
    "CT": [("bo-chinh-tri", 2), ("ban-bi-thu", 2)],
    "TB": [("ban-bi-thu", 3), ("bo-chinh-tri", 1)],
    "QĐ": [("bo-chinh-tri", 2), ("ban-bi-thu", 1), ("ban-chap-hanh-trung-uong", 1)],
}
# how a text names a central issuer (body id -> spellings)
CENTRAL_SPELLINGS = {
    "ban-chap-hanh-trung-uong": ["Ban Chấp hành Trung ương Đảng", "Ban Chấp hành Trung ương", "Trung ương Đảng"],
    "bo-chinh-tri": ["Bộ Chính trị"],
    "ban-bi-thu": ["Ban Bí thư", "Ban Bí thư Trung ương Đảng"],
}
CENTRAL_HEADER = {
    "ban-chap-hanh-trung-uong": "BAN CHẤP HÀNH TRUNG ƯƠNG",
    "bo-chinh-tri": "BỘ CHÍNH TRỊ",
    "ban-bi-thu": "BAN BÍ THƯ",
}
CENTRAL_SIGNER = {
    "ban-chap-hanh-trung-uong": ("T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "TỔNG BÍ THƯ"),
    "bo-chinh-tri": ("T/M BỘ CHÍNH TRỊ", "TỔNG BÍ THƯ"),
    "ban-bi-thu": ("T/M BAN BÍ THƯ", "THƯỜNG TRỰC BAN BÍ THƯ"),
}
CENTRAL_TASKED = [
    "Ban Tổ chức Trung ương", "Ban Tuyên giáo Trung ương", "Ban Dân vận Trung ương", "Văn phòng Trung ương Đảng",
    "Ủy ban Kiểm tra Trung ương", "Ban Nội chính Trung ương", "Ban Kinh tế Trung ương", "Đảng đoàn Quốc hội",
    "Ban cán sự đảng Chính phủ", "Đảng đoàn Mặt trận Tổ quốc Việt Nam",
]
# State: (issuer body id, name, type code, code after the type, needs year)
MINISTRIES = [
    ("bo-noi-vu", "Bộ Nội vụ", "BNV"), ("bo-tai-chinh", "Bộ Tài chính", "BTC"),
    ("bo-giao-duc-va-dao-tao", "Bộ Giáo dục và Đào tạo", "BGDĐT"), ("bo-y-te", "Bộ Y tế", "BYT"),
    ("bo-tu-phap", "Bộ Tư pháp", "BTP"), ("bo-thong-tin-va-truyen-thong", "Bộ Thông tin và Truyền thông", "BTTTT"),
    ("bo-lao-dong-thuong-binh-va-xa-hoi", "Bộ Lao động - Thương binh và Xã hội", "BLĐTBXH"),
    ("bo-ke-hoach-va-dau-tu", "Bộ Kế hoạch và Đầu tư", "BKHĐT"),
]
STATE_TASKED = [
    "Bộ Nội vụ", "Bộ Tài chính", "Bộ Kế hoạch và Đầu tư", "Bộ Thông tin và Truyền thông", "Bộ Tư pháp",
    "Văn phòng Chính phủ", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
]

# --- provincial and district bodies (names relative to the province: "Tỉnh ủy" / "Thành ủy") ---------
# (name template, body id); {c} = Tỉnh ủy / Thành ủy, {u} = tỉnh / thành phố, {p} = province name
PROVINCE_TASKED = [
    ("Ban Tổ chức {c}", "ban-to-chuc-tinh-uy"), ("Ban Tuyên giáo {c}", "ban-tuyen-giao-tinh-uy"),
    ("Ban Dân vận {c}", "ban-dan-van-tinh-uy"), ("Ủy ban Kiểm tra {c}", "uy-ban-kiem-tra-tinh-uy"),
    ("Văn phòng {c}", "van-phong-tinh-uy"), ("Ban Nội chính {c}", "ban-noi-chinh-tinh-uy"),
    ("Ban cán sự đảng Ủy ban nhân dân {u}", "ban-can-su-dang-ubnd-tinh"),
    ("Đảng đoàn Hội đồng nhân dân {u}", "dang-doan-hdnd-tinh"),
    ("Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam {u}", "dang-doan-mttq-tinh"),
    ("Sở Nội vụ", "so-noi-vu"), ("Sở Tài chính", "so-tai-chinh"),
    ("Sở Thông tin và Truyền thông", "so-thong-tin-va-truyen-thong"),
    ("Sở Giáo dục và Đào tạo", "so-giao-duc-va-dao-tao"), ("Sở Y tế", "so-y-te"),
    ("Báo {p}", "bao-tinh"), ("Đài Phát thanh và Truyền hình {u}", "dai-phat-thanh-va-truyen-hinh-tinh"),
    ("Tỉnh đoàn", "tinh-doan"), ("Hội Nông dân {u}", "hoi-nong-dan-tinh"),
    ("Hội Liên hiệp Phụ nữ {u}", "hoi-lien-hiep-phu-nu-tinh"), ("Công an {u}", "cong-an-tinh"),
    ("Bộ Chỉ huy Quân sự {u}", "bo-chi-huy-quan-su-tinh"), ("Trường Chính trị {u}", "truong-chinh-tri-tinh"),
]
# after the 2025 mergers of Party advisory bodies
PROVINCE_TASKED_2025 = [
    ("Ban Tổ chức {c}", "ban-to-chuc-tinh-uy"), ("Ban Tuyên giáo và Dân vận {c}", "ban-tuyen-giao-va-dan-van-tinh-uy"),
    ("Ủy ban Kiểm tra {c}", "uy-ban-kiem-tra-tinh-uy"), ("Văn phòng {c}", "van-phong-tinh-uy"),
    ("Ban Nội chính {c}", "ban-noi-chinh-tinh-uy"), ("Đảng ủy Ủy ban nhân dân {u}", "dang-uy-ubnd-tinh"),
    ("Đảng ủy các cơ quan Đảng {u}", "dang-uy-cac-co-quan-dang-tinh"), ("Sở Nội vụ", "so-noi-vu"),
    ("Sở Tài chính", "so-tai-chinh"), ("Báo {p}", "bao-tinh"), ("Công an {u}", "cong-an-tinh"),
]
DISTRICT_TASKED = [
    ("Ban Tổ chức Huyện ủy", "ban-to-chuc-huyen-uy"), ("Ban Tuyên giáo Huyện ủy", "ban-tuyen-giao-huyen-uy"),
    ("Ban Dân vận Huyện ủy", "ban-dan-van-huyen-uy"), ("Ủy ban Kiểm tra Huyện ủy", "uy-ban-kiem-tra-huyen-uy"),
    ("Văn phòng Huyện ủy", "van-phong-huyen-uy"), ("Ủy ban nhân dân huyện", "ubnd-huyen"),
    ("Hội đồng nhân dân huyện", "hdnd-huyen"), ("Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "uy-ban-mttq-huyen"),
    ("Đảng ủy các xã, thị trấn", "dang-uy-xa"), ("Ủy ban nhân dân các xã, thị trấn", "ubnd-xa"),
]
COORD_EXTRA = ["các cơ quan liên quan", "các cơ quan, đơn vị có liên quan", "các địa phương", "các ngành liên quan"]

# --- districts: two invented syllables per name, fixed per province ---------------------------------
_SYLLABLES = (
    "An Bình Phú Thạnh Long Tân Vĩnh Đức Thuận Lộc Xuân Quang Hưng Mỹ Châu Sơn Thanh Hải Đông Tây Kỳ Cẩm "
    "Hương Nghi Diễn Quỳnh Triệu Gio Lệ Thủy Hoài Tuy Bảo Văn Lục Chi Lăng Cao Lạc Kim Gia Trà Cát Phước "
    "Hiệp Định Thới Trung Lâm Đại Quế Tiên Hoằng Nga Thọ Như Ngọc Thạch Can Lý Khánh Hồng Tam Phong Điền "
    "Minh Thái Phù Cừ Linh Đan Phượng Chương Ba Vì Sóc Từ Liêm Thường Tín Mường Lát Quan Hóa Khê Nhơn "
    "Dương Hàm Yên Lập Đoan Hùng Cẩm Giàng Kinh Môn Tứ Kỳ Ân Thi Tiền Hải Vụ Bản Giao Thủy"
).split()
_PROVINCE_WORDS = {w for p in provinces() for w in fold(p.name).replace("-", " ").split()}
_PROVINCE_FOLDED = [fold(p.name) for p in provinces()]


@cache
def districts(province: str) -> tuple[str, ...]:
    """6-14 invented district names ("Hương Khê"), fixed per province, never a province's name."""
    h = stable_int("districts", province)
    n = 6 + h % 9
    out: list[str] = []
    k = 0
    while len(out) < n:
        a = _SYLLABLES[stable_int(province, k, "a") % len(_SYLLABLES)]
        b = _SYLLABLES[stable_int(province, k, "b") % len(_SYLLABLES)]
        k += 1
        name = f"{a} {b}"
        if a == b or name in out or {fold(a), fold(b)} <= _PROVINCE_WORDS:
            continue
        fn = fold(name)
        if any(fn in fp or fp in fn for fp in _PROVINCE_FOLDED):
            continue
        out.append(name)
    return tuple(out)


FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lương Mai".split()
MIDDLE = "Văn Thị Hữu Đức Minh Quốc Thanh Ngọc Xuân Công Đình Mạnh Thế Hồng Kim".split()
GIVEN = ("Hùng Tuấn Dũng Hòa Nam Hải Long Sơn Thắng Bình Lan Hương Hà Trung Quang Phúc Thành Cường Khoa Tâm "
         "Hiếu Lâm Vinh Toàn Huy Nga Thảo Phong Tùng Kiên").split()

# --- topics (what a document is about) -------------------------------------------------------------
TOPICS = [
    "tăng cường sự lãnh đạo của Đảng đối với công tác phòng, chống tham nhũng, lãng phí, tiêu cực",
    "đẩy mạnh chuyển đổi số trong các cơ quan của hệ thống chính trị",
    "tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả",
    "tăng cường công tác dân vận trong tình hình mới",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "đổi mới và tăng cường sự lãnh đạo của Đảng đối với các hội quần chúng",
    "xây dựng nông thôn mới gắn với phát triển kinh tế - xã hội bền vững",
    "bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch",
    "phát triển đảng viên trong doanh nghiệp ngoài khu vực nhà nước",
    "tăng cường công tác bảo vệ môi trường và ứng phó với biến đổi khí hậu",
    "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "công tác cán bộ và quản lý đội ngũ cán bộ trong tình hình mới",
    "phát triển văn hóa, xây dựng con người Việt Nam đáp ứng yêu cầu phát triển bền vững đất nước",
    "đổi mới căn bản, toàn diện giáo dục và đào tạo",
    "tăng cường công tác bảo vệ, chăm sóc và nâng cao sức khỏe Nhân dân",
    "xây dựng và phát huy vai trò của đội ngũ trí thức",
    "tăng cường sự lãnh đạo của Đảng đối với công tác giảm nghèo bền vững",
    "công tác kiểm tra, giám sát và kỷ luật của Đảng",
    "tiếp tục thực hiện thắng lợi chính sách dân tộc trong tình hình mới",
    "phát huy vai trò của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
    "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    "tăng cường công tác quốc phòng, an ninh ở cơ sở",
    "đẩy mạnh cải cách hành chính, cải thiện môi trường đầu tư kinh doanh",
    "nâng cao hiệu quả công tác tiếp công dân, giải quyết khiếu nại, tố cáo",
    "tăng cường công tác thông tin đối ngoại",
    "xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh",
    "phát triển kinh tế tập thể, hợp tác xã trong giai đoạn mới",
    "đẩy mạnh công tác phòng, chống ma túy",
    "tăng cường sự lãnh đạo của Đảng đối với công tác an toàn giao thông",
    "công tác tôn giáo trong tình hình mới",
    "thực hành tiết kiệm, chống lãng phí trong các cơ quan, đơn vị",
    "công tác đào tạo, bồi dưỡng lý luận chính trị cho cán bộ, đảng viên",
    "phát triển du lịch trở thành ngành kinh tế mũi nhọn",
    "tăng cường công tác bảo vệ chính trị nội bộ",
    "đẩy mạnh công tác tuyên truyền biển, đảo",
    "hoàn thiện thể chế, chính sách về đất đai",
    "kiểm soát quyền lực trong công tác cán bộ",
    "công tác thanh niên trong thời kỳ đẩy mạnh công nghiệp hóa, hiện đại hóa",
    "tăng cường công tác dân số trong tình hình mới",
    "phát triển thể chất, thể thao cho thanh, thiếu niên",
]
