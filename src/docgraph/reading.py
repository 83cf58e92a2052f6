"""Reading input files: bytes -> text, refusing what is not a text document with one clear line."""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".text", ".md")


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused."""
    if not data.strip():
        raise InputError(name, "empty file: no text to read")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(name, f"broken UTF-16 text at byte {e.start}") from None
    if data.startswith(b"%PDF-"):
        raise InputError(name, "a PDF file, not text (convert it to text first)")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InputError(name, "a Word/ZIP file, not text (convert it to text first)")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(name, f"binary file (NUL byte at offset {nul}), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(name, f"not UTF-8 text (invalid byte at offset {e.start}); save it as UTF-8") from None
    if not text.strip():
        raise InputError(name, "empty file: no text to read")
    return text


def read_text(path: Path, name: str | None = None) -> str:
    name = name or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    return decode(data, name)


def collect_inputs(paths: list[str]) -> list[Path]:
    """Text files named or found (recursively) in folders, sorted; sidecars are not inputs."""
    from .sidecar import is_sidecar

    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(q for q in path.rglob("*") if q.is_file() and q.suffix.lower() in TEXT_SUFFIXES
                              and not is_sidecar(q) and not q.name.startswith(".")))
        elif path.exists():
            out.append(path)
        else:
            raise InputError(p, "no such file or folder")
    return out
