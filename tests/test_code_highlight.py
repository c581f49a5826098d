"""overrides/hooks/code_highlight.py: Pygments' answer for a code block, kept, and read back only
for the same code, lexer and formatter options."""

from __future__ import annotations

import pygments
import pytest
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from support import load_hook

hook = load_hook("code_highlight")
CODE = ">>> import torch\n>>> torch.softmax(torch.tensor([1., 2.]), dim=0)\ntensor([0.2689, 0.7311])\n"


def _block(code=CODE, **options):
    return code, get_lexer_by_name("pycon", stripnl=False), HtmlFormatter(cssclass="highlight", wrapcode=True, **options)


def test_a_block_is_highlighted_once_and_read_back_as_pygments_highlights_it(tmp_path, monkeypatch):
    monkeypatch.setattr(hook, "cache", hook.Cache())
    highlighter = hook.Highlighter(pygments.highlight)
    highlighter.start(tmp_path)
    html = highlighter(*_block())
    assert html == pygments.highlight(*_block())
    highlighter.keep()

    # The next build's process: read back, Pygments not asked.
    monkeypatch.setattr(hook, "cache", hook.Cache())
    again = hook.Highlighter(lambda *args: pytest.fail("Pygments was asked for a block the cache holds"))
    again.start(tmp_path)
    assert again(*_block()) == html

    # Other code, other lexer options, other formatter options: each asked of Pygments.
    asked = []
    other = hook.Highlighter(lambda *args: asked.append(args) or pygments.highlight(*args))
    other.start(tmp_path)
    assert other(*_block(CODE.replace("2.", "3."))) == pygments.highlight(*_block(CODE.replace("2.", "3.")))
    code, _, formatter = _block()
    other(code, get_lexer_by_name("pycon", stripnl=True), formatter)
    other(*_block(hl_lines=[2]))
    assert len(asked) == 3
    other.keep()  # the cache now holds this build's blocks only
    monkeypatch.setattr(hook, "cache", hook.Cache())
    last = hook.Highlighter(lambda *args: asked.append(args) or pygments.highlight(*args))
    last.start(tmp_path)
    last(*_block())
    assert len(asked) == 4  # the first block was not in that build: pruned, highlighted again
