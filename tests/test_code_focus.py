"""overrides/hooks/code_focus.py on rendered blocks: Material's code blocks become focusable,
nothing else does (tests/test_browser_code_blocks.py checks the keyboard's reach in Chromium)."""

from __future__ import annotations

from support import load_hook

hook = load_hook("code_focus")


def test_each_material_code_block_is_made_focusable_once():
    html = ('<div class="language-pycon highlight" data-copy="x = 1"><pre><span></span><code><span class="gp">&gt;&gt;&gt; </span>x</code></pre></div>'
            '<div class="language-python highlight"><pre><span></span><code>y = 2\n</code></pre></div>')
    out = hook.focusable(html)
    assert out.count('<code tabindex="0">') == 2
    assert hook.focusable(out) == out


def test_inline_code_and_the_notebook_cells_are_left_alone():
    html = ('<p>Use <code>softmax</code>.</p>'
            '<div class="highlight-ipynb hl-python"><pre><span></span><code>z</code></pre></div>')
    assert hook.focusable(html) == html
