"""The evaluators: a `python` fence is executed; a `pycon` fence runs as a doctest session.

Both execute in the page's namespace, in the page's own process (zygote.py). Code is compiled under the name of the
Markdown file it was written in, at its own lines, so that a traceback, a warning or pytest's
warning summary names `docs/PAGE.md:12` (or the snippet's file and line), never doctest's
`<doctest ...>` names. A `pycon` session uses the standard library's doctest for what it is
good at, its parser (sessions.py) and its output checker (checker.py), and runs each example
as the REPL does: compiled in "single" mode, the value of an expression printed by
`sys.displayhook`, `__future__` imports holding for the rest of the page (doctest reads them
from the namespace, as here). What an example printed, and the exception it raised, are compared
as Python prints them (`page_traceback`): the whole chain of exceptions, each with its exception
line and notes, the frames written `  ...`.

A `python` fence must not print: the reader does not see what it prints, and nothing would check
it (a pycon session shows and checks it). An `assert` that cannot fail (`assert (x, "why")`, a
constant) is an error, as is every other `SyntaxWarning` of its code.
"""

from __future__ import annotations

import __future__
import ast
import contextlib
import doctest
import io
import linecache
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

from documents.includes import Origin, display_path
from documents.regions import Fence

from .sessions import FRAMES, TRACEBACK_HEADER, Example, examples_of

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
    summary: str  # "ValueError: message" and its notes, as the end of a traceback shows them
    detail: str = ""  # what precedes the summary there, for a SyntaxError: where it is, with a caret
    at: tuple[str, int] | None = None  # (file, line) of a SyntaxError in the fence's own code


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


class FencePrinted(Exception):
    """A `python` fence that printed: what it printed, and the line (file, line) that printed first."""

    def __init__(self, printed: str, at: tuple[str, int] | None) -> None:
        super().__init__(f"this python fence printed {printed!r}")
        self.printed = printed
        self.at = at

    def __reduce__(self):
        return FencePrinted, (self.printed, self.at)


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
    if name not in linecache.cache:  # once per page run: show_code patches it example by example
        linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    return name, first


def show_code(fence: Fence, filename: str, line: int, expanded: int, source: str) -> None:
    """Make `linecache` give, at lines [line, ...) of `filename`, the code as it was compiled
    (without its `>>> `/`... ` prompts and the indentation of its container), as doctest does for
    its examples: `inspect.getsource` then returns the code, and a traceback's caret lines up.
    `expanded` is the expanded-page line of the code's first line."""
    entry = linecache.cache.get(filename)
    if entry is not None and entry[1] is None:  # already ours (or the expanded page's)
        lines = entry[2]
    else:
        lines = fence.page.origin(expanded).path.read_text("utf-8-sig").splitlines(True)
    for offset, text in enumerate(source.rstrip("\n").split("\n")):
        if line - 1 + offset < len(lines):
            lines[line - 1 + offset] = text + "\n"
    linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)


def _expanded_name(fence: Fence) -> str:
    return f"{display_path(fence.page.path)}{_EXPANDED}"


def code_files(fence: Fence) -> set[str]:
    """Every file name `code_file` may compile the fence's lines under."""
    names = {display_path(fence.page.origin(fence.first_line + k).path) for k in range(fence.content.count("\n"))}
    return names | {_expanded_name(fence)}


def future_flags(namespace: dict) -> int:
    """The compiler flags of the `__future__` features imported into `namespace`, as doctest
    finds them: in one REPL session a future import holds for every later line."""
    flags = 0
    for name in __future__.all_feature_names:
        feature = namespace.get(name)
        if feature is getattr(__future__, name):
            flags |= feature.compiler_flag
    return flags


class NotAllowed(SyntaxError):
    """Code the site refuses to run (a SyntaxWarning, an assert that cannot fail): an error of the
    fence at its line, never an output an example can expect. Its traceback names it
    `SyntaxError`, as Python names a SyntaxWarning turned into an error."""


NotAllowed.__module__, NotAllowed.__qualname__ = "builtins", "SyntaxError"


def _compile(source: str, filename: str, line: int, mode: str, namespace: dict):
    """`source` compiled under `filename` at `line`, with the namespace's future features; a
    SyntaxWarning, and an assert that cannot fail, raise NotAllowed at their line."""
    try:
        tree = ast.parse(source, filename, mode)
    except SyntaxError as error:  # placed at the line it was written at
        if error.lineno is not None:
            error.lineno += line - 1
        if getattr(error, "end_lineno", None) is not None:
            error.end_lineno += line - 1
        raise
    ast.increment_lineno(tree, line - 1)
    _check_asserts(tree, filename)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SyntaxWarning)
        # optimize=0: asserts are run whatever PYTHONOPTIMIZE says
        code = compile(tree, filename, mode, flags=future_flags(namespace), dont_inherit=True, optimize=0)
    for warning in caught:
        if issubclass(warning.category, SyntaxWarning):
            raise NotAllowed(
                f"{warning.message} (a SyntaxWarning, which the site's examples may not raise)",
                (filename, warning.lineno, 1, None),
            )
    return code


def _always_true(test: ast.expr) -> str | None:
    """Why an assert's test is true whatever it holds, or None."""
    literal = (ast.Tuple, ast.List, ast.Set)
    if isinstance(test, literal) and test.elts and not any(isinstance(e, ast.Starred) for e in test.elts):
        return f"a non-empty {type(test).__name__.lower()} is always true"
    if isinstance(test, ast.Dict) and test.keys and None not in test.keys:  # `**d` is a None key
        return "a non-empty dict is always true"
    if isinstance(test, ast.JoinedStr) and any(isinstance(v, ast.Constant) and v.value for v in test.values):
        return "a non-empty f-string is always true"
    if isinstance(test, (ast.Lambda, ast.GeneratorExp)):
        return f"a {'function' if isinstance(test, ast.Lambda) else 'generator'} is always true"
    try:
        value = ast.literal_eval(test)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return "a true constant is always true" if value else None


def _check_asserts(tree: ast.AST, filename: str) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and (why := _always_true(node.test)):
            hint = "; write `assert condition, message`" if isinstance(node.test, ast.Tuple) else ""
            raise NotAllowed(f"this assert can never fail ({why}){hint}", (filename, node.lineno, node.col_offset + 1, None))


def locate(error: BaseException, files: set[str]) -> Raised:
    """`error`'s traceback from the first frame in the fence's code (compiled under `files`) on."""
    frames: list[Frame] = []
    for summary in traceback.extract_tb(error.__traceback__):
        in_fence = summary.filename in files
        if in_fence or frames:
            frames.append(Frame(in_fence, summary.filename, summary.lineno or 0, summary.name, (summary.line or "").strip()))
    detail, lines = _exception_lines(traceback.TracebackException.from_exception(error))
    at = None
    if isinstance(error, SyntaxError) and error.filename in files and error.lineno:
        at = (error.filename, error.lineno)
    return Raised(tuple(frames), "".join(lines).strip(), "".join(detail), at)


# What Python prints between the exceptions of a chain (traceback.py's own wording).
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _exception_lines(exception: traceback.TracebackException) -> tuple[list[str], list[str]]:
    """The end of a traceback, split in two: a SyntaxError's location (file, line, caret), which
    Python prints as a last frame; and the exception line with its notes, as Python prints them."""
    lines = list(exception.format_exception_only())
    prefixes = tuple(f"{name}:" for name in _type_names(exception)) + tuple(_type_names(exception))
    start = next((k for k, line in enumerate(lines) if line.startswith(prefixes)), 0)
    return lines[:start], lines[start:]


def _type_names(exception: traceback.TracebackException) -> tuple[str, ...]:
    name = exception.exc_type.__qualname__ if exception.exc_type else "None"
    module = exception.exc_type.__module__ if exception.exc_type else ""
    return (name, f"{module}.{name}") if module not in ("builtins", "__main__", "") else (name,)


def page_traceback(error: BaseException) -> str:
    """The traceback of `error` as Python prints it, written as a page writes it: every exception
    of its chain, each `Traceback (most recent call last):` followed by `  ...` for its frames
    (a SyntaxError's location among them), then its exception line and notes."""
    return "".join(_page_form(traceback.TracebackException.from_exception(error)))


def _page_form(exception: traceback.TracebackException):
    if exception.__cause__ is not None:
        yield from _page_form(exception.__cause__)
        yield _CAUSE
    elif exception.__context__ is not None and not exception.__suppress_context__:
        yield from _page_form(exception.__context__)
        yield _CONTEXT
    detail, lines = _exception_lines(exception)
    if exception.stack or detail:
        yield f"{TRACEBACK_HEADER}\n{FRAMES}\n"
    yield from lines


class _Printed(io.StringIO):
    """What a `python` fence writes to stdout or stderr, and the line of the fence that wrote first."""

    def __init__(self, files: set[str]) -> None:
        super().__init__()
        self.files = files
        self.at: tuple[str, int] | None = None

    def write(self, text: str) -> int:
        if text and self.at is None:
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename not in self.files:
                frame = frame.f_back
            if frame is not None:
                self.at = (frame.f_code.co_filename, frame.f_lineno)
        return super().write(text)


def run_python(fence: Fence, namespace: dict) -> None:
    """Execute a `python` fence; raises FenceRaised when it raises, FencePrinted when it prints."""
    filename, line = code_file(fence, fence.first_line, fence.content.count("\n"))
    printed = _Printed({filename})
    show_code(fence, filename, line, fence.first_line, fence.content)
    try:
        code = _compile(fence.content, filename, line, "exec", namespace)
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            exec(code, namespace)
    except Exception as error:
        raise FenceRaised(locate(error, {filename}), printed.getvalue()) from None
    if printed.getvalue():
        raise FencePrinted(printed.getvalue(), printed.at)


def run_session(fence: Fence, namespace: dict, checker: doctest.OutputChecker) -> list[ExampleFailure]:
    """Run a `pycon` fence's examples in order; the failures, as `checker` judges the outputs."""
    failures = []
    for example in examples_of(fence):
        filename, line = code_file(fence, example.line, example.source_lines)
        show_code(fence, filename, line, example.line, example.source)
        printed = io.StringIO()
        raised = None
        try:
            code = _compile(example.source, filename, line, "single", namespace)
        except NotAllowed as error:
            raise FenceRaised(locate(error, {filename}), "") from None
        except SyntaxError as error:
            code, raised = None, error
        try:
            if code is not None:
                # As in the REPL, what goes to stderr shows too (doctest drops it); sys.displayhook
                # prints to sys.stdout. Warnings are relayed apart, at their line (zygote.py).
                with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                    exec(code, namespace)
        except Exception as error:  # a timeout, KeyboardInterrupt or exit stops the fence
            raised = error
        flags = doctest.ELLIPSIS if example.example.options.get(doctest.ELLIPSIS) else 0
        got = printed.getvalue()
        if got and not got.endswith("\n"):
            got += "\n"  # as doctest: a page cannot show that the last line has no newline
        if raised is not None:
            if _groups(raised):
                raise FenceRaised(_group_refused(raised, filename), got) from None
            got += page_traceback(raised)
        if not checker.check_output(_frames_fixed(example.want), _frames_fixed(got), flags):
            failures.append(ExampleFailure(example, got, locate(raised, {filename}) if raised is not None else None))
    return failures


_FRAMES_HELD = "  <the frames of this traceback>"  # not an ellipsis, whatever the directives say


def _frames_fixed(text: str) -> str:
    """`text` with the `  ...` that stands for a traceback's frames written so that +ELLIPSIS
    cannot stretch it over more lines (a whole chain of exceptions, say)."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index] == FRAMES and lines[index - 1] == TRACEBACK_HEADER:
            lines[index] = _FRAMES_HELD
    return "\n".join(lines)


def _groups(error: BaseException) -> bool:
    """Whether an exception group is in the chain: its sub-exceptions are not compared here."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, BaseExceptionGroup):
            return True
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return False


def _group_refused(error: BaseException, filename: str) -> Raised:
    located = locate(error, {filename})
    text = (
        f"{located.summary}: an exception group, whose sub-exceptions the site does not compare; catch it and show "
        "what you mean (except* ValueError as group: print(group.exceptions))"
    )
    return Raised(located.frames, text, "", located.at)


def origin_of(frame: Frame, fence: Fence) -> Origin:
    """Where a frame of the fence's code was written."""
    if frame.filename.endswith(_EXPANDED):
        return fence.page.origin(frame.line)
    return Origin(Path(frame.filename), frame.line)
