"""MkDocs hook: Pygments highlights each code block once, not at every build.

pymdownx.highlight hands each code block to Pygments (`highlight(src, lexer, formatter)`), which
took half of the Markdown rendering of every build: 300 blocks, and the Chinese edition's are the
English edition's again (both include the same snippets; zh_comments.py changes the comments
after). Pygments' answer depends only on the code, the lexer and its options, and the formatter
and its options, so it is kept (site_build/cache.py: memory, and .cache/code-highlight/ for the
next build): by the digest of all four, the Pygments and pymdown-extensions versions and this
hook's code. pymdownx.highlight's name `highlight` is given a function that answers from the
cache and asks Pygments for a block it has not highlighted. An option that does not read back as
JSON is written into the key by its repr, which names the object: such a block is a miss, never
another block's answer. The cache is pruned to the blocks of the last whole build.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pymdownx.highlight

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions  # noqa: E402
from site_build.cache import MISSING, Cache, digest, directory, version  # noqa: E402

SLOT = "blocks"
cache = Cache()


def _name(obj) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


class Highlighter:
    """Stands in for `pygments.highlight` in pymdownx.highlight."""

    def __init__(self, highlight) -> None:
        self.highlight = highlight  # Pygments' own
        self.where: Path | None = None
        self.known: dict[str, str] | None = None  # what the cache held
        self.used: dict[str, str] = {}  # what this build asked for

    def made_from(self) -> dict:
        return {"format": 1, "pygments": version("pygments"), "pymdown-extensions": version("pymdown-extensions", "pymdownx"),
                "hook": _hook_digest()}

    def __call__(self, code, lexer, formatter, outfile=None):
        if outfile is not None:  # not how pymdownx asks
            return self.highlight(code, lexer, formatter, outfile)
        block = digest(json.dumps([code, _name(lexer), lexer.options, _name(formatter), formatter.options],
                                  sort_keys=True, default=repr, ensure_ascii=False))
        if self.known is None:
            known = cache.get(self.where, SLOT, self.made_from())
            self.known = {} if known is MISSING else known
        html = self.used.get(block) or self.known.get(block)
        if html is None:
            html = self.highlight(code, lexer, formatter)
        self.used[block] = html
        return html

    def start(self, where: Path) -> None:
        self.where, self.used = where, {}

    def keep(self) -> None:
        """Keep the blocks this build asked for, when they are not what the cache holds."""
        if self.used != self.known:
            cache.put(self.where, SLOT, self.made_from(), self.used)
            self.known = dict(self.used)


@functools.cache
def _hook_digest() -> str:
    return digest(Path(__file__).read_bytes())


def _highlighter() -> Highlighter:
    if not isinstance(pymdownx.highlight.highlight, Highlighter):
        pymdownx.highlight.highlight = Highlighter(pymdownx.highlight.highlight)
    return pymdownx.highlight.highlight


def on_config(config):
    if not editions.nested(config):  # a new build of the whole site
        _highlighter().start(directory(config, "code-highlight"))
    return config


def on_post_build(config):
    if not editions.nested(config):
        _highlighter().keep()
