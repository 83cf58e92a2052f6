"""Conversion throughput per input format: files/s and MB/s.

Generates ``--files`` documents per format (the sample plan of ``docgraph.convert_samples``, lengthened to a few
pages) into a temporary folder, converts each with ``docgraph.reading.read_document`` and prints one line per
format. Needs the test extras (python-docx, reportlab, fonts-dejavu-core); ``.doc`` needs LibreOffice to make
the sample (one file, copied) and catdoc/antiword to read it.

Example:
  python bench/convert_throughput.py --files 200
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docgraph import convert_samples as S
from docgraph.charsets import legacy_encode
from docgraph.reading import read_document


def body(i: int, repeat: int) -> list[str]:
    """The sample body, renumbered for file ``i`` and repeated to a realistic length."""
    paras = [p.replace("102-KL/TW", f"{100 + i % 50}-KL/TW") for p in S.BODY]
    return paras * repeat


def makers(repeat: int) -> dict[str, tuple[str, Callable[[int], bytes]]]:
    def text(i: int) -> bytes:
        return "\n".join(body(i, repeat)).encode("utf-8")

    def tcvn3(i: int) -> bytes:
        return legacy_encode("\n".join(body(i, repeat)), "tcvn3").encode("cp1252")

    def pdf(i: int) -> bytes:
        lines = S.wrap(body(i, repeat))
        return S.make_pdf([lines[k : k + 44] for k in range(0, len(lines), 44)])

    return {
        "txt utf-8": (".txt", text),
        "txt tcvn3": (".txt", tcvn3),
        "html": (".html", lambda i: S.make_html(body(i, repeat))),
        "docx": (".docx", lambda i: S.make_docx(body(i, repeat))),
        "pdf": (".pdf", pdf),
    }


def run(files: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="docgraph-bench-") as tmp:
        folder = Path(tmp)
        table = makers(repeat)
        doc = S.make_doc(S.make_docx(body(0, repeat)))
        if doc is not None:
            table["doc"] = (".doc", lambda i: doc)
        else:
            print("doc: skipped (no LibreOffice to make a sample)")
        print(f"{'format':10} {'files':>6} {'MB':>8} {'files/s':>9} {'MB/s':>7}  converter")
        for fmt, (suffix, make) in table.items():
            paths = []
            for i in range(files):
                p = folder / f"{fmt.replace(' ', '_')}_{i:04d}{suffix}"
                p.write_bytes(make(i))
                paths.append(p)
            size = sum(p.stat().st_size for p in paths) / 2**20
            t0 = time.perf_counter()
            conv = [read_document(p) for p in paths]
            dt = time.perf_counter() - t0
            print(f"{fmt:10} {files:6d} {size:8.2f} {files / dt:9.1f} {size / dt:7.2f}  {conv[0].converter}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=200, help="files per format (default 200)")
    ap.add_argument("--repeat", type=int, default=8, help="body paragraphs repeated this often (default 8)")
    args = ap.parse_args()
    run(args.files, args.repeat)


if __name__ == "__main__":
    main()
