"""The record of a run, and how what the site shows now compares with it.

The one module that both sides use: the harness writes a record (`pytest --fence-record PATH`,
the CUDA pass), the site build reads the committed one (overrides/hooks/verification.py) and
compares it with what the site shows now, by ids and digests, so that anything edited after
the run shows as pending. What the site shows is checked three ways, and a record holds all
three, each once per device it ran on, with its result and the torch it ran with:

- `fence`: a fence of a page (regions.py), `docs/x.md::[CodeFence#2][snippets/x.md:3][cuda]`;
- `notebook`: a notebook's code cells and stored outputs, `docs/explore.ipynb::[cuda]`;
- `figure`: the code of a figure, `snippets/figures/convergence.py::[cuda]`.

Format 1 (fences only, one device) is still read. This module imports neither pytest nor the
harness. A record is only ever written by a run: it is never edited by hand.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .regions import page_fences, relative
from .syntax import fence_parser

FORMAT = 2
KINDS = ("fence", "notebook", "figure")


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


def new_record(devices: tuple[str, ...], entries: list[dict]) -> dict:
    """A record of a run on `devices`: `entries` are {"id", "kind", "device", "sha256", "result"}."""
    env = environment(devices)
    return {
        "format": FORMAT,
        "written": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "devices": list(devices),
        "environment": env,
        "summary": {device: count(e for e in entries if e["device"] == device) for device in devices},
        "entries": [{**entry, "torch": env["torch"]} for entry in entries],
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
    """The record at `path` in the current format (a format 1 record is read as one), or None."""
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    if data.get("format") == 1:
        return _from_format_1(data)
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: record format {data.get('format')!r}, expected 1 or {FORMAT}")
    return data


def _from_format_1(data: dict) -> dict:
    """Format 1: fences only, run on one device, the torch in the environment alone."""
    [device] = data["devices"]
    entries = [{**entry, "kind": "fence", "device": device, "torch": data["environment"]["torch"]} for entry in data["fences"]]
    rest = {key: value for key, value in data.items() if key not in ("fences", "summary")}
    return {**rest, "summary": {device: count(entries)}, "entries": entries}


def pinned_torch(requirements: Path) -> str:
    """The torch version that requirements.txt pins (`torch==X`): every CPU run uses it."""
    for line in requirements.read_text("utf-8").splitlines():
        name, _, version = line.split("#")[0].strip().partition("==")
        if name.strip().lower() == "torch" and version:
            return version.strip()
    raise ValueError(f"{requirements}: no torch==VERSION")


def same_torch(version: str, pinned: str) -> bool:
    """Whether `version` is the pinned release: a local label (`+cu130`, the build for a CUDA
    version) is the same release, as `torch==2.13.0` accepts `2.13.0+cu130`."""
    return version.split("+")[0] == pinned.split("+")[0]


@dataclass
class Status:
    """How what the site shows now compares with a record, on one device."""

    verified: list[str] = field(default_factory=list)  # same code and output, passed with the pinned torch
    verified_other_torch: dict[str, list[str]] = field(default_factory=dict)  # the same, passed with another torch (by version)
    failed: list[str] = field(default_factory=list)  # same code and output, did not pass
    pending: list[str] = field(default_factory=list)  # new or changed since the record, or not run in it


def compare(recorded: dict | None, current: dict[str, str], pinned: str) -> Status:
    """`current` maps each id (on the recorded device) to its digest now; `pinned` is the torch
    that CPU runs use."""
    by_id = {entry["id"]: entry for entry in (recorded or {}).get("entries", [])}
    status = Status()
    for entry_id, digest in current.items():
        entry = by_id.get(entry_id)
        if entry is None or entry["sha256"] != digest or entry["result"] in ("not run", "skipped"):
            status.pending.append(entry_id)
        elif entry["result"] != "passed":
            status.failed.append(entry_id)
        elif same_torch(entry["torch"], pinned):
            status.verified.append(entry_id)
        else:
            status.verified_other_torch.setdefault(entry["torch"], []).append(entry_id)
    return status


def fence_digests(pages: list[Path], config_file: str, device: str, root: Path) -> dict[str, str]:
    """Each fence of `pages` by its id on `device` (as a record names it), to its digest."""
    parser = fence_parser()
    return {fence.fence_id(device, root): fence.digest for page in pages for fence in page_fences(page, config_file, parser)}


# --- Notebooks and figures ----------------------------------------------------------------------


def notebooks(root: Path) -> list[Path]:
    """The notebooks the site shows, one per edition (docs/explore.ipynb, docs/explore.zh.ipynb)."""
    return sorted((root / "docs").glob("*.ipynb"))


def figure_modules(root: Path) -> list[Path]:
    """The code of the site's figures (overrides/hooks/figures.py draws them)."""
    return sorted(path for path in (root / "snippets" / "figures").glob("*.py") if not path.name.startswith("_"))


def kind_of(path: Path, root: Path) -> str:
    if path.suffix == ".ipynb":
        return "notebook"
    if Path(path).resolve().parent == (root / "snippets" / "figures").resolve():
        return "figure"
    raise ValueError(f"{path}: neither a notebook nor a figure's code")


def digest(path: Path, root: Path) -> str:
    """A notebook's code cells with their stored outputs (what a run checks), or a figure's code."""
    if kind_of(path, root) == "figure":
        return hashlib.sha256(path.read_bytes()).hexdigest()
    cells = json.loads(path.read_text("utf-8"))["cells"]
    text = lambda value: "".join(value) if isinstance(value, list) else value  # noqa: E731
    code = [[text(cell["source"]), cell.get("outputs", [])] for cell in cells if cell["cell_type"] == "code"]
    return hashlib.sha256(json.dumps(code, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def entry_id(path: Path, device: str, root: Path) -> str:
    return f"{relative(path, root)}::[{device}]"


def current_digests(pages: list[Path], config_file: str, device: str, root: Path) -> dict[str, str]:
    """Everything the site shows that a run checks, by its id on `device`, to its digest now:
    the fences of `pages` (the originals: a translation shows its original's), the notebooks of
    both editions and the figures' code."""
    digests = fence_digests(pages, config_file, device, root)
    for path in notebooks(root) + figure_modules(root):
        digests[entry_id(path, device, root)] = digest(path, root)
    return digests
