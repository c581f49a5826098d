"""The copy buttons in a real browser (Debian's Chromium, through Playwright): a `pycon`
session copies as its code alone, which runs as pasted; a `python` block copies as shown.

What the clipboard should hold is worked out here from the Markdown fences, line by line,
independently of the build hook (overrides/hooks/copy_code.py) that makes the site do it.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from documents.comments import load_table, translated
from documents.regions import page_fences
from documents.syntax import RUN_LANGS
from test_site import CONFIG, DOCS, built_page

PROMPTS = (">>> ", "... ")


@dataclass(frozen=True)
class Block:
    """A Python fence of a page, as written: its language, its text, and where it was written."""

    lang: str
    text: str
    origin: str

    @property
    def expected_copy(self) -> str:
        """What its copy button must copy (Material trims the end of what it copies)."""
        return "\n".join(session_code_lines(self.text)).rstrip() if self.lang == "pycon" else self.text.rstrip()


def session_code_lines(session: str) -> list[str]:
    """The code lines of an interactive session: each `>>> ` statement with its `... ` lines,
    prompts removed; output lines left out. A statement that is only a comment or blank runs
    nothing and is left out, as doctest (the suite's runner) leaves it out."""
    statements: list[list[str]] = []
    in_statement = False
    for line in session.splitlines():
        if line.startswith(">>>"):
            statements.append([line[4:]])
            in_statement = True
        elif in_statement and line.startswith("..."):
            statements[-1].append(line[4:])
        else:
            in_statement = False
    runs = lambda statement: any(line.strip() and not line.lstrip().startswith("#") for line in statement)
    return [line for statement in statements if runs(statement) for line in statement]


def session_output_lines(session: str) -> list[str]:
    """The lines a session prints (a line that is also one of its code lines is not counted)."""
    code = set(session_code_lines(session))
    shown = [line for line in session.splitlines() if line.strip() and not line.startswith((">>>", "..."))]
    return [line for line in shown if line not in code]


def python_blocks(page: Path) -> list[Block]:
    """The page's Python fences (both kinds), in page order, includes expanded as MkDocs does:
    on a Chinese page with its comments in Chinese (snippets/comments.zh.yml), as it shows them."""
    fences = page_fences(page, CONFIG)
    if page.name.endswith(".zh.md"):
        table = load_table(DOCS.parent)
        return [Block(fence.info.lang, translated(fence.content, fence.info.lang, table), str(fence.origin)) for fence in fences]
    return [Block(fence.info.lang, fence.content, str(fence.origin)) for fence in fences]


def pages_with_python_blocks() -> list[Path]:
    return [page for page in sorted(DOCS.glob("*.md")) if python_blocks(page)]


def address(site: Path, page: Path) -> str:
    """The page's path on the served site: `convergence/`, `zh/convergence/`, `` for the home page."""
    folder = built_page(site, page).relative_to(site).parent.as_posix()
    return "" if folder == "." else f"{folder}/"


def copy_every_block(tab, site: Path, page: Path) -> list[tuple[str, str]]:
    """Load the page once, click the copy button of each of its code blocks in order, and
    return each block's language and what the clipboard then held."""
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.base.rstrip("/"))
    tab.open(address(site, page))
    copied = []
    for block in tab.page.locator("div.highlight").all():
        lang = next(c.removeprefix("language-") for c in block.get_attribute("class").split() if c.startswith("language-"))
        tab.page.evaluate("navigator.clipboard.writeText('')")  # so that a button that copies nothing shows
        block.locator("button[data-md-type=copy]").click()  # Material adds it by script: waited for
        copied.append((lang, tab.page.evaluate("navigator.clipboard.readText()")))
    return copied


# Pages whose copied code, every block pasted in page order, must run in a fresh Python:
# the home page, and the longest article.
RUN_AS_PASTED = {"index.md", "convergence.md"}


@pytest.mark.parametrize("page", pages_with_python_blocks(), ids=lambda page: page.name)
def test_copy_buttons_copy_the_code_of_a_session_and_a_python_block_as_shown(tab, built_site, page, tmp_path):
    blocks = python_blocks(page)
    copied = [(lang, text) for lang, text in copy_every_block(tab, built_site, page) if lang in RUN_LANGS]
    assert [lang for lang, _ in copied] == [block.lang for block in blocks]
    for block, (_, text) in zip(blocks, copied):
        if block.lang == "pycon":
            lines = text.splitlines()
            assert not [line for line in lines if line.startswith(PROMPTS)], f"{block.origin}: prompts copied"
            assert not set(session_output_lines(block.text)) & set(lines), f"{block.origin}: output copied"
        assert text == block.expected_copy, block.origin
    assert tab.problems == []

    if page.name in RUN_AS_PASTED:
        script = tmp_path / "pasted.py"
        script.write_text("\n".join(text for _, text in copied) + "\n", encoding="utf-8")
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert result.returncode == 0, f"{page.name}: the copied code fails when run as pasted:\n{result.stderr}"
