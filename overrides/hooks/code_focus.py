"""MkDocs hook: a code block can be reached by keyboard before Material's script mounts it.

Material makes a code block focusable (`tabindex="0"` on its `<code>`, so that a reader without
a mouse can scroll a line wider than the screen) when it mounts the block and finds that it
overflows on a device that can hover; otherwise it removes the attribute. With the
`content.lazy` feature (mkdocs.yml) it mounts a block only when the block comes into view, so a
keyboard reader tabbing down a page would pass over every wide block still below the screen.
This hook builds every Material code block focusable; when Material mounts one, it keeps or
removes the attribute exactly as it did before. The notebook's cells are not Material's code
blocks (overrides/hooks/notebook_a11y.py makes those focusable).

tests/test_browser_code_blocks.py checks in Chromium that no wide block below the screen is left
out of the keyboard's reach, and that a mounted block that does not overflow is not focusable.
"""

from __future__ import annotations

import re

# pymdownx.highlight (pygments_lang_class) renders a fence as <div class="language-X highlight"
# ...><pre><span></span><code>; copy_code.py may have added attributes to the <div>.
_CODE = re.compile(r'(<div class="language-[\w+-]+ highlight"[^>]*><pre\b[^>]*>(?:<span></span>)?<code)(?=[\s>])(?![^>]*\btabindex=)')


def focusable(html: str) -> str:
    """`html` (a page's content) with `tabindex="0"` on the `<code>` of each Material code block."""
    return _CODE.sub(r'\1 tabindex="0"', html)


def on_page_content(html: str, page, config, files) -> str:
    return focusable(html)
