"""The two fence runners, registered with pytest-markdown-docs' runner registry.

`PythonRunner` executes a `python` fence; `PyconRunner` runs a `pycon` fence as a doctest with
the standard library's doctest machinery and `TorchOutputChecker`. Both execute in the page's
shared namespace (see isolation.py) and describe a failure with line numbers of the expanded page,
which the report maps back to the file each line was written in.

Neither lets an exception of the fence escape as itself: pytest-markdown-docs 0.9.2 retries a
runner that raises TypeError without its `asyncio_runner` argument, which would run the fence twice.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import traceback
from dataclasses import dataclass

from pytest_markdown_docs._runners import _Runner, register_runner
from pytest_markdown_docs.definitions import FenceTestDefinition

from . import isolation
from .checker import TorchOutputChecker


@dataclass(frozen=True)
class Frame:
    """One traceback frame; `line` is a line of the expanded page when `in_fence` is true."""

    in_fence: bool
    filename: str
    line: int
    function: str
    text: str


@dataclass(frozen=True)
class Raised:
    frames: tuple[Frame, ...]
    summary: str  # "ValueError: message"


@dataclass(frozen=True)
class ExampleFailure:
    """One `>>>` example whose output differs from the page, or that raised unexpectedly."""

    line: int  # expanded-page line of the example's `>>>` line
    source: str
    want: str
    got: str
    raised: Raised | None = None
    expects_exception: bool = False  # the page shows a traceback for this example

    @property
    def first_output_line(self) -> int:
        """The expanded-page line where the example's expected output starts."""
        return self.line + self.source.count("\n")


class OutputMismatch(AssertionError):
    def __init__(self, failures: list[ExampleFailure]) -> None:
        super().__init__(f"{len(failures)} example(s) of this fence differ from the page")
        self.failures = failures
        self.not_updated: str | None = None  # why update mode left this fence alone


class FenceRaised(Exception):
    def __init__(self, raised: Raised, printed: str) -> None:
        super().__init__(raised.summary)
        self.raised = raised
        self.printed = printed


_DOCTEST_FILENAME = re.compile(r"<doctest (?P<name>.*)\[(?P<index>\d+)\]>")  # doctest's name for example code


def locate(error: BaseException, test: FenceTestDefinition) -> Raised:
    """`error`'s traceback from the first frame in the fence on, fence frames at expanded-page lines."""
    filename = str(test.source_path)
    examples = doctest.DocTestParser().get_examples(test.source) if test.runner_name == PyconRunner.__name__ else []

    def fence_line(summary: traceback.FrameSummary) -> int | None:
        if summary.filename == filename:  # a `python` fence, compiled from its padded source
            return summary.lineno
        match = _DOCTEST_FILENAME.fullmatch(summary.filename)
        if match and match["name"] == filename and int(match["index"]) < len(examples):
            return examples[int(match["index"])].lineno + summary.lineno
        return None

    frames: list[Frame] = []
    for summary in traceback.extract_tb(error.__traceback__):
        line = fence_line(summary)
        if line is not None or frames:
            in_fence = line is not None
            frames.append(Frame(in_fence, summary.filename, line if in_fence else summary.lineno, summary.name, (summary.line or "").strip()))
    summary = "".join(traceback.format_exception_only(type(error), error)).strip()
    return Raised(tuple(frames), summary)


@register_runner()
class PythonRunner(_Runner):
    """A `python` fence: it must run without raising; it may assert."""

    def runtest(self, test: FenceTestDefinition, args: dict, *, asyncio_runner=None) -> None:
        self.execute(test, isolation.namespace(args))

    def replay(self, test: FenceTestDefinition, namespace: dict) -> None:
        self.execute(test, namespace)

    def execute(self, test: FenceTestDefinition, namespace: dict) -> None:
        filename = str(test.source_path)
        # The source is padded with blank lines, so code line numbers are expanded-page lines.
        code = compile(test.source, filename, "exec", dont_inherit=True)
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                exec(code, namespace)
        except Exception as error:
            raise FenceRaised(locate(error, test), printed.getvalue()) from None

    def repr_failure(self, test, excinfo, style=None):  # the item formats every failure (report.py)
        raise NotImplementedError


class _CollectingRunner(doctest.DocTestRunner):
    """doctest's runner, collecting each failure instead of printing it."""

    def __init__(self, test: FenceTestDefinition, checker: doctest.OutputChecker) -> None:
        super().__init__(checker=checker, optionflags=0)
        self.fence = test  # doctest sets its own `test` attribute while running
        self.collected: list[ExampleFailure] = []  # doctest uses `failures` for a count

    def report_start(self, out, test, example) -> None:
        pass

    def report_success(self, out, test, example, got) -> None:
        pass

    def report_failure(self, out, test, example, got) -> None:
        expects_exception = example.exc_msg is not None
        self.collected.append(ExampleFailure(example.lineno + 1, example.source, example.want, got, None, expects_exception))

    def report_unexpected_exception(self, out, test, example, exc_info) -> None:
        error = exc_info[1]
        if not isinstance(error, Exception):
            raise error  # a timeout, KeyboardInterrupt or exit stops the fence; doctest would carry on
        raised = locate(error, self.fence)
        got = "Traceback (most recent call last):\n  ...\n" + raised.summary + "\n"
        self.collected.append(ExampleFailure(example.lineno + 1, example.source, example.want, got, raised))


class _AcceptAnyOutput(doctest.OutputChecker):
    def check_output(self, want, got, optionflags) -> bool:
        return True


@register_runner()
class PyconRunner(_Runner):
    """A `pycon` session: each `>>>` example's output must be what the page shows."""

    def runtest(self, test: FenceTestDefinition, args: dict, *, asyncio_runner=None) -> None:
        failures = self.execute(test, isolation.namespace(args), TorchOutputChecker())
        if failures:
            raise OutputMismatch(failures)

    def replay(self, test: FenceTestDefinition, namespace: dict) -> None:
        failures = [f for f in self.execute(test, namespace, _AcceptAnyOutput()) if f.raised]
        if failures:
            raise FenceRaised(failures[0].raised, "")

    @staticmethod
    def execute(test: FenceTestDefinition, namespace: dict, checker: doctest.OutputChecker) -> list[ExampleFailure]:
        # lineno=0 and a source padded to its place keep each example's lineno an expanded-page line.
        session = doctest.DocTestParser().get_doctest(test.source, {}, str(test.source_path), str(test.source_path), 0)
        session.globs = namespace  # DocTest copies the globals it is given; share the page's instead
        runner = _CollectingRunner(test, checker)
        runner.run(session, out=lambda text: None, clear_globs=False)
        return runner.collected

    def repr_failure(self, test, excinfo, style=None):  # the item formats every failure (report.py)
        raise NotImplementedError
