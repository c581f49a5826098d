"""The record of a fence run, and how the pages now compare with it.

The one module that both sides use: the harness writes a record (`pytest --fence-record PATH`,
the CUDA pass), the site build reads the committed one (overrides/hooks/verification.py) and
compares it with the fences on the pages now, by their ids and digests (regions.py), so a fence
edited after the run shows as pending. It imports neither pytest nor the harness.
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

from .regions import page_fences
from .syntax import fence_parser

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


def new_record(devices: tuple[str, ...], fences: list[dict]) -> dict:
    """A record of a run on `devices`: `fences` are entries {"id", "sha256", "result"}."""
    return {
        "format": FORMAT,
        "written": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "devices": list(devices),
        "environment": environment(devices),
        "summary": count(fences),
        "fences": fences,
    }


def count(entries) -> dict[str, int]:
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


def fence_digests(pages: list[Path], config_file: str, device: str, root: Path) -> dict[str, str]:
    """Each fence of `pages` by its id on `device` (as a record names it), to its digest."""
    parser = fence_parser()
    return {fence.fence_id(device, root): fence.digest for page in pages for fence in page_fences(page, config_file, parser)}
