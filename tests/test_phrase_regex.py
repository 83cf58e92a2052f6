"""A trie of phrases matches exactly what the flat alternation sorted longest first matches; a pattern's
ASCII twin finds on the texts it is used for exactly what the pattern finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgraph.phrase_regex import (
    ascii_twin,
    for_text,
    phrase_alternation,
    reads_as_ascii,
    word_matches,
    word_start_scan,
)


def _flat(phrases: set[str], space: str | None) -> str:
    alts = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(a).replace(r"\ ", space) if space else re.escape(a) for a in alts)


@pytest.mark.parametrize(("phrases", "text", "found"), [
    ({"uy ban", "uy ban nhan dan", "ban"}, "giao uy ban nhan dan tinh", ["uy ban nhan dan"]),
    ({"uy ban", "uy ban nhan dan"}, "uy ban nhan dan", ["uy ban nhan dan"]),
    ({"uy ban", "uy ban nhan dan"}, "uy ban nhan danh", ["uy ban"]),  # the longer one stops inside a word
    ({"chu tri", "chu dong", "chu"}, "chu dong, chu tri", ["chu dong", "chu tri"]),
    ({"ban to chuc tinh uy"}, "ban to\nchuc  tinh uy", ["ban to\nchuc  tinh uy"]),  # any run of spaces
    ({"c++", "a.b"}, "a.b c++ axb", ["a.b", "c++"]),  # escaped
])
def test_phrases_found(phrases: set[str], text: str, found: list[str]) -> None:
    alternation = phrase_alternation(phrases, space=r"\s+")
    rx = re.compile(rf"(?<![\w])(?:{alternation})(?![\w])")
    assert [m.group() for m in rx.finditer(text)] == found


_words = st.lists(st.sampled_from(["ba", "ban", "b", "uy", "u", "a", "an", "nhan", "dan"]), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(phrases=st.sets(_words.map(" ".join), min_size=1, max_size=12),
       text=st.lists(st.sampled_from(["ba", "ban", "b", "uy", "u", "a", "an", "nhan", "dan", "x", ",", " ", "  "]),
                     max_size=20).map(" ".join),
       space=st.sampled_from([None, r"\s+"]))
def test_trie_equals_longest_first_alternation(phrases: set[str], text: str, space: str | None) -> None:
    for wrap in ("(?:{})", r"(?<![\w])(?:{})(?![\w])"):
        trie = re.compile(wrap.format(phrase_alternation(phrases, space=space)))
        flat = re.compile(wrap.format(_flat(phrases, space)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


@pytest.mark.parametrize(("body", "text"), [
    (r"(?:uy ban|ban)(?![\w])", "uy ban nhan dan, ban"),
    (r"(?:uy ban|ban)(?![\w])", "ban"),  # at the first offset
    (r"a\.", "a.a. xa.a."),  # a match ending with a mark: the next one starts right after it
    (r"(?<!ban )(?:chi dao)(?![\w])", "ban chi dao chi dao"),  # the body looks behind itself too
    (r"(?:cac\s+)?(ke hoach)(?![\w])", "cac ke hoach, ke hoach;ke hoach"),
    (r"x", ""),
])
def test_word_matches_are_finditer(body: str, text: str) -> None:
    rx = re.compile(rf"(?<![\w]){body}")
    found = [m.span() for m in word_matches(rx, word_start_scan(body), text)]
    assert found == [m.span() for m in rx.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(phrases=st.sets(st.lists(st.sampled_from(["ba", "ban", "b", "a.", ",", "uy", "an"]), min_size=1,
                                max_size=3).map(" ".join), min_size=1, max_size=8),
       text=st.lists(st.sampled_from(["ba", "ban", "b", "a.", "uy", "an", "x", ",", " ", "  ", "."]),
                     max_size=20).map("".join),
       end=st.sampled_from(["", r"(?![\w])"]))
def test_word_matches_are_finditer_for_any_phrases(phrases: set[str], text: str, end: str) -> None:
    body = f"(?:{phrase_alternation(phrases)}){end}"
    rx = re.compile(rf"(?<![\w]){body}")
    found = [m.span() for m in word_matches(rx, word_start_scan(body), text)]
    assert found == [m.span() for m in rx.finditer(text)]


# -- ASCII twins ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "ascii"), [
    ("", True),
    ("uy ban nhan dan tinh chu tri, phoi hop\n", True),
    ("ban to chuc “co quan” – tinh", False),  # quotes and a dash stay as they are when folded
    ("uy ban\u00a0nhan dan", False),
    ("uy ban\x1cnhan dan", False),  # an information separator: a space to Unicode's \\s, not to ASCII's
    ("uy ban\x1fnhan dan", False),
    ("uy ban\x1bnhan dan", True),  # ESC is no space in either
])
def test_reads_as_ascii(text: str, ascii: bool) -> None:
    assert reads_as_ascii(text) is ascii
    assert reads_as_ascii(text) is ascii  # asked again: the remembered answer


def test_twins() -> None:
    rx = re.compile(r"(?<![\w])chu tri(?![\w])")
    twin = ascii_twin(rx)
    assert twin is not rx and twin.flags & re.ASCII and twin.pattern == rx.pattern
    assert ascii_twin(rx) is twin  # made once
    # case-insensitive: "k" matches the Kelvin sign only in Unicode mode, so the pattern stays itself
    for folding in (re.compile("k", re.IGNORECASE), re.compile("(?i)k"), re.compile("a(?i:k)")):
        assert ascii_twin(folding) is folding
    assert for_text(rx, "chu tri") is twin
    assert for_text(rx, "chủ trì") is rx


_PATTERNS = [re.compile(p) for p in (
    r"(?<![\w])(?:uy ban|ban)(?![\w])", r"\W(?=ban\s+chi)", r"ban\s+chi\s+dao", r"\b\w+\b", r"\d+", r"\S+",
    r"[^\W\d_]+", r"\s", r"–|“",
)]


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(["ban", "chi", "dao", "uy", "12", "_", " ", "  ", "\n", ",", "\x1c", "\x1f",
                                      "\x1b", "\u00a0", "–", "“", "é", "k", "\u212a"]), max_size=24).map("".join))
def test_twin_finds_what_the_pattern_finds(text: str) -> None:
    for rx in _PATTERNS:
        assert [m.span() for m in for_text(rx, text).finditer(text)] == [m.span() for m in rx.finditer(text)]
