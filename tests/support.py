"""What the tests share besides fixtures: a tiny site for the harness's own tests, the real
site built and served, page addresses, and what to do when a browser tool is missing.

It defines ROOT, the repository's root, for every module and script of tests/. Importing it
takes the standard library alone (pytest and MkDocs are imported where they are used), so that
tests/cuda_pass.py can start on a GPU machine that has only Python and torch."""

from __future__ import annotations

import configparser
import functools
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import pytest

TESTS = Path(__file__).resolve().parent


ROOT = TESTS.parent


def _site_markdown() -> str:
    """The `markdown_extensions` section of the site's mkdocs.yml, verbatim: a tiny site reads
    Markdown exactly as the real one does (includes, admonitions, tabs, Pygments)."""
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    start = text.index("\nmarkdown_extensions:")
    end = re.compile(r"^\S", re.MULTILINE).search(text, start + 2).start()
    return text[start + 1 : end]


FIXTURE_MKDOCS = """\
site_name: fixture
theme:
  name: mkdocs
plugins: []
{markdown}
hooks:
  - {hooks}/unclosed_fences.py
"""


def fixture_mkdocs() -> str:
    """The mkdocs.yml of a tiny site."""
    return FIXTURE_MKDOCS.format(markdown=_site_markdown(), hooks=ROOT / "overrides" / "hooks")


class Site:
    """A throwaway copy of the project's layout, with this repository's pytest settings; run
    through pytester (`site` fixture), or through a plain subprocess (`Site.at(path)`)."""

    def __init__(self, pytester: pytest.Pytester | None, root: Path | None = None) -> None:
        self.pytester = pytester
        self.root = pytester.path if pytester else root
        ini = configparser.ConfigParser()
        ini.read(ROOT / "pytest.ini")
        ini["pytest"]["pythonpath"] = str(TESTS)
        ini["pytest"]["testpaths"] = "docs"
        with open(self.root / "pytest.ini", "w") as out:
            ini.write(out)
        self.write("mkdocs.yml", fixture_mkdocs())
        (self.root / "snippets").mkdir(exist_ok=True)

    @classmethod
    def at(cls, root: Path) -> Site:
        return cls(None, root)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8", newline="")
        return path

    def run(self, *args: str):
        """A run of pytest on the site, in this process (pytester's runpytest_inprocess): the
        harness runs no page's code in pytest's process, so a run here is the run a contributor
        makes, without a second Python's start, pytest's plugins loaded again and a page server
        of its own (it shares this process's). torch was imported before any test (conftest.py),
        so pytester's restoring of sys.modules keeps it: its C extension cannot be imported twice.
        A test that changes the environment or checks pytest's own process uses `run_isolated`."""
        if self.pytester is None:
            return self.run_isolated(*args)
        # pytest-timeout's alarm (its signal method) is this test's as well as the inner run's:
        # the inner run cancels it at its end, so it is put back.
        timer, handler = signal.getitimer(signal.ITIMER_REAL), signal.getsignal(signal.SIGALRM)
        started = time.monotonic()
        try:
            return self.pytester.runpytest_inprocess("-p", "no:cacheprovider", *args)
        finally:
            signal.signal(signal.SIGALRM, handler)
            if timer[0]:
                signal.setitimer(signal.ITIMER_REAL, max(timer[0] - (time.monotonic() - started), 0.001), timer[1])

    def run_isolated(self, *args: str):
        """A run of pytest on the site in a fresh process, as a contributor's shell starts it: for a
        test that sets environment variables for the run, or checks what pytest's process holds."""
        if self.pytester is not None:
            return self.pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=self.root, capture_output=True, text=True
        )
        import pytest

        return pytest.RunResult(done.returncode, done.stdout.splitlines(), done.stderr.splitlines(), 0.0)


def load_hook(name: str):
    """A build hook of overrides/hooks/, imported as MkDocs imports it (by path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "overrides" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# What the site build must never import: it stands on its own, without the test suite.
NOT_IN_THE_BUILD = ("pytest", "_pytest", "pytest_markdown_docs", "xdist", "fences")

_BUILD = """\
import sys
for name in {blocked!r}: sys.modules[name] = None  # importing any of them now fails
from mkdocs.__main__ import cli
cli({arguments!r})
"""


def build_site(project: Path, out: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the project at `project` into `out`, in a process where
    pytest, pytest-markdown-docs, pytest-xdist and the harness's plugin cannot be imported: every
    build of the tests checks that the site build stands on its own."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    arguments = ["build", "--strict", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(out)]
    code = _BUILD.format(blocked=NOT_IN_THE_BUILD, arguments=arguments)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=project)


def session_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory that every process of this test session shares: under pytest-xdist, the
    session's base temporary directory, which holds each worker's own (pytest-xdist's documented
    recipe); without it, this process's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_session(tmp_path_factory: pytest.TempPathFactory, name: str, make) -> tuple[Path, dict]:
    """`make(directory)` run once in the whole test session, by whichever process asks first,
    the others waiting for it: its directory and the JSON it returned (a failure included, so
    that every process reports the same one)."""
    import fcntl

    directory = session_directory(tmp_path_factory) / name
    done = directory.with_name(name + ".json")
    with open(directory.with_name(name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, by the process's end too
        if not done.exists():
            shutil.rmtree(directory, ignore_errors=True)  # a maker that died half-way
            directory.mkdir()
            done.write_text(json.dumps(make(directory)), "utf-8")
        return directory, json.loads(done.read_text("utf-8"))


def build_result(result: subprocess.CompletedProcess) -> dict:
    """A build's command and how it ended, as JSON."""
    return {"args": result.args, "returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


# What a small copy of the project takes from docs/ besides its pages: the assets mkdocs.yml names
# and the record the verification hook reads.
_DOCS_ASSETS = ("stylesheets", "javascripts", "cuda-record.json")


def small_project(
    copy: Path, pages: dict[str, str], *, nav: list[str] | None = None, figures: bool = False, without_hooks: tuple[str, ...] = ()
) -> Path:
    """A copy of the project at `copy` (its mkdocs.yml, theme, hooks, snippets and the tests' modules
    the hooks read) whose docs/ holds only `pages` (a path below docs/ to its text): a build of the
    site's own configuration that does not build every page. Its nav lists the original pages, in
    the order given, or the entries of `nav` (`"Title: page.md"`). The figures' code is left out unless `figures`: the hook would draw every
    figure for pages that show none. `without_hooks` names hooks (overrides/hooks/NAME.py) left out
    of its mkdocs.yml."""
    ignore = shutil.ignore_patterns("__pycache__", ".cache")
    for name in ("overrides", "tests", "snippets"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    if not figures:
        shutil.rmtree(copy / "snippets" / "figures")
    shutil.copy(ROOT / "requirements.txt", copy)  # the verification page states its torch
    docs = copy / "docs"
    docs.mkdir()
    for name in _DOCS_ASSETS:
        source = ROOT / "docs" / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, docs / name)
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    start = config.index("\nnav:\n") + 1
    end = re.compile(r"^\S", re.MULTILINE).search(config, start + len("nav:\n")).start()
    originals = [name for name in pages if not re.search(r"\.[a-z]{2}\.(md|ipynb)$", name)]
    entries = nav if nav is not None else originals
    config = config[:start] + "nav:\n" + "".join(f"  - {entry}\n" for entry in entries) + "\n" + config[end:]
    for hook in without_hooks:
        line = f"  - overrides/hooks/{hook}.py"
        assert line in config, f"mkdocs.yml has no hook {hook}"
        config = "\n".join(row for row in config.split("\n") if not row.startswith(line))
    (copy / "mkdocs.yml").write_text(config, "utf-8")
    return copy


# Two pages of a small project: a link, an anchor, maths and an include, in both editions. It
# builds cleanly (the `small_site` fixture checks it); the build checks break it.
SMALL_PAGES = {
    "index.md": """\
---
description: "The small site that the build checks break."
---

# A small site

## A section {#section}

A [link to the section](#section) and a formula, $x^2$.

--8<-- "ten-passes.md"
""",
    "index.zh.md": """\
---
description: "构建检查所破坏的小站点。"
---

# 小站点

## 一节 {#section}

一个[指向本节的链接](#section)和一个公式，$x^2$。

--8<-- "ten-passes.md"
""",
}

NOTEBOOKS = ("explore.ipynb", "explore.zh.ipynb")  # the notebook page's two editions


def notebook_project(copy: Path, without_hooks: tuple[str, ...] = ()) -> Path:
    """support.small_project with the notebook page in both editions, under its nav title, beside
    SMALL_PAGES' home page (each edition needs one)."""
    from mkdocs.config import load_config

    nav = load_config(str(ROOT / "mkdocs.yml"))["nav"]
    [title] = [next(iter(entry)) for entry in nav if isinstance(entry, dict) and NOTEBOOKS[0] in entry.values()]
    pages = {**SMALL_PAGES, **{name: (ROOT / "docs" / name).read_text("utf-8") for name in NOTEBOOKS}}
    return small_project(copy, pages, nav=["index.md", f"{title}: {NOTEBOOKS[0]}"], without_hooks=without_hooks)


CHROMIUM_INSTALL = "apt-get install chromium"  # Debian's package; .ci/run installs it


# How long any Playwright wait of a browser test may take: a hang detector, never a speed
# check. A loaded 2-core machine makes a page load or a click take seconds; a wait this long
# is a page that will not answer. (How fast the try-it box answers is `make benchmark`'s.)
HANG_MS = 120_000


def chromium_processes(pid: int) -> list[int]:
    """The Chromium processes below process `pid` (children, theirs, and so on), read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        try:
            # Fields after the name, which is in parentheses and may hold any character.
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (ValueError, OSError):
            continue  # not a process, or one that has just ended
    below, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - below
        below |= frontier

    def name(process: int) -> str:
        try:
            return (Path("/proc") / str(process) / "comm").read_text().strip()
        except OSError:
            return ""

    return sorted(process for process in below if name(process).startswith("chrom"))


def new_context(browser, **options):
    """A browser context (a fresh profile) whose waits fail only on a hang (HANG_MS)."""
    context = browser.new_context(**options)
    context.set_default_timeout(HANG_MS)
    return context


CHINESE_FONT_INSTALL = "apt-get install fonts-noto-cjk"  # .ci/run installs it


def has_chinese_font() -> bool:
    """Whether the system has a Chinese font (`CHINESE_FONT_INSTALL`): without one Chromium lays
    the Chinese pages out in placeholder boxes of another width."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return False
    return bool(listed.strip())


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # npm package, pinned in package.json
AXE_MISSING = "the accessibility test needs axe-core from npm: npm ci --omit=dev (make test runs it)"


def axe_script() -> str | None:
    """axe-core's script, to inject into a page; None where npm has not installed it."""
    return AXE.read_text("utf-8") if AXE.exists() else None


def skip_or_fail(reason: str) -> None:
    """Skip a browser test whose tool is missing, naming the fix; under .ci/run (REQUIRE_BROWSER)
    a missing tool fails instead, so that CI never passes without running these tests."""
    import pytest

    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"REQUIRE_BROWSER is set, but {reason}")
    pytest.skip(reason)


def site_url_path() -> str:
    """The path of site_url ("/repeated-softmax/"), where the site is published."""
    from mkdocs.config import load_config

    return urlsplit(load_config(str(ROOT / "mkdocs.yml"))["site_url"] or "/").path or "/"


def page_address(source: Path) -> str:
    """A page's address below its edition's home: docs/NAME.md is NAME/, docs/index.md is ''."""
    stem = source.relative_to(ROOT / "docs").with_suffix("")
    folders = stem.parts[:-1] if stem.name == "index" else stem.parts
    return "".join(f"{folder}/" for folder in folders)


NOT_FOUND_PAGE = "404.html"  # the theme's, with no source in docs/


def site_pages() -> list[str]:
    """Every page of the site, as an address below its root: each page of docs/ (Markdown pages
    and the notebook) in each edition, and the 404 page."""
    from documents.editions import original_of, translation_locales

    config = str(ROOT / "mkdocs.yml")
    sources = [p for p in sorted((ROOT / "docs").rglob("*")) if p.suffix in (".md", ".ipynb") and original_of(p, config) is None]
    editions = [""] + [f"{locale}/" for locale in sorted(translation_locales(config))]
    return [edition + page_address(source) for edition in editions for source in sources] + [NOT_FOUND_PAGE]


class _UnderPath(http.server.SimpleHTTPRequestHandler):
    """Serves a directory below the address `prefix`, and nothing outside it."""

    def __init__(self, *args, prefix: str, **kwargs):
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no such page")
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def log_message(self, format, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A page the browser leaves mid-transfer closes its connections; that is no error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class BrowserPage:
    """A browser tab on the served site that records what would fail a reader: requests to
    any other host (blocked), failed responses, console errors and uncaught exceptions."""

    page: object
    base: str
    problems: list[str]

    def open(self, path: str, until: str = "load") -> None:
        """Go to a page of the site and wait for its load event: Material's scripts and the
        site's have run by then, and a test waits for whatever else it checks. With
        `until="networkidle"` it waits until no request has been open for 500 ms (the favicon
        is asked for after load): for the every-page sweep, which counts every byte and response."""
        self.page.goto(self.base + path, wait_until=until)
