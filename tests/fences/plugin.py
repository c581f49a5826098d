"""The pytest plugin: every Python fence of every page, run once per device.

Built on pytest-markdown-docs: its file collector is kept for what it parses, its items and runner
registry for how fences run. What this plugin adds, module by module:

- includes.py   snippet includes expanded exactly as MkDocs expands them, with line origins
- parser.py     fences inside admonitions and content tabs; `pycon` routed to the doctest runner
- runners.py    the `python` and `pycon` runners; checker.py, the output checker
- devices.py    one item per device, on torch's default device
- isolation.py  one namespace per page, a fixed torch state before each page, restored after
- report.py     failures named by Markdown file and line, with expected and actual output
- record.py     the results of a run per device, and the record the CUDA pass writes
- update.py     update mode: expected outputs rewritten in place to what runs
- editions.py   a translated page shows its original's examples: checked, not run again
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_markdown_docs._runners import get_runner
from pytest_markdown_docs.plugin import (
    FenceSyntax,
    MarkdownDocstringCodeModule,
    MarkdownInlinePythonItem,
    MarkdownTextFile,
)

from . import editions, isolation, record, report, update
from .devices import absent_reason, default_device, parse_devices
from .includes import ExpandedPage, display_path, expand_page
from .pages import Fence, fences_of
from .parser import fence_parser
from .runners import OutputMismatch

_DEVICES = pytest.StashKey[tuple[str, ...]]()
# Each page expanded once per run, by path: the fences a translation is compared with are those
# its original's items run.
_EXPANDED = pytest.StashKey[dict[Path, ExpandedPage]]()


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


def pytest_configure(config: pytest.Config) -> None:
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
    path = config.getoption("fence_record")
    config.pluginmanager.register(record.FenceResults(Path(path) if path else None, devices), "fence-results")


@pytest.hookimpl(tryfirst=True)  # before pytest-markdown-docs' own plain CommonMark parser
def pytest_markdown_docs_markdown_it():
    return fence_parser()


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path, parent):
    collectors = yield
    kept = []
    for collector in collectors or ():
        if type(collector) is MarkdownDocstringCodeModule:
            continue  # no fences live in docstrings here, and it would import every test module again
        if type(collector) is MarkdownTextFile:
            if editions.original_of(collector.path, mkdocs_config(parent.config)) is None:
                collector = FencePage.from_parent(parent, path=collector.path)
            else:
                collector = TranslatedPage.from_parent(parent, path=collector.path)
        kept.append(collector)
    return kept


class FencePage(MarkdownTextFile):
    """A Markdown page, includes expanded; each fence becomes one item per device.

    The items of one device come together, in page order, so a page runs top to bottom on cpu,
    then top to bottom on cuda."""

    def collect(self):
        config = self.config
        import torch  # noqa: F401  # imported here, so that a fence's timeout never includes it
        parser = config.hook.pytest_markdown_docs_markdown_it()
        syntax = FenceSyntax(config.option.markdowndocs_syntax)
        self.fences = fences_of(expanded(config, self.path), parser, syntax)
        for device in config.stash[_DEVICES]:
            reason = absent_reason(device)
            for fence in self.fences:
                item = DeviceFenceItem.from_parent(
                    self, name=fence.name(device, config.rootpath), fence=fence, device=device
                )
                if reason:
                    item.add_marker(pytest.mark.skip(reason=f"{device}: {reason}"))
                # With pytest-xdist's --dist loadgroup, a page's fences stay in one worker.
                item.add_marker(pytest.mark.xdist_group(self.nodeid))
                yield item


def mkdocs_config(config: pytest.Config) -> str:
    """The site's mkdocs.yml (the `mkdocs_config` ini option, relative to the rootdir)."""
    return str(config.rootpath / config.getini("mkdocs_config"))


def expanded(config: pytest.Config, path: Path) -> ExpandedPage:
    cache = config.stash[_EXPANDED]
    if path not in cache:
        cache[path] = expand_page(path, mkdocs_config(config))
    return cache[path]


class TranslatedPage(pytest.File):
    """A page in another language: one item, checking that it shows its original's examples."""

    def collect(self):
        original = editions.original_of(self.path, mkdocs_config(self.config))
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
        parser = self.config.hook.pytest_markdown_docs_markdown_it()
        syntax = FenceSyntax(self.config.option.markdowndocs_syntax)
        pages = (expanded(self.config, self.original), expanded(self.config, self.path))
        problems = editions.differences(*(fences_of(page, parser, syntax) for page in pages), pages)
        if problems:
            raise EditionMismatch("\n".join(problems))

    def repr_failure(self, excinfo, style=None) -> str:
        if isinstance(excinfo.value, EditionMismatch):
            return f"{display_path(self.path)}: the examples differ from its original's\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name


class DeviceFenceItem(MarkdownInlinePythonItem):
    def __init__(self, *, fence: Fence, device: str, **kwargs) -> None:
        super().__init__(test_definition=fence.definition, **kwargs)
        self.fence, self.device = fence, device
        self.run_key = (str(fence.page.path), device)
        self.user_properties += [("device", device), ("sha256", fence.digest)]

    def runtest(self) -> None:
        with default_device(self.device):
            run = isolation.PAGE_RUNS.prepare(self.run_key, self.fence.index, self._replay)
            try:
                with isolation.active(run):
                    super().runtest()
            except OutputMismatch as mismatch:
                updater = self.config.pluginmanager.get_plugin("fence-updater")
                if updater is None or not updater.take(self.fence, mismatch):
                    raise
            finally:
                run.next_index = self.fence.index + 1

    def _replay(self, index: int, namespace: dict) -> None:
        earlier = self.parent.fences[index].definition
        get_runner(earlier.runner_name).replay(earlier, namespace)

    def repr_failure(self, excinfo, style=None) -> str:
        return report.describe(self.fence, self.device, self.nodeid, excinfo)

    def reportinfo(self):
        # Located on the page (the report of a failure names the snippet's own file and
        # line): skips then fold into one summary line per page.
        return self.path, self.fence.definition.start_line - 1, self.name


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    if not isinstance(item, DeviceFenceItem):
        return
    continues = (
        isinstance(nextitem, DeviceFenceItem)
        and nextitem.run_key == item.run_key
        and nextitem.fence.index == item.fence.index + 1
    )
    if not continues:
        isolation.PAGE_RUNS.finish()


def pytest_sessionfinish(session: pytest.Session) -> None:
    isolation.PAGE_RUNS.finish()
