"""Every third-party module the package imports comes from a dependency pyproject.toml declares.

CI installs into a Python that may already hold other packages (numpy was imported by the view for many
rounds without being declared: a fresh machine's ``pip install .`` then failed at ``docgraph build``).
Here the imports are read from the source and mapped to the distributions that provide them."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "docgraph"

# needed by a call, not by an import of ours: networkx's spring layout above 500 nodes builds a SciPy sparse
# matrix (view_layout.force_positions lays out views of more than DENSE_LAYOUT_MAX_NODES nodes with it)
CALLED = {"scipy": "networkx.spring_layout above 500 nodes (view_layout.force_positions)"}


def _name(requirement: str) -> str:
    """ "pdfminer.six>=20231228" -> "pdfminer-six" (PEP 503)."""
    bare = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def _declared() -> dict[str | None, set[str]]:
    """Distributions by extra (None: the dependencies every install gets)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    out: dict[str | None, set[str]] = {None: {_name(r) for r in project["dependencies"]}}
    for extra, reqs in project.get("optional-dependencies", {}).items():
        out[extra] = {_name(r) for r in reqs}
    return out


def _imports() -> dict[str, tuple[bool, str]]:
    """Top-level third-party module -> (imported when its module is, a file importing it)."""
    found: dict[str, tuple[bool, str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                mod = name.split(".")[0]
                if mod in sys.stdlib_module_names or mod == "docgraph":
                    continue
                eager = id(node) in top
                if mod not in found or (eager and not found[mod][0]):
                    found[mod] = (eager, str(path.relative_to(ROOT)))
    return found


def test_every_module_imported_when_the_package_loads_is_a_declared_dependency() -> None:
    declared = _declared()
    providers = md.packages_distributions()
    imports = _imports()
    assert "rdflib" in imports and "pyoxigraph" in imports  # the scan reads the package
    missing = []
    for mod, (eager, where) in sorted(imports.items()):
        dists = {_name(d) for d in providers.get(mod, [])}
        if not dists:
            assert not eager, f"{where} imports {mod}, which no installed distribution provides"
            continue  # a lazy import of an optional package that is not installed here
        ok = declared[None] if eager else set().union(*declared.values())
        if not dists & ok:
            missing.append(f"{mod} ({', '.join(sorted(dists))}) imported in {where}")
    assert not missing, "not declared in pyproject.toml: " + "; ".join(missing)


def test_what_our_calls_need_is_declared_too() -> None:
    assert set(CALLED) <= _declared()[None], CALLED
