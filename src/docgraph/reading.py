"""Reading input files: published documents (text in any common Vietnamese encoding, HTML, Word, PDF) -> text,
refusing what is not a document with one clear line.

``read_document`` returns the whole :class:`~docgraph.convert.Converted` (text, metadata, page map, converter);
``read_text`` and ``decode`` return only its text, the text every span points into.
"""

from __future__ import annotations

import os
from pathlib import Path

from .convert import SUFFIXES, Converted, convert_bytes, convert_file
from .errors import InputError
from .sidecar import SUFFIXES as SIDECARS

TEXT_SUFFIXES = SUFFIXES  # every suffix ``collect_inputs`` picks up in a folder
MAX_BYTES = 256 * 1024 * 1024  # larger files are refused rather than read into memory


def decode(data: bytes, name: str) -> str:
    """A file's bytes (standard input, say) -> its text; a PDF or Word file is converted, not refused."""
    return convert_bytes(data, name).text


def read_document(path: Path, name: str | None = None) -> Converted:
    """Read and convert one file; InputError (one line, ``file: problem``) when it cannot be read."""
    name = name or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    if size > MAX_BYTES:
        raise InputError(name, f"too large ({size / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB)")
    return convert_file(path, name)


def read_text(path: Path, name: str | None = None) -> str:
    return read_document(path, name).text


def _is_input_name(name: str) -> bool:
    dot = name.rfind(".")
    return (dot > 0 and name[dot:].lower() in SUFFIXES and not name.endswith(SIDECARS)
            and not name.startswith((".", "~$")))  # hidden files, Word's lock files


def collect_inputs(paths: list[str]) -> list[Path]:
    """Documents named or found (recursively) in folders, sorted; sidecars are not inputs."""
    return [Path(p) for p, _ in scan_inputs(paths)]


def scan_inputs(paths: list[str]) -> list[tuple[str, frozenset[str] | None]]:
    """:func:`collect_inputs` as path strings, each with the names in its folder (None for a file named
    itself), so sidecars are found without a ``stat`` each. Symbolic links to folders are not followed."""
    out: list[tuple[str, frozenset[str] | None]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found: list[tuple[list[str], str, frozenset[str]]] = []
            stack = [str(path)]
            while stack:
                folder = stack.pop()
                with os.scandir(folder) as it:
                    entries = list(it)
                names = frozenset(e.name for e in entries)
                for e in entries:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    elif _is_input_name(e.name) and e.is_file():
                        found.append((e.path.split(os.sep), e.path, names))
            found.sort(key=lambda t: t[0])  # as Paths sort: part by part
            out.extend((f, names) for _, f, names in found)
        elif path.exists():
            out.append((str(path), None))
        else:
            raise InputError(p, "no such file or folder")
    return out
