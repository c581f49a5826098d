"""A record of an older format converted to the current one, from the pages its run saw.

A format 1 or 2 record names each fence by its position and hashes the fence's own content
only. The current format keys a fence by what its result depends on, its page's fences up to
and including it (`Fence.key`), which the record alone does not tell. The pages the run saw
do: they are in the repository's history, at the commit that committed the record. The
conversion reads them with today's code and checks that each recorded fence, and every fence
above it on its page, is found at its id with the digest the record holds; it refuses
otherwise, for the key would then vouch for code that never ran. Everything else is copied as
it was written: every result, the torch, the environment, the date. Each entry gains its key,
and the record says what it was converted from (`converted`).

    python tests/cuda_pass.py --convert-record     # the committed docs/cuda-record.json

This module imports neither pytest nor the harness; git is run to read the history.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from . import record
from .regions import page_fences

COMMAND = "python tests/cuda_pass.py --convert-record"
PAGES = ("docs", "snippets", "mkdocs.yml")  # what a fence's id and content are read from


class ConversionError(Exception):
    """A record that cannot be converted honestly; the message says why."""


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout


def last_commit(root: Path, path: str) -> str:
    """The commit that last changed `path` (relative to `root`)."""
    return _git(root, "log", "-1", "--format=%H", "--", path).decode().strip()


def record_at(root: Path, commit: str, path: str) -> dict:
    """The record as `commit` holds it."""
    return json.loads(_git(root, "show", f"{commit}:{path}"))


def pages_at(root: Path, commit: str, into: Path) -> Path:
    """The pages, snippets and mkdocs.yml as `commit` holds them, extracted into `into`."""
    subprocess.run(["tar", "-x", "-C", str(into)], input=_git(root, "archive", commit, *PAGES), check=True)
    return into


def pages_commit(root: Path, recorded: dict, path: str) -> str:
    """The commit whose pages a committed record describes: the one it was converted from, or
    else the one that committed it (a run's record is committed as the run wrote it)."""
    return recorded.get("converted", {}).get("commit") or last_commit(root, path)


def convert(old: dict, pages: Path, commit: str) -> dict:
    """The record `old` (format 1 or 2) in the current format, its fences keyed by the pages
    under `pages` (those of `commit`). Raises ConversionError."""
    if old.get("format") not in (1, 2):
        raise ConversionError(f"record format {old.get('format')!r}: only formats 1 and 2 are converted")
    read = record.from_data(old)
    if old["format"] == 1 and old["summary"] != read["summary"][old["devices"][0]]:
        raise ConversionError(f"its summary {old['summary']} is not the count of its fences {read['summary']}")
    found = _fences(pages, {entry["id"].split("::")[0] for entry in read["entries"] if entry["kind"] == "fence"})
    recorded = {entry["id"]: entry["sha256"] for entry in read["entries"]}
    entries = []
    for entry in read["entries"]:
        key = entry.get("key")
        if entry["kind"] == "fence":
            fence = _checked(entry, found, recorded, pages)
            key = fence.key(entry["device"], pages)
        entries.append(_with_key(entry, key))
    rest = {name: value for name, value in read.items() if name not in ("format", "entries")}
    converted = {"from_format": old["format"], "commit": commit, "by": COMMAND}
    return {"format": record.FORMAT, **rest, "converted": converted, "entries": entries}


def _fences(pages: Path, names: set[str]) -> dict:
    """The fences of the pages `names` (relative to `pages`), each by its page and its index."""
    config_file = str(pages / "mkdocs.yml")
    found = {}
    for name in sorted(names):
        if not (pages / name).is_file():
            raise ConversionError(f"{name}: the record names this page, which the commit does not hold")
        found[name] = page_fences(pages / name, config_file)
    return found


def _checked(entry: dict, found: dict, recorded: dict[str, str], pages: Path):
    """The fence at `entry`'s id, once it and every fence above it on its page are found with
    the digest the record holds on that device."""
    page, device = entry["id"].split("::")[0], entry["device"]
    by_id = {fence.fence_id(device, pages): fence for fence in found[page]}
    fence = by_id.get(entry["id"])
    if fence is None:
        raise ConversionError(f"{entry['id']}: no such fence on {page} at that commit")
    for above in found[page][: fence.index + 1]:
        above_id = above.fence_id(device, pages)
        if recorded.get(above_id) != above.digest:
            why = "is not in the record" if above_id not in recorded else f"has digest {above.digest}, the record {recorded[above_id]}"
            raise ConversionError(f"{entry['id']}: the fence {above_id} {why}, so what this one ran after is not known")
    return fence


ORDER = ("id", "kind", "device", "sha256", "key", "result", "torch")  # as a run writes an entry


def _with_key(entry: dict, key: str) -> dict:
    """`entry` as it was, with its key, its fields in the order a run writes them."""
    entry = {**entry, "key": key}
    return {**{name: entry[name] for name in ORDER if name in entry}, **entry}


def convert_from_history(root: Path, path: str, commit: str | None = None) -> dict:
    """The record at `path` as `commit` (by default the last to change it) holds it, converted
    from the pages of that commit."""
    commit = commit or last_commit(root, path)
    old = record_at(root, commit, path)
    with tempfile.TemporaryDirectory(prefix="record-pages-") as scratch:
        return convert(old, pages_at(root, commit, Path(scratch)), commit)
