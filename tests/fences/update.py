"""Update mode (`pytest --update-outputs`): rewrite the expected output of `pycon` examples to
what actually runs, in the file each example was written in.

Only the expected-output lines that fail the check are replaced, within the examples that fail;
every other byte of the file stays as it was (line endings, a missing or present final newline, a
BOM, any text, a float rounded as CONTRIBUTING allows). An example whose new output would not
read back as what ran is left alone, named in the summary; the other examples of its fence are
still updated.
Edits are gathered during the run and applied at the end, once per file, so a snippet that
several pages include is rewritten once; each file is replaced atomically. An example that
raises, and the examples after it in its fence, are never rewritten.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from documents.characters import code_point, unwritable
from documents.includes import RESERVED, display_path, preprocessors
from documents.syntax import fence_parser
from documents.regions import Fence

from .checker import TorchOutputChecker
from .evaluators import ExampleFailure, OutputMismatch
from .sessions import SessionError, examples_of

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


def merged_output(want: list[str], got: list[str]) -> list[str]:
    """The expected-output lines to write: each line of `want` that the checker accepts for its
    counterpart in `got` stays as written (a float rounded as CONTRIBUTING allows, say), every
    other line becomes what was printed."""
    checker = TorchOutputChecker()
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    for tag, w1, w2, g1, g2 in matcher.get_opcodes():
        if tag == "equal":
            lines += want[w1:w2]
        elif tag == "replace" and w2 - w1 == g2 - g1:
            lines += [w if checker.check_output(w + "\n", g + "\n", 0) else g for w, g in zip(want[w1:w2], got[g1:g2])]
        else:
            lines += got[g1:g2]
    if not checker.check_output("".join(line + "\n" for line in lines), "".join(line + "\n" for line in got), 0):
        return got
    return lines


def _unwritable(character: str) -> bool:
    """A character update never writes into a page: one it cannot show (a control character),
    cannot encode (a lone surrogate), or that the include expander reserves (U+E000, U+E001)."""
    return unwritable(character) or character in RESERVED


def _check_markdown(fence: Fence, where, new_output: list[str], rewritten: str) -> None:
    """The new output, written into the fence, is still read as the fence's lines: no line of it
    closes the fence (a printed ```), or is read as an include before Markdown is."""
    plain, _ = preprocessors(fence.page.config_file)
    for line in new_output:
        if plain.RE_ALL_SNIPPETS.match(line):
            raise NotUpdated(f"{where}: the new output line {line!r} would be read as an include; edit it by hand")
    opening = fence.page.text.split("\n")[fence.start_line - 1].strip()
    marker = opening[: len(opening) - len(opening.lstrip(opening[0]))]
    tokens = [t for t in fence_parser().parse(f"{opening}\n{rewritten}{marker}\n") if t.type in ("fence", "code_block")]
    if len(tokens) != 1 or tokens[0].content != rewritten:
        raise NotUpdated(f"{where}: a line of the new output would close the fence ({marker}); edit it by hand, or print it otherwise")


def edit_for(fence: Fence, failure: ExampleFailure) -> Edit:
    """The edit that makes `failure`'s expected output in its file equal what it printed."""
    example = failure.example
    where = fence.page.origin(example.line)
    if failure.unexpected:
        raise NotUpdated(f"{where}: the example raises {failure.raised.summary}")
    if example.example.options:
        raise NotUpdated(f"{where}: the example uses a doctest directive (+ELLIPSIS); edit it by hand")

    invisible = list(dict.fromkeys(code_point(c) for c in failure.got if _unwritable(c)))
    if invisible:
        raise NotUpdated(
            f"{where}: the new output holds {', '.join(invisible)}, which update never writes into a page (a control "
            "character does not show, a lone surrogate cannot be written, U+E000 and U+E001 are reserved); make the "
            "example print without it (strip the colour codes, or print its repr())"
        )
    printed = [line if line.strip() else "<BLANKLINE>" for line in failure.got.split("\n")[:-1]]
    written = fence.content.split("\n")
    start = example.want_line - fence.first_line  # index in the fence's content
    new_output = merged_output(written[start : start + example.want_lines], printed)
    # The page must read back as the example that ran: parsed again with the new output in
    # place, the same example must expect exactly what it printed. An output whose first line
    # starts with "..." would be read as code, for instance.
    rewritten = "\n".join(written[:start] + new_output + written[start + example.want_lines :])
    _check_markdown(fence, where, new_output, rewritten)
    try:
        reread = examples_of(fence, rewritten)
    except SessionError as error:
        raise NotUpdated(f"{where}: written into the page, the new output would not read back ({error})") from None
    again = [e for e in reread if e.line == example.line]
    if not again or again[0].source != example.source or not TorchOutputChecker().check_output(again[0].want, failure.got, 0):
        raise NotUpdated(f"{where}: written into the page, the new output would read back as something else; edit it by hand")

    first = fence.page.origin(example.want_line) if example.want_lines else fence.page.origin(example.want_line - 1)
    lines_written = [fence.page.origin(example.want_line - example.source_lines + k) for k in range(example.source_lines + example.want_lines)]
    if any(o.path != where.path or o.line != where.line + k for k, o in enumerate(lines_written)):
        raise NotUpdated(f"{where}: the example's lines are not consecutive lines of one file")
    file_lines = _split(where.path)
    prompt = file_lines[where.line - 1].rstrip("\r\n")
    indent = prompt[: len(prompt) - len(prompt.lstrip())]
    after_source = where.line + example.source_lines  # 1-based file line of the first output line
    on_disk = [line.rstrip("\r\n") for line in file_lines[after_source - 1 : after_source - 1 + example.want_lines]]
    if not prompt.lstrip().startswith(">>>") or on_disk != [indent + line for line in written[start : start + example.want_lines]]:
        raise NotUpdated(f"{first}: the file no longer holds this example as it was run")
    return Edit(where.path, after_source, after_source + example.want_lines, tuple(indent + line for line in new_output))


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
        """Queue the edits that fix `mismatch`, example by example; False when some example
        cannot be fixed (its reason is then on `mismatch`, and in the summary)."""
        raised_at = next((failure.line for failure in mismatch.failures if failure.unexpected), None)
        for failure in mismatch.failures:
            try:
                if raised_at is not None and failure.line > raised_at:
                    # What it printed may come from the state the failed example left behind.
                    raise NotUpdated(f"{fence.page.origin(failure.line)}: an example above it raised; fix that one first")
                self.edits.append(edit_for(fence, failure))
            except NotUpdated as reason:
                mismatch.not_updated.append(str(reason))
                self.refused.append(str(reason))
        return not mismatch.not_updated

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
