"""MkDocs hook: a keyboard reader can scroll the notebook's code cells.

mkdocs-jupyter renders each code cell's source as `<div class="highlight-ipynb">`, which
scrolls sideways when a line is wider than the page. A region that scrolls must be reachable
by keyboard (axe-core: scrollable-region-focusable), as Material's code blocks and the
notebook's outputs already are; so each cell's source gets tabindex="0". Wrapping the code
instead would avoid the scrolling, but break the lines of Python a reader copies and reads.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import per_process  # noqa: E402

# The opening tag of a code cell's source, as nbconvert writes it (no tabindex of its own).
_CELL_SOURCE = re.compile(r'<div class="highlight-ipynb(?: [^"]*)?"(?![^>]*\btabindex=)')


@per_process(maxsize=64)  # a function of the page's HTML alone: unchanged pages of a serve rebuild, again (site_build/cache.py)
def focusable_code_cells(html: str) -> str:
    return _CELL_SOURCE.sub(lambda match: f'{match.group(0)} tabindex="0"', html)


def on_page_content(html: str, page, config, files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    return focusable_code_cells(html)
