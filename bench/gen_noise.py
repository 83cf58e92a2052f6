"""Noise seen in real scraped and OCR'd documents, applied to a share of the synthetic corpus.

Symbol noise (per mention): ``47 – QĐ/TW``, ``05-CT / TW``, ``37QĐ/TW``, ``12-CT/T.Ư``, ``445-KL/TƯ``.
Text noise (per document): NFD, old tone placement (hoà, khoá, Uỷ), HTML tags and entities, literal
``\\r\\n``, CRLF line ends, page breaks inside sentences, a received stamp (added by the header).
"""

from __future__ import annotations

import random
import re
import unicodedata

SYMBOL_KINDS = ["sym_dash_spaces", "sym_slash_spaces", "sym_no_dash", "sym_tw_dot"]
TEXT_KINDS = ["nfd", "old_tones", "html", "literal_crlf", "crlf", "page_break", "stamp"]
KINDS = SYMBOL_KINDS + TEXT_KINDS

_PARTY = re.compile(r"^(\d+)-([^/]+)/(.+)$")


def noisy_symbol(sym: str, kind: str, rng: random.Random) -> str:
    m = _PARTY.match(sym)
    if not m:  # State symbols: spaces around the dash only
        return sym.replace("-", " - ", 1) if kind == "sym_dash_spaces" else sym
    n, t, i = m.groups()
    if kind == "sym_dash_spaces":
        return f"{n} {rng.choice(['–', '-'])} {t}/{i}"
    if kind == "sym_slash_spaces":
        return f"{n}-{t} / {i}"
    if kind == "sym_no_dash":
        return f"{n}{t}/{i}"
    if kind == "sym_tw_dot":
        if i == "TW":
            return f"{n}-{t}/T.Ư"
        if i == "TU":
            return f"{n}-{t}/TƯ"
    return sym


def choose(rng: random.Random, share: float) -> list[str]:
    """The noise kinds of one document: none for most, 1-3 kinds for ``share`` of them."""
    if rng.random() >= share:
        return []
    return sorted(rng.sample(KINDS, rng.randint(1, 3)))


def wrap(title: str, rng: random.Random, width: int = 80) -> list[str]:
    """A long title broken over lines at spaces, as in the seeds."""
    words, lines, cur = title.split(" "), [], ""
    width = rng.randint(60, 95) if width else width
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


_OLD_TONES = [("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"), ("Ủy", "Uỷ"), ("ủy", "uỷ"),
              ("úy", "uý"), ("òe", "oè"), ("óe", "oé"), ("ỦY", "UỶ")]


def _page_breaks(text: str, rng: random.Random) -> str:
    """Split 1-3 long paragraphs in the middle of a sentence with a blank line (a page break)."""
    paras = text.split("\n")
    long_ones = [k for k, p in enumerate(paras) if len(p) > 200]
    for k in rng.sample(long_ones, min(len(long_ones), rng.randint(1, 3))):
        p = paras[k]
        spaces = [m.start() for m in re.finditer(" ", p)]
        cut = spaces[rng.randrange(len(spaces) // 3, 2 * len(spaces) // 3)]
        paras[k] = p[:cut] + "\n\n" + p[cut + 1 :]
    return "\n".join(paras)


def _html(text: str, rng: random.Random) -> str:
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        line = line.replace("&", "&amp;")
        if rng.random() < 0.3:
            line = line.replace(" ", "&nbsp;", 1)
        if line.isupper() and rng.random() < 0.5:
            line = f"<strong>{line}</strong>"
        out.append(f"<p>{line}</p>" if rng.random() < 0.8 else f"{line}<br/>")
    return "\n".join(out) + "\n"


def apply(text: str, kinds: list[str], rng: random.Random) -> str:
    if "page_break" in kinds:
        text = _page_breaks(text, rng)
    if "old_tones" in kinds:
        for a, b in _OLD_TONES:
            text = text.replace(a, b)
    if "html" in kinds:
        text = _html(text, rng)
    if "nfd" in kinds:
        text = unicodedata.normalize("NFD", text)
    if "literal_crlf" in kinds:
        text = text.replace("\n", "\\r\\n")
    elif "crlf" in kinds:
        text = text.replace("\n", "\r\n")
    return text
