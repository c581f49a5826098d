"""A `pycon` fence read as a session of examples, every line of it accounted for.

The examples are those of the standard library's `doctest.DocTestParser`, so the stdlib
cross-check (tests/stdlib_doctest.py) reads the same ones. On top of it, this module knows where
each example's code and expected output were written, line by line, and refuses what doctest
would quietly pass over:

- a line that belongs to no example (doctest treats it as prose and never checks it): text
  after a blank line that ends an output, or anything else that is not a `>>>` example. A blank
  line inside an output is written `<BLANKLINE>`, as doctest writes it;
- a doctest directive other than `+ELLIPSIS` (for what differs from run to run, such as an
  object's address): `+SKIP` would publish an output that never ran, `+NORMALIZE_WHITESPACE`
  and the rest would loosen the comparison the verification page describes;
- an output under a prompt that holds only a comment (`>>> # note`) or nothing (`>>>`): doctest
  runs no example there, so it would never check the output. Such a prompt alone is fine: the
  REPL shows it, and there is nothing to check;
- a traceback's frames written out: they name the files and lines of the machine that printed
  them, so they are not compared; each `Traceback (most recent call last):` is followed by the
  one line `  ...`, as CONTRIBUTING.md says.

Errors are `SessionError`s naming the Markdown file and line.
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass

from documents.regions import Fence, FenceError

ALLOWED_DIRECTIVES = {doctest.ELLIPSIS: True}
_PS1 = re.compile(r"[ ]*>>>")
_PS2 = re.compile(r"[ ]*\.\.\.")  # what doctest's parser takes as a continuation line
_DOCTEST_LINE = re.compile(r"line (\d+) of the (?:docstring|doctest) for \S+ ")
_NAMES = {flag: name for name, flag in doctest.OPTIONFLAGS_BY_NAME.items()}
_EMPTY_PROMPT = re.compile(r"[ ]*>>>(?:[ ]+#.*|[ ]*)$")  # a prompt doctest runs nothing for
TRACEBACK_HEADER = "Traceback (most recent call last):"
FRAMES = "  ..."  # how a page writes a traceback's frames


class SessionError(FenceError):
    """A `pycon` fence that cannot be checked line for line; the message names the line."""


@dataclass(frozen=True)
class Example:
    """One `>>>` example, with where its lines are."""

    example: doctest.Example
    line: int  # expanded-page line of the `>>>` line
    source_lines: int  # lines of code as written: the `>>>` line and its `...` lines
    want_lines: int  # lines of expected output as written

    @property
    def want_line(self) -> int:
        """The expanded-page line of the first expected-output line."""
        return self.line + self.source_lines

    @property
    def source(self) -> str:
        return self.example.source

    @property
    def want(self) -> str:
        return self.example.want

    @property
    def expects_exception(self) -> bool:
        """The page shows a traceback for it (after what it prints, if anything)."""
        return TRACEBACK_HEADER in self.want.split("\n")


def examples_of(fence: Fence, content: str | None = None) -> list[Example]:
    """The examples of a `pycon` fence (or of `content` written in its place); raises SessionError."""
    content = fence.content if content is None else content
    lines = content.split("\n")
    try:
        parsed = [piece for piece in doctest.DocTestParser().parse(content) if isinstance(piece, doctest.Example)]
    except ValueError as error:  # doctest names a 1-based line of the text it parsed
        message = str(error)
        match = _DOCTEST_LINE.search(message)
        where = fence.page.origin(fence.first_line + int(match[1]) - 1) if match else fence.origin
        raise SessionError(f"{where}: {_DOCTEST_LINE.sub('', message) if match else message}") from None

    examples, covered = [], 0  # `covered`: 0-based index of the first line after the last example
    for example in parsed:
        _only_blank(fence, lines, covered, example.lineno, after_output=bool(examples and examples[-1].want_lines))
        source = 1
        while example.lineno + source < len(lines) and _PS2.match(lines[example.lineno + source]):
            source += 1
        want = example.want.count("\n")
        first = fence.first_line + example.lineno
        examples.append(Example(example, first, source, want))
        covered = example.lineno + source + want
        _check_frames(fence, examples[-1])
        for flag, value in example.options.items():
            if ALLOWED_DIRECTIVES.get(flag) != value:
                directive = ("+" if value else "-") + _NAMES.get(flag, str(flag))
                raise SessionError(
                    f"{fence.page.origin(first)}: the doctest directive {directive} is not used on this site; "
                    "the only one is +ELLIPSIS, for what differs from run to run "
                    '(to show code that is not run, use {.pycon notest title="Not run: <why>"}; see CONTRIBUTING.md)'
                )
    _only_blank(fence, lines, covered, len(lines), after_output=bool(examples and examples[-1].want_lines))
    return examples


def _check_frames(fence: Fence, example: Example) -> None:
    """Each traceback the example expects is written with `  ...` for its frames."""
    want = example.want.split("\n")
    for index, line in enumerate(want):
        if line != TRACEBACK_HEADER:
            continue
        below = want[index + 1 : index + 3]  # the frames line, and the line after it
        if below[:1] != [FRAMES]:
            bad_index = index + 1
        elif len(below) > 1 and below[1][:1].isspace():
            bad_index = index + 2
        else:
            continue
        bad = want[bad_index]
        what = f"a traceback frame is written out ({bad.strip()!r})" if bad[:1].isspace() else "the traceback's frames are missing"
        raise SessionError(
            f"{fence.page.origin(example.want_line + bad_index)}: {what}; frames name the files and lines of the machine "
            f"that printed them, so they are not compared: write them as the one line {FRAMES!r} under {TRACEBACK_HEADER!r}"
        )


def _only_blank(fence: Fence, lines: list[str], start: int, end: int, after_output: bool) -> None:
    """Lines [start, end) of the fence lie between examples: they must be blank, or a prompt
    with nothing to run (`>>>`, `>>> # note`) and nothing under it."""
    prompt = None  # the index of an empty prompt the lines below would belong to
    for index in range(start, end):
        if not lines[index].strip():
            prompt = None
            continue
        if _EMPTY_PROMPT.match(lines[index]):
            prompt = index
            continue
        if prompt is not None and not _PS1.match(lines[index]):
            where = fence.page.origin(fence.first_line + index)
            raise SessionError(
                f"{where}: this line is an output under a prompt with nothing to run ({lines[prompt].strip()!r}, "
                f"line {fence.page.origin(fence.first_line + prompt).line}), so doctest would never check it; "
                "put the output under the code that prints it, and a comment on that code's line or in the prose"
            )
        if lines[index].strip():
            where = fence.page.origin(fence.first_line + index)
            right_after_output = index > start and not any(lines[k].strip() for k in range(start, index))
            if after_output and right_after_output:
                why = (
                    "a blank line ends an example's output, so this line would never be checked; "
                    "write a blank line inside an output as <BLANKLINE>, and put text outside the fence"
                )
            else:
                why = "every line of a pycon fence is a `>>>` example's code or its output; put text outside the fence"
            raise SessionError(f"{where}: this line belongs to no example: {lines[index].strip()!r}; {why}")
