"""How a fence is written: the Markdown parser that finds fences where Material for MkDocs
renders them, and the reading of a fence's info string.

The info string follows pytest-markdown-docs' documented syntax: a language, then options such
as `notest`; with `--markdown-docs-syntax=superfences` (this site), the brace form that
pymdownx.superfences renders, ```` ```{.python notest title="Not run: ..."} ````. This module
reads it without importing pytest-markdown-docs (the site build uses it too);
tests/test_upstream.py fails if an upstream release reads the same fences differently.

CommonMark alone reads a fence indented under an admonition (`!!! note`, `??? note`) or a content
tab (`=== "Tab"`) as an indented code block; the parser adds those two containers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.admon import admon_plugin

# The spellings that run, each mapped to its evaluator: the languages pytest-markdown-docs
# detects as Python, and `pycon` for an interactive session.
RUN_LANGS = {"python": "python", "py": "python", "python3": "python", "pycon": "pycon"}
# Options of pytest-markdown-docs that this site's harness does not offer, and why.
REFUSED_OPTIONS = {
    "continuation": "the fences of a page already share one namespace, top to bottom",
    "retry:": "an output that needs a retry is wrong, and must fail",
    "fixture:": "examples are what a reader pastes: they cannot use pytest fixtures",
    "runner:": "the harness chooses the evaluator from the language",
}

_QUOTED = re.compile(r"^[ ]{0,3}(?:>[ ]?)+")  # the markers of a blockquote (nested ones too)
# pymdownx.tabbed: `=== "Title"`, `===+ "Title"` (selected), `===! "Title"` (new tab group).
_TAB_MARKER = re.compile(r'^===[!+]{0,2}[ \t]+"(?:\\.|[^"\\])*"[ \t]*$')


@dataclass(frozen=True)
class Info:
    """A fence's info string, read as pytest-markdown-docs reads it."""

    lang: str  # as written ("" when none)
    options: tuple[str, ...]  # the other words, in order

    @property
    def notest(self) -> bool:
        return "notest" in self.options

    @property
    def title(self) -> str | None:
        """The `title="..."` attribute of the brace form, which Material shows above the block."""
        match = re.search(r'\btitle=(["\'])(.*?)\1', " ".join(self.options))
        return match.group(2) if match else None


def read_info(info: str, syntax: str = "superfences") -> Info:
    """`info` as pytest-markdown-docs reads it: words split on whitespace; in the superfences
    syntax, a brace form `{... .lang ...}` has its first `.word` as the language."""
    info = info.strip()
    if syntax == "superfences" and info.startswith("{"):
        words = info.strip("{}").split()
        dotted = next((word for word in words if word.startswith(".")), None)
        if dotted is not None:
            words.remove(dotted)
            words.insert(0, dotted[1:])
    else:
        words = info.split()
        if words and words[0].startswith(".") and syntax == "superfences":
            words[0] = words[0][1:]  # superfences reads ```.pycon as ```pycon
    return Info(words[0] if words else "", tuple(words[1:]))


@functools.cache
def highlighted_as_python(lang: str) -> bool:
    """Whether Pygments, which highlights the site's code, shows `lang` as Python code or a
    Python session (a traceback, `pytb`, is neither)."""
    from pygments.lexers import get_lexer_by_name
    from pygments.lexers.python import Python2Lexer, PythonConsoleLexer, PythonLexer
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return False
    return isinstance(lexer, (PythonLexer, Python2Lexer, PythonConsoleLexer))


def fence_parser() -> MarkdownIt:
    """The parser: CommonMark, admonitions and collapsible blocks, content tabs."""
    md = MarkdownIt("commonmark")
    md.use(admon_plugin)  # !!! / ??? / ???+ (admonition and pymdownx.details)
    md.block.ruler.before("fence", "content_tab", _content_tab, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    return md


def _content_tab(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    if not _TAB_MARKER.match(state.src[start : state.eMarks[start_line]]):
        return False
    if silent:
        return True

    # The tab's body is every following line indented by four more columns, or blank.
    indent = state.sCount[start_line] + 4
    next_line = start_line + 1
    while next_line < end_line and (state.isEmpty(next_line) or state.sCount[next_line] >= indent):
        next_line += 1

    saved = state.parentType, state.lineMax, state.blkIndent
    state.parentType, state.lineMax, state.blkIndent = "content_tab", next_line, indent
    token = state.push("content_tab_open", "div", 1)
    token.map = [start_line, next_line]
    state.md.block.tokenize(state, start_line + 1, next_line)
    state.push("content_tab_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = saved
    state.line = next_line
    return True


def closes(opening: str, line: str) -> bool:
    """Whether `line` closes the fence opened by the line `opening` (CommonMark's rule: the same
    character, at least as many of it, nothing else but spaces)."""
    opening, line = _QUOTED.sub("", opening).strip(), _QUOTED.sub("", line)  # inside a blockquote, `> ` first
    marker = opening[0]
    length = len(opening) - len(opening.lstrip(marker))
    stripped = line.strip()
    return len(stripped) >= length and set(stripped) == {marker}
