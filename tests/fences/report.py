"""The failure report: where to look (Markdown file and line), the code, expected and actual.

Every line number is mapped back to the file it was written in, so a fence that came from a
snippet is reported at the snippet's own line, with the page that includes it.
"""

from __future__ import annotations

import textwrap

import pytest

from .includes import display_path
from .isolation import ReplayError
from .pages import Fence
from .runners import ExampleFailure, FenceRaised, OutputMismatch, Raised, locate


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
    """The fence's code with the line numbers of the file it was written in."""
    first = fence.definition.start_line + 1  # expanded-page line of the first code line
    rows = []
    for offset, text in enumerate(fence.content.rstrip("\n").split("\n")):
        origin = fence.page.origin(first + offset)
        pointer = ">" if first + offset == mark else " "
        rows.append(f"{pointer}{origin.line:>5} | {text}")
    return f"{display_path(fence.origin.path)}, fence opened at line {fence.origin.line}:\n" + "\n".join(rows)


def _traceback(fence: Fence, raised: Raised) -> str:
    rows = ["Traceback (most recent call last):"]
    for frame in raised.frames:
        if frame.in_fence:
            origin = fence.page.origin(frame.line)
            text = fence.page.text.split("\n")[frame.line - 1].strip()
            rows += [f'  File "{display_path(origin.path)}", line {origin.line}, in {frame.function}', f"    {text}"]
        else:
            rows += [f'  File "{frame.filename}", line {frame.line}, in {frame.function}', f"    {frame.text}"]
    rows.append(raised.summary)
    return "\n".join(rows)


def _example(fence: Fence, failure: ExampleFailure, device: str) -> str:
    origin = fence.page.origin(failure.line)
    what = "raised an exception" if failure.raised else "printed something other than the page shows"
    parts = [
        f"{origin}: this example {what} ({_context(fence, device)})",
        "Code:",
        _indent(failure.source),
        "Expected:",
        _indent(failure.want),
        "Got:",
        _indent(failure.got),
    ]
    if failure.raised:
        parts.append(_traceback(fence, failure.raised))
    else:
        parts.append(_differing_lines(fence, failure))
    return "\n".join(parts)


def _differing_lines(fence: Fence, failure: ExampleFailure, limit: int = 5) -> str:
    """Which lines of the file differ, so that a long output need not be compared by eye."""
    want, got = failure.want.splitlines(), failure.got.splitlines()
    first = failure.first_output_line
    rows = []
    for index in range(max(len(want), len(got))):
        expected = want[index] if index < len(want) else None
        actual = got[index] if index < len(got) else None
        if expected == actual:
            continue
        if len(rows) == limit:
            rows.append("  ...")
            break
        if expected is not None:
            where = str(fence.page.origin(first + index))
        elif want:
            where = f"after {fence.page.origin(first + len(want) - 1)}"
        else:
            where = f"after {fence.page.origin(first - 1)}"
        rows.append(f"  {where}\n    expected: {expected if expected is not None else '(no line)'}\n    actual:   {actual if actual is not None else '(no line)'}")
    return "Lines that differ:\n" + "\n".join(rows)


def describe(fence: Fence, device: str, nodeid: str, excinfo: pytest.ExceptionInfo) -> str:
    error = excinfo.value
    if isinstance(error, OutputMismatch):
        sections = [_example(fence, failure, device) for failure in error.failures]
        sections.append(_listing(fence, mark=error.failures[0].line))
        if error.not_updated:
            sections.append(f"Not updated: {error.not_updated}.")
        elif any(failure.raised for failure in error.failures):
            pass  # an error to fix in the code, not an output to accept
        elif device == "cpu":
            page = nodeid.split("::")[0]
            sections.append(f"If the new output is right, write it into the page: make update-outputs\n(or just this page: pytest {page} --update-outputs)")
        else:
            sections.append("CPU prints what the page shows, this device does not: CONTRIBUTING.md says how to show an output that differs by device.")
    elif isinstance(error, FenceRaised):
        fence_lines = [frame.line for frame in error.raised.frames if frame.in_fence]
        where = fence.page.origin(fence_lines[-1]) if fence_lines else fence.origin
        sections = [f"{where}: this fence raised {error.raised.summary} ({_context(fence, device)})"]
        sections.append(_listing(fence, mark=fence_lines[-1] if fence_lines else None))
        sections.append(_traceback(fence, error.raised))
        if error.printed:
            sections.append("Printed before the error:\n" + _indent(error.printed))
    elif isinstance(error, ReplayError):
        sections = [
            f"{fence.origin}: not run, because fence #{error.index + 1} above it on this page failed "
            f"when replayed to rebuild the page's state ({_context(fence, device)}):",
            _indent(str(error.error)),
        ]
    else:  # a timeout, or anything else that stopped the fence
        text = f"{type(error).__name__}: {error}".strip()
        raised = locate(error, fence.definition)
        fence_lines = [frame.line for frame in raised.frames if frame.in_fence]
        where = fence.page.origin(fence_lines[-1]) if fence_lines else fence.origin
        sections = [f"{where}: {text} ({_context(fence, device)})", _listing(fence, mark=fence_lines[-1] if fence_lines else None)]
        if raised.frames:
            sections.append(_traceback(fence, raised))
    sections.append(f"Run this fence again: pytest '{nodeid}'")
    return "\n\n".join(sections)
