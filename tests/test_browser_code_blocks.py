"""Code blocks in Chromium: the token spans that overrides/hooks/code_spans.py drops in Material's
blocks (names, keyword constants, whitespace) look exactly like the code around them, in both
palettes, and none is left in the built pages."""

from __future__ import annotations

import pytest

LONGEST_ARTICLE = "sharpening/"


# What a reader sees of a span: the properties a token class could change.
LOOKS = ["color", "backgroundColor", "fontWeight", "fontStyle", "textDecorationLine", "opacity"]


def span_looks(page, block: str, classes: list[str]) -> dict[str, tuple[dict, dict]]:
    """For each class, how a span of it looks inside the first element matching `block`, next to
    how a bare span looks there: {class: (styled, plain)}, each {property of LOOKS: value}."""
    return page.evaluate(
        """([block, classes, looks]) => {
          const code = document.querySelector(block);
          const style = span => { const s = getComputedStyle(span); return Object.fromEntries(looks.map(p => [p, s[p]])); };
          const make = cls => { const span = document.createElement("span"); if (cls) span.className = cls; span.textContent = "x"; code.append(span); return span; };
          const plain = style(make(""));
          return Object.fromEntries(classes.map(cls => [cls, [style(make(cls)), plain]]));
        }""",
        [block, classes, LOOKS],
    )


# Where each kind of code block is, and the token classes code_spans.py unwraps in it. (The
# notebook's cells are checked in tests/test_browser_notebook.py, against the renderer's whole
# stylesheet: on the built page, notebook_trim.py has dropped the rules of classes left unused.)
TOKEN_BLOCKS = {
    "Material's": (LONGEST_ARTICLE, ".md-content .highlight pre > code", "PLAIN_CLASSES"),
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
    looks = span_looks(tab.page, block, [*classes, "mi"])
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
