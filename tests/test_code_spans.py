"""overrides/hooks/code_spans.py on rendered blocks: the spans of tokens drawn in the code's own
colour go, their text and every other span stay (tests/test_browser_code_blocks.py checks in
Chromium that those classes look like the code around them)."""

from __future__ import annotations

import html as html_lib
import re

from support import load_hook

hook = load_hook("code_spans")

BLOCK = ('<div class="language-pycon highlight" data-copy="a &lt; b"><pre><span></span><code tabindex="0">'
         '<span class="gp">&gt;&gt;&gt; </span><span class="n">a</span><span class="w"> </span><span class="o">&lt;</span>'
         '<span class="w"> </span><span class="kc">None</span>\n<span class="go">True</span>\n</code></pre></div>')


def text(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]*>", "", fragment))


def test_plain_spans_go_and_the_text_stays():
    out = hook.unwrapped(BLOCK)
    assert '<span class="n">' not in out and '<span class="w">' not in out and '<span class="kc">' not in out
    assert '<span class="gp">' in out and '<span class="o">&lt;</span>' in out and '<span class="go">' in out
    assert text(out) == text(BLOCK)
    assert hook.unwrapped(out) == out


def test_spans_outside_code_blocks_stay():
    outside = '<p><span class="n">prose</span></p><div class="jp-OutputArea-output"><pre><span class="n">z</span></pre></div>'
    assert hook.unwrapped(outside + BLOCK).startswith(outside)


def test_a_notebook_cell_keeps_its_coloured_whitespace_and_bold_constants():
    cell = ('<div class="highlight-ipynb hl-python"><pre><span></span><span class="n">x</span><span class="w"> </span>'
            '<span class="o">=</span><span class="w"> </span><span class="kc">None</span>\n</pre></div>')
    out = hook.unwrapped(cell)
    assert out == ('<div class="highlight-ipynb hl-python"><pre><span></span>x<span class="w"> </span><span class="o">=</span>'
                   '<span class="w"> </span><span class="kc">None</span>\n</pre></div>')


def test_a_block_with_a_title_is_unwrapped_too():
    titled = ('<div class="language-python highlight"><span class="filename">example.py</span><pre><span></span>'
              '<code><span class="n">x</span></code></pre></div>')
    assert '<span class="n">' not in hook.unwrapped(titled)
