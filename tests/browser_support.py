"""Headless Chromium for tests that open a page offline (Playwright driving Debian's /usr/bin/chromium).

A test module uses it with ``pytest_plugins = ["browser_support"]``: fixtures ``browser``, ``offline_page``.
Chromium missing: the tests are skipped on a developer's machine, but fail under CI (env CI set).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is absent: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is absent: pip install playwright (never `playwright install`)")
    with sync_playwright() as p:
        # Playwright gives every launch a fresh temporary profile (--user-data-dir).
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class OfflinePage:
    """A page whose requests other than file: and data: are aborted, with what went wrong recorded."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open_view(self, path: Path, timeout_ms: int = 10_000) -> None:
        """Load a docgraph view and wait until it is drawn and still (``docgraph.ready``)."""
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.docgraph && window.docgraph.ready === true", timeout=timeout_ms)

    def problems(self) -> dict[str, list[str]]:
        found = {"blocked": self.blocked, "failed": self.failed, "console errors": self.console_errors,
                 "dialogs": self.dialogs}
        return {k: v for k, v in found.items() if v}


@pytest.fixture
def offline_page(browser: Any) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    state = OfflinePage(page)

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            state.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("requestfailed", lambda req: state.failed.append(f"{req.url}: {req.failure}"))
    page.on("console", lambda msg: msg.type == "error" and state.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: state.console_errors.append(str(exc)))

    def dialog(d: Any) -> None:
        state.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    yield state
    context.close()
