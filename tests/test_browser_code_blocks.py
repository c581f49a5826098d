"""Material's code blocks in Chromium, now that Material mounts each when it comes into view
(the `content.lazy` feature, mkdocs.yml) rather than all of them at load:

- the feature acts: a block below the screen has no copy button until it is scrolled to, and
  then has one, named by its place on the page (docs/javascripts/a11y.js);
- no block is out of the keyboard's reach for it: a block wider than the screen can be focused
  (and so scrolled by keyboard) before and after Material mounts it, and a mounted block that
  fits is not a stop of the keyboard's tab order, as before (overrides/hooks/code_focus.py).
"""

from __future__ import annotations

import pytest

LONGEST_ARTICLE = "sharpening/"
ZH_LONGEST_ARTICLE = "zh/sharpening/"

# Each Material code block (Material's own selector) in page order: is it below the screen,
# does its line overflow, is it focusable, has it a copy button, and that button's nav's name.
BLOCKS = """() => [...document.querySelectorAll("pre:not(.mermaid) > code")].map(code => {
  const pre = code.parentElement, nav = pre.querySelector(".md-code__nav");
  return {
    below: pre.getBoundingClientRect().top > innerHeight,
    overflows: code.scrollWidth > code.clientWidth,
    focusable: code.getAttribute("tabindex") === "0",
    button: !!pre.querySelector("button[data-md-type=copy]"),
    name: nav && nav.getAttribute("aria-label"),
  };
})"""


@pytest.mark.parametrize("address,word", [(LONGEST_ARTICLE, "Code block"), (ZH_LONGEST_ARTICLE, "代码块")])
def test_a_block_gets_its_copy_button_when_it_comes_into_view(tab, address, word):
    tab.open(address)
    blocks = tab.page.evaluate(BLOCKS)
    below = [i for i, block in enumerate(blocks) if block["below"]]
    assert len(below) > 10, "the longest article is expected to have many blocks below the screen"
    assert not any(blocks[i]["button"] for i in below), "blocks below the screen were mounted at load"

    last = below[-1]
    tab.page.locator("pre:not(.mermaid) > code").nth(last).scroll_into_view_if_needed()
    tab.page.wait_for_function(f"() => document.querySelectorAll('pre:not(.mermaid) > code')[{last}].parentElement.querySelector('button[data-md-type=copy]')")
    mounted = [block for block in tab.page.evaluate(BLOCKS) if block["button"]]
    # Named by its place on the page, not by the order in which blocks were mounted.
    assert tab.page.evaluate(BLOCKS)[last]["name"] == f"{word} {last + 1}"
    assert len({block["name"] for block in mounted}) == len(mounted)
    assert tab.problems == []


def test_every_wide_block_can_be_reached_by_keyboard_before_and_after_it_is_mounted(open_tab):
    # A window on a device that can hover (where Material makes wide blocks focusable), at a
    # width where some of the article's blocks are wider than the column and most are not.
    tab = open_tab(viewport={"width": 768, "height": 700})
    tab.open(LONGEST_ARTICLE)
    at_load = tab.page.evaluate(BLOCKS)
    unmounted_wide = [b for b in at_load if b["below"] and b["overflows"] and not b["button"]]
    assert unmounted_wide, "expected blocks wider than the column below the screen"
    assert all(b["focusable"] for b in unmounted_wide), "a wide block below the screen cannot be focused"

    # Scroll through the page so that Material mounts every block, then look again.
    count = tab.page.locator("pre:not(.mermaid) > code").count()
    for index in range(count):
        tab.page.locator("pre:not(.mermaid) > code").nth(index).scroll_into_view_if_needed()
    tab.page.wait_for_function(f"() => document.querySelectorAll('button[data-md-type=copy]').length === {count}")
    mounted = tab.page.evaluate(BLOCKS)
    assert all(b["focusable"] == b["overflows"] for b in mounted), [
        (i + 1, b["overflows"], b["focusable"]) for i, b in enumerate(mounted) if b["focusable"] != b["overflows"]
    ]
    assert any(not b["overflows"] for b in mounted), "expected some blocks that fit, to see them leave the tab order"
    assert tab.problems == []


# What a reader sees of a span: the properties a token class could change.
LOOKS = ["color", "backgroundColor", "fontWeight", "fontStyle", "textDecorationLine", "opacity"]


# Where each kind of code block is, and the token classes code_spans.py unwraps in it.
TOKEN_BLOCKS = {
    "Material's": (LONGEST_ARTICLE, ".md-content .highlight pre > code", "PLAIN_CLASSES"),
    "the notebook's": ("explore/", ".highlight-ipynb pre", "NOTEBOOK_PLAIN_CLASSES"),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", TOKEN_BLOCKS)
def test_the_token_classes_left_unwrapped_look_like_the_code_around_them(open_tab, kind, scheme):
    """overrides/hooks/code_spans.py drops the spans of these classes: they must change nothing.
    The control, a number token, must be seen to differ."""
    from support import load_hook

    address, block, attribute = TOKEN_BLOCKS[kind]
    classes = list(getattr(load_hook("code_spans"), attribute))
    tab = open_tab(color_scheme=scheme)
    tab.open(address)
    looks = tab.page.evaluate(
        """([block, classes, looks]) => {
          const code = document.querySelector(block);
          const style = span => { const s = getComputedStyle(span); return Object.fromEntries(looks.map(p => [p, s[p]])); };
          const make = cls => { const span = document.createElement("span"); if (cls) span.className = cls; span.textContent = "x"; code.append(span); return span; };
          const plain = style(make(""));
          return Object.fromEntries([...classes, "mi"].map(cls => [cls, [style(make(cls)), plain]]));
        }""",
        [block, classes, LOOKS],
    )
    number = looks.pop("mi")
    assert number[0] != number[1], f"a number token in {kind} code ({scheme}) is expected to look different"
    for cls, (styled, plain) in looks.items():
        assert styled == plain, f"span.{cls} in {kind} code ({scheme}) differs from the code around it: {styled} vs {plain}"
    assert tab.problems == []


@pytest.mark.parametrize("page", ["sharpening/index.html", "zh/sharpening/index.html", "explore/index.html"])
def test_the_built_blocks_have_no_plain_token_spans(built_site, page):
    import re

    from support import load_hook

    hook = load_hook("code_spans")
    html = (built_site / page).read_text("utf-8")
    classes = hook.NOTEBOOK_PLAIN_CLASSES if page.startswith("explore") else hook.PLAIN_CLASSES
    blocks = re.findall(r'<div class="(?:language-\w+ highlight|highlight-ipynb)\b.*?</pre>', html, flags=re.DOTALL)
    assert blocks
    for cls in classes:
        assert not [b for b in blocks if f'<span class="{cls}">' in b], cls
    assert any('<span class="mi">' in b for b in blocks)  # a coloured class stays
