"""The parse cache: a parsed document is kept by the hash of everything its parse depends on.

Key = BLAKE2b of (extractor fingerprint, the name the file is shown under, the file's bytes, its
sidecar's bytes). The extractor fingerprint hashes the package version, the source of every module
and every domain data file, so a new extractor never reuses an old parse. Entries are slim parsed
documents (see :meth:`ParsedDocument.slim`), pickled and zstd-compressed, written atomically; a
damaged entry is treated as missing. A rebuild parses only the files whose key is not in the cache.

Layout: ``<store>/cache/parse/ab/abcdef….pickle.z`` (``DOCGRAPH_CACHE`` or ``--cache`` elsewhere), one file
per entry; a build that parses many files at once keeps their entries in packs instead
(``parse/packs/<name>.pack``, the entries one after another, and ``<name>.idx``, where each one is; see
:class:`PackWriter`): creating a small file takes 0.4–0.6 ms of CPU on this machine kind, a tenth of a
parse, and a build from scratch creates one per input file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, overload

import zstandard

from .model import ParsedDocument
from .sidecar import sidecar_for, sidecar_path

_FORMAT = b"docgraph-parse-cache-2"  # 2: zstd, where 1 was zlib


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
        self.packs = self.root / "packs"

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
            return packed_entry(self.packs, key)

    def discard(self, key: str) -> None:
        """Remove the entry's own file (a damaged one: an entry in a pack then wins, see :class:`PackWriter`)."""
        self._file(key).unlink(missing_ok=True)

    @staticmethod
    def load(raw: bytes) -> ParsedDocument | None:
        """The document of an entry, None when it is damaged or from another layout (a miss)."""
        try:
            doc = pickle.loads(decompress(raw))
        except (zstandard.ZstdError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
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
        """Remove entries not in ``keep`` (files no longer in the corpus); returns how many. A pack loses them
        from its index, and is written again without them once they are half its bytes (see
        :func:`prune_packs`)."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for f in self.root.glob("*/*.pickle.z"):
            if f.name.split(".", 1)[0] not in keep:
                f.unlink(missing_ok=True)
                removed += 1
        return removed + prune_packs(self.packs, keep)


# -- packs: many entries in one file -------------------------------------------------------------------
PACK_BATCH = 5_000  # entries per pack (a build stopped half-way keeps the packs it finished)
PACK_LEAST = 200  # fewer entries than this left at the end of a build: a file each (no small packs pile up)
PackIndex = dict[str, tuple[int, int]]  # key -> (offset, length) in the pack
_indexes: dict[str, tuple[int, PackIndex]] = {}  # this process's: index file -> (its inode, index)
_listings: dict[str, tuple[int, int, list[tuple[Path, PackIndex]]]] = {}  # folder -> (mtime, listed at, packs)


class PackWriter:
    """The entries a build parsed, written in packs of :data:`PACK_BATCH` as they come (by the build's own
    process: its parse workers create no file). ``<name>.pack`` holds the entries one after another,
    ``<name>.idx`` (a pickled :data:`PackIndex`) where each one is; the pack is renamed into place before its
    index, so an index never names a pack not yet whole. Names start with the time, and a newer pack's entry
    wins over an older one's. :meth:`close` writes what is left: a pack, or a file per entry when fewer than
    :data:`PACK_LEAST` (a rebuild that parses a few files). Creating a file costs 0.4–0.6 ms of CPU on this
    machine kind: at 10^5 files, 50–60 core-seconds of a build from scratch (bench: the parse stage of 6,000
    files with and without the per-file writes)."""

    def __init__(self, cache: ParseCache, batch: int | None = None, least: int | None = None) -> None:
        self.cache = cache
        self.batch = batch if batch is not None else PACK_BATCH
        self.least = least if least is not None else PACK_LEAST
        self.pending: list[tuple[str, bytes]] = []
        self.packs = 0  # packs written

    def add(self, key: str, data: bytes) -> None:
        self.pending.append((key, data))
        if len(self.pending) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        write_pack(self.cache.packs, self.pending)
        self.pending = []
        self.packs += 1

    def close(self) -> None:
        if len(self.pending) >= self.least:
            self._flush()
        for key, data in self.pending:
            self.cache.put(key, data)
        self.pending = []


def write_pack(packs: Path, entries: list[tuple[str, bytes]]) -> Path:
    """A new pack of ``entries`` (and its index) in the folder ``packs``; returns the pack's path."""
    packs.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{os.getpid()}-{secrets.token_hex(4)}"
    index: PackIndex = {}
    pack = packs / f"{name}.pack"
    tmp = packs / f".{name}.pack.tmp"
    try:
        with open(tmp, "wb") as fh:
            offset = 0
            for key, data in entries:
                fh.write(data)
                index[key] = (offset, len(data))
                offset += len(data)
        os.replace(tmp, pack)  # no fsync, as put: a crash can only leave entries unreadable, i.e. misses
    finally:
        tmp.unlink(missing_ok=True)
    _write_index(pack.with_suffix(".idx"), index)
    return pack


def _write_index(path: Path, index: PackIndex) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def pack_indexes(packs: Path) -> list[tuple[Path, PackIndex]]:
    """Each pack of the folder with its index, newest first. A parse worker asks at every entry it does not
    find in a file of its own, so what it found is kept for the process: packs and indexes are only ever
    renamed into place or removed, which changes the folder's mtime. That mtime is trusted as ``git``
    trusts its index (see :func:`file_state`): only when the folder was listed more than :data:`_RACY_NS`
    after it, since a change in the same clock tick would leave it as it was. An index is read again only
    when its file is a new one (a new inode, which listing the folder tells without a ``stat`` per file)."""
    try:
        mtime = os.stat(packs).st_mtime_ns
    except OSError:
        return []
    memo = _listings.get(str(packs))
    if memo is not None and memo[0] == mtime and memo[1] - mtime > _RACY_NS:
        return memo[2]
    now = time.time_ns()
    out = _read_indexes(packs)
    _listings[str(packs)] = (mtime, now, out)
    return out


def _read_indexes(packs: Path) -> list[tuple[Path, PackIndex]]:
    try:
        found = sorted((e for e in os.scandir(packs) if e.name.endswith(".idx") and not e.name.startswith(".")),
                       key=lambda e: e.name, reverse=True)
    except OSError:
        return []
    out = []
    for e in found:
        memo = _indexes.get(e.path)
        if memo is None or memo[0] != e.inode():
            try:
                index = pickle.loads(Path(e.path).read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
                continue  # a damaged index: its entries are misses
            if not isinstance(index, dict):
                continue
            memo = _indexes[e.path] = (e.inode(), index)
        out.append((Path(e.path[: -len(".idx")] + ".pack"), memo[1]))
    return out


def packed_entry(packs: Path, key: str) -> bytes | None:
    """The entry of ``key`` in the newest pack that has it, as stored; None when none has (or it is cut)."""
    for pack, index in pack_indexes(packs):
        at = index.get(key)
        if at is None:
            continue
        try:
            with open(pack, "rb") as fh:
                fh.seek(at[0])
                data = fh.read(at[1])
        except OSError:
            return None
        return data if len(data) == at[1] else None
    return None


_ORPHAN_S = 3600  # a pack with no index this old was cut short by a crash


def prune_packs(packs: Path, keep: set[str]) -> int:
    """Drop the entries not in ``keep`` from every pack's index; a pack with none left is removed, one whose
    kept entries are less than half its bytes is written again with them alone. Returns how many entries
    went."""
    removed = 0
    for pack, index in pack_indexes(packs):
        live = {k: at for k, at in index.items() if k in keep}
        if len(live) == len(index):
            continue
        removed += len(index) - len(live)
        idx = pack.with_suffix(".idx")
        try:
            size = pack.stat().st_size
        except OSError:
            size = 0
        if live and 2 * sum(n for _, n in live.values()) >= size:
            _write_index(idx, live)
            continue
        if live:
            with open(pack, "rb") as fh:
                entries = []
                for key, (offset, n) in live.items():
                    fh.seek(offset)
                    entries.append((key, fh.read(n)))
            write_pack(packs, entries)  # before the old one goes: its entries are never missing
        idx.unlink(missing_ok=True)  # the index first: no index ever names a missing pack
        pack.unlink(missing_ok=True)
    now = time.time()
    try:
        orphans = [e for e in os.scandir(packs) if e.name.endswith(".pack") and not e.name.startswith(".")]
    except OSError:
        return removed
    for e in orphans:
        try:
            if not os.path.exists(e.path[: -len(".pack")] + ".idx") and now - e.stat().st_mtime > _ORPHAN_S:
                Path(e.path).unlink(missing_ok=True)
        except OSError:
            continue  # (gone meanwhile)
    return removed


X = TypeVar("X")
Y = TypeVar("Y")


def ahead(batches: Iterable[list[X]], fn: Callable[[list[X]], list[Y]]) -> Iterator[list[Y]]:
    """``fn`` of each batch, in order, on a thread of its own one batch ahead of the caller: for work that
    runs without Python's lock (zstd), which then takes the core a single-threaded stage leaves idle (the
    local-build index, at 10^5 documents 18–22 s on one core of two). The thread takes the lock back after
    each call, so it keeps up only while the caller lets go of it too (sqlite does, as it writes the rows;
    decompressing the parses ahead of the resolver, which holds it throughout, gained nothing)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="docgraph-ahead") as pool:
        pending: Future[list[Y]] | None = None
        for b in batches:
            nxt = pool.submit(fn, b)
            if pending is not None:
                yield pending.result()
            pending = nxt
        if pending is not None:
            yield pending.result()


def batches(items: Iterable[X], size: int = 256) -> Iterator[list[X]]:
    batch: list[X] = []
    for x in items:
        batch.append(x)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def packed(rows: Iterable[tuple[X, object]]) -> Iterator[tuple[X, bytes]]:
    """(key, :func:`pack` of the object) for each (key, object), in order, compressed on a thread beside the
    pickling (see :func:`ahead`)."""
    pickled = ((k, pickle.dumps(o, protocol=pickle.HIGHEST_PROTOCOL)) for k, o in rows)
    for out in ahead(batches(pickled), _compress):
        yield from out


def _compress(rows: list[tuple[X, bytes]]) -> list[tuple[X, bytes]]:
    return [(k, compress(r)) for k, r in rows]


# zstd at level 3: a 9.9 KB parse in 38 µs to 2.8 KB, back in 12 µs, where zlib at level 1 took 102 and 33 µs
# for 2.9 KB. A compressor or decompressor serves one thread at a time: each thread has its own.
_CODECS = threading.local()


def compress(raw: bytes) -> bytes:
    try:
        c = _CODECS.compressor
    except AttributeError:
        c = _CODECS.compressor = zstandard.ZstdCompressor(level=3)
    return c.compress(raw)


def decompress(data: bytes) -> bytes:
    """Raises zstandard.ZstdError on bytes that are not a whole frame of :func:`compress`."""
    try:
        d = _CODECS.decompressor
    except AttributeError:
        d = _CODECS.decompressor = zstandard.ZstdDecompressor()
    return d.decompress(data)


def pack(obj: object) -> bytes:
    """Pickled, compressed: a slim document as a cache entry stores it (9.9 KB -> 2.8 KB), or a
    local-build record."""
    return compress(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def unpack(packed: bytes) -> Any:
    return pickle.loads(decompress(packed))


@dataclass(frozen=True, slots=True)
class PackedInfo:
    """What a build needs of a document without unpacking it."""

    source: str
    content_hash: str
    warned: bool
    converted: bool
    head: bytes | None = None  # resolve.pack_head of the document (see PackedDocuments.heads)
    # resolve.resolution_sig and resolve.pack_lean of the document, made where it was parsed: a build's
    # resolution runs on one core while the parse ran on all of them (see PackedDocuments.traced)
    sig: bytes | None = None
    lean: bytes | None = None


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

    def traced(self, i: int) -> tuple[bytes, bytes] | None:
        """The ``i``-th document's (resolution_sig, pack_lean), when it came with them."""
        info = self.info[i]
        return (info.sig, info.lean) if info.sig is not None and info.lean is not None else None

    def _decode(self, raw: bytes) -> ParsedDocument:
        doc = ParseCache.load(raw)
        if doc is None:  # entries are checked when added (see build.parse_inputs): this is a bug
            raise RuntimeError("a packed document no longer unpacks")
        return doc
