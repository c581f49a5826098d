"""The record of a run, and how what the site shows now compares with it.

The one module that both sides use: the harness writes a record (`pytest --fence-record PATH`,
the CUDA pass), the site build reads the committed one (overrides/hooks/verification.py) and
compares it with what the site shows now, so that anything edited after the run shows as
pending. What the site shows is checked three ways, and a record holds all three, each once per
device it ran on, with its result and the torch it ran with:

- `fence`: a fence of a page (regions.py), `docs/PAGE.md::[CodeFence#2][snippets/NAME.md:3][cuda]`;
- `notebook`: a notebook's code cells and stored outputs, `docs/explore.ipynb::[cuda]`;
- `figure`: the code of a figure, `snippets/figures/convergence.py::[cuda]`.

Each entry has an `id`, to show and to find what failed, a `sha256` of its own content, and a
`key`: what its result depends on. The comparison matches by the key alone. A fence's key
covers the fences above it on its page (`Fence.key`), for they run in one namespace: a change
to one makes it and the fences below it pending, and renumbering alone (a paragraph, a fence
on another page) changes nothing. A notebook or a figure's code is one unit, keyed by its id
and its digest (`unit_key`).

Format 3 is the current one. Older records keyed fences by position and own content only, and
their fences' keys cannot be computed without the pages the run saw: read as they are, they
match nothing, so their fences show as pending (their notebooks and figures are keyed as
before). `python tests/cuda_pass.py --convert-record` converts one from the pages in the
history (conversion.py). This module imports neither pytest nor the harness. A record is only
ever written by a run or by that conversion: it is never edited by hand.
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

FORMAT = 3
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
    """A record of a run on `devices`: `entries` are {"id", "kind", "device", "sha256", "key", "result"}."""
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
    """The record at `path` in the current format (an older one is read as one), or None."""
    if not path.exists():
        return None
    return from_data(json.loads(path.read_text("utf-8")), str(path))


def from_data(data: dict, name: str = "record") -> dict:
    """A record's data in the current format's shape, its `format` still saying what was
    written. Formats 1 and 2 are read as they are, with the keys that the record alone gives
    (the notebooks' and figures') and none for their fences (see the module's docstring)."""
    if data.get("format") == 1:
        return _from_format_1(data)
    if data.get("format") == 2:
        return _from_format_2(data)
    if data.get("format") != FORMAT:
        raise ValueError(f"{name}: record format {data.get('format')!r}, expected 1, 2 or {FORMAT}")
    return data


def _from_format_1(data: dict) -> dict:
    """Format 1: fences only, run on one device, the torch in the environment alone."""
    [device] = data["devices"]
    entries = [{**entry, "kind": "fence", "device": device, "torch": data["environment"]["torch"]} for entry in data["fences"]]
    rest = {key: value for key, value in data.items() if key not in ("fences", "summary")}
    return {**rest, "summary": {device: count(entries)}, "entries": entries}


def _from_format_2(data: dict) -> dict:
    """Format 2: the entries of format 3 without their keys."""
    entries = [entry if entry["kind"] == "fence" else {**entry, "key": unit_key(entry["id"], entry["sha256"])} for entry in data["entries"]]
    return {**data, "entries": entries}


def unit_key(entry_id: str, digest: str) -> str:
    """The key of a notebook or of a figure's code: it runs as one unit, so its result depends
    on its own content (`digest`) and on where and on what device (its id,
    `docs/explore.ipynb::[cuda]`, which holds no position)."""
    return hashlib.sha256(json.dumps([entry_id, digest]).encode()).hexdigest()


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
    pending: list[str] = field(default_factory=list)  # it or what it depends on changed since the record, or not run in it


def compare(recorded: dict | None, current: dict[str, str], pinned: str) -> Status:
    """`current` maps each id (on the recorded device) to its key now (`current_keys`); `pinned`
    is the torch that CPU runs use. An entry vouches for what has its key now, whatever its id:
    the ids are only what the page lists."""
    by_key = {entry["key"]: entry for entry in (recorded or {}).get("entries", []) if "key" in entry}
    status = Status()
    for entry_id, key in current.items():
        entry = by_key.get(key)
        if entry is None or entry["result"] in ("not run", "skipped"):
            status.pending.append(entry_id)
        elif entry["result"] != "passed":
            status.failed.append(entry_id)
        elif same_torch(entry["torch"], pinned):
            status.verified.append(entry_id)
        else:
            status.verified_other_torch.setdefault(entry["torch"], []).append(entry_id)
    return status


def fence_digests(pages: list[Path], config_file: str, device: str, root: Path) -> dict[str, str]:
    """Each fence of `pages` by its id on `device` (as a record names it), to its own digest."""
    parser = fence_parser()
    return {fence.fence_id(device, root): fence.digest for page in pages for fence in page_fences(page, config_file, parser)}


def fence_keys(pages: list[Path], config_file: str, device: str, root: Path) -> dict[str, str]:
    """Each fence of `pages` by its id on `device`, to its key (`Fence.key`)."""
    parser = fence_parser()
    return {entry: key for page in pages for entry, key in keys_of(page_fences(page, config_file, parser), device, root).items()}


def keys_of(fences, device: str, root: Path) -> dict[str, str]:
    """Each of `fences` (a page's) by its id on `device`, to its key."""
    return {fence.fence_id(device, root): fence.key(device, root) for fence in fences}


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


def current_keys(pages: list[Path], config_file: str, device: str, root: Path, keys_of_page=None) -> dict[str, str]:
    """Everything the site shows that a run checks, by its id on `device`, to its key now: the
    fences of `pages` (the originals: a translation shows its original's), the notebooks of
    both editions and the figures' code. `keys_of_page(page)`, when given, gives the keys of a
    page's fences as the caller keeps them (the site build caches them, overrides/hooks/site_build/pages.py)."""
    if keys_of_page is None:
        keys = fence_keys(pages, config_file, device, root)
    else:
        keys = {entry: key for page in pages for entry, key in keys_of_page(page).items()}
    for path in notebooks(root) + figure_modules(root):
        keys[entry_id(path, device, root)] = unit_key(entry_id(path, device, root), digest(path, root))
    return keys
