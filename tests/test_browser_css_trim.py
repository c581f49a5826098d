"""Material's stylesheets, trimmed by overrides/hooks/material_trim.py, in Chromium: every rule of
Material's whole stylesheets that applies to an element of a page, at load and after what a
reader does (scrolling, the keyboard, copying code, the palette toggle, the drawer, search and
its highlighted results), is still served; and pages look the same, pixel for pixel, with the
whole stylesheets as with the trimmed ones, in both palettes, on a phone and a desktop. The
rules of each page are gathered in the every-page sweep (test_browser_pages.py, `rules_used`),
which loads the page anyway; those of search and its results here."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
import tinycss2

from support import CHINESE_FONT_INSTALL, has_chinese_font, load_hook, site_pages, skip_or_fail

MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SERVED = re.compile(r"assets/stylesheets/(main|palette)\.[0-9a-f]+\.min\.css")


def whole_stylesheets() -> dict[str, str]:
    """Material's stylesheets as the site would serve them untrimmed: the main one as Material
    ships it, the palettes as overrides/hooks/palette_switch.py serves them."""
    (main,) = MATERIAL_CSS.glob("main.*.min.css")
    (palette,) = MATERIAL_CSS.glob("palette.*.min.css")
    switched, _ = load_hook("palette_switch").without_switching_rule(palette.read_text("utf-8"))
    return {"main": main.read_text("utf-8"), "palette": switched}


def selectors(css: str, context: str = "") -> set[tuple[str, str]]:
    """Every selector of a stylesheet, with the @media/@supports it is in."""
    trim = load_hook("notebook_trim")
    found = set()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            found |= {(context, s) for s in trim._selectors(rule.prelude)}
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
            found |= selectors(tinycss2.serialize(rule.content), f"{context}@{rule.lower_at_keyword} {tinycss2.serialize(rule.prelude).strip()} ")
    return found


def served_stylesheets(built_site: Path) -> dict[str, str]:
    html = (built_site / "index.html").read_text("utf-8")
    paths = SERVED.findall(html)
    assert sorted(paths) == ["main", "palette"], paths
    return {kind: (built_site / m.group(0)).read_text("utf-8") for m in SERVED.finditer(html) for kind in [m.group(1)]}


# Of a list of selectors, those that match an element now (pseudo-elements and states taken out).
MATCHING = """selectors => selectors.filter(s => { try { return document.querySelector(s) !== null } catch (e) { return false } })"""


def _matching(page, tests: dict[str, list]) -> set:
    return {test for selector in page.evaluate(MATCHING, list(tests)) for test in tests[selector]}


def _reader_acts(tab, width: int) -> None:
    """What a reader does that makes Material's script change the page."""
    page = tab.page
    page.mouse.wheel(0, 3000)  # the header's shadow, the table of contents' position
    page.wait_for_timeout(300)
    for _ in range(3):
        page.keyboard.press("Tab")  # focus-visible
    buttons = page.locator("button[data-md-type=copy]")
    if buttons.count():
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.base.rstrip("/"))
        buttons.first.click()  # the "copied" dialog
        page.locator(".md-dialog--active").wait_for()
    page.locator("form[data-md-component=palette] label:not([hidden])").first.click()
    if width < 1220:
        page.locator("label.md-header__button[for=__drawer]").click()  # the navigation drawer


def selector_tests_of_whole_stylesheets() -> dict[str, list]:
    """Every selector of Material's whole stylesheets, as the browser can test it now: a
    stripped selector and the (context, selector) pairs it stands for (conftest.py's
    `selector_tests`, once a session)."""
    trim = load_hook("notebook_trim")
    tests: dict[str, list] = {}
    for kind, css in whole_stylesheets().items():
        for context, selector in selectors(css):
            tests.setdefault(trim._without_state(selector), []).append((kind, context, selector))
    return tests


def rules_used(tab, width: int, selector_tests) -> set:
    """The rules of Material's whole stylesheets that apply to an element of the loaded page, at
    load and after what a reader does (`_reader_acts`, which leaves the page changed: the
    palette toggled, the drawer open). The every-page sweep of test_browser_pages.py calls it on
    each page, at a phone's width and a desktop's."""
    applied = _matching(tab.page, selector_tests)
    _reader_acts(tab, width)
    return applied | _matching(tab.page, selector_tests)


def unserved(applied: set, served_selectors) -> list[str]:
    """Of the rules that applied, those the site does not serve."""
    return sorted(f"{kind}: {context}{selector}" for kind, context, selector in applied if (context, selector) not in served_selectors[kind])


def test_the_stylesheets_are_trimmed(served_selectors):
    whole = {kind: selectors(css) for kind, css in whole_stylesheets().items()}
    assert all(len(served_selectors[k]) < 0.8 * len(whole[k]) for k in whole), "the stylesheets were not trimmed"


@pytest.mark.parametrize("address", ["", "zh/questions/"])
def test_the_rules_of_search_results_and_highlights_are_served(open_tab, served_selectors, selector_tests, address):
    if address.startswith("zh/") and not has_chinese_font():
        skip_or_fail(f"the Chinese pages' layout needs a Chinese font, as every reader has: {CHINESE_FONT_INSTALL}")
    applied = set()
    for viewport in (PHONE, DESKTOP):
        tab = open_tab(viewport=viewport)
        tab.open(address)
        tab.page.keyboard.press("s")  # Material's shortcut: opens search
        tab.page.keyboard.type("softmax")
        tab.page.locator(".md-search-result__item").first.wait_for()
        tab.page.locator(".md-search-result__more summary").first.click()  # a result's other sections
        applied |= _matching(tab.page, selector_tests)
        tab.page.locator(".md-search-result__link[href*='h=softmax']").first.click()  # a page, the query's words marked
        tab.page.wait_for_load_state("load")
        tab.page.locator("article mark").first.wait_for()
        applied |= _matching(tab.page, selector_tests)
        assert tab.problems == []
    assert any("md-search-result" in selector for _, _, selector in applied) and any("mark" in s for _, _, s in applied)
    missing = unserved(applied, served_selectors)
    assert missing == [], "rules that apply to search results or marks but are not served:\n" + "\n".join(missing)


# Pages that between them show every kind of element the site has: the try-it box, admonitions,
# tables, the notebook, the Chinese edition.
LOOK_PAGES = ["", "caveats/", "explore/", "zh/verification/"]
# Chromium does not draw a page the same way twice, to the pixel: loaded twice with the same
# stylesheets, a page differed in up to 1,875 pixels (antialiased text), each channel by at most
# 0.082 (21 of 255). A rule missing, or a custom property, changes what it colours or moves by far
# more; such a difference must not be seen anywhere.
NOISE = 0.12
STILL = "*, *::before, *::after, ::placeholder { transition: none !important; }"


def differing_pixels(a: bytes, b: bytes) -> int | None:
    """How many pixels of two screenshots differ by more than NOISE; None if their sizes do."""
    import io

    import numpy
    from PIL import Image

    if a == b:  # the same PNG bytes are the same pixels (most pairs: nothing to decode)
        return 0
    # Read as bytes, not as matplotlib's floats (for a long page's pictures, 1280 by 12,000
    # pixels, that took 12 s), and subtracted only on the rows that differ at all.
    first, second = (numpy.asarray(Image.open(io.BytesIO(png)).convert("RGBA")) for png in (a, b))
    if first.shape != second.shape:
        return None
    rows = (first != second).any(axis=(1, 2))
    difference = numpy.abs(first[rows].astype(numpy.int16) - second[rows])
    return int((difference.max(axis=2) > NOISE * 255).sum())


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("address", LOOK_PAGES)
def test_a_page_looks_as_with_the_whole_stylesheets(open_tab, address, scheme, viewport, tmp_path):
    if address.startswith("zh/") and not has_chinese_font():
        skip_or_fail(f"the Chinese pages' layout needs a Chinese font, as every reader has: {CHINESE_FONT_INSTALL}")
    whole = whole_stylesheets()
    pictures = {}
    for name in ("trimmed", "whole"):
        tab = open_tab(color_scheme=scheme, viewport=viewport)
        if name == "whole":
            tab.page.route(SERVED_ROUTE, lambda route: route.fulfill(body=whole[SERVED.search(route.request.url).group(1)], content_type="text/css"))
        tab.open(address)
        # Transitions end at once: a picture is never taken half-way through one (the search
        # box's placeholder fades its colour over 0.25 s, which Playwright's animations="disabled"
        # does not stop, and a busy machine once caught it half-way in one picture of two).
        tab.page.add_style_tag(content=STILL)
        tab.page.wait_for_timeout(300)  # Material's script settles the header and the sidebars
        pictures[name] = tab.page.screenshot(full_page=True, animations="disabled")
        assert tab.problems == []
    differing = differing_pixels(pictures["trimmed"], pictures["whole"])
    if differing != 0:
        for name, picture in pictures.items():
            (tmp_path / f"{name}.png").write_bytes(picture)
        what = "has another size" if differing is None else f"differs in {differing} pixels"
        pytest.fail(f"{address or 'the home page'} ({scheme}, {viewport['width']} px) {what} with the whole stylesheets: both pictures are in {tmp_path}")


def test_the_comparison_sees_a_missing_rule():
    """The control: a screenshot of a colour changed where a rule would be is seen to differ."""
    import io

    import matplotlib.image
    import numpy

    picture = numpy.full((40, 40, 3), 0.96)
    changed = picture.copy()
    changed[10:12, 10:30] = 0.80  # a border drawn in a light grey
    encoded = []
    for image in (picture, changed):
        out = io.BytesIO()
        matplotlib.image.imsave(out, image, format="png")
        encoded.append(out.getvalue())
    assert differing_pixels(encoded[0], encoded[0]) == 0
    assert differing_pixels(encoded[0], encoded[1]) == 40


SERVED_ROUTE = re.compile(r".*/" + SERVED.pattern + r"$")
