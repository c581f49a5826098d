"""The pytest plugin: every Python fence of every page, run once per device.

pytest-markdown-docs is the base: its `--markdown-docs` switch turns fence collection on, its
documented hooks give the Markdown parser (`pytest_markdown_docs_markdown_it`) and names every
page starts with (`pytest_markdown_docs_globals`), its fence syntax and info-string options are
the ones contributors write. The pytest items and the evaluators are this plugin's own, as in
Sybil: a document (a page, includes expanded) is split into regions (its fences) and each region
is run by an evaluator. tests/ARCHITECTURE.md follows a fence through the modules.
"""

from __future__ import annotations

import gc
import warnings
from pathlib import Path

import pytest

from documents import editions
from documents.includes import ExpandedPage, IncludeError, display_path, expand_page
from documents.regions import Fence, FenceError, fences_of

from . import groups, report, update, upstream
from .devices import absent_reason, parse_devices
from .evaluators import OutputMismatch
from .isolation import server, stop_server
from .pagerun import PageRun
from .results import FenceResults
from .sessions import examples_of

_DEVICES = pytest.StashKey[tuple[str, ...]]()
# Each page expanded once per run, by path: the fences a translation is compared with are those
# its original's items run.
_EXPANDED = pytest.StashKey[dict[Path, ExpandedPage]]()
_FENCES = pytest.StashKey[dict[Path, list[Fence]]]()  # each page's checked fences, once per run

# The runs of pytest under way in this process: more than one while a harness test runs a tiny
# site in-process (pytester's runpytest_inprocess). They share the process's page server, which
# the last of them to end stops.
_runs: set[int] = set()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fences", "Markdown fences, run per device")
    group.addoption(
        "--devices",
        default=None,
        help="comma-separated devices to run fences on: cpu, cuda (default: both; "
        "a device that is not present is reported as skipped)",
    )
    group.addoption("--fence-record", metavar="PATH", help="write a JSON record of this run's fence results to PATH")
    group.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the expected output of each pycon example that differs to what it prints on cpu",
    )
    parser.addini("mkdocs_config", "the site's mkdocs.yml, relative to the rootdir", default="mkdocs.yml")
    parser.addini("fence_timeout", "seconds after which a fence is stopped and fails as hanging", default="60")


def pytest_configure(config: pytest.Config) -> None:
    _runs.add(id(config))
    # Registered here too, so that a run without pytest-xdist (`-p no:xdist`) knows the mark.
    config.addinivalue_line("markers", "xdist_group(name): keep a page's fences in one pytest-xdist worker")
    if config.pluginmanager.has_plugin("xdist") and not config.pluginmanager.has_plugin("fence-groups"):
        config.pluginmanager.register(groups.LoadGroups(), "fence-groups")  # --dist loadgroup on pytest 9.2
    try:
        devices, explicit = parse_devices(config.getoption("devices"))
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    for device in devices if explicit else ():
        if reason := absent_reason(device):
            raise pytest.UsageError(f"--devices asks for {device}, but there is {reason}")
    if config.getoption("update_outputs"):
        if devices != ("cpu",) and explicit:
            raise pytest.UsageError("--update-outputs writes what the examples print on cpu; use it with --devices=cpu")
        devices = ("cpu",)
        config.pluginmanager.register(update.OutputUpdater(), "fence-updater")
    config.stash[_DEVICES] = devices
    config.stash[_EXPANDED] = {}
    config.stash[_FENCES] = {}
    path = config.getoption("fence_record")
    config.pluginmanager.register(FenceResults(Path(path) if path else None, devices), "fence-results")


def run_devices(config: pytest.Config) -> tuple[str, ...]:
    """The devices this run puts fences on (`--devices`; by default every device, an absent one
    reported as skipped): the other tests that check something on a device follow it."""
    return config.stash[_DEVICES]


@pytest.hookimpl(tryfirst=True)  # before pytest-markdown-docs' own plain CommonMark parser
def pytest_markdown_docs_markdown_it():
    from documents.syntax import fence_parser

    return fence_parser()


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    collectors = [c for c in (yield) or () if not upstream.is_upstream_collector(c)]
    if file_path.suffix == ".md" and upstream.fences_enabled(parent.config):
        if editions.original_of(file_path, mkdocs_config(parent.config)) is None:
            collectors.append(FencePage.from_parent(parent, path=file_path))
        else:
            collectors.append(TranslatedPage.from_parent(parent, path=file_path))
    return collectors


def pytest_unconfigure(config: pytest.Config) -> None:
    _runs.discard(id(config))
    if not _runs:
        stop_server()


def pytest_collection_finish(session: pytest.Session) -> None:
    # torch's import leaves some hundred thousand objects that never die; moved out of the
    # collector's reach, they no longer make every collection (pytest's own at the end of the
    # run included) walk them. Nothing a fence creates is frozen: it runs after this. A run
    # inside another freezes nothing more: what it made dies with it.
    if len(_runs) == 1:
        gc.freeze()


def mkdocs_config(config: pytest.Config) -> str:
    """The site's mkdocs.yml (the `mkdocs_config` ini option, relative to the rootdir)."""
    return str(config.rootpath / config.getini("mkdocs_config"))


def expanded(config: pytest.Config, path: Path) -> ExpandedPage:
    cache = config.stash[_EXPANDED]
    if path not in cache:
        cache[path] = expand_page(path, mkdocs_config(config))
    return cache[path]


def page_fences(config: pytest.Config, path: Path) -> list[Fence]:
    """The checked fences of a page (raises FenceError, SessionError or IncludeError)."""
    cache = config.stash[_FENCES]
    if path not in cache:
        fences = fences_of(expanded(config, path), config.hook.pytest_markdown_docs_markdown_it(), upstream.syntax(config))
        for fence in fences:
            if fence.kind == "pycon":
                examples_of(fence)  # every line of a session belongs to an example, or this raises
        cache[path] = fences
    return cache[path]


class FencePage(pytest.File):
    """A Markdown page, includes expanded; each fence becomes one item per device.

    The items of one device come together, in page order, so a page runs top to bottom on cpu,
    then top to bottom on cuda, each in a process of its own (pagerun.py), ended at teardown."""

    def collect(self):
        try:
            fences = page_fences(self.config, self.path)
        except (FenceError, IncludeError) as error:
            raise self.CollectError(str(error)) from None
        config = self.config
        if fences:
            server()  # started now, so that its import of torch overlaps the rest of the collection
        limit = float(config.getini("fence_timeout"))
        self.run = PageRun(fences, lambda: _page_globals(config), limit, str(config.invocation_params.dir))
        grouped = config.pluginmanager.has_plugin("xdist")
        for device in config.stash[_DEVICES]:
            reason = absent_reason(device)
            for fence in fences:
                item = FenceItem.from_parent(self, name=fence.name(device, config.rootpath), fence=fence, device=device)
                if reason:
                    item.add_marker(pytest.mark.skip(reason=f"{device}: {reason}"))
                if grouped:  # with pytest-xdist's --dist loadgroup, a page's fences stay in one worker
                    item.add_marker(pytest.mark.xdist_group(self.nodeid))
                yield item

    def teardown(self) -> None:
        run = getattr(self, "run", None)
        if run is not None:
            run.finish()

    def last_selected(self, device: str) -> int:
        """The index of this page's last fence selected to run on `device` (`-k`, node ids)."""
        if not hasattr(self, "_last"):
            self._last: dict[str, int] = {}
            for item in self.session.items:
                if isinstance(item, FenceItem) and item.parent is self:
                    self._last[item.device] = max(self._last.get(item.device, -1), item.fence.index)
        return self._last[device]


def _page_globals(config: pytest.Config) -> dict:
    names: dict = {}
    for found in config.hook.pytest_markdown_docs_globals():
        names.update(found)
    return names


class FenceItem(pytest.Item):
    def __init__(self, *, fence: Fence, device: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.fence, self.device = fence, device
        self.user_properties += [("device", device), ("sha256", fence.digest), ("key", fence.key(device, self.config.rootpath))]

    def runtest(self) -> None:
        outcome = self.parent.run.outcome(self.fence, self.device, self.parent.last_selected(self.device))
        for relayed in outcome.warnings:  # where pytest records and reports them, at the Markdown line
            warnings.warn_explicit(relayed.message, relayed.category, relayed.filename, relayed.lineno)
        if isinstance(outcome.error, OutputMismatch):
            updater = self.config.pluginmanager.get_plugin("fence-updater")
            if updater is not None and updater.take(self.fence, outcome.error):
                return
        if outcome.error is not None:
            raise outcome.error

    def repr_failure(self, excinfo, style=None) -> str:
        return report.describe(self.fence, self.device, self.nodeid, excinfo)

    def reportinfo(self):
        # Located on the page (the report of a failure names the snippet's own file and
        # line): skips then fold into one summary line per page.
        return self.path, self.fence.start_line - 1, self.name


class TranslatedPage(pytest.File):
    """A page in another language: one item, checking that it shows its original's examples."""

    def collect(self):
        original = editions.original_of(self.path, mkdocs_config(self.config))
        try:
            # Read now, while the page server still imports torch, not between two page runs
            # (0.9 s of the fence suite's wall time). A page that cannot be read is not cached:
            # its item reads it again and reports why.
            page_fences(self.config, self.path)
        except (FenceError, IncludeError):  # SessionError is a FenceError
            pass
        yield EditionItem.from_parent(self, name=f"[same examples as {display_path(original)}]", original=original)


class EditionMismatch(Exception):
    pass


class EditionItem(pytest.Item):
    def __init__(self, *, original: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.original = original

    def runtest(self) -> None:
        if not self.original.exists():
            raise EditionMismatch(f"{display_path(self.path)} translates {display_path(self.original)}, which does not exist")
        pages = (expanded(self.config, self.original), expanded(self.config, self.path))
        fences = [page_fences(self.config, page.path) for page in pages]
        problems = editions.differences(*fences, pages)
        if problems:
            raise EditionMismatch("\n".join(problems))

    def repr_failure(self, excinfo, style=None) -> str:
        if isinstance(excinfo.value, EditionMismatch):
            return f"{display_path(self.path)}: the examples differ from its original's\n{excinfo.value}"
        if isinstance(excinfo.value, (FenceError, IncludeError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name
