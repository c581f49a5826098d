"""The markdown-it parser that finds fences where Material for MkDocs renders them.

CommonMark alone reads a fence indented under an admonition (`!!! note`, `??? note`) or a content
tab (`=== "Tab"`) as an indented code block, and pytest-markdown-docs would never see it. This
parser adds those two containers, and routes each Python fence to the runner that checks it:
`pycon` sessions to the doctest runner, `python`/`py` fences to the exec runner.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from mdit_py_plugins.admon import admon_plugin
from pytest_markdown_docs.plugin import parse_superfences_block_info

PYTHON_LANGS = frozenset({"py", "python", "python3"})
PYCON_LANGS = frozenset({"pycon"})

# pymdownx.tabbed: `=== "Title"`, `===+ "Title"` (selected), `===! "Title"` (new tab group).
_TAB_MARKER = re.compile(r'^===[!+]{0,2}[ \t]+"(?:\\.|[^"\\])*"[ \t]*$')


class FenceOptionError(ValueError):
    """A fence asks for a pytest-markdown-docs option that this site's harness replaces."""


def fence_parser(route: bool = True) -> MarkdownIt:
    """The parser; with `route`, Python fences name their runner (`pycon` ones become `python`)."""
    md = MarkdownIt("commonmark")
    md.use(admon_plugin)  # !!! / ??? / ???+ (admonition and pymdownx.details)
    md.block.ruler.before("fence", "content_tab", _content_tab, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    if route:
        md.core.ruler.after("block", "route_python_fences", _route_python_fences)
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


def _route_python_fences(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "fence":
            continue
        lang, *options = parse_superfences_block_info(token.info) or [""]
        if lang not in PYTHON_LANGS | PYCON_LANGS:
            continue
        line = token.map[0] + 1 if token.map else "?"
        for option in options:
            # Pages already share one namespace per page, and a flaky output must fail, not retry.
            if option == "continuation" or option.startswith("retry:"):
                raise FenceOptionError(f"line {line}: fence option {option!r} is not used on this site (see CONTRIBUTING.md)")
        if any(option.startswith("runner:") for option in options):
            continue
        runner = "PyconRunner" if lang in PYCON_LANGS else "PythonRunner"
        token.info = " ".join(["python", f"runner:{runner}", *options])
