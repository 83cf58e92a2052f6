"""Stage 2c: responsibility assignments — who must do what, with whom, by when, reporting to whom.

Forms read (on the normalized text and its folded shadow):

- ``[Giao [cho]] X chủ trì[,] phối hợp [với] Y, Z … <task>`` (also ``Chủ trì, phối hợp …`` with the
  paragraph's subject, and ``X …; đồng thời, chủ trì …``);
- ``X có trách nhiệm | chịu trách nhiệm | có nhiệm vụ <task>``; ``Giao [cho] X <task>``;
- numbered or bulleted items whose first words are a body (``2- Ban cán sự đảng UBND tỉnh …``), and
  items under a list header whose subject they inherit (``Các cấp ủy, tổ chức đảng …:``);
- ``Đề nghị X <task>`` as a request.

``chủ trì hội nghị`` (chairing a meeting) is not an assignment. Deadlines and report-to are read from
the clause of the task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bodies import body_at
from .deadlines import find_deadline, report_frequency
from .model import Assignment, Mention
from .normalize import Normalized
from .sentences import split_sentences

# verbs that start a task (folded); a few noun phrases that contain them are excluded below
_VERBS = (
    "lanh dao", "chi dao", "xay dung", "tang cuong", "to chuc", "trien khai", "thuc hien", "theo doi", "don doc",
    "kiem tra", "ra soat", "tham muu", "huong dan", "tuyen truyen", "day manh", "nghien cuu", "ban hanh",
    "quan tam", "phoi hop", "chu dong", "bao dam", "dam bao", "giam sat", "xem xet", "bo tri", "cung co",
    "doi moi", "nang cao", "tao dieu kien", "quan ly", "phat huy", "chu tri", "co trach nhiem",
    "chiu trach nhiem", "co nhiem vu", "thuong xuyen", "kip thoi", "tap trung", "de xuat", "phan cong",
    "tiep tuc", "quan triet", "cu the hoa", "bao cao", "lam tot", "nam chac", "tich cuc", "ung dung",
    "can cu", "chuan bi", "tong hop", "trinh", "sap xep", "kien toan", "danh gia", "so ket", "tong ket",
    "phan dau", "hoan thanh", "trien khai thuc hien", "tap hop", "van dong", "cham lo", "phoi hop voi",
    "thong tin", "phat dong", "bo sung", "sua doi", "phe duyet", "hoan thien", "tham gia",
)
_NOUN_EXCEPTIONS = (
    r"to chuc\s+(?:co lien quan|lien quan|chinh tri|thanh vien|hoi|dang|doan the|bo may|co so)",
    r"to chuc\s*(?=,|\s+va\s)",
    r"tham muu,?\s+giup viec",
    r"thong tin\s+va\s+truyen thong",
    r"tuyen truyen\s*,?\s*van dong",
)
_VERB_RE = re.compile(
    r"(?<![\w])(?!" + "|".join(_NOUN_EXCEPTIONS) + r")(?:" + "|".join(sorted(map(re.escape, _VERBS), key=len,
                                                                            reverse=True)) + r")(?![\w])"
)
_VERB_OR_DE_RE = re.compile(_VERB_RE.pattern + r"|(?<![\w])de(?=\s)")
_ITEM_RE = re.compile(r"\s*(?:\d{1,2}\s*[.)\-–]\s*|[a-zđ]\)\s*|[-–•+*]\s+)")
_HEADING_RE = re.compile(r"\s*(?:[IVX]{1,4}\s*[.\-–]\s|[A-ZĐ ]{6,}$)")
_LEAD_RE = re.compile(r"(?<![\w])chu tri(?![\w])\s*,?\s*")
_MEETING_RE = re.compile(r"chu tri\s*,?\s*(?:cac\s+)?(?:hoi nghi|cuoc hop|buoi lam viec|toa dam|hoi thao|le |phien)")
_COORD_RE = re.compile(r"\s*(?:,\s*)?phoi hop\s*(?:chat che\s*)?(?:voi|giua|cung)?\s*")
_RESP_RE = re.compile(r"(?<![\w])(?:co trach nhiem|chiu trach nhiem|co nhiem vu)(?![\w])\s*")
_GIAO_RE = re.compile(r"\s*(?:dong thoi\s*,\s*)?giao\s+(?:cho\s+)?")
_REQUEST_RE = re.compile(r"\s*(?:de nghi|yeu cau)\s+")
_PREFIX_RE = re.compile(r"\s*(?:can cu\s+(?:ke hoach|chi thi|nghi quyet|quyet dinh|cong van|chuong trinh)\s+nay\s*,?\s*"
                        r"|dong thoi\s*,\s*|tren co so do\s*,\s*)")
_ASK_RE = re.compile(r"(?<![\w])(?:yeu cau|de nghi)\s+(?=\S)")
_REPORT_RE = re.compile(r"bao cao\s+(?:ket qua\s+)?(?:thuc hien\s+)?(?:ve\s+|cho\s+|len\s+|voi\s+)?")
_SUBJECT_START = re.compile(
    r"(?:cac|ban|uy ban|van phong|so|bao|dai|dang doan|dang uy|hoi dong|mat tran|tinh doan|huyen uy|thanh uy|"
    r"thi uy|thuong truc|cap uy|to chuc|chinh quyen|ubnd|hdnd|mttq|bcs|doan|hoi|co quan|nganh|tinh uy|"
    r"ban can su|dia phuong|don vi|truong|giam doc|bi thu)(?![\w])"
)


@dataclass
class _Ctx:
    para_subject: str | None = None
    list_subject: str | None = None


class _Reader:
    def __init__(self, norm: Normalized) -> None:
        self.norm = norm
        self.t = norm.text
        self.f = norm.folded

    def body_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        spans = []
        pos = start
        while pos < end:
            b = body_at(self.t, self.f, pos)
            if b and b.end <= end:
                spans.append((b.start, b.end))
                pos = b.end
                continue
            nxt = self.f.find(" ", pos, end)
            if nxt < 0:
                break
            pos = nxt + 1
        return spans

    def first_verb(self, start: int, end: int, purpose: bool = False) -> int | None:
        """Offset of the first task verb outside a body name (``purpose``: "để" counts too)."""
        spans = self.body_spans(start, end)
        rx = _VERB_OR_DE_RE if purpose else _VERB_RE
        for m in rx.finditer(self.f, start, end):
            if not any(s <= m.start() < e for s, e in spans):
                return m.start()
        return None

    def subject(self, start: int, end: int) -> tuple[str, int] | None:
        """A body phrase at ``start`` up to the first verb: (subject as written, verb offset)."""
        while start < end and self.f[start] in " ,:":
            start += 1
        if not _SUBJECT_START.match(self.f, start):
            return None
        v = self.first_verb(start, end)
        if v is None or v - start > 260 or v == start:
            return None
        subj = self.t[start:v].strip(" ,:;")
        if not subj or not (body_at(self.t, self.f, start) or self.f.startswith(("cac", "cap uy"), start)
                            or self.t[start].isupper()):
            return None
        return subj, v

    def split_bodies(self, start: int, end: int) -> list[str]:
        """ "Ban Tổ chức Tỉnh ủy, các cơ quan, tổ chức có liên quan" -> two names."""
        seg = self.t[start:end]
        fseg = self.f[start:end]
        cuts = [0]
        spans = [(a - start, b - start) for a, b in self.body_spans(start, end)]
        for m in re.finditer(r"\s*,\s*|\s+va\s+", fseg):
            nxt = m.end()
            if any(a < m.start() < b for a, b in spans):
                continue
            b = body_at(self.t, self.f, start + nxt)
            starts_group = fseg.startswith(("cac ", "cac\u00a0"), nxt)
            if b or starts_group or (seg[nxt : nxt + 1].isupper() and not fseg.startswith("tinh", nxt)):
                cuts.append(m.start())
                cuts.append(nxt)
        cuts.append(len(seg))
        names = [seg[cuts[i] : cuts[i + 1]].strip(" ,;:") for i in range(0, len(cuts), 2)]
        return [n for n in names if n]


def _clause_end(f: str, start: int, end: int) -> int:
    m = re.compile(r";").search(f, start, end)
    return m.start() if m else end


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


def extract_assignments(norm: Normalized) -> list[Assignment]:
    """Every assignment in the text, in order."""
    r = _Reader(norm)
    t, f = r.t, r.f
    out: list[Assignment] = []
    ctx = _Ctx()
    for ps, pe in _paragraphs(t, f):
        text = t[ps:pe]
        if re.match(r"\s*(?:noi nhan|t/m|k/t|tm\.|kt\.)", f[ps:pe]):
            break  # recipients and signer block: the body of the document is over
        if _HEADING_RE.match(text):
            ctx.list_subject = ctx.para_subject = None
            continue
        item = _ITEM_RE.match(f, ps)
        body_start = item.end() if item else ps
        header = text.rstrip(" *").endswith(":")
        sents = split_sentences(t[body_start:pe].replace("\n", " "))
        for k, (s_rel, e_rel) in enumerate(zip(sents.starts, sents.ends, strict=True)):
            s, e = body_start + s_rel, body_start + e_rel
            last = k == len(sents.starts) - 1
            if last and (header or (item and k == 0 and r.first_verb(s, e) is None)):
                ask = _ASK_RE.search(f, s, e) if header else None
                subj = r.subject(_strip_prefix(f, ask.end() if ask else s), e) if header else None
                if header and not subj:
                    subj_text = None
                else:
                    subj_text = subj[0] if subj else t[s:e].strip(" ,;:")
                if subj_text and not re.search(r"(?:yeu cau|de nghi)\s*:?\s*$", f[s:e]) and (
                    subj or _SUBJECT_START.match(f, _strip_prefix(f, s))
                ):
                    ctx.list_subject = subj_text
                if not _LEAD_RE.search(f, s, e):
                    continue  # a list header or a section title, not a task of its own
            _sentence(r, s, e, ctx, first_of_item=k == 0, in_item=bool(item), out=out)
    return out


def _strip_prefix(f: str, s: int) -> int:
    m = _PREFIX_RE.match(f, s)
    return m.end() if m else s


def _sentence(r: _Reader, s: int, e: int, ctx: _Ctx, *, first_of_item: bool, in_item: bool,
              out: list[Assignment]) -> bool | None:
    t, f = r.t, r.f
    if _MEETING_RE.search(f, s, e) and not re.search(r"chu tri\s*,?\s*phoi hop", f[s:e]):
        return None
    kind = "assignment"
    start = _strip_prefix(f, s)
    g = _GIAO_RE.match(f, start)
    if g:
        start = g.end()
    rq = _REQUEST_RE.match(f, start)
    if rq:
        kind, start = "request", rq.end()
    lead_m = _LEAD_RE.search(f, start, e)
    resp_m = _RESP_RE.search(f, start, e)
    subj = r.subject(start, e)
    lead: str | None = None
    task_start: int | None = None
    coords: list[str] = []
    if lead_m and not _MEETING_RE.match(f, lead_m.start()):
        before = t[start : lead_m.start()].strip(" ,;:")
        fb = f[start : lead_m.start()]
        # "X …; đồng thời, chủ trì" / "Chủ trì, phối hợp" take the item's subject
        if not before or re.search(r"(?:dong thoi|va)\s*,?\s*$", fb) or (subj and subj[1] < lead_m.start()):
            if subj and subj[1] <= lead_m.start() and not re.search(r"[;]", fb):
                lead = subj[0]
            else:
                lead = (subj[0] if subj else None) or ctx.para_subject or ctx.list_subject
        else:
            lead = before if r.subject(start, lead_m.start() + 1) or body_at(t, f, start) else None
            lead = lead or before
        cm = _COORD_RE.match(f, lead_m.end())
        after = cm.end() if cm and cm.end() > lead_m.end() else lead_m.end()
        if cm and cm.end() > lead_m.end():
            v = r.first_verb(after, e, purpose=True)
            cend = v if v is not None else _clause_end(f, after, e)
            if f.startswith("de ", cend):
                cend_task = cend + 3
            else:
                cend_task = cend
            coords = r.split_bodies(after, cend)
            task_start = cend_task
        else:
            task_start = after
    elif resp_m and subj and subj[1] == resp_m.start():
        lead, task_start = subj[0], resp_m.end()
    elif subj and (first_of_item or g or rq):
        lead, task_start = subj[0], subj[1]
    elif in_item and first_of_item and ctx.list_subject and r.first_verb(start, e) == start:
        lead, task_start = ctx.list_subject, start
    if subj and first_of_item:
        ctx.para_subject = subj[0]
    if not lead or task_start is None:
        return None
    if lead and not in_item and not g and not rq and not lead_m and not resp_m and not ctx.list_subject:
        # a plain "X làm Y" sentence outside a list is a statement, not an assignment
        if not re.match(r"^\s*(?:[A-ZĐ]|Các)", t[s:e]):
            return None
    clause_end = _clause_end(f, task_start, e)
    task = t[task_start:clause_end].strip(" ,;:.")
    if not task:
        return None
    dl = find_deadline(f[s:e], t[s:e])
    report_to = None
    freq = None
    rm = _REPORT_RE.search(f, task_start, e)
    if rm:
        b = body_at(t, f, rm.end())
        if b:
            report_to = b.text
            freq = report_frequency(f[max(s, rm.start() - 40) : rm.end()])
    if dl and dl[0].recurrence and rm and dl[1] + s >= rm.start() - 40:
        dl = None if freq == dl[0].recurrence else dl
    task = re.sub(r"\s*\((?:xong|hoan thanh)[^)]*\)\s*", " ", task).strip() if dl else task
    ss, se = r.norm.span(s, e)
    a_s, a_e = r.norm.span(s, clause_end)
    out.append(
        Assignment(
            lead=" ".join(lead.split()), coordinators=[" ".join(c.split()) for c in coords],
            task=" ".join(task.split()), start=a_s, end=a_e, kind=kind,
            deadline=dl[0] if dl else None, report_to=report_to, report_frequency=freq,
            sentence=Mention(ss, se, t[s:e]),
        )
    )
    return True
