"""A page's fences, as the harness, the CUDA record and the site all name and hash them.

Parsing is pytest-markdown-docs' own `extract_fence_tests`, run over the page with its includes
expanded; this module adds where each fence was written, its test name, and its digest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from pytest_markdown_docs.definitions import FenceTestDefinition
from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests

from .includes import ExpandedPage, Origin, expand_page
from .parser import fence_parser


@dataclass(frozen=True)
class Fence:
    index: int  # 0-based position among the page's tested fences
    definition: FenceTestDefinition  # lines are those of the expanded page
    origin: Origin  # where the fence's opening line was written
    page: ExpandedPage

    @property
    def content(self) -> str:
        """The fence's text as the reader sees it: code, and for `pycon` the expected output."""
        return self.definition.source[self.definition.start_line :]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content.encode()).hexdigest()

    def name(self, device: str, root: Path) -> str:
        """`[CodeFence#2][line:14][cpu]` in the page itself, `[CodeFence#2][snippets/x.md:3][cpu]`
        for a fence that an include brought in."""
        if self.origin.path.resolve() == self.page.path.resolve():
            where = f"line:{self.origin.line}"
        else:
            where = f"{relative(self.origin.path, root)}:{self.origin.line}"
        return f"[CodeFence#{self.index + 1}][{where}][{device}]"


def relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def fence_digests(pages: list[Path], config_file: str, device: str, root: Path) -> dict[str, str]:
    """Each fence of `pages` by its pytest id on `device` (as a record names it), to its digest."""
    parser = fence_parser()
    return {
        f"{relative(page, root)}::{fence.name(device, root)}": fence.digest
        for page in pages
        for fence in page_fences(page, config_file, parser)
    }


def page_fences(
    path: Path, config_file: str, parser: MarkdownIt, syntax: FenceSyntax = FenceSyntax.superfences
) -> list[Fence]:
    return fences_of(expand_page(path, config_file), parser, syntax)


def fences_of(page: ExpandedPage, parser: MarkdownIt, syntax: FenceSyntax = FenceSyntax.superfences) -> list[Fence]:
    """The fences of a page whose includes are already expanded."""
    definitions = extract_fence_tests(parser, page.text, start_line_offset=0, source_path=page.path, fence_syntax=syntax)
    return [Fence(index, d, page.origin(d.start_line), page) for index, d in enumerate(definitions)]
