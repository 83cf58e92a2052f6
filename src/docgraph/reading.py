"""Reading input files: published documents (text in any common Vietnamese encoding, HTML, Word, PDF) -> text,
refusing what is not a document with one clear line.

``read_document`` returns the whole :class:`~docgraph.convert.Converted` (text, metadata, page map, converter);
``read_text`` and ``decode`` return only its text, the text every span points into.
"""

from __future__ import annotations

from pathlib import Path

from .convert import Converted, convert_bytes, convert_file
from .errors import InputError

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
