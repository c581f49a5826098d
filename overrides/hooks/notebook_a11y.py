"""MkDocs hook: a keyboard reader can scroll the notebook's code cells.

mkdocs-jupyter renders each code cell's source as `<div class="highlight-ipynb">`, which
scrolls sideways when a line is wider than the page. A region that scrolls must be reachable
by keyboard (axe-core: scrollable-region-focusable), as Material's code blocks and the
notebook's outputs already are; so each cell's source gets tabindex="0". Wrapping the code
instead would avoid the scrolling, but break the lines of Python a reader copies and reads.
"""

from __future__ import annotations

import functools
import re

# The opening tag of a code cell's source, as nbconvert writes it (no tabindex of its own).
_CELL_SOURCE = re.compile(r'<div class="highlight-ipynb(?: [^"]*)?"(?![^>]*\btabindex=)')


@functools.lru_cache(maxsize=64)  # a function of the page's HTML alone: unchanged pages of a serve rebuild, again
def focusable_code_cells(html: str) -> str:
    return _CELL_SOURCE.sub(lambda match: f'{match.group(0)} tabindex="0"', html)


def on_page_content(html: str, page, config, files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    return focusable_code_cells(html)
