"""Update mode (`pytest --update-outputs`): rewrite the expected output of `pycon` examples to
what actually runs, in the file each example was written in.

Only the expected-output lines of examples that fail the check are replaced; every other byte
of the file stays as it was (line endings, a missing or present final newline, a BOM, any text).
Edits are gathered during the run and applied at the end, once per file, so a snippet that
several pages include is rewritten once; each file is replaced atomically. A fence whose code
raises is never rewritten.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from .includes import display_path
from .pages import Fence
from .runners import ExampleFailure, OutputMismatch

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # universal newlines, as MkDocs reads files


class NotUpdated(Exception):
    """An example's output cannot be rewritten automatically; the message says why."""


@dataclass(frozen=True)
class Edit:
    """Replace lines [start, end) of `path` (1-based; start == end inserts) with `lines`."""

    path: Path
    start: int
    end: int
    lines: tuple[str, ...]  # without line endings, indentation included

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.start}" + (f"-{self.end - 1}" if self.end - 1 > self.start else "")


def _split(path: Path) -> list[str]:
    """A file's lines, each with its own line ending (a byte-order mark stays in the first)."""
    return _LINE.findall(path.read_bytes().decode("utf-8"))


def edit_for(fence: Fence, failure: ExampleFailure) -> Edit:
    """The edit that makes `failure`'s expected output in its file equal what it printed."""
    if failure.raised is not None:
        raise NotUpdated(f"{fence.page.origin(failure.line)}: the example raises {failure.raised.summary}")
    if failure.expects_exception:
        raise NotUpdated(f"{fence.page.origin(failure.line)}: the example expects an exception; edit it by hand")
    got = failure.got.splitlines()
    if any(line.lstrip().startswith((">>>", "...")) for line in got):
        raise NotUpdated(f"{fence.page.origin(failure.line)}: the output has lines that look like code")

    want_lines = failure.want.count("\n")
    first = fence.page.origin(failure.line)
    last_source = fence.page.origin(failure.first_output_line - 1)
    want = [fence.page.origin(failure.first_output_line + k) for k in range(want_lines)]
    if any(o.path != first.path for o in [last_source, *want]) or [o.line for o in want] != list(
        range(last_source.line + 1, last_source.line + 1 + want_lines)
    ):
        raise NotUpdated(f"{first}: the example's lines are not contiguous in one file")

    lines = _split(first.path)
    prompt = lines[first.line - 1].rstrip("\r\n")
    indent = prompt[: len(prompt) - len(prompt.lstrip())]
    written = [line.rstrip("\r\n") for line in lines[last_source.line : last_source.line + want_lines]]
    expected = [indent + line for line in failure.want.splitlines()]
    if not prompt.lstrip().startswith(">>>") or written != expected:
        raise NotUpdated(f"{first}: the file no longer holds this example as it was run")
    new = tuple(indent + (line if line.strip() else "<BLANKLINE>") for line in got)
    return Edit(first.path, last_source.line + 1, last_source.line + 1 + want_lines, new)


def apply(edits: list[Edit]) -> tuple[list[Edit], list[str]]:
    """Apply the edits, each file once; returns the edits applied and the conflicts refused."""
    unique = sorted(set(edits), key=lambda e: (str(e.path), e.start, e.end))
    applied, conflicts = [], []
    by_file: dict[Path, list[Edit]] = {}
    for edit in unique:
        by_file.setdefault(edit.path, []).append(edit)
    for path, file_edits in by_file.items():
        clean = []
        for edit in file_edits:
            overlapping = [other for other in file_edits if other is not edit and other.start < max(edit.end, edit.start + 1) and edit.start < max(other.end, other.start + 1)]
            if overlapping:
                conflicts.append(f"{edit}: pages that include it print different outputs here; edit it by hand")
            else:
                clean.append(edit)
        if clean:
            _rewrite(path, clean)
            applied += clean
    return applied, conflicts


def _rewrite(path: Path, edits: list[Edit]) -> None:
    lines = _split(path)
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        # Use the file's own line ending: the one of the line before the edit, else the first one.
        neighbour = lines[edit.start - 2] if edit.start >= 2 else (lines[0] if lines else "\n")
        ending = re.search(r"\r\n|\r|\n", neighbour)
        newline = ending.group() if ending else "\n"
        lines[edit.start - 1 : edit.end - 1] = [line + newline for line in edit.lines]
    data = "".join(lines).encode("utf-8")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)  # atomic: readers see the old file or the new one, never half
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class OutputUpdater:
    """The pytest plugin of update mode: gathers the edits of every fence whose output differs,
    and applies them at the end of the run."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self.applied: list[Edit] = []
        self.refused: list[str] = []  # fences left alone, each reported as a failure too
        self.conflicts: list[str] = []

    def take(self, fence: Fence, mismatch: OutputMismatch) -> bool:
        """Queue the edits that fix `mismatch`; False (and the reason on it) when it cannot be fixed."""
        try:
            edits = [edit_for(fence, failure) for failure in mismatch.failures]
        except NotUpdated as reason:
            mismatch.not_updated = str(reason)
            self.refused.append(str(reason))
            return False
        self.edits += edits
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.applied, self.conflicts = apply(self.edits)
        if self.conflicts:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.section("updated outputs")
        for edit in self.applied:
            terminalreporter.line(f"rewrote {edit}")
        for reason in self.refused + self.conflicts:
            terminalreporter.line(f"NOT UPDATED {reason}", red=True)
        if not (self.applied or self.refused or self.conflicts):
            terminalreporter.line("every output already matches; nothing was written")
