"""The failure report: where to look (Markdown file and line), the code, expected and actual.

Every line number is that of the file the line was written in, so a fence that came from a
snippet is reported at the snippet's own line, with the page that includes it. Lines that differ
are lined up as a diff would line them up, and a difference that printing would hide (a trailing
space, a tab, a non-breaking space) is shown with the characters escaped.
"""

from __future__ import annotations

import difflib
import textwrap

import pytest

from documents.includes import display_path
from documents.regions import Fence

from .evaluators import ExampleFailure, FenceRaised, FenceStopped, OutputMismatch, Raised, code_files, locate, origin_of


def _indent(text: str) -> str:
    return textwrap.indent(text.rstrip("\n") or "(nothing)", "    ", lambda line: True)


def _context(fence: Fence, device: str) -> str:
    page = fence.page
    if fence.origin.path.resolve() == page.path.resolve():
        return f"on {device}"
    lines = page.include_lines(fence.origin.path)
    where = display_path(page.path) + (":" + ",".join(map(str, lines)) if lines else "")
    return f"on {device}, included from {where}"


def _listing(fence: Fence, mark: int | None = None) -> str:
    """The fence's code with the line numbers of the file it was written in; `mark` is an
    expanded-page line to point at."""
    rows = []
    for offset, text in enumerate(fence.content.rstrip("\n").split("\n")):
        origin = fence.page.origin(fence.first_line + offset)
        pointer = ">" if fence.first_line + offset == mark else " "
        rows.append(f"{pointer}{origin.line:>5} | {text}")
    return f"{display_path(fence.origin.path)}, fence opened at line {fence.origin.line}:\n" + "\n".join(rows)


def _traceback(fence: Fence, raised: Raised) -> str:
    """The traceback as Python prints it to a user: from the fence's code on, at Markdown lines.
    (A syntax error has no frames: its last lines say where it is.)"""
    if not raised.frames:
        return raised.summary
    rows = ["Traceback (most recent call last):"]
    for frame in raised.frames:
        if frame.in_fence:
            origin = origin_of(frame, fence)
            rows += [f'  File "{display_path(origin.path)}", line {origin.line}, in {frame.function}', f"    {frame.text}"]
        else:
            rows += [f'  File "{frame.filename}", line {frame.line}, in {frame.function}', f"    {frame.text}"]
    rows.append(raised.summary)
    return "\n".join(rows)


def _example(fence: Fence, failure: ExampleFailure, device: str) -> str:
    origin = fence.page.origin(failure.line)
    if failure.unexpected:
        what = "raised an exception"
    elif failure.raised:
        what = "raised another exception than the page shows"
    else:
        what = "printed something other than the page shows"
    parts = [
        f"{origin}: this example {what} ({_context(fence, device)})",
        "Code:",
        _indent(failure.example.source),
        "Expected:",
        _indent(failure.example.want),
        "Got:",
        _indent(failure.got),
    ]
    if not failure.unexpected:
        parts.append(differing_lines(fence, failure))
    if failure.raised:
        parts.append(_traceback(fence, failure.raised))
    return "\n".join(parts)


def visible(line: str) -> str:
    """A line with whitespace and invisible characters shown, for two lines that print alike."""
    return repr(line)


def differing_lines(fence: Fence, failure: ExampleFailure, limit: int = 5) -> str:
    """Which lines of the file differ, lined up as a diff lines them up."""
    want, got = failure.example.want.splitlines(), failure.got.splitlines()
    first = failure.example.want_line
    rows: list[str] = []
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    for tag, w1, w2, g1, g2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(w2 - w1, g2 - g1)):
            expected = want[w1 + k] if w1 + k < w2 else None
            actual = got[g1 + k] if g1 + k < g2 else None
            if expected is not None:
                where = str(fence.page.origin(first + w1 + k))
            elif w1 + k > 0:
                where = f"after {fence.page.origin(first + w1 + k - 1)}"
            else:
                where = f"after {fence.page.origin(first - 1)}"
            if expected is not None and actual is not None and _looks_alike(expected, actual):
                expected, actual = visible(expected), visible(actual)
                where += " (the two differ only in characters that print as blank; shown escaped)"
            if len(rows) == limit:
                rows.append("  ...")
                return "Lines that differ:\n" + "\n".join(rows)
            rows.append(
                f"  {where}\n    expected: {expected if expected is not None else '(no line)'}\n"
                f"    actual:   {actual if actual is not None else '(no line)'}"
            )
    return "Lines that differ:\n" + "\n".join(rows)


def _looks_alike(a: str, b: str) -> bool:
    return a != b and "".join(a.split()) == "".join(b.split())


def describe(fence: Fence, device: str, nodeid: str, excinfo: pytest.ExceptionInfo) -> str:
    error = excinfo.value
    if isinstance(error, OutputMismatch):
        sections = [_example(fence, failure, device) for failure in error.failures]
        sections.append(_listing(fence, mark=error.failures[0].line))
        if error.not_updated:
            sections.append("Not updated:\n" + "\n".join(f"  {reason}" for reason in error.not_updated))
        elif any(failure.unexpected for failure in error.failures):
            pass  # an error to fix in the code, not an output to accept
        elif device == "cpu":
            page = nodeid.split("::")[0]
            sections.append(f"If the new output is right, write it into the page: make update-outputs\n(or just this page: pytest {page} --update-outputs)")
        else:
            sections.append("CPU prints what the page shows, this device does not: CONTRIBUTING.md says how to show an output that differs by device.")
    elif isinstance(error, FenceRaised):
        fence_frames = [frame for frame in error.raised.frames if frame.in_fence]
        where = origin_of(fence_frames[-1], fence) if fence_frames else fence.origin
        sections = [f"{where}: this fence raised {error.raised.summary} ({_context(fence, device)})"]
        sections.append(_listing(fence, mark=_expanded_line(fence, where)))
        sections.append(_traceback(fence, error.raised))
        if error.printed:
            sections.append("Printed before the error:\n" + _indent(error.printed))
    else:  # a timeout, exit(), the page's process ending, or an error of the harness itself
        if isinstance(error, FenceStopped):
            text, raised = error.text, error.raised
        else:
            text, raised = f"{type(error).__name__}: {error}".strip(), locate(error, code_files(fence))
        fence_frames = [frame for frame in raised.frames if frame.in_fence]
        where = origin_of(fence_frames[-1], fence) if fence_frames else fence.origin
        sections = [f"{where}: {text} ({_context(fence, device)})", _listing(fence, mark=_expanded_line(fence, where))]
        if raised.frames:
            sections.append(_traceback(fence, raised))
    sections.append(f"Run this fence again: pytest '{nodeid}'")
    return "\n\n".join(sections)


def _expanded_line(fence: Fence, origin) -> int | None:
    """The expanded-page line of the fence written at `origin`, if the fence holds it."""
    for offset in range(fence.content.count("\n")):
        written = fence.page.origin(fence.first_line + offset)
        if written.line == origin.line and written.path.resolve() == origin.path.resolve():
            return fence.first_line + offset
    return None
