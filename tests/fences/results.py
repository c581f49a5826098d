"""The results of a run's fences: summed up per device at the end, and written as a record
(documents/record.py) when the run is given `--fence-record PATH`.

A fence item says what it checks through its user properties (`device`, `sha256`, and `key`:
what its result depends on, `Fence.key`). So can any other test that checks something the site
shows, a notebook or a figure's code, on a device: through the `site_check` fixture
(tests/conftest.py), which adds `record_id` and `kind` too; the record then holds its result
beside the fences', keyed as one unit (`record.unit_key`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents import record


class FenceResults:
    """A pytest plugin collecting the result of each fence item."""

    def __init__(self, path: Path | None, devices: tuple[str, ...]) -> None:
        self.path, self.devices = path, devices
        self.entries: dict[str, dict] = {}

    def _entry(self, nodeid: str, properties: dict) -> dict | None:
        if nodeid not in self.entries and "sha256" in properties:
            entry_id, kind = properties.get("record_id", nodeid), properties.get("kind", "fence")
            self.entries[nodeid] = {
                "id": entry_id,
                "kind": kind,
                "device": properties["device"],
                "sha256": properties["sha256"],
                # A fence's key needs its page's other fences: the item says it (a KeyError here
                # is a fence item that no longer does, never a record that would match nothing).
                "key": properties["key"] if kind == "fence" else record.unit_key(entry_id, properties["sha256"]),
                "result": "not run",
            }
        return self.entries.get(nodeid)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:  # every fence collected, so that one never reported shows as "not run"
            self._entry(item.nodeid, dict(item.user_properties))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # Built from the report itself as well: with pytest-xdist, only workers collect.
        entry = self._entry(report.nodeid, dict(report.user_properties))
        if entry is None:
            return
        if report.failed:
            entry["result"] = "failed" if report.when == "call" else "error"
        elif report.skipped:
            entry["result"] = "skipped"
        elif report.when == "call" and entry["result"] == "not run":
            entry["result"] = "passed"

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.entries:
            return
        terminalreporter.section("fences per device")
        for device in self.devices:
            for kind in record.KINDS:
                counts = record.count(e for e in self.entries.values() if e["device"] == device and e["kind"] == kind)
                if counts:
                    terminalreporter.line(f"{device}, {kind}s: " + ", ".join(f"{n} {result}" for result, n in sorted(counts.items())))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.path is not None:
            record.write(self.path, record.new_record(self.devices, list(self.entries.values())))
