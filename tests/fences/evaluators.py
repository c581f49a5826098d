"""The evaluators: a `python` fence is executed; a `pycon` fence runs as a doctest session.

Both execute in the page's namespace, in the page's own process (zygote.py). Code is compiled under the name of the
Markdown file it was written in, at its own lines, so that a traceback, a warning or pytest's
warning summary names `docs/page.md:12` (or the snippet's file and line), never doctest's
`<doctest ...>` names. A `pycon` session uses the standard library's doctest for what it is
good at, its parser (sessions.py) and its output checker (checker.py), and runs each example
as the REPL does: compiled in "single" mode, the value of an expression printed by
`sys.displayhook`, an exception compared by its last line as doctest compares it.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import io
import linecache
import traceback
from dataclasses import dataclass
from pathlib import Path

from documents.includes import Origin, display_path
from documents.regions import Fence

from .sessions import Example, examples_of

_EXPANDED = " (includes expanded)"  # the name suffix of code compiled from an expanded page


@dataclass(frozen=True)
class Frame:
    """One traceback frame, at the line of the file it was written in."""

    in_fence: bool
    filename: str
    line: int
    function: str
    text: str


@dataclass(frozen=True)
class Raised:
    frames: tuple[Frame, ...]
    summary: str  # "ValueError: message", as the last line of a traceback shows it


@dataclass(frozen=True)
class ExampleFailure:
    """One `>>>` example whose output differs from the page, or that raised unexpectedly."""

    example: Example
    got: str  # what it printed; for an exception, the traceback's header, "  ..." and last line
    raised: Raised | None = None  # the exception it raised, if any

    @property
    def line(self) -> int:
        return self.example.line

    @property
    def unexpected(self) -> bool:
        """It raised, and the page shows no traceback for it."""
        return self.raised is not None and not self.example.expects_exception


# The three ways a fence fails. Each is sent from the page's process to pytest's as a pickle,
# so each pickles as the arguments it was made from.


class OutputMismatch(AssertionError):
    def __init__(self, failures: list[ExampleFailure]) -> None:
        super().__init__(f"{len(failures)} example(s) of this fence differ from the page")
        self.failures = failures
        self.not_updated: list[str] = []  # why update mode left examples alone

    def __reduce__(self):
        return OutputMismatch, (self.failures,)


class FenceRaised(Exception):
    def __init__(self, raised: Raised, printed: str) -> None:
        super().__init__(raised.summary)
        self.raised = raised
        self.printed = printed

    def __reduce__(self):
        return FenceRaised, (self.raised, self.printed)


class FenceStopped(Exception):
    """A fence that did not end by itself: a timeout, `exit()`, Ctrl-C, its process ending."""

    def __init__(self, text: str, raised: Raised) -> None:
        super().__init__(text)
        self.text = text
        self.raised = raised  # where the fence was when it stopped

    @classmethod
    def outside(cls, text: str) -> FenceStopped:
        """A stop from outside the fence's code (the harness, the page's process): no frames of its own."""
        return cls(text, Raised((), text))

    def __reduce__(self):
        return FenceStopped, (self.text, self.raised)


def evaluate(fence: Fence, namespace: dict) -> None:
    """Run a fence in the page's namespace; raises OutputMismatch or FenceRaised when it fails."""
    from .checker import TorchOutputChecker

    if fence.kind == "python":
        run_python(fence, namespace)
    elif failures := run_session(fence, namespace, TorchOutputChecker()):
        raise OutputMismatch(failures)


def code_file(fence: Fence, first: int, count: int) -> tuple[str, int]:
    """The file name and first line to compile expanded-page lines [first, first + count) under:
    the file they were written in when they are consecutive lines of one file (they always are,
    unless an include sits inside a fence), else the page with its includes expanded, under a
    name that says so."""
    origins = [fence.page.origin(first + k) for k in range(count)]
    if all(o.path == origins[0].path and o.line == origins[0].line + k for k, o in enumerate(origins)):
        return display_path(origins[0].path), origins[0].line
    name = _expanded_name(fence)
    text = fence.page.text
    linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    return name, first


def _expanded_name(fence: Fence) -> str:
    return f"{display_path(fence.page.path)}{_EXPANDED}"


def code_files(fence: Fence) -> set[str]:
    """Every file name `code_file` may compile the fence's lines under."""
    names = {display_path(fence.page.origin(fence.first_line + k).path) for k in range(fence.content.count("\n"))}
    return names | {_expanded_name(fence)}


def _compile(source: str, filename: str, line: int, mode: str):
    try:
        tree = ast.parse(source, filename, mode)
    except SyntaxError as error:  # placed at the line it was written at
        if error.lineno is not None:
            error.lineno += line - 1
        if getattr(error, "end_lineno", None) is not None:
            error.end_lineno += line - 1
        raise
    ast.increment_lineno(tree, line - 1)
    return compile(tree, filename, mode, dont_inherit=True)


def locate(error: BaseException, files: set[str]) -> Raised:
    """`error`'s traceback from the first frame in the fence's code (compiled under `files`) on."""
    frames: list[Frame] = []
    for summary in traceback.extract_tb(error.__traceback__):
        in_fence = summary.filename in files
        if in_fence or frames:
            frames.append(Frame(in_fence, summary.filename, summary.lineno or 0, summary.name, (summary.line or "").strip()))
    summary = "".join(traceback.format_exception_only(type(error), error)).strip()
    return Raised(tuple(frames), summary)


def run_python(fence: Fence, namespace: dict) -> None:
    """Execute a `python` fence; raises FenceRaised when it raises."""
    filename, line = code_file(fence, fence.first_line, fence.content.count("\n"))
    printed = io.StringIO()
    try:
        code = _compile(fence.content, filename, line, "exec")
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            exec(code, namespace)
    except Exception as error:
        raise FenceRaised(locate(error, {filename}), printed.getvalue()) from None


def run_session(fence: Fence, namespace: dict, checker: doctest.OutputChecker) -> list[ExampleFailure]:
    """Run a `pycon` fence's examples in order; the failures, as `checker` judges the outputs."""
    failures = []
    for example in examples_of(fence):
        filename, line = code_file(fence, example.line, example.source_lines)
        printed = io.StringIO()
        raised = None
        try:
            code = _compile(example.source, filename, line, "single")
            with contextlib.redirect_stdout(printed):  # sys.displayhook prints to sys.stdout
                exec(code, namespace)
        except Exception as error:  # a timeout, KeyboardInterrupt or exit stops the fence
            raised = error
        flags = doctest.ELLIPSIS if example.example.options.get(doctest.ELLIPSIS) else 0
        if raised is None:
            got = printed.getvalue()
            if not checker.check_output(example.want, got, flags):
                failures.append(ExampleFailure(example, got))
            continue
        located = locate(raised, {filename})
        last_line = traceback.format_exception_only(type(raised), raised)[-1]
        if example.expects_exception and checker.check_output(example.example.exc_msg, last_line, flags):
            continue
        # Written as a page writes an expected traceback, so that it lines up with one.
        got = "Traceback (most recent call last):\n  ...\n" + "".join(traceback.format_exception_only(type(raised), raised))
        failures.append(ExampleFailure(example, got, located))
    return failures


def origin_of(frame: Frame, fence: Fence) -> Origin:
    """Where a frame of the fence's code was written."""
    if frame.filename.endswith(_EXPANDED):
        return fence.page.origin(frame.line)
    return Origin(Path(frame.filename), frame.line)
