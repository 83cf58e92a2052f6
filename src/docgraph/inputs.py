"""Which files are a build's inputs: the documents named, or found in folders, each with its sidecar.

A build of 10^5 files lists them on every run, the local rebuild of one file included, so the listing
spares a ``stat`` wherever a folder's names tell enough. Nothing here decides what a file says: the
extractor's fingerprint (``cache.extractor_fingerprint``) leaves this module out.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Iterable
from pathlib import Path

from .atomic import atomic_write_bytes
from .cache import _RACY_NS  # a folder changed this recently may change again unseen, as a file may
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


def scan_inputs(paths: list[str], folders: dict[str, tuple[int, int]] | None = None
                ) -> list[tuple[str, str | None]]:
    """:func:`collect_inputs` as path strings, each with its sidecar's path (or None), found from the folder's
    listing rather than a ``stat`` per suffix. Symbolic links to folders are not followed. ``folders``, when
    given, gets each folder's (mtime, ctime) as it was before it was listed, and "" when a folder holds a
    symbolic link (see :func:`scan_listed`).

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
                if folders is not None:
                    st = os.stat(folder)
                    folders[folder] = (st.st_mtime_ns, st.st_ctime_ns)
                with os.scandir(folder) as it:
                    entries = list(it)
                if folders is not None and any(e.is_symlink() for e in entries):
                    folders[""] = (0, 0)
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



def scan_listed(paths: list[str], listing: Path) -> list[tuple[str, str | None]]:
    """:func:`scan_inputs`, taken from the last scan (kept in ``listing``) when no folder it listed changed
    since: a name added, removed or renamed in a folder changes its mtime, an edit inside a file does not.
    A local build of 10^5 files spares its listing so (0.7 s). Kept only when every path is a folder, no
    folder holds a symbolic link, and none was modified in the two seconds before it was listed (its ctime
    too must be the same to be taken again: setting a folder's mtime back does not hide a change)."""
    key = (list(paths), os.getcwd())
    try:
        saved = pickle.loads(listing.read_bytes())
        if saved["key"] == key and all(_folder_state(f) == st for f, st in saved["folders"].items()):
            return list(saved["scanned"])
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError, AttributeError):
        pass
    folders: dict[str, tuple[int, int]] = {}
    scanned = scan_inputs(paths, folders)
    now = time.time_ns()
    if folders and "" not in folders and all(os.path.isdir(p) for p in paths) \
            and all(now - mtime >= _RACY_NS for mtime, _ in folders.values()):
        listing.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(listing, pickle.dumps({"key": key, "folders": folders, "scanned": scanned},
                                                 protocol=pickle.HIGHEST_PROTOCOL))
    else:
        listing.unlink(missing_ok=True)
    return scanned


def _folder_state(folder: str) -> tuple[int, int] | None:
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns)
