"""What the tests share besides fixtures: a tiny site for the harness's own tests, the real
site built and served, page addresses, and what to do when a browser tool is missing."""

from __future__ import annotations

import configparser
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.config import load_config


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
        # A fresh process each time, as a real run: torch cannot be unloaded and imported again,
        # which an in-process run would need.
        if self.pytester is not None:
            return self.pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=self.root, capture_output=True, text=True
        )
        return pytest.RunResult(done.returncode, done.stdout.splitlines(), done.stderr.splitlines(), 0.0)


def load_hook(name: str):
    """A build hook of overrides/hooks/, imported as MkDocs imports it (by path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "overrides" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_site(project: Path, out: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the project at `project` into `out`."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
    )


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


def skip_or_fail(reason: str) -> None:
    """Skip a browser test whose tool is missing, naming the fix; under .ci/run (REQUIRE_BROWSER)
    a missing tool fails instead, so that CI never passes without running these tests."""
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"REQUIRE_BROWSER is set, but {reason}")
    pytest.skip(reason)


def site_url_path() -> str:
    """The path of site_url ("/repeated-softmax/"), where the site is published."""
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

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
