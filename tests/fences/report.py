"""The failure report: where to look (Markdown file and line), the code, expected and actual.

Every line number is that of the file the line was written in, so a fence that came from a
snippet is reported at the snippet's own line, with the page that includes it. Lines that differ
are lined up as a diff would line them up, and a difference that printing would hide (a trailing
space, a tab, a non-breaking space, an ANSI colour code, a zero-width space, an accent composed
otherwise, a look-alike letter) is shown escaped, each such character named by its code point.
"""

from __future__ import annotations

import difflib
import doctest
import textwrap
import unicodedata

import pytest

from documents.characters import code_point, escaped, hidden, names, unwritable
from documents.includes import Origin, display_path
from documents.regions import Fence

from .checker import TorchOutputChecker
from .evaluators import ExampleFailure, FencePrinted, Frame, FenceRaised, FenceStopped, OutputMismatch, Raised, code_files, locate, origin_of


def _indent(text: str) -> str:
    """Text indented under its heading; a control character (an ANSI colour code) is shown
    escaped, so that the terminal shows the report as written."""
    text = "".join(escaped(c) if unwritable(c) else c for c in text)
    return textwrap.indent(text.rstrip("\n") or "(nothing)", "    ", lambda line: True)


def _context(fence: Fence, device: str) -> str:
    page = fence.page
    if fence.origin.path.resolve() == page.path.resolve():
        return f"on {device}"
    lines = page.include_lines(fence.origin.path)
    where = display_path(page.path) + (":" + ",".join(map(str, lines)) if lines else "")
    return f"on {device}, included from {where}"


def _listing(fence: Fence, mark: int | None = None) -> str:
    """The fence's code with the line numbers of the file it was written in, headed by that
    file's name (each line named by file and line, when they come from several); `mark` is an
    expanded-page line to point at."""
    lines = fence.content.rstrip("\n").split("\n")
    origins = [fence.page.origin(fence.first_line + offset) for offset in range(len(lines))]
    files = {display_path(origin.path) for origin in origins}
    rows = []
    for offset, (text, origin) in enumerate(zip(lines, origins)):
        pointer = ">" if fence.first_line + offset == mark else " "
        where = f"{origin.line:>5}" if len(files) == 1 else f"{origin}"
        rows.append(f"{pointer}{where} | {_indent(text).removeprefix('    ') if text else ''}")
    heading = f"{display_path(fence.origin.path)}, fence opened at line {fence.origin.line}"
    if len(files) == 1 and files != {display_path(fence.origin.path)}:
        heading = f"{files.pop()}, included in the fence opened at {fence.origin}"
    return heading + ":\n" + "\n".join(rows)


def _traceback(fence: Fence, raised: Raised) -> str:
    """The traceback as Python prints it to a user: from the fence's code on, at Markdown lines.
    (A syntax error has no frames: its last lines say where it is.)"""
    if not raised.frames:
        return raised.detail + raised.summary
    rows = ["Traceback (most recent call last):"]
    for frame in raised.frames:
        if frame.in_fence:
            origin = origin_of(frame, fence)
            rows += [f'  File "{display_path(origin.path)}", line {origin.line}, in {frame.function}', f"    {frame.text}"]
        else:
            rows += [f'  File "{frame.filename}", line {frame.line}, in {frame.function}', f"    {frame.text}"]
    rows.append((raised.detail + raised.summary).rstrip("\n"))
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


def differing_lines(fence: Fence, failure: ExampleFailure, limit: int = 5) -> str:
    """Which lines of the file differ, lined up as a diff lines them up; a line the page lacks
    is named after the page's line it would follow."""
    want, got = _lines(failure.example.want), _lines(failure.got)
    first = failure.example.want_line
    flags = doctest.ELLIPSIS if failure.example.example.options.get(doctest.ELLIPSIS) else 0
    rows: list[str] = []
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    for tag, w1, w2, g1, g2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(w2 - w1, g2 - g1)):
            expected = want[w1 + k] if w1 + k < w2 else None
            actual = got[g1 + k] if g1 + k < g2 else None
            if expected is not None and actual is not None and _accepted(expected, actual, flags):
                continue  # a line the check accepts (an ellipsis, a rounded float) is not a difference
            if expected is not None:
                where = str(fence.page.origin(first + w1 + k))
            else:  # every extra line belongs after the last line the page does show here
                where = f"after {fence.page.origin(first + w2 - 1 if w2 else first - 1)}"
            if len(rows) == limit:
                rows.append("  ...")
                return "Lines that differ:\n" + "\n".join(rows)
            rows.append(_row(where, expected, actual))
    if not rows and want == got:  # the lines are the same text: the difference is in how they end
        rows.append(f"  {fence.page.origin(first)}: the two differ only in their line endings: {failure.example.want!r} and {failure.got!r}")
    elif not rows:
        rows.append(f"  {fence.page.origin(first)}: each line is accepted on its own, but not the output as a whole: compare Expected and Got")
    return "Lines that differ:\n" + "\n".join(rows)


def _accepted(expected: str, actual: str, flags: int) -> bool:
    return TorchOutputChecker().check_output(expected + "\n", actual + "\n", flags)


def _lines(text: str) -> list[str]:
    """The lines of an output, split at line feeds only (str.splitlines would also split at a
    carriage return or a form feed, and hide it)."""
    return text.removesuffix("\n").split("\n") if text else []


def _row(where: str, expected: str | None, actual: str | None) -> str:
    """One differing line; where the difference would not show, both lines quoted and escaped,
    and the characters where they part named."""
    pair = [line for line in (expected, actual) if line is not None]
    notes = _differing_characters(*pair) if len(pair) == 2 else [f"it holds {name}" for name in names(pair[0])]
    if len(pair) == 2 and unicodedata.normalize("NFC", expected) == unicodedata.normalize("NFC", actual):
        where += " (the same text with its accents composed otherwise, Unicode NFC and NFD; shown escaped)"
    elif len(pair) == 2 and _looks_alike(expected, actual):
        where += " (the two differ only in characters that print as blank; shown escaped)"
    elif notes or any(names(line) for line in pair):
        where += " (shown escaped)"
    else:
        return f"  {where}\n    expected: {_shown(expected)}\n    actual:   {_shown(actual)}"
    quoted = ["'" + escaped(line) + "'" if line is not None else "(no line)" for line in (expected, actual)]
    return f"  {where}\n    expected: {quoted[0]}\n    actual:   {quoted[1]}" + "".join(f"\n    ({note})" for note in notes)


def _shown(line: str | None) -> str:
    """A line as the page would write it (a blank line inside an output is <BLANKLINE>)."""
    return "(no line)" if line is None else line or "<BLANKLINE>"


def _differing_characters(expected: str, actual: str) -> list[str]:
    """Where two lines part at a character that is not plain ASCII or does not show as itself
    (a look-alike letter, a composed accent, an invisible character): that character, named."""
    notes = []
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for tag, e1, e2, a1, a2 in matcher.get_opcodes():
        parts = expected[e1:e2], actual[a1:a2]
        if tag == "equal" or all(c.isascii() and not hidden(c) for c in "".join(parts)):
            continue
        named = [", ".join(map(_named, part[:6])) + (", ..." if len(part) > 6 else "") or "nothing" for part in parts]
        notes.append(f"column {e1 + 1}: expected {named[0]}; actual {named[1]}")
        if len(notes) == 3:
            break
    return notes


def _named(character: str) -> str:
    """A character as a note names it: printable ASCII as itself, any other by its code point."""
    return repr(character) if character.isascii() and character.isprintable() and character != " " else code_point(character)


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
    elif isinstance(error, FencePrinted):
        where = _at(fence, error.at) or fence.origin
        sections = [
            f"{where}: this python fence printed something, which the reader does not see and nothing checks "
            f"({_context(fence, device)}); show it as a pycon session, the output under the line that prints it "
            "(>>> print(t), then what it prints), or do not print",
            "Printed:\n" + _indent(error.printed),
            _listing(fence, mark=_expanded_line(fence, where)),
        ]
    elif isinstance(error, FenceRaised):
        fence_frames = [frame for frame in error.raised.frames if frame.in_fence]
        where = _at(fence, error.raised.at) or (origin_of(fence_frames[-1], fence) if fence_frames else fence.origin)
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


def _at(fence: Fence, at: tuple[str, int] | None) -> Origin | None:
    """Where a (file, line) of the fence's compiled code was written."""
    if at is None:
        return None
    return origin_of(Frame(True, at[0], at[1], "", ""), fence)


def _expanded_line(fence: Fence, origin) -> int | None:
    """The expanded-page line of the fence written at `origin`, if the fence holds it."""
    for offset in range(fence.content.count("\n")):
        written = fence.page.origin(fence.first_line + offset)
        if written.line == origin.line and written.path.resolve() == origin.path.resolve():
            return fence.first_line + offset
    return None
