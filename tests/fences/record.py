"""The record of a fence run: on what it ran, and per fence its id, digest and result.

Every run sums its fence results up per device; the CUDA pass (tests/cuda_pass.py) also
writes them out, with `--fence-record`; the site compares it with
the pages as they are now (tests/site_hooks.py), so a fence edited after the run shows as pending.
A record is only ever written by a run: it is never edited by hand.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

FORMAT = 1


def environment(devices: tuple[str, ...]) -> dict:
    import torch

    env = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "gpu": None,
    }
    if "cuda" in devices and torch.cuda.is_available():
        env["gpu"] = torch.cuda.get_device_name(0)
        env["compute_capability"] = ".".join(map(str, torch.cuda.get_device_capability(0)))
    return env


class FenceResults:
    """A pytest plugin collecting the result of each fence item: summed up per device at the
    end of the run, and written out as a record when the run was given a path."""

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
            counts = _count(entry for entry_id, entry in self.entries.items() if self.device_of[entry_id] == device)
            terminalreporter.line(f"{device}: " + ", ".join(f"{n} {result}" for result, n in sorted(counts.items())))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.path is None:
            return
        fences = list(self.entries.values())
        summary = _count(fences)
        write(
            self.path,
            {
                "format": FORMAT,
                "written": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "devices": list(self.devices),
                "environment": environment(self.devices),
                "summary": summary,
                "fences": fences,
            },
        )


def _count(entries) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry["result"]] = counts.get(entry["result"], 0) + 1
    return counts


def write(path: Path, data: dict) -> None:
    """Write atomically: a reader never sees half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
    os.replace(temporary, path)


def read(path: Path) -> dict | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: record format {data.get('format')!r}, expected {FORMAT}")
    return data


@dataclass
class Status:
    """How the fences on the pages now compare with a record."""

    verified: list[str] = field(default_factory=list)  # same code and output, passed in the record
    failed: list[str] = field(default_factory=list)  # same code and output, did not pass
    pending: list[str] = field(default_factory=list)  # new or changed since the record


def compare(recorded: dict | None, current: dict[str, str]) -> Status:
    """`current` maps each fence id (for the recorded device) to its digest now."""
    by_id = {entry["id"]: entry for entry in (recorded or {}).get("fences", [])}
    status = Status()
    for fence_id, digest in current.items():
        entry = by_id.get(fence_id)
        if entry is None or entry["sha256"] != digest:
            status.pending.append(fence_id)
        elif entry["result"] == "passed":
            status.verified.append(fence_id)
        else:
            status.failed.append(fence_id)
    return status
