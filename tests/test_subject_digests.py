"""The compact subject digests a generation keeps (docgraph.subject_digests): a delta build takes out each
subject it gives and learns which of the last generation's are gone, as the dict of them told it."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from docgraph import subject_digests as sd


def _kept(gen: Path, subjects: list[tuple[str, int]]) -> sd.Digests:
    gen.mkdir(exist_ok=True)
    index = gen / "subjects.tsv"
    index.write_text("".join(f"{s}\t{d}\n" for s, d in subjects), "utf-8")
    sd.write_digests(index, gen)
    assert not index.exists()
    return sd.Digests(gen)


SUBJECTS = [(f"https://w3id.org/docgraph/id/doc/tu-ha-tinh/{n}-kh/2020", (n * 7919) % 2**64) for n in range(1, 60)]
SUBJECTS.append(("https://w3id.org/docgraph/id/org/tu/ban-tuyên-giáo", 2**64 - 1))  # not ASCII; the largest


def test_a_delta_takes_out_what_it_gives_and_the_rest_is_gone(tmp_path: Path) -> None:
    old = _kept(tmp_path, SUBJECTS)
    assert pickle.loads((tmp_path / sd.DIGESTS).read_bytes()).keys() == {"hashes", "digests", "starts", "ends"}
    assert old.as_dict() == dict(SUBJECTS)
    given = SUBJECTS[::2]
    assert [old.pop(s, d) for s, d in given] == [d for _, d in given]  # unchanged
    s, d = SUBJECTS[1]
    assert old.pop(s, d + 1) == d  # changed: the old digest, to compare
    assert old.pop(s, d) is None  # taken out once
    assert old.pop("https://w3id.org/docgraph/id/doc/tu-ha-tinh/99-kh/2020", 5) is None  # new
    assert old.rest() == [s for s, _ in SUBJECTS[3::2]]  # gone, in the order they were given
    old.close()


def test_a_local_builds_patch_has_the_last_word(tmp_path: Path) -> None:
    _kept(tmp_path, SUBJECTS).close()
    removed, edited, added = SUBJECTS[0][0], SUBJECTS[1][0], "https://w3id.org/docgraph/id/doc/tu-ha-tinh/7-ct/2021"
    patch = {removed: None, edited: 42, added: 43}
    (tmp_path / sd.DIGEST_PATCH).write_bytes(pickle.dumps(patch))
    old = sd.Digests(tmp_path)
    truth = {s: d for s, d in SUBJECTS if s != removed} | {edited: 42, added: 43}
    assert old.as_dict() == truth
    assert old.pop(removed, 1) is None and old.pop(edited, 42) == 42
    assert old.rest() == [s for s, _ in SUBJECTS[2:]] + [added]  # the one removed is not gone again
    old.close()


def test_a_subject_given_twice_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"subject given twice: .*/12-kh/2020"):
        _kept(tmp_path, [*SUBJECTS, SUBJECTS[11]])


def test_iris_sharing_a_hash_keep_the_dict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sd, "_hash", lambda iri: len(iri) % 3)
    old = _kept(tmp_path, SUBJECTS)
    assert pickle.loads((tmp_path / sd.DIGESTS).read_bytes()) == dict(SUBJECTS)
    assert old.pop(SUBJECTS[0][0], 0) == SUBJECTS[0][1]
    assert old.rest() == [s for s, _ in SUBJECTS[1:]]


def test_a_new_subject_with_an_old_ones_hash_is_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hash of a subject given now may be an old subject's (one in 10^13 at 10^5 documents): its IRI,
    read back, tells them apart when the digests differ."""
    old = _kept(tmp_path, SUBJECTS)
    real = sd._hash
    newcomer = "https://w3id.org/docgraph/id/doc/tu-ha-tinh/1-kh/2021"
    taken = real(SUBJECTS[0][0].encode())
    monkeypatch.setattr(sd, "_hash", lambda iri: taken if iri == newcomer.encode() else real(iri))
    assert old.pop(newcomer, 5) is None
    assert SUBJECTS[0][0] in old.rest()
    assert old.pop(SUBJECTS[0][0], SUBJECTS[0][1]) == SUBJECTS[0][1]
    old.close()
