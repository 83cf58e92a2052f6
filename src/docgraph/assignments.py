"""Stage 2c: responsibility assignments — who must do what, with whom, by when, reporting to whom.

Forms read (on the normalized text and its folded shadow):

- ``[Giao [cho]] X chủ trì[,] phối hợp [với|giữa] Y, Z … <task>`` (also ``X chủ trì, Y phối hợp …``,
  ``Chủ trì, phối hợp …`` with the paragraph's subject, ``X …; đồng thời, chủ trì …`` and
  ``A lãnh đạo B chủ trì …``, where B leads);
- ``X có trách nhiệm | chịu trách nhiệm | có nhiệm vụ <task>``; ``[Ban Thường vụ …] giao [cho] X <task>``;
- ``X <task verb> …`` as an item, or as a sentence that opens with a body;
- numbered or bulleted items whose first words are a body (``2- Ban cán sự đảng UBND tỉnh …``), and
  items under a list header whose subject they inherit (``Các cấp ủy, tổ chức đảng …:``);
- several tasks in one sentence, each ``;``-clause with a body of its own starting a new assignment;
- table lines ``Cơ quan chủ trì: X`` / ``Cơ quan phối hợp: Y`` / ``Thời gian hoàn thành: …`` under a task;
- ``Đề nghị | Yêu cầu X <task>`` (also after the issuer: ``Ban Thường vụ Tỉnh ủy đề nghị X …``) as a
  request; items under a header that ``đề nghị``s are requests, items under the ``… yêu cầu:`` that frames
  a directive's numbered points are assignments.

Not assignments: chairing an event (``chủ trì hội nghị | cuộc họp | buổi làm việc …``, ``dưới sự chủ trì
của``, ``đồng chủ trì``, ``Hội nghị do … chủ trì``), a person chairing (``Đồng chí … chủ trì``), past or
ongoing events (``đã | vừa | đang chủ trì``, ``X đã …``, sentences opening with ``Sáng 12/3,``) and
membership lists (``… gồm các đồng chí:``). Deadlines and report-to are read from the assignment's clauses.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .bodies import BodyMatch, all_body_spans, body_at
from .deadlines import find_deadline, report_frequency
from .model import Assignment, Deadline, Mention
from .normalize import Normalized
from .phrase_regex import for_text, phrase_alternation
from .sentences import split_sentences
from .textfold import fold

# verbs that start a task (folded); noun phrases that contain some of them are excluded below
_VERBS = (
    "lanh dao", "chi dao", "xay dung", "tang cuong", "to chuc", "trien khai", "thuc hien", "theo doi", "don doc",
    "kiem tra", "ra soat", "tham muu", "huong dan", "tuyen truyen", "day manh", "nghien cuu", "ban hanh",
    "quan tam", "phoi hop", "chu dong", "bao dam", "dam bao", "giam sat", "xem xet", "bo tri", "cung co",
    "doi moi", "nang cao", "tao dieu kien", "quan ly", "phat huy", "chu tri", "co trach nhiem",
    "chiu trach nhiem", "co nhiem vu", "thuong xuyen", "kip thoi", "tap trung", "de xuat", "phan cong",
    "tiep tuc", "quan triet", "cu the hoa", "bao cao", "lam tot", "nam chac", "tich cuc", "ung dung",
    "can cu", "chuan bi", "tong hop", "trinh", "sap xep", "kien toan", "danh gia", "so ket", "tong ket",
    "phan dau", "hoan thanh", "trien khai thuc hien", "tap hop", "van dong", "cham lo", "thong tin",
    "phat dong", "bo sung", "sua doi", "phe duyet", "hoan thien", "tham gia", "pho bien", "giai quyet",
    "de ra", "lua chon", "ho tro", "khuyen khich", "uu tien", "chu trong", "tham dinh", "xu ly", "thanh tra",
    "cung cap", "bien soan", "duy tri", "khao sat", "tap huan", "boi duong", "dao tao", "gioi thieu",
    "lam dau moi", "giup", "phan anh", "nam bat", "the che hoa", "khan truong", "nghiem tuc", "quyet liet",
    "tiep nhan", "cap nhat", "tham du", "cu can bo", "ky ket", "thong nhat", "xac dinh", "mo", "mo rong",
    "nam tinh hinh", "nam vung", "tiep xuc", "doi thoai", "phat hien", "biet duong", "khen thuong", "vinh danh",
)
_NOUN_EXCEPTIONS = (
    r"to chuc\s+(?:co lien quan|lien quan|chinh tri|thanh vien|hoi(?!\s+(?:thi|nghi|thao|dien|giang|cho|trai))|dang|"
    r"doan the|bo may|co so|xa hoi)",
    r"to chuc\s*(?=,|\s+va\s|\s*$)",
    r"tham muu,?\s+giup viec",
    r"giup viec",
    r"thong tin\s+va\s+truyen thong",
    r"thong tin\s+dien tu",
    r"tuyen truyen\s*,?\s*van dong",
    r"quan ly\s+(?:cac\s+)?(?:khu|du an)",
    r"thanh tra\s+(?:tinh|huyen|chinh phu|so)(?![\w])",
    r"mo\s+hinh",
)
_VERB_ALT = phrase_alternation(set(_VERBS))
# a verb right after "ban " is part of a board's name: "Ban Chỉ đạo", "Ban Quản lý"
_VERB = rf"(?<!ban )(?!{'|'.join(_NOUN_EXCEPTIONS)})(?:{_VERB_ALT})(?![\w])"
_VERB_RE = re.compile(rf"(?<![\w]){_VERB}")
# the same with the non-word character before the verb matched rather than looked behind for: the regex engine
# then tries only the offsets after a space or a mark (a fifth of a text), for the whole text's verbs. Every verb
# ends with a letter, so the next one never starts right where one ends (as phrase_regex.word_matches allows
# for, at the cost of matching each verb twice)
_VERB_SCAN = re.compile(rf"\W{_VERB}")
_VERB_OR_DE_RE = re.compile(_VERB_RE.pattern + r"|(?<![\w])de(?=\s)")
_CUT_RE = re.compile(_VERB_RE.pattern + r"|(?<![\w])(?:giao(?:\s+cho)?|de nghi|yeu cau)(?![\w])")

_ITEM_RE = re.compile(r"\s*(?:\d{1,2}\s*[.)\-–]\s*|[a-zđ]\)\s*|[-–•+*]\s+)")
_HEADING_RE = re.compile(r"\s*(?:[IVX]{1,4}\s*[.\-–]\s|[A-ZĐ ]{6,}$)")
_END_OF_BODY = re.compile(r"\s*(?:noi nhan|t/m|k/t|tm\.|kt\.)")

_CHU_TRI = re.compile(r"(?<![\w])chu tri(?![\w])")
_AS_LEAD = re.compile(r"(?:la|lam)\s+(?:co quan|don vi)\s*$")  # "X là cơ quan chủ trì"
_NOUN_CHU_TRI = re.compile(r"(?:co quan|don vi|vai tro|su|dong)\s*$")  # "cơ quan chủ trì:", "đồng chủ trì"
_MEETING_NOUN = (
    r"(?:cac\s+|buoi\s+|cuoc\s+|phien\s+|ky\s+)?(?:hoi nghi|hoi thao|toa dam|dien dan|dai hoi|giao ban|"
    r"hop(?:\s+(?:ban|voi|bao|mat|tong|thuong|dinh))?|lam viec|gap mat|gap go|doi thoai|tiep xuc|le|"
    r"tiep(?!\s+(?:tuc|nhan|can|thu|thi))|phien|ky hop|buoi|cuoc hop|cuoc lam viec)(?![\w])"
)
_MEETING = re.compile(rf"chu tri\s*(?:,\s*|va\s+)?(?:(?:dieu hanh|dieu khien|chi dao)\s*(?:,\s*|va\s+)?)?"
                      rf"{_MEETING_NOUN}|chu tri\s+va\s+(?:phat bieu|ket luan|dieu hanh)")
_PASSIVE_CHAIR = re.compile(r"duoi su chu tri|dong chu tri|(?<![\w])do\s+[^,;.:]{1,90}?\s+chu tri(?!\s*,?\s*phoi hop)")
_PAST_CHAIR = re.compile(r"(?<![\w])(?:đã|vừa|đang)\s+(?:\w+\s+)?chủ trì")  # on the lower-cased text
_TIME_OPENING = re.compile(r"\s*(?:(?:sang|chieu|toi|trua|dem)\s+(?:nay|qua|\d)|ngay\s+\d{1,2}\s*[/-]\s*\d{1,2}"
                           r"(?:\s*[/-]\s*\d{4})?\s*,|hom nay|hom qua|vua qua|moi day|tuan qua)")
_MEMBERS = re.compile(r"(?<![\w])(?:gom|bao gom)\s*(?:co\s+)?:?\s*(?:cac\s+)?(?:dong chi|thanh vien|ong|ba)(?![\w])"
                      r"|(?<![\w])thanh phan\s*(?:gom|tham du|du)?\s*:|gom\s*:\s*$")
_PERSON = re.compile(r"\s*(?:cac\s+)?(?:dong chi|d/c|ong|ba)(?![\w])")

_COORD_RE = re.compile(r"\s*(?:,\s*|va\s+)?(?:phoi hop\s*(?:chat che\s*)?(?:voi|giua|cung)?|cung voi)\s*")
_RESP_RE = re.compile(r"(?:co trach nhiem|chiu trach nhiem|co nhiem vu)(?![\w])\s*")
_GOVERN_RE = re.compile(r"\s*(?:(giao)(?:\s+cho)?|(de nghi|yeu cau))\s+(?!:)(?=\S)")
_PREFIX_RE = re.compile(
    r"\s*(?:can cu\s+(?:ke hoach|chi thi|nghi quyet|quyet dinh|cong van|chuong trinh|huong dan)\s+nay\s*,?\s*"
    r"|dong thoi\s*,?\s*|tren co so do\s*,\s*|theo do\s*,\s*|trong do\s*,\s*|ngoai ra\s*,\s*|mat khac\s*,\s*)+"
)
# the issuer's own voice in a list header: the items below are not its tasks
_VOICE_RE = re.compile(r"(?<![\w])(?:danh gia|ket luan|thong nhat|ghi nhan|nhan dinh|quyet dinh|chi dao)(?![\w])")
_ASK_RE = re.compile(r"(?<![\w])(?:yeu cau|de nghi)(?![\w])")
_REPORT_RE = re.compile(r"bao cao\s+(?:ket qua\s+)?(?:thuc hien\s+)?(?:ve\s+|cho\s+|len\s+|voi\s+)?")
_HEADS = (
    r"cap uy|cap|to chuc|co quan|ban|so|nganh|don vi|dia phuong|huyen|thi|thanh|quan|dang|hoi|doan|chi bo|uy ban|"
    r"bo|dai|bao|truong|tinh|xa|phuong|doanh nghiep|luc luong|chi hoi|chi doan|tap the|thu truong|nguoi dung dau|"
    r"trung tam|mat tran|ubnd|hdnd|mttq|dang doan|ban can su|dang uy|dang bo|huyen uy|thanh uy|thi uy|doan the|"
    r"co so|chinh quyen|vien|cuc|chi cuc|ngan hang|cong ty|hoc vien|lanh dao|dong chi"
)
_SUBJECT_START = re.compile(
    rf"(?:cac|moi|tat ca cac|nhung)\s+(?:{_HEADS})(?![\w])"
    r"|(?:ban|uy ban|van phong|so|bao|dai|dang doan|dang uy|dang bo|hoi dong|mat tran|tinh doan|huyen uy|"
    r"thanh uy|thi uy|quan uy|thuong truc|cap uy|chinh quyen|ubnd|hdnd|mttq|bcs|btv|ubkt|doan(?! ket)|"
    r"hoi(?! nghi| thao)|co quan|nganh|tinh uy|ban can su|truong|giam doc|bi thu|cong an|bo chi huy|bo|"
    r"lien doan|thu truong|nguoi dung dau|to cong tac|cong thong tin|vien|trung tam|hoc vien|chi bo|"
    r"thanh tra|ngan hang|kho bac|cuc|chi cuc|chu tich|lanh dao)(?![\w])"
)
# "X là cơ quan thường trực, giúp …", "X theo chức năng, nhiệm vụ tham mưu …": X is the subject
_SUBJECT_TAIL = re.compile(r"\s*,?\s+(?:(?:la|lam)\s+(?:co quan|don vi)|trong\s+pham vi|trong\s+qua trinh"
                           r"|theo\s+(?:chuc nang|chuc trach|nhiem vu|tham quyen))(?![\w])")
_TRAILING_MODAL = re.compile(r"(?:\s+(?:can phai|phai|can|nen|hay|se|duoc giao|truc tiep|cung))+\s*$")
_NARRATIVE_TAIL = re.compile(r"(?:^|\s)(?:đã|vừa|đang|chưa|không|còn|được|luôn|đều|cũng|đã được|đã và đang)\s*$")
_TABLE_LEAD = re.compile(r"\s*(?:co quan|don vi)\s+(?:chu tri|thuc hien|chiu trach nhiem)(?:\s+tham muu)?\s*:\s*")
_TABLE_COORD = re.compile(r"\s*(?:co quan|don vi)\s+phoi hop(?:\s+thuc hien)?\s*:\s*")
_TABLE_TIME = re.compile(r"\s*(?:thoi gian|thoi han)(?:\s+(?:thuc hien|hoan thanh))?\s*:\s*")
_TABLE_OPENING = re.compile(r"\s*(?:co quan|don vi|thoi gian|thoi han)")  # how each of the three opens


@dataclass
class _Ctx:
    para_subject: str | None = None  # the last body a sentence opened with (for "Chủ trì, phối hợp …")
    list_subject: str | None = None  # the subject of the list header the items inherit
    list_kind: str = "assignment"  # "request" under a header that "đề nghị"s
    members: bool = False  # inside a membership list
    prev: tuple[int, int] | None = None  # the previous sentence (the task of a bare "Giao X chủ trì.")
    title: tuple[int, int] | None = None  # the last paragraph that was not a table line
    table: Assignment | None = None  # the assignment of the last "Cơ quan chủ trì:" line


@dataclass
class _Frame:
    """Who leads (as written), where the task starts, with whom, and how it was given."""

    lead: str
    task_start: int
    coordinators: list[str] = field(default_factory=list)
    kind: str = "assignment"
    start: int = 0  # where the assignment's clause starts


class _Reader:
    def __init__(self, norm: Normalized) -> None:
        self.norm = norm
        self.t = norm.text
        self.f = norm.folded
        self._spans: list[tuple[int, int]] | None = None
        self._span_starts: list[int] = []
        self._verbs: tuple[list[int], list[int]] | None = None  # see _found
        self._bodies: dict[int, BodyMatch | None] = {}
        self._subjects: dict[tuple[int, int], tuple[str, int] | None] = {}

    def body_at(self, pos: int) -> BodyMatch | None:
        """:func:`~docgraph.bodies.body_at` of the text, once per offset (a clause start is asked about by
        several readers)."""
        try:
            return self._bodies[pos]
        except KeyError:
            b = self._bodies[pos] = body_at(self.t, self.f, pos)
            return b

    def body_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of the known bodies named inside [start, end) (found once for the whole text)."""
        if self._spans is None:
            self._spans = all_body_spans(self.t, self.f)
            self._span_starts = [s for s, _ in self._spans]
        i = bisect.bisect_left(self._span_starts, start)
        out = []
        while i < len(self._spans) and self._spans[i][0] < end:
            if self._spans[i][1] <= end:
                out.append(self._spans[i])
            i += 1
        return out

    def _in_body(self, pos: int) -> bool:
        self.body_spans(0, 0)  # make sure the spans are known
        i = bisect.bisect_right(self._span_starts, pos) - 1
        return i >= 0 and self._spans is not None and pos < self._spans[i][1]

    def _found(self) -> tuple[list[int], list[int]]:
        """The starts and ends of the task verbs (:data:`_VERB_RE`) of the whole text that are not part of a
        body's name: found once (the extractor asks about thousands of overlapping windows)."""
        if self._verbs is None:
            self.body_spans(0, 0)  # make sure the spans are known
            spans = self._spans or []
            f = self.f
            first = for_text(_VERB_RE, f).match(f, 0)  # what _VERB_RE.finditer(f) finds: at 0, then after
            found = [(0, first.end())] if first else []  # non-word characters
            scan = for_text(_VERB_SCAN, f)
            found += [(m.start() + 1, m.end()) for m in scan.finditer(f, first.end() if first else 0)]
            starts, ends, j, n = [], [], 0, len(spans)
            for p, e in found:  # both in text order: walk the spans along (as _in_body)
                while j < n and spans[j][1] <= p:
                    j += 1
                if j == n or p < spans[j][0]:
                    starts.append(p)
                    ends.append(e)
            self._verbs = starts, ends
        return self._verbs

    def _verb_matches(self, start: int, end: int, rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """The matches of ``rx`` inside [start, end) outside body names. Task verbs come from the text's
        index (a match running past ``end`` is rescanned in the window; matches do not overlap, so it is the
        last one); the patterns asked about a few windows only (:data:`_CUT_RE`, :data:`_VERB_OR_DE_RE`)
        scan just the window."""
        if rx is not _VERB_RE:
            self.body_spans(0, 0)  # make sure the spans are known
            yield from (m for m in rx.finditer(self.f, start, end) if not self._in_body(m.start()))
            return
        starts, ends = self._found()
        i = bisect.bisect_left(starts, start)
        while i < len(starts) and starts[i] < end:
            # cut by the window: what the window alone would read
            m = rx.match(self.f, starts[i], end) if ends[i] > end else rx.match(self.f, starts[i])
            if m is None:
                break
            yield m
            i += 1

    def verbs(self, start: int, end: int, rx: re.Pattern[str] = _VERB_RE) -> list[re.Match[str]]:
        """Task verbs in [start, end) that are not part of a body's name."""
        return list(self._verb_matches(start, end, rx))

    def first_verb(self, start: int, end: int, purpose: bool = False) -> int | None:
        """Offset of the first task verb outside a body name (``purpose``: "để" counts too)."""
        if purpose:
            m = next(self._verb_matches(start, end, _VERB_OR_DE_RE), None)
            return m.start() if m else None
        starts, ends = self._found()  # as _verb_matches, without a generator: asked ~120 times a text
        i = bisect.bisect_left(starts, start)
        if i == len(starts) or starts[i] >= end:
            return None
        if ends[i] > end and _VERB_RE.match(self.f, starts[i], end) is None:
            return None
        return starts[i]

    def is_subject_start(self, pos: int) -> bool:
        return bool(_SUBJECT_START.match(self.f, pos) or self.body_at(pos))

    def subject(self, start: int, end: int) -> tuple[str, int] | None:
        """A body phrase at ``start`` up to the first verb: (subject as written, verb offset). Once per
        window: a sentence's readers ask for the same one (24,601 distinct of 42,581 asked, over 400 texts)."""
        key = (start, end)
        if key not in self._subjects:
            self._subjects[key] = self._subject(start, end)
        return self._subjects[key]

    def _subject(self, start: int, end: int) -> tuple[str, int] | None:
        while start < end and self.f[start] in " ,:":
            start += 1
        if not self.is_subject_start(start):
            return None
        v = self.first_verb(start, end)
        if v is None or v - start > 260 or v == start:
            return None
        raw = self.t[start:v].rstrip(" ,:;")
        if _NARRATIVE_TAIL.search(raw.lower()):
            return None  # "X đã …", "X chưa …", "X được …": a statement, not a task
        tail = _SUBJECT_TAIL.search(self.f, start, start + len(raw))
        raw = raw[: tail.start() - start] if tail else raw
        cut = _TRAILING_MODAL.search(self.f, start, start + len(raw))
        subj = raw[: cut.start() - start] if cut else raw
        if not subj or not (self.body_at(start) or self.f.startswith(("cac", "cap uy"), start)
                            or self.t[start].isupper()):
            return None
        return subj.strip(" ,;:"), v

    def split_bodies(self, start: int, end: int) -> list[str]:
        """ "Ban Tổ chức Tỉnh ủy, các cơ quan, tổ chức có liên quan" -> two names."""
        seg = self.t[start:end]
        fseg = self.f[start:end]
        cuts = [0]
        spans = [(a - start, b - start) for a, b in self.body_spans(start, end)]
        for m in re.finditer(r"\s*[,;]\s*|\s+va\s+", fseg):
            nxt = m.end()
            if any(a < m.start() < b for a, b in spans):
                continue
            b = self.body_at(start + nxt)
            starts_group = fseg.startswith(("cac ", "cac\u00a0"), nxt)
            if b or starts_group or (seg[nxt : nxt + 1].isupper() and not fseg.startswith("tinh", nxt)):
                cuts.append(m.start())
                cuts.append(nxt)
        cuts.append(len(seg))
        names = [seg[cuts[i] : cuts[i + 1]].strip(" ,;:.") for i in range(0, len(cuts), 2)]
        return [" ".join(n.split()) for n in names if n]


# -- sentences that give no task --------------------------------------------------------------


def _chairs_only(r: _Reader, s: int, e: int) -> bool:
    """Every "chủ trì" of the sentence is chairing an event, passive or past: "Đồng chí X chủ trì hội nghị"."""
    if r.f.find("chu tri", s, e) < 0:
        return False  # most sentences: str.find is far cheaper than the pattern
    uses = list(_CHU_TRI.finditer(r.f, s, e))
    if not uses:
        return False
    low = r.t[s:e].lower()
    if _PAST_CHAIR.search(low) or _PASSIVE_CHAIR.search(r.f, s, e):
        return True
    return all(_MEETING.match(r.f, m.start()) or _noun_use(r.f, s, m.start()) for m in uses)


def _noun_use(f: str, start: int, pos: int) -> bool:
    """ "cơ quan chủ trì:", "vai trò chủ trì", "đồng chủ trì" — but "X là cơ quan chủ trì, …" gives a task."""
    return bool(_NOUN_CHU_TRI.search(f, start, pos)) and not _AS_LEAD.search(f, start, pos)


def _not_a_task(r: _Reader, s: int, e: int) -> bool:
    return bool(_chairs_only(r, s, e) or _TIME_OPENING.match(r.f, s) or _members(r.f, s, e))


def _members(f: str, s: int, e: int) -> bool:
    """A membership list opens in [s, e) (every form of :data:`_MEMBERS` has "gom" or "thanh phan", which
    ``str.find`` looks for far faster than the pattern is tried at every offset)."""
    return (f.find("gom", s, e) >= 0 or f.find("thanh phan", s, e) >= 0) and bool(_MEMBERS.search(f, s, e))


# -- reading one clause ------------------------------------------------------------------------


def _strip_prefix(f: str, s: int) -> int:
    m = _PREFIX_RE.match(f, s)
    return m.end() if m else s


def _governed(r: _Reader, start: int, limit: int) -> tuple[str, int] | None:
    """ "Giao [cho] X", "Đề nghị X", "Ban Thường vụ Tỉnh ủy yêu cầu X": (kind, offset of X)."""
    pos = start
    issuer = r.body_at(start)
    if issuer and _GOVERN_RE.match(r.f, issuer.end):
        pos = issuer.end
    m = _GOVERN_RE.match(r.f, pos, limit)
    if not m:
        return None
    return ("assignment" if m.group(1) else "request"), m.end()


def _chu_tri_at(r: _Reader, start: int, limit: int) -> re.Match[str] | None:
    """The first "chủ trì" in [start, limit) that gives a task (not a meeting, not a noun)."""
    if r.f.find("chu tri", start, limit) < 0:
        return None
    for m in _CHU_TRI.finditer(r.f, start, limit):
        if _MEETING.match(r.f, m.start()):
            continue
        if _noun_use(r.f, start, m.start()):
            continue
        return m
    return None


def _lead_before(r: _Reader, start: int, end: int) -> str | None:
    """The body that "chủ trì"s, written in [start, end): the phrase after the last verb or "giao"."""
    t, f = r.t, r.f
    asl = _AS_LEAD.search(f, start, end)
    end = asl.start() if asl else end
    while True:
        region = t[start:end].strip(" ,;:")
        if not region or _NARRATIVE_TAIL.search(region.lower()):
            return None
        cuts = r.verbs(start, end, _CUT_RE)
        if not cuts:
            break
        after = cuts[-1].end()
        while after < end and f[after] in " ,":
            after += 1
        if t[after:end].strip(" ,;:"):
            start = after
            break
        end = cuts[-1].start()  # "X tiếp tục chủ trì", "X có trách nhiệm chủ trì"
    while not r.is_subject_start(start):
        comma = f.find(",", start, end)
        if comma < 0:
            break
        start = comma + 1
        while start < end and f[start] == " ":
            start += 1
    cut = _TRAILING_MODAL.search(f, start, end)
    lead = t[start : cut.start() if cut else end].strip(" ,;:")
    return lead or None


def _chu_tri_frame(r: _Reader, start: int, m: re.Match[str], limit: int, inherited: str | None,
                   kind: str) -> _Frame | None:
    f = r.f
    if _PERSON.match(f, start):
        return None  # "Đồng chí … chủ trì": a person chairing, not a body given a task
    lead = _lead_before(r, start, m.start())
    if lead is None:
        if r.t[start : m.start()].strip(" ,;:") and not re.search(r"(?:dong thoi|va)\s*,?\s*$", f[start : m.start()]):
            return None
        lead = inherited
    if not lead:
        return None
    after = m.end()
    cm = _COORD_RE.match(f, after)
    if cm and cm.end() > after and (f[after:cm.end()].strip(" ,")):
        cstart = cm.end()
        v = r.first_verb(cstart, limit, purpose=True)
        cend = v if v is not None else _clause_end(f, cstart, limit)
        task_start = cend + 3 if f.startswith("de ", cend) else cend
        return _Frame(lead, task_start, r.split_bodies(cstart, cend), kind, start)
    # "X chủ trì, Y phối hợp <task>"
    pos = after
    while pos < limit and f[pos] in " ,":
        pos += 1
    v = r.first_verb(pos, limit)
    if v is not None and v > pos and f.startswith("phoi hop", v) and r.is_subject_start(pos):
        task = re.compile(r"phoi hop\s*(?:thuc hien\s*)?").match(f, v)
        return _Frame(lead, task.end() if task else v, r.split_bodies(pos, v), kind, start)
    return _Frame(lead, pos, [], kind, start)


def _read_frame(r: _Reader, cs: int, limit: int, ctx: _Ctx, inherited: str | None, *, opening: bool,
                first_of_item: bool, in_item: bool) -> _Frame | None:
    """The assignment a clause starting at ``cs`` gives, if any (``limit``: where its markers may be)."""
    t, f = r.t, r.f
    start = _strip_prefix(f, cs)
    kind = ctx.list_kind if in_item else "assignment"
    gov = _governed(r, start, limit)
    if gov:
        kind, start = gov
    if opening:  # a list of leads may run over ";" before the first verb
        v0 = r.first_verb(start, limit)
        limit = _clause_end(f, v0, limit) if v0 is not None else limit
    ct = _chu_tri_at(r, start, limit)
    if ct:
        return _chu_tri_frame(r, start, ct, limit, inherited, kind)
    subj = r.subject(start, limit)
    if subj:
        resp = _RESP_RE.match(f, subj[1])
        explicit = gov or resp or in_item or t[start].isupper() or f.startswith("cac ", start)
        return _Frame(subj[0], resp.end() if resp else subj[1], [], kind, start) if explicit else None
    if gov and r.first_verb(start, limit) is None:
        return None
    if opening and in_item and first_of_item and ctx.list_subject and r.first_verb(start, limit) == start:
        return _Frame(ctx.list_subject, start, [], kind, start)
    return None


def _clause_end(f: str, start: int, end: int) -> int:
    i = f.find(";", start, end)
    return i if i >= 0 else end


# -- a sentence: its clauses, their frames, the assignments ------------------------------------


def _sentence(r: _Reader, s: int, e: int, ctx: _Ctx, *, first_of_item: bool, in_item: bool,
              out: list[Assignment]) -> None:
    if _not_a_task(r, s, e):
        return
    f = r.f
    inherited = ctx.para_subject or ctx.list_subject
    frames: list[_Frame] = []
    first = _read_frame(r, s, e, ctx, inherited, opening=True, first_of_item=first_of_item, in_item=in_item)
    if first:
        frames.append(first)
        inherited = first.lead
    pos = _clause_end(f, first.task_start if first else s, e)
    while pos < e:  # later ";" clauses with a body of their own
        nxt = _clause_end(f, pos + 1, e)
        fr = _read_frame(r, pos + 1, nxt, ctx, inherited, opening=False, first_of_item=False, in_item=in_item)
        if fr:
            frames.append(fr)
            inherited = fr.lead
        pos = nxt
    subj = r.subject(_strip_prefix(f, s), e)
    if subj:
        ctx.para_subject = subj[0]
    elif frames:
        ctx.para_subject = frames[-1].lead
    for i, fr in enumerate(frames):
        scope_end = frames[i + 1].start - 1 if i + 1 < len(frames) else e
        a = _assignment(r, fr, scope_end, ctx)
        if a:
            out.append(a)


def _assignment(r: _Reader, fr: _Frame, scope_end: int, ctx: _Ctx) -> Assignment | None:
    t, f = r.t, r.f
    clause_end = _clause_end(f, fr.task_start, scope_end)
    lead_in = re.compile(r"[\s,]*(?:va\s+|,)?\s*").match(f, fr.task_start, clause_end)
    task_start = lead_in.end() if lead_in else fr.task_start  # "X chủ trì và tham mưu …"
    task = t[task_start:clause_end].strip(" ,;:.")
    task_span = (task_start, clause_end)
    if not task and ctx.prev:  # "Giao X chủ trì." after the task
        task_span = ctx.prev
        task = t[task_span[0] : task_span[1]].strip(" ,;:.")
    if not task or fr.lead == task:
        return None
    dl = find_deadline(f[fr.start : scope_end], t[fr.start : scope_end])
    report_to, freq, rm = _report(r, fr.task_start, scope_end)
    if dl and dl[0].recurrence and rm is not None and dl[1] + fr.start >= rm - 40 and freq == dl[0].recurrence:
        dl = None  # the recurrence is the report's, not the task's
    if dl:
        task = re.sub(r"\s*\((?:xong|hoàn thành|hoan thanh)[^)]*\)\s*", " ", task).strip()
    ss, se = r.norm.span(fr.start, scope_end)
    a_s, a_e = r.norm.span(min(fr.start, task_span[0]), max(clause_end, task_span[1]))
    return Assignment(
        lead=" ".join(fr.lead.split()), coordinators=fr.coordinators, task=" ".join(task.split()),
        start=a_s, end=a_e, kind=fr.kind, deadline=dl[0] if dl else None, report_to=report_to,
        report_frequency=freq, sentence=Mention(ss, se, t[fr.start : scope_end]),
    )


def _report(r: _Reader, start: int, end: int) -> tuple[str | None, str | None, int | None]:
    """(body reported to, how often, where "báo cáo" is) in [start, end)."""
    for rm in _REPORT_RE.finditer(r.f, start, end):
        b = r.body_at(rm.end())
        if b and b.end <= end:
            return b.text, report_frequency(r.f[max(start, rm.start() - 40) : rm.end()]), rm.start()
    return None, None, None


# -- paragraphs, list headers, table lines -----------------------------------------------------


def _paragraphs(t: str, f: str) -> list[tuple[int, int]]:
    """Logical paragraphs: a line that does not end a sentence runs on across a page break."""
    paras: list[list[int]] = []
    pos = 0
    for line in t.split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        if not line.strip():
            continue
        if paras:
            prev_end = paras[-1][1]
            tail = t[paras[-1][0] : prev_end].rstrip(" *")
            if (tail and tail[-1] not in ".;:!?" and not _ITEM_RE.match(f, ls) and not _HEADING_RE.match(line)
                    and not _HEADING_RE.match(t, paras[-1][0])):
                paras[-1][1] = le
                continue
        paras.append([ls, le])
    return [(a, b) for a, b in paras]


def _table_line(r: _Reader, ps: int, pe: int, ctx: _Ctx, out: list[Assignment]) -> bool:
    """ "Cơ quan chủ trì: X", "Cơ quan phối hợp: Y", "Thời gian hoàn thành: quý II/2024" under a task."""
    t, f = r.t, r.f
    item = _ITEM_RE.match(f, ps)
    pos = item.end() if item else ps
    if not _TABLE_OPENING.match(f, pos):
        return False  # most paragraphs: one pattern instead of three
    lead = _TABLE_LEAD.match(f, pos)
    if lead:
        name = t[lead.end() : pe].strip(" .;,")
        if ctx.title and name:
            ts, te = ctx.title
            a_s, a_e = r.norm.span(ts, te)
            ctx.table = Assignment(lead=" ".join(name.split()), coordinators=[],
                                   task=" ".join(t[ts:te].strip(" .;:").split()), start=a_s, end=a_e,
                                   sentence=Mention(a_s, a_e, t[ts:te]))
            out.append(ctx.table)
        return True
    coord = _TABLE_COORD.match(f, pos)
    if coord:
        if ctx.table:
            ctx.table.coordinators = r.split_bodies(coord.end(), pe)
        return True
    when = _TABLE_TIME.match(f, pos)
    if when:
        dl = find_deadline(f[when.end() : pe], t[when.end() : pe]) or _quarter_only(t[when.end() : pe])
        if ctx.table and dl:
            ctx.table.deadline = dl[0]
        return True
    return False


def _quarter_only(text: str) -> tuple[Deadline, int, int] | None:
    """A bare period in a table cell ("Quý II/2024") reads like "trong quý II/2024"."""
    return find_deadline("trong " + fold(text), "trong " + text)


def _header(r: _Reader, s: int, e: int, ctx: _Ctx, *, item: bool) -> None:
    """A list header ("Các cấp ủy, tổ chức đảng …:", "Ban Thường vụ Tỉnh ủy đề nghị:"): what items inherit."""
    f = r.f
    start = _strip_prefix(f, s)
    asks = list(_ASK_RE.finditer(f, start, e))
    if asks:
        ctx.list_kind = "request" if f.startswith("de nghi", asks[0].start()) else "assignment"
        start = asks[0].end()
    elif not item:
        ctx.list_kind = "assignment"
    if _members(f, s, e):
        ctx.members = True
        return
    subj = r.subject(start, e)
    if subj and not asks and _VOICE_RE.search(f, subj[1], e):
        ctx.list_subject = None  # "Ban Thường vụ Tỉnh ủy đánh giá, kết luận như sau:": the issuer speaking
    elif subj:
        ctx.list_subject = subj[0]
    elif r.first_verb(start, e) is None and r.is_subject_start(_strip_prefix(f, start)):
        ctx.list_subject = " ".join(r.t[_strip_prefix(f, start) : e].strip(" ,;:").split())
    elif not item:
        ctx.list_subject = None


_TYPE_LINE = re.compile(r"\s*\**\s*(?:nghi quyet|quyet dinh|quy dinh|chi thi|ket luan|thong bao|ke hoach|chuong trinh|"
                        r"de an|huong dan|quy che|bao cao|cong van|to trinh|thong tri|nghi dinh|thong tu|cong dien)"
                        r"(?![\w])")
_NUMBER_LINE = re.compile(r"\s*\**\s*so\s*:")


def _title_line(line: str) -> bool:
    """A line of the title under the TYPE line: not blank, and not a sentence of the body (a title has no
    closing punctuation; "Thực hiện …, Ban Thường vụ … như sau:" does)."""
    text = line.strip().rstrip("*_ ")
    return bool(text) and text[-1] not in ".:;!?"


def _body_start(t: str, f: str) -> int:
    """Where the document's body begins: after the header block (issuer lines, "Số: …", place and date,
    the upper-case TYPE line and the title under it up to the first blank line). 0 when no header."""
    pos, seen_number = 0, False
    lines = t.split("\n")
    offsets = []
    for line in lines[:40]:
        offsets.append(pos)
        pos += len(line) + 1
    for i, line in enumerate(lines[:40]):
        o = offsets[i]
        if _NUMBER_LINE.match(f, o):
            seen_number = True
        m = _TYPE_LINE.match(f, o)
        if m and t[o : o + len(line)].strip(" *")[:2].isupper():
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1  # blank lines right under the type line
            while j < len(lines) and j - i <= 6 and _title_line(lines[j]):
                j += 1  # the title block, up to a blank line or the first sentence of the body
            return sum(len(x) + 1 for x in lines[:j])
    if seen_number:
        j = next((k for k in range(len(lines[:40])) if _NUMBER_LINE.match(f, offsets[k])), 0)
        while j < len(lines) and lines[j].strip():
            j += 1
        return sum(len(x) + 1 for x in lines[:j])
    return 0


def extract_assignments(norm: Normalized) -> list[Assignment]:
    """Every assignment in the text, in order."""
    r = _Reader(norm)
    t, f = r.t, r.f
    out: list[Assignment] = []
    ctx = _Ctx()
    begin = _body_start(t, f)
    for ps, pe in _paragraphs(t, f):
        if pe <= begin:
            continue  # the header block: issuer lines, number, place and date, type and title
        if ps < begin:
            ps = begin + len(t[begin:pe]) - len(t[begin:pe].lstrip())  # header lines ran on into the body
        if _END_OF_BODY.match(f, ps):
            break  # recipients and signer block: the body of the document is over
        if _HEADING_RE.match(t, ps, pe):
            ctx.list_subject, ctx.members, ctx.list_kind = None, False, "assignment"
            continue
        if _table_line(r, ps, pe, ctx, out):
            continue
        ctx.table = None
        item = _ITEM_RE.match(f, ps)
        if ctx.members and item:
            continue
        ctx.members = False
        _paragraph(r, ps, pe, item.end() if item else ps, bool(item), ctx, out)
        ctx.title = (item.end() if item else ps, pe)
    return out


def _paragraph(r: _Reader, ps: int, pe: int, body_start: int, item: bool, ctx: _Ctx,
               out: list[Assignment]) -> None:
    t = r.t
    header = t[ps:pe].rstrip(" *").endswith(":")
    sents = split_sentences(t[body_start:pe].replace("\n", " "))
    for k, (s_rel, e_rel) in enumerate(zip(sents.starts, sents.ends, strict=True)):
        s, e = body_start + s_rel, body_start + e_rel
        last = k == len(sents.starts) - 1
        if last and (header or (item and k == 0 and r.first_verb(s, e) is None)):
            _header(r, s, e, ctx, item=item)
            if not _chu_tri_at(r, s, e) or _not_a_task(r, s, e):
                continue  # a list header or a section title, not a task of its own
        _sentence(r, s, e, ctx, first_of_item=k == 0, in_item=item, out=out)
        ctx.prev = (s, e)
