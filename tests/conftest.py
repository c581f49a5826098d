"""Fixtures: a tiny site run through pytest's `pytester` (the harness's own tests), the real
site built once per test session (every pytest-xdist worker reads the same build), small copies
of the project built once too, and a real browser on the site (chromium.py, open only while
browser tests run). Their helpers are in support.py."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import torch  # noqa: F401  # see below

# The `browser` fixture and the hooks that close it once no test next needs it (chromium.py).
from chromium import browser, pytest_runtest_teardown, pytest_unconfigure  # noqa: F401
from documents import record
from fences.plugin import run_devices
from support import (
    AXE_MISSING,
    ROOT,
    SMALL_PAGES,
    BrowserPage,
    Site,
    _QuietServer,
    _UnderPath,
    axe_script,
    build_result,
    build_site,
    new_context,
    notebook_project,
    once_per_session,
    site_url_path,
    skip_or_fail,
    small_project,
)


# torch is imported once per test process, here, outside every test: pytester (the harness's own
# tests) takes sys.modules back to what it was before each test, and torch's C extension cannot be
# imported a second time into one process ("SystemError: ... bad call flags").


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that takes `device` runs once per device of the run, as the fences do
    (`--devices`; by default cpu and cuda, an absent device reported as skipped)."""
    if "device" in metafunc.fixturenames:
        metafunc.parametrize("device", run_devices(metafunc.config))


@pytest.fixture
def site_check(request: pytest.FixtureRequest):
    """`site_check(path, device)` says that this test checks what the site shows of `path` (a
    notebook, or a figure's code) on `device`: a run given `--fence-record` (the CUDA pass)
    records the test's result for it beside the fences' (tests/fences/results.py)."""

    def check(path: Path, device: str) -> None:
        request.node.user_properties += [
            ("record_id", record.entry_id(path, device, ROOT)),
            ("kind", record.kind_of(path, ROOT)),
            ("device", device),
            ("sha256", record.digest(path, ROOT)),
        ]

    return check


@pytest.fixture
def site(pytester: pytest.Pytester) -> Site:
    return Site(pytester)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the site's sources, to break on purpose (tests that build one use a small copy,
    support.small_project, instead)."""
    copy = tmp_path / "project"
    for name in ("docs", "snippets", "tests", "overrides"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", copy)
    shutil.copy(ROOT / "requirements.txt", copy)  # the verification page states its torch
    return copy


# The builds that many tests read, each made once per session (`once_per_session`) by whichever
# process asks first: what the fixture of each makes.
def _make_site(directory: Path) -> dict:
    return build_result(build_site(ROOT, directory / "site"))


def _make_untrimmed_notebook(directory: Path) -> dict:
    project = notebook_project(directory / "project", without_hooks=("notebook_trim",))
    return build_result(build_site(project, directory / "site"))


def _make_small_site(directory: Path) -> dict:
    return build_result(build_site(small_project(directory / "project", SMALL_PAGES), directory / "site"))


BUILDS = {"built_site": ("site", _make_site), "untrimmed_notebook_site": ("untrimmed-notebook", _make_untrimmed_notebook), "small_site": ("small-site", _make_small_site)}


@pytest.fixture(scope="session", autouse=True)
def builds_ahead(request: pytest.FixtureRequest, tmp_path_factory):
    """The builds the session's tests will read, started in the background when its first test
    starts: a test that needs one then waits only for what is left of it, and no xdist worker
    sits idle while another builds. Only those some collected test needs (a run of one page
    builds nothing)."""
    needed = set()
    for item in request.session.items:
        closure = set(getattr(item, "fixturenames", ()))
        needed |= {name for name in BUILDS if name in closure or (name == "built_site" and closure & {"served_site", "site_build"})}
    # The session's temporary directory is made here, in this thread: made by the build thread
    # and a test at once, one of the two would find it made and fail (FileExistsError, seen).
    tmp_path_factory.getbasetemp()
    thread = threading.Thread(
        target=lambda: [once_per_session(tmp_path_factory, *BUILDS[name]) for name in BUILDS if name in needed], daemon=True
    )
    thread.start()
    yield
    thread.join()  # never leave a build half-made: its lock is released only when it is done


# Tests that share a long once-per-session result, which two xdist workers would otherwise wait
# for at once: one worker runs them, one after the other.
SHARED_GROUPS = {"full_cpu_pass": "cpu-pass"}


# The node ids this session collected, before -k, -m and --deselect deselect any.
COLLECTED = pytest.StashKey[list[str]]()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups, and before deselection
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[COLLECTED] = [item.nodeid for item in items]
    for item in items:
        for fixture, group in SHARED_GROUPS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def collected_node_ids(request: pytest.FixtureRequest) -> list[str]:
    """The node ids of every test this session collected, selected or not."""
    return request.config.stash.get(COLLECTED, [])


def assert_clean(result: dict) -> None:
    """A build (support.build_result) that succeeded without a warning."""
    assert result["returncode"] == 0, result["stderr"]
    warnings = [line for line in result["stderr"].splitlines() if "WARNING" in line]
    assert not warnings, "\n".join(warnings)


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> tuple[Path, dict]:
    """The site, built once for the whole test session (every pytest-xdist worker reads the same
    build), as support.build_site builds (strict, without pytest or the harness importable): where
    it is and how the build ended (`returncode`, `stderr`)."""
    directory, result = once_per_session(tmp_path_factory, *BUILDS["built_site"])
    return directory / "site", result


@pytest.fixture(scope="session")
def built_site(site_build) -> Path:
    """The built site, for the tests that only read it; the build must be free of warnings. No
    test may change it: every test of the session reads it."""
    out, result = site_build
    assert_clean(result)
    return out


@pytest.fixture(scope="session")
def small_site(tmp_path_factory) -> Path:
    """support.SMALL_PAGES built once per session, cleanly: the control of the tests that break
    them, whose build must then fail for the breakage alone."""
    directory, result = once_per_session(tmp_path_factory, *BUILDS["small_site"])
    assert_clean(result)
    return directory / "site"


@pytest.fixture(scope="session")
def untrimmed_notebook_site(tmp_path_factory) -> Path:
    """The notebook page of both editions built without overrides/hooks/notebook_trim.py (with the
    renderer's whole stylesheet), once per session: support.notebook_project, built cleanly."""
    directory, result = once_per_session(tmp_path_factory, *BUILDS["untrimmed_notebook_site"])
    assert_clean(result)
    return directory / "site"


@pytest.fixture(scope="session")
def full_cpu_pass(tmp_path_factory) -> tuple[dict, Path]:
    """tests/cuda_pass.py as documented, forced to the CPU, with pytest options alone (no paths):
    every page's fences, both notebooks and the figures' code, run once for the whole session.
    How it ended (`returncode`, `stdout`, `stderr`) and the record it wrote: tests/test_cuda_pass.py
    checks the pass, tests/test_stdlib_doctest.py takes the harness's verdict on each fence from it."""
    def make(directory: Path) -> dict:
        command = [sys.executable, str(ROOT / "tests" / "cuda_pass.py"), "--device", "cpu", "--record", str(directory / "record.json")]
        done = subprocess.run([*command, "--", "-q", "-p", "no:xdist"], cwd=ROOT, capture_output=True, text=True)
        return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

    directory, result = once_per_session(tmp_path_factory, "cpu-pass", make)
    return result, directory / "record.json"


# The stylesheet checks of test_browser_css_trim.py and of the every-page sweep
# (test_browser_pages.py) share these: here, so that each is made once a session, not once for
# each module that uses it.
@pytest.fixture(scope="session")
def selector_tests() -> dict[str, list]:
    """test_browser_css_trim.selector_tests_of_whole_stylesheets: every selector of Material's
    whole stylesheets, as the browser can test it."""
    from test_browser_css_trim import selector_tests_of_whole_stylesheets

    return selector_tests_of_whole_stylesheets()


@pytest.fixture(scope="session")
def served_selectors(built_site) -> dict[str, set]:
    """The selectors of the stylesheets the site serves, by stylesheet."""
    from test_browser_css_trim import selectors, served_stylesheets

    return {kind: selectors(css) for kind, css in served_stylesheets(built_site).items()}


@pytest.fixture(scope="session")
def served_site(built_site):
    """The built site over HTTP on 127.0.0.1, below site_url's path as it is published (the 404
    page links its styles and scripts by absolute path, for it is shown at any address): the
    base URL of the site."""
    prefix = site_url_path()
    handler = functools.partial(_UnderPath, directory=str(built_site), prefix=prefix)
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{prefix}"
    server.shutdown()


@pytest.fixture
def open_tab(browser, served_site):
    """Opens watched tabs: `open_tab(**context_options)`, e.g. color_scheme="dark" or
    viewport={"width": 375, "height": 812}; each tab gets a fresh context (a cold cache)."""
    contexts = []

    def open_(**options) -> BrowserPage:
        context = new_context(browser, **options)
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []

        def route(request_route):
            url = request_route.request.url
            if url.startswith(served_site) or url.startswith(("data:", "blob:")):
                request_route.continue_()
            else:
                problems.append(f"request to another host: {url}")
                request_route.abort()

        context.route("**/*", route)
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
        return BrowserPage(page, served_site, problems)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def tab(open_tab):
    return open_tab()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script (npm package, pinned in package.json), to inject into a page."""
    script = axe_script()
    if script is None:
        skip_or_fail(AXE_MISSING)
    return script
