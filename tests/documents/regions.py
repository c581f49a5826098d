"""A page's regions: the fences that run, each with the line it was written at, its id, its
digest and its key (what its result depends on).

A *document* is a page with its includes expanded (includes.py). Its fences are read with the
parser of syntax.py and checked against what a reader sees, so that no block is shown but not
run, or run but not shown:

- every fence is closed in the file that opens it (an unclosed fence swallows what follows);
- a fence that Pygments highlights as Python is spelled as one that runs (`python`, `py`,
  `python3`, `pycon`), or it is an error: ```` ```py3 ```` and ```` ```Python ```` would be shown
  as Python and never run;
- `notest` carries a visible reason, its `title`, and the options that would hide a problem
  (`continuation`, `retry:`, `fixture:`, `runner:`) are refused;
- the code blocks that MkDocs' own Markdown renders are, one for one, the blocks read here.

Every problem is a `FenceError` whose message starts with the file and line it is about.
This module imports neither pytest nor the harness: the site build uses it for fence ids.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .includes import ExpandedPage, Origin, display_path, expand_page, render
from .syntax import REFUSED_OPTIONS, RUN_LANGS, Info, closes, fence_parser, highlighted_as_python, read_info


class FenceError(Exception):
    """A fence that the harness cannot run as the reader sees it; the message names the line."""


@dataclass(frozen=True)
class Fence:
    index: int  # 0-based position among the page's fences that run
    kind: str  # "python" or "pycon": the evaluator
    info: Info
    start_line: int  # expanded-page line (1-based) of the opening fence line
    content: str  # the text between the fence lines, as the reader sees it
    origin: Origin  # where the opening line was written
    page: ExpandedPage
    chain: str  # the page's fences up to and including this one (chain_link)

    @property
    def first_line(self) -> int:
        """The expanded-page line of the fence's first content line."""
        return self.start_line + 1

    @property
    def digest(self) -> str:
        """The fence's own content: what a reader sees of it, code and expected output."""
        return hashlib.sha256(self.content.encode()).hexdigest()

    def key(self, device: str, root: Path) -> str:
        """What the fence's result on `device` depends on, as a record matches it.

        The fences of a page run top to bottom in one namespace, from the same starting state
        (pagerun.py), so a fence's result depends on its own kind and content and on those of
        every fence above it on its page: its `chain`. Includes are already expanded in each
        content, so a snippet's text counts wherever it is shown. Neither its position (the
        `CodeFence#N` of its id) nor its line is in the key: both change when prose or a
        fence elsewhere moves it, not what it runs; they only locate a traceback, which the
        output check does not compare. Its options are display only (`title`, `hl_lines`: the
        ones that change a run are refused, and `notest` fences are not in the chain).

        The page is in the key although the run does not see its path: each page is its own
        run, so two pages that begin with the same fences are two fences that each ran or did
        not, and one recorded result vouches for one of them, not for both. A page renamed is
        then pending again until a run sees it under its new name. The device is in it because
        a result is one device's.
        """
        return hashlib.sha256(json.dumps([relative(self.page.path, root), device, self.chain]).encode()).hexdigest()

    def name(self, device: str, root: Path) -> str:
        """`[CodeFence#2][line:14][cpu]` in the page itself, `[CodeFence#2][snippets/x.md:3][cpu]`
        for a fence that an include brought in."""
        if self.origin.path.resolve() == self.page.path.resolve():
            where = f"line:{self.origin.line}"
        else:
            where = f"{relative(self.origin.path, root)}:{self.origin.line}"
        return f"[CodeFence#{self.index + 1}][{where}][{device}]"

    def fence_id(self, device: str, root: Path) -> str:
        """The fence's pytest id on `device`, as records name it."""
        return f"{relative(self.page.path, root)}::{self.name(device, root)}"


def chain_link(previous: str, kind: str, content: str) -> str:
    """One link of a page's hash chain: the digest of a fence's kind and content and of the link
    of the fence above it ("" for the first), so that it covers every fence up to this one."""
    return hashlib.sha256(json.dumps([previous, kind, content]).encode()).hexdigest()


def relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def page_fences(path: Path, config_file: str, parser: MarkdownIt | None = None, syntax: str = "superfences") -> list[Fence]:
    """The fences that run on the page at `path`, checked (raises FenceError or IncludeError)."""
    return fences_of(expand_page(path, config_file), parser or fence_parser(), syntax)


def fences_of(page: ExpandedPage, parser: MarkdownIt, syntax: str = "superfences") -> list[Fence]:
    """The fences that run on an expanded page, checked against what MkDocs renders."""
    lines = page.text.split("\n")
    blocks = [token for token in parser.parse(page.text) if token.type in ("fence", "code_block") and token.map]
    fences: list[Fence] = []
    chain = ""
    for token in blocks:
        if token.type != "fence":
            continue
        origin = page.origin(token.map[0] + 1)
        _check_closed(page, lines, token, origin)
        info = read_info(token.info, syntax)
        kind = _kind(info, origin)
        if kind is None:
            continue
        chain = chain_link(chain, kind, token.content)
        fences.append(Fence(len(fences), kind, info, token.map[0] + 1, token.content, origin, page, chain))
    _check_rendering(page, blocks, syntax)
    return fences


def check_closed(page: ExpandedPage, parser: MarkdownIt | None = None) -> None:
    """Every fence of the page is closed in the file that opens it (raises FenceError)."""
    lines = page.text.split("\n")
    for token in (parser or fence_parser()).parse(page.text):
        if token.type == "fence" and token.map:
            _check_closed(page, lines, token, page.origin(token.map[0] + 1))


def _check_closed(page: ExpandedPage, lines: list[str], token: Token, origin: Origin) -> None:
    last = token.map[1]  # 1-based line of the fence's last line
    if last - 1 <= token.map[0] or not closes(lines[token.map[0]], lines[last - 1]):
        raise FenceError(f"{origin}: this fence is never closed, so it runs on over everything after it; close it with {token.markup}")
    closing = page.origin(last)
    if closing.path.resolve() != origin.path.resolve():
        raise FenceError(
            f"{origin}: this fence is not closed in the file that opens it (the first line that closes it "
            f"is {closing}); close it with {token.markup} in {display_path(origin.path)}"
        )


def _kind(info: Info, origin: Origin) -> str | None:
    """The evaluator of a fence ("python", "pycon"), None for one that does not run; raises
    FenceError for a fence shown as Python that would not run, or an option the site refuses."""
    kind = RUN_LANGS.get(info.lang)
    if kind is None:
        if info.lang and highlighted_as_python(info.lang):
            raise FenceError(
                f"{origin}: ```{info.lang} is highlighted as Python on the page but would never run; "
                "write ```python (code) or ```pycon (a session), or a language that is not Python"
            )
        return None
    for option in info.options:
        for refused, why in REFUSED_OPTIONS.items():
            if option == refused or (refused.endswith(":") and option.startswith(refused)):
                raise FenceError(f"{origin}: fence option {option!r} is not used on this site: {why} (see CONTRIBUTING.md)")
    if info.notest:
        if not info.title:
            raise FenceError(
                f'{origin}: a `notest` fence shows the reader why it is not run: write it as ```{{.{info.lang} notest title="Not run: <why>"}}'
            )
        return None
    return kind


class _CodeBlocks(HTMLParser):
    """The text of every `<pre><code>` block of rendered HTML, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self._depth = 0  # inside <pre>
        self._code: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self._depth += 1
        elif tag == "code" and self._depth:
            self._code = []

    def handle_endtag(self, tag):
        if tag == "code" and self._code is not None:
            self.blocks.append(html.unescape("".join(self._code)))
            self._code = None
        elif tag == "pre":
            self._depth -= 1

    def handle_data(self, data):
        if self._code is not None:
            self._code.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def _check_rendering(page: ExpandedPage, blocks: list[Token], syntax: str) -> None:
    """The code blocks MkDocs renders are the blocks read here, one for one, in order."""
    finder = _CodeBlocks()
    finder.feed(render(page.path, page.config_file))
    shown = [text.strip("\n") for text in finder.blocks]
    for index, token in enumerate(blocks):
        if index < len(shown) and shown[index] == token.content.strip("\n"):
            continue
        origin = page.origin(token.map[0] + 1)
        hint = ""
        info = token.info.strip()
        if token.type == "fence" and len(info.split()) > 1 and not info.startswith("{"):
            read = read_info(info, syntax)
            hint = f" (pymdownx.superfences renders ```{info} as text: options go in braces, ```{{.{read.lang} {' '.join(read.options)}}})"
        if "\t" in token.content:
            hint = " (MkDocs shows its tabs as spaces, so the tests would run other text than the reader sees: write spaces)"
        raise FenceError(f"{origin}: MkDocs does not show this block as the tests read it{hint}")
    if len(shown) > len(blocks):
        raise FenceError(f"{display_path(page.path)}: MkDocs shows {len(shown)} code blocks, the tests read {len(blocks)}")
