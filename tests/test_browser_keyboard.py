"""The keyboard in Chromium: pressing Tab from the top of a page reaches, in page order, the copy
button of every code block the page has (Material adds them by script: a change that adds them
late, or only once a block is scrolled into view, as Material's `content.lazy` does, would leave
a keyboard reader without them), each shown while it has focus; the "try it" box's fields and
button; and every scrolling code cell and output of the notebook. At a desktop's width and on a
phone."""

from __future__ import annotations

import re

import pytest

from support import CHINESE_FONT_INSTALL, has_chinese_font, skip_or_fail

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# What has focus after a Tab: a description of it, whether it had focus before, its place among
# the page's copy buttons, and whether a reader can see it (inside the window, not transparent).
FOCUSED = """() => {
  document.getAnimations().forEach(a => a.finish());  // a transition of its opacity, ended
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const seen = window.__tabbed || (window.__tabbed = new WeakSet()), again = seen.has(e);
  seen.add(e);
  const copies = [...document.querySelectorAll("button[data-md-type=copy]")];
  const box = e.getBoundingClientRect();
  let shown = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight;
  for (let node = e; node instanceof Element; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.visibility === "hidden" || style.display === "none" || Number(style.opacity) < 0.5) shown = false;
  }
  return {what: e.outerHTML.slice(0, 120), again, copy: copies.indexOf(e), shown,
          field: e.closest(".try-it") ? (e.name || e.type || e.tagName) : null,
          cell: e.matches(".jupyter-wrapper [tabindex='0']") ? [...document.querySelectorAll(".jupyter-wrapper [tabindex='0']")].indexOf(e) : -1};
}"""


def tab_through(tab, limit: int) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the page or comes round again."""
    page = tab.page
    page.mouse.click(1, 1)  # the page, not the address bar, has the keyboard; focus starts at the top
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["again"]:
            break
        stops.append(focused)
    else:
        pytest.fail(f"focus did not come round after {limit} presses of Tab")
    return stops


def blocks_in(built_site, address: str) -> int:
    """The code blocks of a page, as the build wrote it (before any script ran)."""
    html = (built_site / address / "index.html").read_text("utf-8")
    return len(re.findall(r'<div class="language-[\w+-]+ highlight"', html))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
@pytest.mark.parametrize("address", ["sharpening/", "zh/questions/", ""])
def test_tab_reaches_every_copy_button(open_tab, built_site, address, viewport):
    if address.startswith("zh/") and not has_chinese_font():
        skip_or_fail(f"the Chinese pages' layout needs a Chinese font, as every reader has: {CHINESE_FONT_INSTALL}")
    expected = blocks_in(built_site, address)
    assert expected >= 5
    tab = open_tab(viewport=viewport)
    tab.open(address)
    stops = tab_through(tab, limit=1500)
    copies = [stop for stop in stops if stop["copy"] >= 0]
    assert [stop["copy"] for stop in copies] == list(range(expected)), "copy buttons missed or out of order"
    hidden = [stop["what"] for stop in copies if not stop["shown"]]
    assert hidden == [], f"copy buttons that had focus but could not be seen: {hidden}"
    if address == "":  # the home page's "try it" box: its fields and its button
        fields = [stop["field"] for stop in stops if stop["field"]]
        assert len(fields) >= 3 and "submit" in fields, fields
    assert tab.problems == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_tab_reaches_every_scrolling_block_of_the_notebook(open_tab, viewport):
    tab = open_tab(viewport=viewport)
    tab.open("explore/")
    expected = tab.page.locator(".jupyter-wrapper [tabindex='0']").count()
    assert expected >= 10
    stops = tab_through(tab, limit=1500)
    cells = [stop["cell"] for stop in stops if stop["cell"] >= 0]
    assert cells == list(range(expected))
    assert all(stop["shown"] for stop in stops if stop["cell"] >= 0)
    assert tab.problems == []
