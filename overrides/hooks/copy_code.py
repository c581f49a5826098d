"""MkDocs hook: the copy button of a `pycon` session copies only its code.

Material's copy button copies a code block's text, so a session would arrive on the clipboard
with its `>>> `/`... ` prompts and its printed output, and would not run when pasted. The
button copies instead the `data-copy` attribute of the nearest element around the code that
has one (Material's clipboard code: `closest("[data-copy]")`). This hook gives every rendered
`pycon` block that attribute: the session's code as the standard library's doctest parser
reads it, which is what the test suite runs: prompts removed, continuation lines kept with
their statement, output dropped, a prompt holding only a comment (it runs nothing) dropped,
and a bare `...` that closes a block kept, so the code also pastes into a Python prompt.
`python` blocks are left alone: they copy as shown.
"""

from __future__ import annotations

import doctest
import html
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import per_process  # noqa: E402

# pymdownx.highlight (pygments_lang_class) renders a block as <div class="language-pycon
# highlight"> around <pre><code>; Pygments escapes the code's text, so its only tags are spans.
_PYCON_BLOCK = re.compile(
    r'(?P<open><div class="(?:[^"]*\s)?language-pycon(?:\s[^"]*)?")(?P<rest>[^>]*>.*?<code\b[^>]*>)(?P<code>.*?)</code>',
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>")


def session_code(session: str) -> str:
    """The code of an interactive session (`>>> ` and `... ` lines), without prompts or output."""
    lines = session.splitlines()
    code = []
    for example in doctest.DocTestParser().get_examples(session):
        source = example.source
        after = example.lineno + source.count("\n")
        if after < len(lines) and lines[after].strip() == "...":
            # doctest drops the bare `...` that ends a block; a REPL the code is pasted into needs it
            source += "\n"
        code.append(source)
    return "".join(code)


def _with_copy_text(match: re.Match) -> str:
    session = html.unescape(_TAG.sub("", match.group("code")))
    code = session_code(session)  # a ValueError (doctest's) names the malformed prompt line
    if not code:
        return match.group(0)  # nothing but output: the button copies what is shown
    return f'{match.group("open")} data-copy="{html.escape(code, quote=True)}"{match.group("rest")}{match.group("code")}</code>'


@per_process(maxsize=64)  # a function of the page's HTML alone: unchanged pages of a serve rebuild, again (site_build/cache.py)
def with_copy_text(html_text: str) -> str:
    """`html_text` (a page's content) with each pycon block's copy text; ValueError for a session
    doctest cannot read."""
    return _PYCON_BLOCK.sub(_with_copy_text, html_text)


def on_page_content(html_text: str, page, config, files) -> str:
    try:
        return with_copy_text(html_text)
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: cannot read a pycon session: {error}") from error
