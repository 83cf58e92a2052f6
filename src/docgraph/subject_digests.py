"""The subject digests a generation keeps for the next delta build (docgraph.store_write), compact.

A delta build compares every subject's digest with the last generation's and must find the subjects that
are gone. Kept as a dict of IRI -> digest, the 4.4M subjects of 10^5 documents took 800 MB and 4.5 s to
load, beside a corpus of 3 GB: the delta build's peak. Here they are four arrays of 8-byte integers
sorted by a 64-bit hash of each IRI (the hash, the digest, where the IRI starts and ends), 140 MB, and the IRIs in
a file of their own (``subjects.iris``), read only for the subjects that are gone or whose digest
differs. Two IRIs with one hash (about one corpus in 10^6 at this size) keep the dict, as before.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import operator
import os
import pickle
from array import array
from pathlib import Path
from typing import Any, BinaryIO

from .atomic import atomic_write_bytes

DIGESTS = "subjects.pickle"
DIGEST_IRIS = "subjects.iris"  # the IRIs, one after another, in the order the build gave the subjects
DIGEST_PATCH = "subjects.patch.pickle"  # a local build's changes to the digests (docgraph.local_build)


def _hash(iri: bytes) -> int:
    """The 64-bit hash the subjects are sorted by (write_digests computes it inline, the same way)."""
    return int.from_bytes(hashlib.blake2b(iri, digest_size=8).digest(), "little")


def write_digests(index: Path, gen: Path) -> None:
    """``subjects.pickle`` and ``subjects.iris`` in ``gen`` from ``index`` (a subject and its digest per
    line, as store_write leaves them), which is then removed; a subject given twice is an error."""
    hashes, digests, offsets = array("Q"), array("Q"), array("Q", [0])
    iris = gen / DIGEST_IRIS
    tmp = iris.with_name(f".{iris.name}.{os.getpid()}.tmp")
    hash_ = _hash
    try:
        with open(index, "rb") as fh, open(tmp, "wb") as out:  # bytes throughout: ~10 s for 4.4M subjects
            end = 0
            for line in fh:
                iri, _, d = line.rpartition(b"\t")
                out.write(iri)
                end += len(iri)
                offsets.append(end)
                hashes.append(hash_(iri))
                digests.append(int(d))
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        sorted_hashes = array("Q", map(hashes.__getitem__, order))
        kept: Any = {"hashes": sorted_hashes.tobytes(),
                     "digests": array("Q", map(digests.__getitem__, order)).tobytes(),
                     "starts": array("Q", map(offsets.__getitem__, order)).tobytes(),
                     "ends": array("Q", (offsets[i + 1] for i in order)).tobytes()}
        if any(map(operator.eq, sorted_hashes, itertools.islice(sorted_hashes, 1, None))):  # nearly never
            with open(tmp, "rb") as blob:
                for a, b in itertools.pairwise(order):
                    if hashes[a] == hashes[b]:
                        one = _read(blob, offsets[a], offsets[a + 1])
                        if one == _read(blob, offsets[b], offsets[b + 1]):
                            raise ValueError(f"subject given twice: {one}")
                        kept = None  # two IRIs, one hash: keep the dict
                if kept is None:
                    kept = {_read(blob, offsets[i], offsets[i + 1]): digests[i] for i in range(len(hashes))}
        os.replace(tmp, iris)
    finally:
        tmp.unlink(missing_ok=True)
    atomic_write_bytes(gen / DIGESTS, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    index.unlink()


def _read(blob: BinaryIO, start: int, end: int) -> str:
    blob.seek(start)
    return blob.read(end - start).decode("utf-8")


class Digests:
    """A generation's subject digests with its local builds' patch on top, as a delta build reads them:
    :meth:`pop` each subject it gives, then :meth:`rest` are the subjects gone."""

    def __init__(self, gen: Path) -> None:
        kept = pickle.loads((gen / DIGESTS).read_bytes())
        patch = gen / DIGEST_PATCH
        self._patch: dict[str, int | None] = pickle.loads(patch.read_bytes()) if patch.exists() else {}
        self._dict: dict[str, int] | None = None
        self._blob: BinaryIO | None = None
        if isinstance(kept, dict) and "hashes" not in kept:  # the dict (an older store's, or a hash shared)
            self._dict = kept
            for s in self._patch:  # the patch has the last word on these
                kept.pop(s, None)
            return
        self._hashes, self._digests = array("Q", kept["hashes"]), array("Q", kept["digests"])
        self._starts, self._ends = array("Q", kept["starts"]), array("Q", kept["ends"])
        self._seen = bytearray(len(self._hashes))
        self._blob = open(gen / DIGEST_IRIS, "rb")
        for s in self._patch:
            k = self._find(s)
            if k is not None:
                self._seen[k] = 1

    def _iri(self, k: int) -> str:
        assert self._blob is not None
        return _read(self._blob, self._starts[k], self._ends[k])

    def _slot(self, s: str) -> int | None:
        """Where a subject with the hash of ``s`` sits among the kept ones (it may be another one)."""
        h = _hash(s.encode("utf-8"))
        k = bisect.bisect_left(self._hashes, h)
        return k if k < len(self._hashes) and self._hashes[k] == h else None

    def _find(self, s: str) -> int | None:
        """The position of ``s`` among the kept subjects (its IRI read back: another may share its hash)."""
        k = self._slot(s)
        return k if k is not None and self._iri(k) == s else None

    def pop(self, s: str, digest: int) -> int | None:
        """The subject's digest in the last generation (None: it was not there), taken out. ``digest``, its
        digest now, spares reading its IRI back when the two agree (the digest covers the IRI)."""
        if s in self._patch:
            return self._patch.pop(s)
        if self._dict is not None:
            return self._dict.pop(s, None)
        k = self._slot(s)
        if k is None or self._seen[k]:
            return None
        was = self._digests[k]
        if was != digest and self._iri(k) != s:
            return None  # another subject with its hash
        self._seen[k] = 1
        return was

    def rest(self) -> list[str]:
        """The subjects of the last generation not taken out, in the order they were kept."""
        out = [s for s, d in self._patch.items() if d is not None]
        if self._dict is not None:
            return list(self._dict) + out
        gone, k = [], self._seen.find(0)
        while k >= 0:
            gone.append(k)
            k = self._seen.find(0, k + 1)
        return [self._iri(k) for k in sorted(gone, key=self._starts.__getitem__)] + out

    def as_dict(self) -> dict[str, int]:
        """Every subject and its digest (for tests and tools: it reads every IRI)."""
        if self._dict is not None:
            base = dict(self._dict)
        else:
            base = {self._iri(k): self._digests[k] for k in range(len(self._hashes))}
        for s, d in self._patch.items():
            if d is None:
                base.pop(s, None)
            else:
                base[s] = d
        return base

    def close(self) -> None:
        if self._blob is not None:
            self._blob.close()
            self._blob = None
