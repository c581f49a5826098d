"""MkDocs hook: a line break inside a Chinese sentence is not a space.

Markdown keeps a paragraph's line breaks, and browsers show each as a space; between two
Chinese characters (or a character and full-width punctuation) that space is a visible gap
which Chinese typesetting never has. Contributors wrap Chinese prose like English, so the
break is removed there, and only there: text between Chinese and Latin keeps its space, and
code blocks are left as they are.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import per_process  # noqa: E402

# CJK punctuation, ideographs and full-width forms.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# A break between two Chinese characters, with tags (a link, emphasis) allowed on either side.
_BREAK = re.compile(f"([{_CJK}](?:</?[a-z][^>]*>)*)[ \\t]*\\n[ \\t]*(?=(?:<[a-z][^>]*>)*[{_CJK}])")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)


@per_process(maxsize=64)  # a function of the page's HTML alone: unchanged pages of a serve rebuild, again (site_build/cache.py)
def join_cjk_lines(html: str) -> str:
    parts = _PRE.split(html)  # odd items are <pre> blocks
    return "".join(part if index % 2 else _BREAK.sub(r"\1", part) for index, part in enumerate(parts))


def on_page_content(html: str, page, config, files) -> str:
    return join_cjk_lines(html)
