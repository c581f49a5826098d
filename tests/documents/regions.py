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
import io
import json
import tokenize
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .characters import code_point
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
        """`[CodeFence#2][line:14][cpu]` in the page itself, `[CodeFence#2][snippets/NAME.md:3][cpu]`
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
        _check_characters(page, token)
        if kind == "python":
            _check_output_comments(page, token)
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


def _check_characters(page: ExpandedPage, token: Token) -> None:
    """A fence that runs holds no control character (tabs aside, which the rendering check
    refuses): the page cannot show it, so the reader would not see what the tests compare."""
    for offset, line in enumerate(token.content.split("\n")):
        for character in line:
            if character != "\t" and unicodedata.category(character) == "Cc":
                raise FenceError(
                    f"{page.origin(token.map[0] + 2 + offset)}: this line holds {code_point(character)}, a control character "
                    "that the page cannot show; remove it (an example that prints one is shown with the character escaped, "
                    "e.g. print(repr(text)))"
                )


def _check_output_comments(page: ExpandedPage, token: Token) -> None:
    """No `#> output` comment (pytest-examples' way to write what a line prints) in a `python`
    fence: nothing here would check it, so the reader would trust an output that never ran."""
    try:
        comments = [t for t in tokenize.generate_tokens(io.StringIO(token.content).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return  # code that does not tokenize fails when it runs, at its line
    for comment in comments:
        if comment.string.startswith("#>"):
            raise FenceError(
                f"{page.origin(token.map[0] + 1 + comment.start[0])}: {comment.string!r} is written as an output, "
                "which nothing checks in a python fence; show the output as a pycon session, under the line "
                "that prints it (>>> print(t), then what it prints)"
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
        if not (info.title or "").strip():
            raise FenceError(
                f'{origin}: a `notest` fence shows the reader why it is not run: write it as ```{{.{info.lang} notest title="Not run: <why>"}}'
            )
        return None
    return kind


@dataclass(frozen=True)
class CodeBlock:
    """A code block of rendered HTML, as the reader sees it."""

    text: str  # the code, unescaped
    language: str  # from Pygments' `language-NAME` class ("" when none)
    title: str | None  # the title shown above it (`title="..."`)


class _CodeBlocks(HTMLParser):
    """Every `<pre><code>` block of rendered HTML, in document order; a line-number column
    (`linenums`) is a `<pre>` without `<code>`, and a title is a `span.filename` beside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[CodeBlock] = []
        self._depth = 0  # inside <pre>
        self._code: list[str] | None = None
        self._highlight: list[str | None] | None = None  # [language, title] of the enclosing div.highlight
        self._div_depth = 0
        self._title: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div":
            if self._highlight is None and "highlight" in classes:
                language = next((c[len("language-") :] for c in classes if c.startswith("language-")), "")
                self._highlight, self._div_depth = [language, None], 0
            if self._highlight is not None:
                self._div_depth += 1
        elif tag == "span" and "filename" in classes and self._highlight is not None and self._code is None:
            self._title = []
        elif tag == "pre":
            self._depth += 1
        elif tag == "code" and self._depth:
            self._code = []

    def handle_endtag(self, tag):
        if tag == "code" and self._code is not None:
            language, title = self._highlight or ("", None)
            self.blocks.append(CodeBlock(html.unescape("".join(self._code)), language or "", title))
            self._code = None
        elif tag == "pre":
            self._depth -= 1
        elif tag == "span" and self._title is not None:
            self._highlight[1] = html.unescape("".join(self._title))
            self._title = None
        elif tag == "div" and self._highlight is not None:
            self._div_depth -= 1
            if self._div_depth == 0:
                self._highlight = None

    def handle_data(self, data):
        if self._code is not None:
            self._code.append(data)
        elif self._title is not None:
            self._title.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def code_blocks(rendered: str) -> list[CodeBlock]:
    """The code blocks of rendered HTML (a page as MkDocs' Markdown renders it, or a built page)."""
    finder = _CodeBlocks()
    finder.feed(rendered)
    return finder.blocks


def _check_rendering(page: ExpandedPage, blocks: list[Token], syntax: str) -> None:
    """The code blocks MkDocs renders are the blocks read here, one for one, in order; where
    they are not, the error names the first line where the two part, and why. A block that
    MkDocs alone shows and that is not Python (raw HTML `<pre><code>`, say) is no concern of the
    tests: it is passed over."""
    rendered = code_blocks(render(page.path, page.config_file))
    shown = [block.text.strip("\n") for block in rendered]
    lines = page.text.split("\n")
    position = 0  # the next shown block to match
    for index, token in enumerate(blocks):
        read = token.content.strip("\n")
        while position < len(shown) and shown[position] != read and not _python(rendered[position]) and read in shown[position + 1 :]:
            position += 1
        if position < len(shown) and shown[position] == read:
            position += 1
            continue
        if position < len(shown) and read in shown[position + 1 :]:  # MkDocs shows a block first that is not read here
            raise FenceError(_unread(page, lines, shown[position], blocks[index - 1].map[1] if index else 0))
        raise FenceError(_misread(page, token, shown[position] if position < len(shown) else None, syntax))
    for block in rendered[position:]:
        if _python(block):
            raise FenceError(_unread(page, lines, block.text.strip("\n"), blocks[-1].map[1] if blocks else 0))


def _python(block: CodeBlock) -> bool:
    """Whether a rendered block is shown as Python: one the tests must run."""
    return block.language in RUN_LANGS or bool(block.language and highlighted_as_python(block.language)) or block.text.lstrip().startswith(">>>")


def _unread(page: ExpandedPage, lines: list[str], text: str, after: int) -> str:
    """A block MkDocs shows that the parser here did not read: named at its opening line."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    found = next((k for k in range(after, len(lines)) if first and lines[k].strip() == first.strip()), None)
    if found is None:
        return f"{display_path(page.path)}: MkDocs shows a code block that the tests do not read, holding {first!r}"
    opening = found - 1 if found and lines[found - 1].lstrip().startswith(("```", "~~~")) else found
    return (
        f"{page.origin(opening + 1)}: MkDocs shows this as a code block, but the tests do not read it as a fence, so it would "
        "never run: a fence right after an HTML line, or inside an HTML block, is read as HTML; leave a blank line above the fence"
    )


def _misread(page: ExpandedPage, token: Token, shown: str | None, syntax: str) -> str:
    """A fence that MkDocs shows otherwise than it is read here: the first line where the two part."""
    origin = page.origin(token.map[0] + 1)
    info = token.info.strip()
    if token.type == "fence" and len(info.split()) > 1 and not info.startswith("{"):
        read = read_info(info, syntax)
        return (
            f"{origin}: MkDocs does not show this block as the tests read it: pymdownx.superfences renders "
            f"```{info} as text; options go in braces, ```{{.{read.lang} {' '.join(read.options)}}}"
        )
    if shown is None:
        return f"{origin}: MkDocs does not show this block as a code block, but the tests read it as one"
    read_lines, shown_lines = token.content.rstrip("\n").split("\n"), shown.split("\n")
    for offset, written in enumerate(read_lines):
        seen = shown_lines[offset] if offset < len(shown_lines) else None
        if written == seen:
            continue
        where = page.origin(token.map[0] + 2 + offset)
        if "\t" in written:
            why = "MkDocs shows its tabs as spaces, so the tests would run other text than the reader sees: write spaces"
        elif not written.strip() and seen == "":
            why = "this line holds only spaces, which MkDocs shows as an empty line: make it empty"
        else:
            why = f"MkDocs shows {seen!r} where the tests read {written!r}"
        return f"{where}: MkDocs does not show this line of the block as the tests read it: {why}"
    return f"{origin}: MkDocs shows this block with more lines than the tests read"
