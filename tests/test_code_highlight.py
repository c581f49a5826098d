"""overrides/hooks/code_highlight.py: pymdownx's HTML of a code block, kept, and read back only
for the same block and the same settings."""

from __future__ import annotations

import markdown
import pytest
from pymdownx.highlight import Highlight

from support import load_hook

hook = load_hook("code_highlight")
CODE = ">>> import torch\n>>> torch.softmax(torch.tensor([1., 2.]), dim=0)\ntensor([0.2689, 0.7311])\n"
PYMDOWNX = getattr(Highlight.highlight, "__wrapped__", Highlight.highlight)  # pymdownx's own


def _highlighter(**settings) -> Highlight:
    return Highlight(markdown.Markdown(), pygments_lang_class=True, **settings)


def test_a_block_is_highlighted_once_and_read_back_as_pymdownx_highlights_it(tmp_path, monkeypatch):
    monkeypatch.setattr(hook, "cache", hook.Cache())
    monkeypatch.setattr(hook, "blocks", hook.Blocks())
    asked = []
    once = hook._once(lambda self, *args, **kwargs: asked.append(args) or PYMDOWNX(self, *args, **kwargs))
    hook.blocks.start(tmp_path)
    html = once(_highlighter(), CODE, "pycon", title="One pass")
    assert html == PYMDOWNX(_highlighter(), CODE, "pycon", title="One pass") and len(asked) == 1
    assert once(_highlighter(), CODE, "pycon", title="One pass") == html and len(asked) == 1  # the other edition's block
    hook.blocks.keep()

    # The next build's process: read back, pymdownx not asked.
    monkeypatch.setattr(hook, "cache", hook.Cache())
    monkeypatch.setattr(hook, "blocks", hook.Blocks())
    hook.blocks.start(tmp_path)
    assert hook._once(lambda *args, **kwargs: pytest.fail("highlighted again"))(_highlighter(), CODE, "pycon", title="One pass") == html

    # Other code, language, title, highlighted lines or settings: each highlighted by pymdownx.
    for highlighter, args, kwargs in [
        (_highlighter(), (CODE.replace("2.", "3."), "pycon"), {"title": "One pass"}),
        (_highlighter(), (CODE, "python"), {"title": "One pass"}),
        (_highlighter(), (CODE, "pycon"), {"title": "Two passes"}),
        (_highlighter(), (CODE, "pycon"), {"title": "One pass", "hl_lines": [2]}),
        (_highlighter(linenums=True), (CODE, "pycon"), {"title": "One pass"}),
    ]:
        before = len(asked)
        assert once(highlighter, *args, **kwargs) == PYMDOWNX(highlighter, *args, **kwargs)
        assert len(asked) == before + 1, (args, kwargs)


def test_a_title_read_as_html_is_highlighted_every_time(monkeypatch):
    monkeypatch.setattr(hook, "blocks", hook.Blocks())
    asked = []
    once = hook._once(lambda self, *args, **kwargs: asked.append(args) or PYMDOWNX(self, *args, **kwargs))
    for _ in range(2):
        once(_highlighter(title_mode="html"), CODE, "pycon", title="<b>One</b>")
    assert len(asked) == 2
