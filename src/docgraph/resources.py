"""Where the ontology, shapes and named queries are: inside the installed package
(``docgraph/ontology``, ``docgraph/queries``) or, in a source checkout, at the repository root."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    for candidate in (_PKG / name, _PKG.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"docgraph resource folder {name!r} not found (looked in {_PKG} and the repository)")


def ontology_path(file: str = "docgraph.ttl") -> Path:
    return resource_dir("ontology") / file


def queries_dir() -> Path:
    return resource_dir("queries")
