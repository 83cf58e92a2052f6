"""The parse cache: a parsed document is kept by the hash of everything its parse depends on.

Key = BLAKE2b of (extractor fingerprint, the name the file is shown under, the file's bytes, its
sidecar's bytes). The extractor fingerprint hashes the package version, the source of every module
and every domain data file, so a new extractor never reuses an old parse. Entries are slim parsed
documents (see :meth:`ParsedDocument.slim`), pickled and zlib-compressed, written atomically; a
damaged entry is treated as missing. A rebuild parses only the files whose key is not in the cache.

Layout: ``<store>/cache/parse/ab/abcdef….pickle.z`` (``DOCGRAPH_CACHE`` or ``--cache`` elsewhere).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, overload

from .model import ParsedDocument
from .sidecar import sidecar_for, sidecar_path

_FORMAT = b"docgraph-parse-cache-1"


# Modules that run after parsing: editing them cannot change a parse. Everything else in the package (a
# new module included) counts, so a stale parse can never be reused; at worst the cache is rebuilt.
_DOWNSTREAM = re.compile(r"(build.*|local_build|replay|cache|heap|inputs|resolve|reorganization|triples|ntriples|vocab"
                         r"|validate.*|shacl_.*|store.*|remote|queries|chain|tasks|graphdata|view.*|export|serve.*"
                         r"|cli.*|stats.*|subject_digests|__main__)\.py")


@cache
def extractor_fingerprint() -> bytes:
    """Hash of the code and data a parse depends on: the package minus the modules that run after it."""
    root = Path(__file__).parent
    h = hashlib.blake2b(_FORMAT, digest_size=16)
    for p in sorted(root.rglob("*")):
        if _DOWNSTREAM.fullmatch(p.name) and p.parent == root:
            continue
        if p.suffix in (".py", ".json", ".yaml", ".txt") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.digest()


def parse_key(path: Path, name: str) -> str:
    """The cache key of ``path`` shown as ``name`` (raises OSError when it cannot be read)."""
    h = hashlib.blake2b(extractor_fingerprint(), digest_size=20)
    h.update(name.encode("utf-8", "surrogateescape") + b"\0")
    h.update(path.read_bytes())
    side = sidecar_for(path)
    h.update(b"\0sidecar\0")
    if side is not None:
        h.update(side.read_bytes())
    return h.hexdigest()


# A file modified this recently may change again within the file system's timestamp resolution unseen
_RACY_NS = 2_000_000_000

FileState = tuple[int, int, int, int, int] | None  # size, mtime, inode of the file; size, mtime of its sidecar


def file_state(path: str | Path) -> FileState:
    """What ``stat`` says of a file and its sidecar, taken before they are read; equal states mean unchanged
    bytes (as ``git status`` trusts its index). None when too fresh to trust: the file was modified within
    the last two seconds, so a later edit in the same clock tick could leave its state as is."""
    p = os.fspath(path)
    return stat_state(p, sidecar_path(p), time.time_ns())


def stat_state(path: str, side: str | None, now_ns: int) -> FileState:
    """:func:`file_state` of a file whose sidecar is known (``inputs.scan_inputs`` lists them), as of
    ``now_ns`` (a clock read before the first of a run of calls: a file modified since is too fresh)."""
    st = os.stat(path)
    if side is None:
        if now_ns - max(st.st_mtime_ns, st.st_ctime_ns) < _RACY_NS:
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ino, -1, -1)
    ss = os.stat(side)
    if now_ns - max(st.st_mtime_ns, ss.st_mtime_ns, st.st_ctime_ns, ss.st_ctime_ns) < _RACY_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, ss.st_size, ss.st_mtime_ns)


class ParseCache:
    """Slim parsed documents on disk, by :func:`parse_key`."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root) / "parse"

    def _file(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle.z"

    def get(self, key: str) -> ParsedDocument | None:
        raw = self.get_raw(key)
        return None if raw is None else self.load(raw)

    def get_raw(self, key: str) -> bytes | None:
        """The entry as stored (compressed): a build keeps it so, a third of the unpacked size, and unpacks
        it only while resolving (see :class:`PackedDocuments`)."""
        try:
            return self._file(key).read_bytes()
        except OSError:
            return None

    @staticmethod
    def load(raw: bytes) -> ParsedDocument | None:
        """The document of an entry, None when it is damaged or from another layout (a miss)."""
        try:
            doc = pickle.loads(zlib.decompress(raw))
        except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            return None
        return doc if isinstance(doc, ParsedDocument) else None

    def put(self, key: str, doc: ParsedDocument | bytes) -> None:
        """Keep ``doc`` (or its :func:`pack`) under ``key``."""
        f = self._file(key)
        # rename without fsync: a crash can only leave an entry missing or unreadable, i.e. a cache miss
        tmp = f.with_name(f".{f.name}.{os.getpid()}.tmp")
        data = doc if isinstance(doc, bytes) else pack(doc)
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:  # the first entry of its folder (not made each time: a system call per file)
            f.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, f)

    def prune(self, keep: set[str]) -> int:
        """Remove entries not in ``keep`` (files no longer in the corpus); returns how many."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for f in self.root.glob("*/*.pickle.z"):
            if f.name.split(".", 1)[0] not in keep:
                f.unlink(missing_ok=True)
                removed += 1
        return removed


def pack(obj: object) -> bytes:
    """Pickled, zlib-compressed: a slim document as a cache entry stores it (9 KB -> 2.7 KB), or a
    local-build record."""
    return zlib.compress(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(packed: bytes) -> Any:
    return pickle.loads(zlib.decompress(packed))


@dataclass(frozen=True, slots=True)
class PackedInfo:
    """What a build needs of a document without unpacking it."""

    source: str
    content_hash: str
    warned: bool
    converted: bool
    head: bytes | None = None  # resolve.pack_head of the document (see PackedDocuments.heads)


T = TypeVar("T")


class Decoded(Sequence[T]):
    """Items kept in a compact form and decoded (:meth:`_decode`) each time one is read: 10^5 parsed
    documents packed, or a build's warnings as text, cost a fraction of the objects they stand for."""

    def __init__(self, raw: list[Any]) -> None:
        self._raw = raw

    def _decode(self, raw: Any) -> T:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._decode(r) for r in self._raw[i]]
        return self._decode(self._raw[i])

    def __iter__(self) -> Iterator[T]:
        return (self._decode(r) for r in self._raw)


class PackedDocuments(Decoded[ParsedDocument]):
    """Parsed documents kept packed (as cache entries are) and unpacked one at a time when read: 10^5 slim
    documents take ~270 MB so, against ~1.8 GB unpacked. Read it in order (``resolve`` reads it twice)."""

    def __init__(self) -> None:
        super().__init__([])
        self.info: list[PackedInfo] = []

    def append(self, packed: bytes, info: PackedInfo) -> None:
        self._raw.append(packed)
        self.info.append(info)

    def heads(self) -> list[bytes] | None:
        """Each document's :func:`~docgraph.resolve.pack_head`, when every one came with it."""
        heads = []
        for i in self.info:
            if i.head is None:
                return None
            heads.append(i.head)
        return heads

    def _decode(self, raw: bytes) -> ParsedDocument:
        doc = ParseCache.load(raw)
        if doc is None:  # entries are checked when added (see build.parse_inputs): this is a bug
            raise RuntimeError("a packed document no longer unpacks")
        return doc
