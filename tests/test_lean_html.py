"""overrides/hooks/lean_html.py: a page's HTML without what changes nothing seen or copied: one
span for a run of code tokens drawn alike, a formula's characters as themselves, no template
indentation. In Chromium: every class of a group looks like the group's first, in both palettes."""

from __future__ import annotations

import re

import pytest

from support import load_hook

hook = load_hook("lean_html")


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_a_run_of_tokens_drawn_alike_is_one_span():
    code = '<span class="p">)</span> <span class="o">=</span> f<span class="p">(</span><span class="mi">1</span><span class="mf">.5</span> <span class="k">in</span>'
    merged = hook.merged_spans(code)
    assert merged == '<span class="p">) =</span> f<span class="p">(</span><span class="mi">1.5</span> <span class="k">in</span>'
    assert text(merged) == text(code)


def test_tokens_apart_stay_apart():
    code = '<span class="p">(</span>\n<span class="p">)</span><span class="gd">-</span><span class="gd">x</span>'
    assert hook.merged_spans(code) == code  # a line break between; a class of no group (own background)


def test_a_formula_s_characters_are_written_as_themselves():
    formula = '<math><mi>&#x003B2;</mi><mo>&#x0002B;</mo><mo>&#x0003C;</mo><mo>&#x02062;</mo><mspace/><mi>&#38;</mi></math>'
    assert hook.plain_characters(formula) == '<math><mi>β</mi><mo>+</mo><mo>&#x0003C;</mo><mo>&#x02062;</mo><mspace/><mi>&#38;</mi></math>'


def test_indentation_goes_where_white_space_is_not_the_reader_s():
    page = '<div>\n    <p>a\n      b</p>\n\n  <pre><code>  x\n    y</code></pre> <code>  two  </code>\n  <script>\n  let a = 1\n</script>\n</div>'
    assert hook.without_indentation(page) == '<div>\n<p>a\nb</p>\n<pre><code>  x\n    y</code></pre> <code>  two  </code>\n<script>\n  let a = 1\n</script>\n</div>'


def test_an_attribute_s_lines_keep_their_indentation():
    page = '<div class="language-pycon highlight" data-copy="for x in y:\n    print(x)\n" title=\'a > b\n  c\'>\n  <p>x</p></div>'
    assert hook.without_indentation(page) == page.replace(">\n  <p>", ">\n<p>")


def test_the_built_pages_are_lean(built_site):
    page = (built_site / "sharpening" / "index.html").read_text("utf-8")
    text = re.sub(r"<(pre|code|textarea|script|style)\b.*?</\1>", "", page, flags=re.DOTALL)
    assert "\n  " not in hook._TAG.sub("", text)
    assert "&#x003B2;" not in page and "β" in page
    blocks = [m.group(2) for m in hook._BLOCK.finditer(page)]
    assert blocks and all(hook.merged_spans(block) == block for block in blocks)
    assert '<span class="p">) =</span>' in page or '<span class="p">):</span>' in page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_class_of_a_group_looks_like_its_first(open_tab, scheme):
    """With Material's whole stylesheets (the served ones keep only the classes the site has)."""
    from test_browser_code_blocks import span_looks
    from test_browser_css_trim import SERVED, SERVED_ROUTE, whole_stylesheets

    whole = whole_stylesheets()
    tab = open_tab(color_scheme=scheme)
    tab.page.route(SERVED_ROUTE, lambda route: route.fulfill(body=whole[SERVED.search(route.request.url).group(1)], content_type="text/css"))
    tab.open("sharpening/")
    for group in hook.SAME_LOOK:
        looks = span_looks(tab.page, ".md-content .highlight pre > code", group)
        first = looks[group[0]][0]
        differ = {name: styled for name, (styled, _) in looks.items() if styled != first}
        assert differ == {}, f"in {scheme}, these look unlike .{group[0]} ({first}): {differ}"
    # The control: groups are told apart (a number is not drawn as punctuation).
    looks = span_looks(tab.page, ".md-content .highlight pre > code", ["p", "mi"])
    assert looks["p"][0] != looks["mi"][0]
    assert tab.problems == []
