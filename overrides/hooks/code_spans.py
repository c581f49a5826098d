"""MkDocs hook: a code block has no element for a token drawn in the code's own colour.

Pygments wraps each token of a code block in a `<span class="...">`, and the browser styles and
lays out every one of them. Material gives most token classes a colour of their own, but draws
three in the colour of the code around them: names (`n`) and keyword constants (`kc`: True,
False, None), both `--md-code-hl-name-color`, which Material defines as `--md-code-fg-color`, and
whitespace (`w`), which it does not style. Their spans change nothing a reader sees, yet on the
longest article they were about 800 of its 4,700 elements, each costing style and layout time
on a phone as the page loads. The notebook's cells (mkdocs-jupyter's own Pygments stylesheet)
give names no rule of their own: their spans were 4 KB of that page's HTML. (It does colour
whitespace and makes constants bold, so those spans stay there.)

This hook takes those spans away and leaves their text, which Pygments has already escaped, so
a block's text is unchanged; every other span stays. tests/test_browser_code_blocks.py checks
in Chromium, in both palettes, that a span of each of these classes looks exactly like the code
around it (colour, background, font), and tests/test_browser_notebook.py the same for the
notebook with the renderer's whole stylesheet, so that an update of Material or of the renderer
that styles one of them fails the tests instead of changing the page. Blocks with line numbers
(a table) are left as they are; the site has none.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import per_process  # noqa: E402

PLAIN_CLASSES = ("n", "kc", "w")  # in Material's code blocks
NOTEBOOK_PLAIN_CLASSES = ("n",)  # in the notebook's cells (`w` has a colour there, `kc` is bold)

# A Material code block's <code> (pymdownx.highlight with pygments_lang_class), and a notebook
# cell's <pre> (nbconvert), up to its end. Pygments escapes the code's text, so the only tags
# inside are its flat, unnested spans.
# A block with a title has a <span class="filename"> before its <pre>.
_BLOCK = re.compile(r'(<div class="language-[\w+-]+ highlight"[^>]*>(?:<span class="filename">[^<]*</span>)?<pre\b[^>]*>(?:<span></span>)?<code\b[^>]*>)(.*?)(</code>)', re.DOTALL)
_NOTEBOOK_BLOCK = re.compile(r'(<div class="highlight-ipynb\b[^"]*"[^>]*><pre\b[^>]*>)(.*?)(</pre>)', re.DOTALL)


def _plain_span(classes) -> re.Pattern:
    return re.compile(r'<span class="(?:%s)">([^<]*)</span>' % "|".join(classes))


_REWRITES = [(_BLOCK, _plain_span(PLAIN_CLASSES)), (_NOTEBOOK_BLOCK, _plain_span(NOTEBOOK_PLAIN_CLASSES))]


@per_process(maxsize=64)  # a function of the page's HTML alone: unchanged pages of a serve rebuild, again (site_build/cache.py)
def unwrapped(html: str) -> str:
    """`html` (a page's content) with the plain-coloured token spans of each code block (Material's
    and the notebook's) replaced by their text."""
    for block, span in _REWRITES:
        html = block.sub(lambda m: m.group(1) + span.sub(r"\1", m.group(2)) + m.group(3), html)
    return html


def on_page_content(html: str, page, config, files) -> str:
    return unwrapped(html)
