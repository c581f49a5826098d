"""One Chromium per test process, open only while the tests that need it run one after another.

A session-scoped browser stayed open for the whole run in each pytest-xdist worker, through
the fences and every other test that never looks at a page. This one is launched by the first
test that needs it and closed in the teardown of the last test of a run of such tests: pytest
tells each test's teardown which test comes next (`nextitem`, which an xdist worker knows
too, for it runs a test only once the next one has arrived or the run is over), and
`item.fixturenames` says whether that one needs the browser. The browser tests are collected
together (tests/test_browser_*.py), so a worker launches Chromium about once for each stretch
of them it is given.

tests/test_chromium.py checks that no Chromium of a pytest process outlives its browser tests.
"""

from __future__ import annotations

import os
import shutil

import pytest

from support import CHROMIUM_INSTALL, skip_or_fail


class _Chromium:
    """Debian's Chromium, driven by Playwright (never a browser Playwright downloads), launched
    on demand; `close` ends it and Playwright's driver with it."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        self.close()  # a browser that crashed: its driver goes too, and both start again
        executable = shutil.which("chromium")
        if executable is None:
            skip_or_fail(f"browser tests need Debian's Chromium: {CHROMIUM_INSTALL}")
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        # As root (CI containers) Chromium's sandbox cannot start.
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        self._browser = self._playwright.chromium.launch(executable_path=executable, args=args)
        return self._browser

    def close(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()


_CHROMIUM = _Chromium()


@pytest.fixture
def browser():
    """The process's Chromium, launched if no test just before this one had it open. Function
    scope, so that no module- or session-scoped fixture can hold it past its last test."""
    return _CHROMIUM.get()


def _needs_browser(item: pytest.Item | None) -> bool:
    return item is not None and "browser" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    # After every other teardown of this test (its tabs' contexts are closed by then).
    try:
        return (yield)
    finally:
        if not _needs_browser(nextitem):
            _CHROMIUM.close()


def pytest_unconfigure(config: pytest.Config) -> None:
    _CHROMIUM.close()  # a run stopped early (-x, Ctrl-C) between two browser tests
