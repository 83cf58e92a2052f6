"""Incremental builds give exactly what a full build gives (issue 6), on a 1,000-document synthetic corpus.

A store is built from scratch; then files are edited, added, removed and a sidecar changed, and the store
is updated as a delta of its last build. Its triples must equal those of a from-scratch build of the same
files with an empty parse cache. Undoing every change must give back the first build's triples.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from docgraph.build import build
from docgraph.cache import ParseCache, parse_key
from docgraph.store import Store

ROOT = Path(__file__).resolve().parents[1]
DOCS = 1000


def _lines(store: Path) -> set[bytes]:
    return set(Store(store).dump(ox.RdfFormat.N_TRIPLES).splitlines())


def _generate(out: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--out", str(out), *args],
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("inc") / "corpus"
    _generate(out, "--docs", str(DOCS), "--seed", "11")
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _restore(folder: Path, snap: dict[str, bytes]) -> None:
    for p in folder.iterdir():
        if p.is_file() and p.name not in snap:
            p.unlink()
    for name, data in snap.items():
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


def test_delta_build_equals_full_build(corpus: Path, tmp_path: Path) -> None:
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    original = _snapshot(work)
    store = tmp_path / "store"
    first = build([str(work)], store)
    assert first.written and first.mode == "scratch" and first.parsed == DOCS
    first_lines = _lines(store)

    # edits: one assignment added, a sidecar's province changed, a document's own symbol changed (its IRI and
    # the citations of it elsewhere move), a file removed, 25 files added that cite the corpus
    _generate(work, "--change-one")
    sidecar = next(p for p in sorted(work.glob("*.meta.yaml"))[3:] if "province:" in p.read_text("utf-8"))
    text = sidecar.read_text("utf-8")
    moved = "Nghệ An" if "Hà Tĩnh" in text else "Hà Tĩnh"
    sidecar.write_text("".join(f'province: "{moved}"\n' if line.startswith("province:") else line
                               for line in text.splitlines(keepends=True)), "utf-8")
    texts = sorted(work.glob("*.txt"))
    victim = next(p for p in texts[10:] if "\nSố: " in p.read_text("utf-8")[:400])
    victim.write_text(victim.read_text("utf-8").replace("\nSố: ", "\nSố: 9", 1), "utf-8")
    texts[5].unlink()
    _generate(work, "--add", "25")

    delta = build([str(work)], store)
    violations = [str(f) for f in (delta.report.violations if delta.report else [])]
    assert delta.written and delta.mode == "delta", violations[:5]
    assert 0 < delta.parsed <= 30, delta.parsed  # only the changed and new files were parsed again
    assert delta.changed > 0

    scratch_store = tmp_path / "scratch"
    full = build([str(work)], scratch_store, cache_dir=tmp_path / "empty-cache", incremental=False)
    assert full.written and full.mode == "scratch" and full.parsed == DOCS - 1 + 25
    delta_lines = _lines(store)
    assert delta_lines == _lines(scratch_store)
    # counted, not read from the store: the last count, less the triples removed, plus those added
    assert delta.triples == full.triples == Store(store).manifest["triples"] == len(Store(store).ox_store)
    assert delta_lines != first_lines
    assert Store(store).manifest["documents"] == Store(scratch_store).manifest["documents"]

    # undo everything: the delta build gives back the first build, triple for triple
    _restore(work, original)
    back = build([str(work)], store)
    # the store's cache kept only the parses of the edited corpus: the four files edited or removed are
    # parsed again (the 25 added ones are gone)
    assert back.mode == "delta" and back.parsed == 4
    assert _lines(store) == first_lines and back.triples == first.triples


def test_parse_cache_key_follows_text_sidecar_and_name(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("CHỈ THỊ\nvề việc A\n", "utf-8")
    k1 = parse_key(text, "a.txt")
    assert parse_key(text, "a.txt") == k1
    assert parse_key(text, "other/a.txt") != k1
    text.write_text("CHỈ THỊ\nvề việc B\n", "utf-8")
    k2 = parse_key(text, "a.txt")
    assert k2 != k1
    (tmp_path / "a.meta.yaml").write_text("province: Hà Tĩnh\n", "utf-8")
    assert parse_key(text, "a.txt") != k2


def test_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    src = ROOT / "data"
    for p in src.iterdir():
        shutil.copy(p, tmp_path / "data" / p.name)
    store = tmp_path / "store"
    first = build([str(tmp_path / "data")], store)
    entries = sorted((store / "cache" / "parse").glob("*/*.pickle.z"))
    assert len(entries) == first.parsed == 5
    entries[0].write_bytes(b"not a cache entry")
    (store / "current" / "files.pickle").unlink()  # no stat index: every file's parse is read again
    again = build([str(tmp_path / "data")], store)
    assert again.parsed == 1 and again.changed == 0
    assert ParseCache(store / "cache").get(entries[0].name.split(".")[0]) is not None  # written back


def test_extract_shards_fill_the_cache_the_build_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from docgraph.cli import main

    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    files = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "data").glob("*.txt"))
    (tmp_path / "shard-1.txt").write_text("\n".join(files[:3]) + "\n", "utf-8")
    (tmp_path / "shard-2.txt").write_text("\n".join(files[3:]) + "\n", "utf-8")
    runner = CliRunner()
    for shard in ("shard-1.txt", "shard-2.txt"):
        out = runner.invoke(main, ["extract", "--files-from", shard, "--cache", "shared"])
        assert out.exit_code == 0, out.output
        assert len(out.output.splitlines()) == len(Path(shard).read_text("utf-8").split())
    built = build(["data"], "store", cache_dir="shared")
    assert built.written and built.parsed == 0  # every file came from the shards
    fresh = build(["data"], "fresh", cache_dir="fresh-cache")
    assert fresh.parsed == len(files)
    assert _lines(Path("store")) == _lines(Path("fresh"))


def test_the_store_cache_keeps_only_the_parses_of_current_files(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    store = tmp_path / "store"
    build([str(tmp_path / "data")], store)
    texts = sorted((tmp_path / "data").glob("*.txt"))
    texts[0].write_text(texts[0].read_text("utf-8") + "\nThêm một dòng.\n", "utf-8")
    texts[1].unlink()
    again = build([str(tmp_path / "data")], store)
    assert again.parsed == 1
    assert len(list((store / "cache" / "parse").glob("*/*.pickle.z"))) == len(texts) - 1


# the modules a parse runs: their code is the extractor's fingerprint (cache.extractor_fingerprint); every
# other module of the package must be named downstream, or changing it would throw away every parse
_EXTRACTOR = {
    "__init__", "assignments", "atomic", "bodies", "charsets", "citations", "convert", "convert_doc",
    "convert_docx", "convert_html", "convert_pdf", "convert_samples", "dates", "deadlines", "domain", "errors",
    "header", "iris", "model", "namespaces", "normalize", "parse", "phrase_regex", "reading", "resources",
    "sentences", "sidecar", "textfold",
}


def test_every_module_is_either_the_extractors_or_downstream_of_it() -> None:
    import docgraph
    from docgraph.cache import _DOWNSTREAM

    root = Path(docgraph.__file__).parent
    fingerprinted = {p.stem for p in root.glob("*.py") if not _DOWNSTREAM.fullmatch(p.name)}
    assert fingerprinted == _EXTRACTOR
