"""A legacy Word 97-2003 (.doc) document -> its text, offline, with the first converter found: catdoc or antiword
(Debian packages) or LibreOffice headless (``soffice``). None found: one line saying what to install.

catdoc comes first: it writes a table row as tab-separated cells, as the .docx converter does.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .convert import Converted
from .errors import InputError

TIMEOUT = 120  # seconds for one document
INSTALL = ("install catdoc or antiword (apt-get install catdoc), or LibreOffice "
           "(apt-get install libreoffice-writer-nogui)")


def _antiword(src: Path, out: Path) -> list[str]:
    return ["antiword", "-m", "UTF-8.txt", "-w", "0", str(src)]


def _catdoc(src: Path, out: Path) -> list[str]:
    return ["catdoc", "-d", "utf-8", "-w", str(src)]


def _soffice(src: Path, out: Path) -> list[str]:
    return [_soffice_exe() or "soffice", f"-env:UserInstallation=file://{out}/profile", "--headless",
            "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(out), str(src)]


def _soffice_exe() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


CONVERTERS = (("catdoc", _catdoc), ("antiword", _antiword), ("soffice", _soffice))


@cache
def _package_version(tool: str) -> str:
    pkg = {"soffice": "libreoffice-core-nogui"}.get(tool, tool)
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return tool
    return f"{tool} {r.stdout.strip()}" if r.returncode == 0 and r.stdout.strip() else tool


def available() -> list[str]:
    return [tool for tool, _ in CONVERTERS if (_soffice_exe() if tool == "soffice" else shutil.which(tool))]


def convert_doc(data: bytes, name: str, tools: list[str] | None = None) -> Converted:
    tools = available() if tools is None else tools
    if not tools:
        raise InputError(name, f"a legacy Word .doc file and no converter is installed: {INSTALL}")
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="docgraph-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        for tool in tools:
            make = dict(CONVERTERS)[tool]
            try:
                r = subprocess.run(make(src, Path(tmp)), capture_output=True, timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                problems.append(f"{tool} timed out")
                continue
            out = (Path(tmp) / "input.txt").read_bytes() if tool == "soffice" and r.returncode == 0 else r.stdout
            text = out.decode("utf-8", errors="replace").replace("\r\n", "\n").lstrip("\ufeff")
            if r.returncode == 0 and text.strip():
                return Converted(_tidy(text), "doc", _package_version(tool), {})
            err = r.stderr.decode("utf-8", errors="replace").strip().splitlines()
            problems.append(f"{tool}: {err[-1] if err else 'no text'}")
    raise InputError(name, "cannot convert the .doc file (" + "; ".join(problems) + ")")


def _tidy(text: str) -> str:
    """antiword draws a table row as ``|cell   |cell   |``: cells separated by a tab instead; one final newline."""
    lines = []
    for ln in text.split("\n"):
        ln = ln.rstrip()
        if len(ln) > 1 and ln.startswith("|") and ln.endswith("|"):
            ln = "\t".join(cell.strip() for cell in ln[1:-1].split("|")).rstrip()
        lines.append(ln)
    return "\n".join(lines).strip("\n") + "\n"
