"""Stable, readable instance IRIs under one configurable base (``DOCGRAPH_BASE``)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

from .namespaces import base_iri

_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII fold of Vietnamese text: diacritics and tone marks dropped, đ -> d."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """``"Ban Dân vận Tỉnh ủy"`` -> ``"ban-dan-van-tinh-uy"``."""
    return _NON_SLUG.sub("-", fold(text)).strip("-") or "x"


def short_hash(*parts: object, length: int = 10) -> str:
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return h[:length]


def iri(*segments: str) -> URIRef:
    """``iri("doc", "tw", "102-kl", "2014")`` -> ``<base>doc/tw/102-kl/2014``."""
    return URIRef(base_iri() + "/".join(segments))
