"""Which files are a build's inputs: the documents named, or found in folders, each with its sidecar.

A build of 10^5 files lists them on every run, the local rebuild of one file included, so the listing
spares a ``stat`` wherever a folder's names tell enough. Nothing here decides what a file says: the
extractor's fingerprint (``cache.extractor_fingerprint``) leaves this module out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .convert import SUFFIXES
from .errors import InputError
from .sidecar import SUFFIXES as SIDECARS
from .sidecar import sidecar_path

_SUFFIXES = frozenset(SUFFIXES)


def _is_input_name(name: str) -> bool:
    dot = name.rfind(".")
    return (dot > 0 and name[dot:].lower() in _SUFFIXES and not name.endswith(SIDECARS)
            and not name.startswith((".", "~$")))  # hidden files, Word's lock files


def collect_inputs(paths: list[str]) -> list[Path]:
    """Documents named or found (recursively) in folders, sorted; sidecars are not inputs."""
    return [Path(p) for p, _ in scan_inputs(paths)]


def scan_inputs(paths: list[str]) -> list[tuple[str, str | None]]:
    """:func:`collect_inputs` as path strings, each with its sidecar's path (or None), found from the folder's
    listing rather than a ``stat`` per suffix. Symbolic links to folders are not followed.

    Sorted as ``Path`` objects sort, part by part: by the path with its separators made NUL, which orders
    alike (NUL is below any character of a name) and is a plain string comparison."""
    out: list[tuple[str, str | None]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found: list[tuple[str, str, str | None]] = []
            stack = [str(path)]
            while stack:
                folder = stack.pop()
                with os.scandir(folder) as it:
                    entries = list(it)
                texts: list[tuple[str, str]] = []  # (path, stem)
                names = []
                for e in entries:
                    name = e.name
                    names.append(name)
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    elif _is_input_name(name) and e.is_file():
                        texts.append((e.path, name[: name.rfind(".")]))
                sides = sidecars_in(names)
                prefix = os.path.join(folder, "")
                for f, stem in texts:
                    side = sides.get(stem)
                    found.append((f.replace(os.sep, "\0"), f, None if side is None else prefix + side))
            found.sort(key=lambda t: t[0])
            out.extend((f, side) for _, f, side in found)
        elif path.exists():
            out.append((str(path), sidecar_path(str(path))))
        else:
            raise InputError(p, "no such file or folder")
    return out


def sidecars_in(names: Iterable[str]) -> dict[str, str]:
    """The sidecars among a folder's names, by the stem of the text they describe: what
    :func:`sidecar_path` finds for each text of the folder, in one pass over its listing (where a stem has
    more than one, the first of :data:`docgraph.sidecar.SUFFIXES` wins)."""
    out: dict[str, str] = {}
    rank: dict[str, int] = {}
    for name in names:
        if not name.endswith(SIDECARS):
            continue
        for r, suffix in enumerate(SIDECARS):
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                if r < rank.get(stem, len(SIDECARS)):
                    out[stem], rank[stem] = name, r
                break
    return out
