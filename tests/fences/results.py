"""The results of a run's fences: summed up per device at the end, and written as a record
(documents/record.py) when the run is given `--fence-record PATH`."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents import record


class FenceResults:
    """A pytest plugin collecting the result of each fence item."""

    def __init__(self, path: Path | None, devices: tuple[str, ...]) -> None:
        self.path, self.devices = path, devices
        self.entries: dict[str, dict] = {}
        self.device_of: dict[str, str] = {}

    def _entry(self, nodeid: str, properties: dict) -> dict | None:
        if nodeid not in self.entries and "sha256" in properties:
            self.entries[nodeid] = {"id": nodeid, "sha256": properties["sha256"], "result": "not run"}
            self.device_of[nodeid] = properties["device"]
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
            counts = record.count(entry for entry_id, entry in self.entries.items() if self.device_of[entry_id] == device)
            terminalreporter.line(f"{device}: " + ", ".join(f"{n} {result}" for result, n in sorted(counts.items())))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.path is not None:
            record.write(self.path, record.new_record(self.devices, list(self.entries.values())))
