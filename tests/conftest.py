"""Shared fixtures: the five seeds built once into a store, through the CLI, as a user would."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgraph.cli import main
from docgraph.store import Store

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run(*args: str, cwd: Path = REPO, input: str | None = None):
    """Run the CLI in ``cwd`` (the repository by default) and return click's result."""
    with chdir(cwd):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "dg"
    result = run("build", "data", "--store", str(path), "-q")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def store(seed_store: Path) -> Store:
    return Store(seed_store)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve` (PyPI oxigraph) on 127.0.0.1 with the seeds built into it by docgraph."""
    import shutil
    import subprocess
    import time
    import urllib.request

    exe = shutil.which("oxigraph")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("the oxigraph server (pip install oxigraph) is not installed")
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        result = run("build", "data", "--store", url, "-q")
        assert result.exit_code == 0, result.output
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session", params=["embedded", "server"])
def any_store(request: pytest.FixtureRequest, seed_store: Path):  # type: ignore[no-untyped-def]
    """The seed graph in the embedded store and in a real SPARQL server: acceptance runs on both."""
    from docgraph.remote import RemoteStore

    if request.param == "embedded":
        return Store(seed_store)
    return RemoteStore(request.getfixturevalue("oxigraph_url"))
