"""Metadata sidecars: ``NAME.meta.yaml`` (or ``.meta.yml`` / ``.meta.json``) beside ``NAME.txt``.

A sidecar holds facts that are really known about a text (its header may not have been copied).
Sidecar values win over what the parser reads from the text; a disagreement becomes a warning.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.json")
_DATE_KEYS = {"date", "published", "received"}
_KEYS: dict[str, str] = {
    "type": "Vietnamese type name, e.g. Chỉ thị",
    "symbol": "e.g. 12-CT/TU",
    "number": "e.g. 12",
    "date": "issue date, YYYY-MM-DD",
    "issuer": "issuing body as written, e.g. Ban Thường vụ Tỉnh ủy",
    "province": "province name, e.g. Hà Tĩnh",
    "title": "title (trích yếu)",
    "signer": "signer's name",
    "signer_role": "e.g. Phó Bí thư",
    "place": "place of issue",
    "kind": "document or article",
    "published": "publication date of a page, YYYY-MM-DD",
    "received": "date of a received stamp, YYYY-MM-DD",
    "term": "Party term (khóa), roman numeral",
}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML without implicit timestamps: dates stay text, checked here with a clear message. Parsed by
    libyaml where PyYAML has it (a tenth of the pure-Python parser's time, which was 1 ms a sidecar)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def sidecar_for(text_path: Path) -> Path | None:
    """The sidecar of a text, if any."""
    found = sidecar_path(str(text_path))
    return Path(found) if found is not None else None


def sidecar_path(text_path: str) -> str | None:
    """:func:`sidecar_for` on path strings: a ``stat`` per suffix (a folder's listing gives them all at once,
    see ``inputs.sidecars_in``)."""
    folder, name = os.path.split(text_path)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    for suffix in SUFFIXES:
        candidate = os.path.join(folder, stem + suffix)
        if os.path.exists(candidate):
            return candidate
    return None


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SUFFIXES)


def load_sidecar(path: Path) -> dict[str, Any]:
    """Validated sidecar values; raises :class:`InputError` naming file, line and key."""
    name = str(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(name, f"sidecar is not UTF-8 text (byte {e.start})") from None
    except OSError as e:  # vanished or unreadable between listing and reading
        raise InputError(name, f"sidecar cannot be read ({e.strerror or e})") from None
    lines: dict[str, int] = {}
    if path.suffix == ".json":
        try:
            data = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError as e:
            raise InputError(name, f"malformed JSON: {e.msg}", f"{e.lineno}:{e.colno}") from None
    else:
        try:
            loader = _Loader(raw)
            try:  # one parse gives the values and the line of each key
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else {}
            finally:
                loader.dispose()
        except yaml.YAMLError as e:
            # where the broken construct started (an unclosed "[" …), else where parsing failed
            mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
            where = f"{mark.line + 1}:{mark.column + 1}" if mark else None
            problem = getattr(e, "problem", None) or str(e).splitlines()[0]
            raise InputError(name, f"malformed YAML: {problem}", where) from None
        if isinstance(node, yaml.MappingNode):
            lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(name, "a sidecar must be a mapping of keys to values", 1)
    out: dict[str, Any] = {}
    for key, value in data.items():
        where = lines.get(str(key))
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise InputError(name, f"unknown key {key!r} (known keys: {known})", where)
        if value is None:
            continue
        if key in _DATE_KEYS:
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value.strip()).isoformat()
                except ValueError:
                    raise InputError(name, f"key {key!r}: {value!r} is not a date (YYYY-MM-DD)", where) from None
            else:
                raise InputError(name, f"key {key!r}: expected a date (YYYY-MM-DD), got {type(value).__name__}",
                                 where)
        elif key == "number" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif not isinstance(value, str):
            raise InputError(name, f"key {key!r}: expected text ({_KEYS[key]}), got {type(value).__name__}", where)
        if key == "kind" and value not in ("document", "article"):
            raise InputError(name, f"key 'kind': {value!r} is not 'document' or 'article'", where)
        out[key] = value.strip() if isinstance(value, str) else value
    return out
