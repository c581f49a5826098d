"""pytest-xdist's `--dist loadgroup`, as it worked before pytest 9.2: the tests of one
`xdist_group` run in one worker.

pytest-xdist 3.8 tells its scheduler a test's group by appending `@group` to the test's node id
in the worker (`item._nodeid`), which pytest 9.2 no longer reads: its node ids are structured.
The groups were silently lost and each test was scheduled on its own (pytest-xdist issue #1386),
so a page's fences ran in both workers, and each worker ran the fences above its share of them
again (pagerun.py runs every fence above the last one selected). Here each worker writes the
group of each grouped test it collected into a folder the controller names for it, and the
controller's scheduler, pytest-xdist's own but for where it reads the group, takes them from
there. The node ids are left alone.

fences.plugin registers `LoadGroups` where pytest-xdist is installed; tests/test_harness.py
checks that a page's fences run in one worker.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

WORKER_INPUT = "fence_groups"  # the key of the folder in each worker's `workerinput`


def group_of(item: pytest.Item) -> str | None:
    """The item's group, as pytest-xdist names it: its `xdist_group` marks' names, joined."""
    names = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default")) for mark in item.iter_markers("xdist_group")}
    return "_".join(sorted(names)) or None


class LoadGroups:
    def __init__(self) -> None:
        self.folder: Path | None = None  # the controller's, once a worker is configured

    # --- In the controller ---------------------------------------------------------------------

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node) -> None:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="xdist-groups-"))
        node.workerinput[WORKER_INPUT] = str(self.folder)

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log):
        if config.getvalue("dist") != "loadgroup" or self.folder is None:
            return None
        return _scheduling(config, log, self.folder)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- In a worker -----------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)  # after the deselection (-k, -m): the items the worker reports
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        folder = getattr(config, "workerinput", {}).get(WORKER_INPUT)
        if folder is None:
            return
        groups = {item.nodeid: group for item in items if (group := group_of(item))}
        # Written before the worker reports its collection, which the controller schedules after.
        (Path(folder) / f"{config.workerinput['workerid']}.json").write_text(json.dumps(groups), "utf-8")


def _scheduling(config: pytest.Config, log, folder: Path):
    from xdist.scheduler import LoadGroupScheduling

    class GroupScheduling(LoadGroupScheduling):
        """pytest-xdist's loadgroup scheduler, with each test's group read from the workers' files."""

        groups: dict[str, str] = {}

        def schedule(self) -> None:
            if not self.groups:  # once, when every worker has collected (and written its file)
                self.groups = {}
                for written in sorted(folder.glob("*.json")):
                    self.groups.update(json.loads(written.read_text("utf-8")))
            super().schedule()

        def _split_scope(self, nodeid: str) -> str:
            group = self.groups.get(nodeid)
            return f"xdist_group {group}" if group else super()._split_scope(nodeid)

    return GroupScheduling(config, log)
