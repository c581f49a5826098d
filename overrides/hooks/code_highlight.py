"""MkDocs hook: each code block is highlighted once, not at every build.

pymdownx.highlight turns each code block into HTML with Pygments (a lexer, and a formatter that
builds a stylesheet of its own for every block), which was half of the Markdown rendering of every
build: 300 blocks, and the Chinese edition's are the English edition's again (both include the
same snippets; zh_comments.py changes the comments after). The HTML of a block depends only on
the block (its code, language, options, title, position) and pymdownx.highlight's settings, so it
is kept (site_build/cache.py: memory, and .cache/code-highlight/ for the next build), by the
digest of those and the Pygments and pymdown-extensions versions and this hook's code.
`Highlight.highlight`, pymdownx's method, is given a stand-in that answers from the cache and
asks pymdownx for a block it has not highlighted. A setting or argument that is not JSON is keyed
by its repr, which names the object: such a block is a miss, never another block's answer. A
title read as HTML (`title_mode: html`, or automatic titles) is stored in the page's HTML stash
as it is highlighted, so such blocks are always highlighted anew. The cache is pruned to the
blocks of the last whole build.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pymdownx.highlight

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions  # noqa: E402
from site_build.cache import MISSING, Cache, digest, directory, named, version  # noqa: E402

SLOT = "blocks"
cache = named("code-highlight")  # kept from one serve rebuild to the next (site_build/cache.py)
ARGUMENTS = ("src", "language", "css_class", "hl_lines", "linestart", "linestep", "linespecial", "inline",
             "classes", "id_value", "attrs", "title", "code_block_count")


class Blocks:
    """The HTML of the blocks: what the cache held, what this build asked for."""

    def __init__(self) -> None:
        self.where: Path | None = None
        self.known: dict[str, str] | None = None
        self.used: dict[str, str] = {}

    def made_from(self) -> dict:
        return {"format": 1, "pygments": version("pygments"), "pymdown-extensions": version("pymdown-extensions", "pymdownx"),
                "hook": _hook_digest()}

    def html(self, highlight, settings: dict, arguments: dict):
        """The block's HTML, from the cache or from `highlight()`."""
        block = digest(json.dumps([settings, arguments], sort_keys=True, default=repr, ensure_ascii=False))
        if self.known is None:
            known = cache.get(self.where, SLOT, self.made_from())
            self.known = {} if known is MISSING else known
        html = self.used.get(block) or self.known.get(block)
        if html is None:
            html = highlight()
        self.used[block] = html
        return html

    def start(self, where: Path) -> None:
        self.where, self.used = where, {}

    def keep(self) -> None:
        """Keep the blocks this build asked for, when they are not what the cache holds."""
        if self.used != self.known:
            cache.put(self.where, SLOT, self.made_from(), self.used)
            self.known = dict(self.used)


blocks = Blocks()


@functools.cache
def _hook_digest() -> str:
    return digest(Path(__file__).read_bytes())


def _once(highlight):
    """pymdownx's `Highlight.highlight`, answering from `blocks`."""
    if getattr(highlight, "answers_from_cache", False):
        return highlight

    @functools.wraps(highlight)
    def once(self, *args, **kwargs):
        if self.title_mode == "html" or self.auto_title:
            return highlight(self, *args, **kwargs)
        arguments = dict(zip(ARGUMENTS, args), **kwargs)
        settings = {name: value for name, value in vars(self).items() if name != "md"}
        return blocks.html(lambda: highlight(self, *args, **kwargs), settings, arguments)

    once.answers_from_cache = True
    return once


def on_config(config):
    pymdownx.highlight.Highlight.highlight = _once(pymdownx.highlight.Highlight.highlight)
    if not editions.nested(config):  # a new build of the whole site
        blocks.start(directory(config, "code-highlight"))
    return config


def on_post_build(config):
    if not editions.nested(config):
        blocks.keep()
