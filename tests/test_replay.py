"""Citations edited in a few files: the keys they touch are replayed (docgraph.replay), and the store is the one
a full build gives.

On a generated 1,000-document corpus, one edit after another on the same store (so each local build starts
from the patches of the last): a cited number changed, a citation added at the end and another before the
other citations (which are then numbered anew), a citation's symbol removed, a
cited date changed so that it disagrees with the rest of the corpus (a conflict warning appears, and the
warnings of every later file move), a later file with warnings of its own edited after that, two files at
once, a task added after all that (a plain local build on the replays' records), and a title edited.
After each, the store's triples, its subject digests and its build.json equal those of a from-scratch
build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from docgraph.build import build
from docgraph.parse import parse_file
from docgraph.store import Store
from test_local_build import _age, _assert_same_as_full, _bodies, _generate, _rebuild

SYMBOL = re.compile(r"\b(\d+)-(NQ|KL|CT|TB|KH)/(TW|TU)\b")
DATED = re.compile(r"\b(\d+-(?:NQ|KL|CT)/TW),? ngày (\d{1,2})/(\d{1,2})/(\d{4})")
NOI_NHAN = re.compile(r"(?:<p>)?Nơi nhận:")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("replay")
    _generate(tmp / "corpus", "--docs", "1000", "--seed", "31")
    _age(tmp / "corpus")
    assert build([str(tmp / "corpus")], tmp / "store").written
    return tmp / "corpus", tmp / "store"


def _own_symbol(path: Path) -> str | None:
    return parse_file(path, str(path)).document.symbol


def _cited(path: Path) -> list[re.Match[str]]:
    """The symbols a file cites in its body (its own symbol and its title left out)."""
    text = path.read_text("utf-8")
    own = _own_symbol(path)
    title_end = text.find("</p>", text.find("về ")) if "về " in text[:600] else 0
    return [m for m in SYMBOL.finditer(text) if m[0] != own and m.start() > title_end]


def _edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text("utf-8")
    new = change(text)
    assert new != text, path
    path.write_text(new, "utf-8")


def _pick(corpus: Path, skip: int, want: Callable[[Path], bool]) -> Path:
    return next(p for p in _bodies(corpus)[skip:] if want(p))


def _local(corpus: Path, store: Path, tmp: Path) -> None:
    res, why = _rebuild(corpus, store)
    assert res.mode == "local" and not why, why
    _assert_same_as_full(corpus, store, tmp)


def test_citation_edits_replay_their_keys(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, store = built

    # a cited number changed: the old node loses a mention (or goes), the new one gains one
    victim = _pick(corpus, 100, lambda p: bool(_cited(p)))
    m = _cited(victim)[0]
    _edit(victim, lambda t: t[: m.start()] + f"{int(m[1]) + 1}-{m[2]}/{m[3]}" + t[m.end():])
    _local(corpus, store, tmp_path)

    # a citation added, in the formulaic phrase documents use
    victim = _pick(corpus, 200, lambda p: bool(NOI_NHAN.search(p.read_text("utf-8"))))
    added = "Căn cứ Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương Đảng, đề nghị các cấp ủy quán triệt.\n"
    _edit(victim, lambda t: NOI_NHAN.sub(lambda n: added + n[0], t, count=1))
    _local(corpus, store, tmp_path)

    # a citation added before the body's first heading: the file's later citations are numbered anew, and
    # those the edit leaves alone are taken from its record under their new numbers
    def heads_citations(p: Path) -> bool:
        t = p.read_text("utf-8")
        return "\n\nI. " in t and len([m for m in _cited(p) if m.start() > t.index("\n\nI. ")]) >= 2

    victim = _pick(corpus, 250, heads_citations)
    added = "\n\nThực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị, Ban Thường vụ Tỉnh ủy đề nghị các cấp ủy quán triệt."
    _edit(victim, lambda t: t.replace("\n\nI. ", added + "\n\nI. ", 1))
    _local(corpus, store, tmp_path)

    # a citation's symbol removed ("Nghị quyết số 53-NQ/TW" -> "Nghị quyết"): that mention no longer names it
    victim = _pick(corpus, 300, lambda p: any(m[2] == "NQ" for m in _cited(p)))
    m = next(m for m in _cited(victim) if m[2] == "NQ")
    _edit(victim, lambda t: re.sub(r"\s*số\s*$", "", t[: m.start()]) + t[m.end():])
    _local(corpus, store, tmp_path)

    # a cited date changed in the last file to date that symbol: it now disagrees with the corpus (a
    # conflict warning in its block of warnings, every later file's warnings one further on)
    dated = [(p, m) for p in _bodies(corpus)[:900] for m in DATED.finditer(p.read_text("utf-8"))]
    firsts = {}
    for p, m in dated:
        firsts.setdefault(m[1], p)
    victim, m = next((p, m) for p, m in reversed(dated) if firsts[m[1]] != p)
    before = len(Store(store).manifest["warnings"])
    day = int(m[2]) % 28 + 1
    _edit(victim, lambda t: t[: m.start(2)] + str(day) + t[m.end(2):])
    _local(corpus, store, tmp_path)
    assert len(Store(store).manifest["warnings"]) == before + 1

    # then a later file with warnings of its own: its block is found where the shift put it
    later = sorted(_bodies(corpus)[_bodies(corpus).index(victim) + 1:], reverse=True)
    warned = next(p for p in later if parse_file(p, str(p)).warnings and _cited(p))
    m = _cited(warned)[0]
    _edit(warned, lambda t: t[: m.start()] + f"{int(m[1]) + 2}-{m[2]}/{m[3]}" + t[m.end():])
    _local(corpus, store, tmp_path)

    # two files at once
    for victim in (_pick(corpus, 400, lambda p: bool(_cited(p))), _pick(corpus, 700, lambda p: bool(_cited(p)))):
        m = _cited(victim)[-1]
        _edit(victim, lambda t, m=m: t[: m.start()] + f"{int(m[1]) + 3}-{m[2]}/{m[3]}" + t[m.end():])
    _local(corpus, store, tmp_path)

    # and a task added somewhere: a plain local build, from the records and warnings the replays left
    _generate(corpus, "--change-one")
    _local(corpus, store, tmp_path)


def test_a_title_edited_replays_the_document_itself(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, store = built
    victim = _pick(corpus, 500, lambda p: _own_symbol(p) is not None and "về " in p.read_text("utf-8")[:600])
    _edit(victim, lambda t: t.replace("về ", "về việc ", 1))
    _local(corpus, store, tmp_path)


def test_a_date_moved_under_a_nested_citation_replays_it_too(built: tuple[Path, Path], tmp_path: Path) -> None:
    """A document outside the corpus (A) dated by its first dated mention; a later file, of 2016 or after,
    names it with a citation nested inside ("A về tiếp tục thực hiện B": an undated B is read against A's
    date). B's number is dated 2010 in one file and September 2015 in another (numbers restart each term):
    read against A's date, March 2015, it is the 2010 one. When A's first mention loses its date, A is
    undated where the later file reads it, B there is read against that file's own date, and it is the 2015
    one: B's key is replayed in a second round."""
    corpus, store = built
    texts = [p.read_text("utf-8") for p in _bodies(corpus)]
    a = next(f"{n}-TB/TW" for n in range(901, 999) if not any(f"{n}-TB/TW" in t for t in texts))
    b = next(f"{n}-NQ/TW" for n in range(901, 999) if not any(f"{n}-NQ/TW" in t for t in texts))

    def closing(p: Path) -> bool:
        return bool(NOI_NHAN.search(p.read_text("utf-8")))

    nesting = _pick(corpus, 300, lambda p: closing(p) and (parse_file(p, str(p)).document.date or "") >= "2016")
    at = _bodies(corpus).index(nesting)
    first, last = _pick(corpus, at // 2, closing), _pick(corpus, at + 1, closing)
    assert _bodies(corpus).index(first) < at

    def dated(b_date: str) -> str:
        return (f"Căn cứ Thông báo số {a} ngày 5/3/2015 của Ban Bí thư và Nghị quyết số {b} ngày {b_date} của "
                "Ban Chấp hành Trung ương, đề nghị các cấp ủy quán triệt.\n")

    nested = (f"Căn cứ Thông báo số {a} của Ban Bí thư về tiếp tục thực hiện Nghị quyết số {b} của Ban Chấp "
              "hành Trung ương, đề nghị các cấp ủy quán triệt.\n")
    for path, added in ((first, dated("10/6/2010")), (nesting, nested), (last, dated("1/9/2015"))):
        _edit(path, lambda t, added=added: NOI_NHAN.sub(lambda n: added + n[0], t, count=1))
    _local(corpus, store, tmp_path)

    _edit(first, lambda t: t.replace(f"{a} ngày 5/3/2015", a))
    _age(corpus)
    notes: list[str] = []
    res = build([str(corpus)], store, progress=notes.append)
    assert res.mode == "local", notes
    rounds = [n for n in notes if re.match(r"replaying [\d,]+ identity keys", n)]
    assert len(rounds) == 2, rounds
    _assert_same_as_full(corpus, store, tmp_path)


def test_a_conflict_gone_from_another_file_moves_the_warnings_after_it(built: tuple[Path, Path],
                                                                       tmp_path: Path) -> None:
    """Two files date one symbol two days apart: the later one has a conflict warning. Renumbering the
    symbol in the earlier file leaves the later one alone, and its warning goes (every later file's
    warnings move up one) though the later file was not edited; then a task added to the later file is a
    plain local build from the record the replay left it."""
    corpus, store = built
    texts = [p.read_text("utf-8") for p in _bodies(corpus)]
    n = next(n for n in range(901, 997) if not any(f"{n}-CT/TW" in t or f"{n + 1}-CT/TW" in t for t in texts))

    def closing(p: Path) -> bool:
        return bool(NOI_NHAN.search(p.read_text("utf-8")))

    earlier, later = _pick(corpus, 120, closing), _pick(corpus, 620, closing)
    for path, day in ((earlier, 2), (later, 3)):
        added = f"Căn cứ Chỉ thị số {n}-CT/TW ngày {day}/4/2019 của Ban Bí thư, đề nghị các cấp ủy quán triệt.\n"
        _edit(path, lambda t, added=added: NOI_NHAN.sub(lambda m: added + m[0], t, count=1))
    _local(corpus, store, tmp_path)
    warned = Store(store).manifest["warnings"]
    assert sum(f"{n}-CT/TW dated 2019-04-03 here but 2019-04-02" in w for w in warned) == 1

    _edit(earlier, lambda t: t.replace(f"{n}-CT/TW ngày 2/4/2019", f"{n + 1}-CT/TW ngày 2/4/2019"))
    _local(corpus, store, tmp_path)
    assert len(Store(store).manifest["warnings"]) == len(warned) - 1

    _edit(later, lambda t: NOI_NHAN.sub(lambda m: "Giao Ban Tuyên giáo Tỉnh ủy chủ trì theo dõi.\n" + m[0], t,
                                        count=1))
    _local(corpus, store, tmp_path)

    # and a file after it with warnings of its own: its block is found where the shift put it
    after = _bodies(corpus)[_bodies(corpus).index(later) + 1:]
    warned_after = next(p for p in after if parse_file(p, str(p)).warnings and _cited(p))
    m = _cited(warned_after)[0]
    _edit(warned_after, lambda t: t[: m.start()] + f"{int(m[1]) + 2}-{m[2]}/{m[3]}" + t[m.end():])
    _local(corpus, store, tmp_path)
