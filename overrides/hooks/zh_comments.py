"""MkDocs hook: the examples' comments and docstrings in Chinese on the Chinese pages.

An example is written once (snippets/NAME.md) and both editions show it. On a Chinese page,
each comment (Pygments' `c1` span) and docstring (`sd` span) of a Python code block is replaced
by its Chinese text from snippets/comments.zh.yml, the one table contributors edit (English
text -> Chinese text). Nothing else of the block changes, so the copy button (copy_code.py, which
runs after this hook) copies the code with Chinese comments, and tests/test_site.py checks that a
zh page shows exactly the tested code but for those tabled texts (tests/documents/comments.py).
A comment or docstring the table lacks fails the build, naming the snippet and line.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from mkdocs.exceptions import PluginError  # noqa: E402

from documents.comments import TABLE, Prose, TranslationError, is_directive, load_table, translate  # noqa: E402
from documents.includes import expand_page  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions  # noqa: E402

# A Material code block's <code> (as in code_spans.py), and the comment and docstring spans in it.
_BLOCK = re.compile(r'(<div class="language-(?:pycon|python|py|python3) highlight"[^>]*>(?:<span class="filename">[^<]*</span>)?<pre\b[^>]*>(?:<span></span>)?<code\b[^>]*>)(.*?)(</code>)', re.DOTALL)
_SPAN = re.compile(r'<span class="(c1|sd)">([^<]*)</span>')


def _chinese(config) -> bool:
    return editions.language(config) == "zh"


def _where(page, config, text: str) -> str:
    """The file and line that wrote `text` (the page's includes expanded)."""
    path = Path(page.file.abs_src_path)
    expanded = expand_page(path, config.config_file_path)
    first = text.split("\n")[0]
    for number, line in enumerate(expanded.text.split("\n"), 1):
        if first in line:
            return str(expanded.origin(number))
    return page.file.src_uri


def on_page_content(html_text: str, page, config, files) -> str:
    if not _chinese(config):
        return html_text
    table = load_table(Path(config.config_file_path).parent)
    missing = []

    def span(match: re.Match) -> str:
        text = html.unescape(match.group(2))
        kind = "comment" if match.group(1) == "c1" else "docstring"
        if kind == "comment" and is_directive(text):
            return match.group(0)
        try:
            chinese = translate(Prose(kind, text, 0), table)
        except TranslationError as error:
            raise PluginError(f"{_where(page, config, text)}: {error}") from None
        if chinese is None:
            missing.append(text)
            return match.group(0)
        return f'<span class="{match.group(1)}">{html.escape(chinese, quote=False)}</span>'

    def block(match: re.Match) -> str:
        # Pygments closes a span at each line end: a docstring of several lines is one again.
        code = match.group(2).replace('</span>\n<span class="sd">', "\n")
        return match.group(1) + _SPAN.sub(span, code) + match.group(3)

    out = _BLOCK.sub(block, html_text)
    if missing:
        lines = "\n".join(f"  {_where(page, config, text)}: {text!r}" for text in missing)
        raise PluginError(f"{page.file.src_uri}: these comments have no Chinese text in {TABLE} (add each, English -> Chinese):\n{lines}")
    return out
