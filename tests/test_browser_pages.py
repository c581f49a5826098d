"""Every page, in both editions and both palettes, as a reader's browser shows it (Debian's
Chromium through Playwright, other hosts blocked), in one sweep that loads each page once per
width and runs every per-page check on it: nothing requested from another host, nothing
failing, maths rendered, no horizontal scrolling on a 375 px wide phone; the cold load of every
page, in both editions and palettes, stays within BUDGET; and at the
desktop width axe-core finds no violation (tests/test_browser_a11y.py), and every formula is laid
out as the browser lays it out from the whole formula (tests/test_browser_math.py)."""

from __future__ import annotations

import collections

import pytest

from support import AXE_MISSING, CHINESE_FONT_INSTALL, axe_script, has_chinese_font, site_pages, skip_or_fail
from test_browser_a11y import PALETTES, RUN_AXE, describe
from test_browser_css_trim import rules_used, unserved

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 720}  # Playwright's default viewport, where axe-core runs
INLINE_SHARE = 0.8  # of the column an inline formula may take (see the test)
BUDGET = 400_000  # bytes, uncompressed, on a cold load of any page (issue 22: fast for phones)


# What a reader must never see: TeX that was not turned into maths.
RAW_TEX = r"/\$[^$\s][^$]*\$|\\(frac|mathrm|sum|left|right|beta|operatorname)\b|\\\(|\\\[/"


# Each formula of the page laid out again from a copy without the forms that
# overrides/hooks/mathml.py wrote (the prefix form on an operator that opens a row, never on
# latex2mathml's fences), put in by script, so that Chromium infers every form from the whole
# formula: the formulas whose layout then changes. All are replaced before any is measured
# again, so the page is laid out twice, not once per formula. The page is changed: the last check.
SAME_AS_INFERRED = """() => {
  const formulas = [...document.querySelectorAll("article math")];
  const boxes = () => formulas.map(m => [m, ...m.querySelectorAll("*")].map(e => {
    const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(v => Math.round(v * 64)).join();
  }).join(";"));
  const written = boxes();
  formulas.forEach((m, i) => {
    const copy = m.cloneNode(true);
    copy.querySelectorAll("mo[form=prefix]:not([fence])").forEach(o => o.removeAttribute("form"));
    m.replaceWith(copy);
    formulas[i] = copy;
  });
  const inferred = boxes();
  return formulas.filter((m, i) => written[i] !== inferred[i]).map(m => m.textContent);
}"""


def cold_load_sizes(tab) -> dict[str, int]:
    """Bytes transferred (uncompressed) by the tab's first visit, with an empty cache, by what
    requested them, as the browser's own Resource Timing accounts for them."""
    # A request the page's scripts make later, from a timer, would count too. No event says
    # that none will come, so this waits a little past network idle: on a loaded machine it can
    # only miss such a request, never fail a page that makes none.
    tab.page.wait_for_timeout(500)
    entries = tab.page.evaluate(
        """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
                 .map(e => [e.initiatorType, e.name, e.decodedBodySize])"""
    )
    sizes: collections.Counter[str] = collections.Counter()
    for kind, url, size in entries:
        assert size > 0 or url.startswith("data:"), url  # every response is counted
        sizes[kind] += size
    return dict(sizes)


def phone_problems(page, address: str) -> list[str]:
    """What a reader on a 375 px wide phone would see wrong on the loaded page: raw TeX, a formula
    that renders as nothing, an inline formula too wide for the column, sideways scrolling."""
    found = []
    # The reader's text, without code (where a dollar sign may be Python).
    text = page.evaluate(
        """() => { const body = document.querySelector("article").cloneNode(true);
                   body.querySelectorAll("pre, code, script").forEach(e => e.remove());
                   return body.innerText; }"""
    )
    if page.evaluate(f"text => {RAW_TEX}.test(text)", text):
        found.append("raw TeX on the page")
    formulas = page.evaluate(
        "() => [...document.querySelectorAll('article math')].map(m => "
        "[m.getBoundingClientRect().width, m.getAttribute('display') === 'block', m.textContent])"
    )
    if empty := [text for width, _, text in formulas if width <= 0]:
        found.append(f"formulas that render as nothing: {empty}")
    # An inline formula cannot break across lines, and its width depends on the reader's fonts
    # (Debian's differ from a phone's by 10 to 15 %): one that nearly fills the column here
    # pushes the page sideways elsewhere. A longer one goes on a line of its own ($$), which
    # scrolls in its box.
    column = page.evaluate("document.querySelector('article').getBoundingClientRect().width")
    too_wide = [f"{text!r} ({width:.0f} px)" for width, block, text in formulas if not block and width > INLINE_SHARE * column]
    if too_wide:
        found.append(
            f"inline formulas wider than {INLINE_SHARE:.0%} of the {column:.0f} px column on {address}: "
            + "; ".join(too_wide) + ". Write each as a display formula ($$ on lines of their own) or split it."
        )
    # Wide code and formulas may scroll inside their own box, never the page.
    if (width := page.evaluate("document.documentElement.scrollWidth")) > PHONE["width"]:
        found.append(f"the page scrolls sideways on a {PHONE['width']} px phone: {width} px wide")
    return found


@pytest.mark.parametrize("scheme", list(PALETTES))
@pytest.mark.parametrize("address", site_pages(), ids=lambda address: f"/{address}")
def test_every_page_loads_cleanly_fits_a_phone_and_passes_axe(open_tab, record_property, selector_tests, served_selectors, address, scheme):
    """Every page, in each palette, loaded as a reader loads it: first on a phone with an empty
    cache (the checks above, and the bytes of that cold load within BUDGET), then at the default
    desktop width, where axe-core must find no violation (test_browser_a11y.py). In the light
    palette, at both widths, every rule of Material's whole stylesheets that applies, at load and
    after what a reader does, must be served (test_browser_css_trim.py). Each check that fails
    is listed, by name, in one report."""
    failures = []
    rules = scheme == "light"  # the reader's acts toggle the palette: both are seen
    applied = set()
    tab = open_tab(color_scheme=scheme, viewport=PHONE)
    tab.open(address, until="networkidle")
    sizes = cold_load_sizes(tab)
    record_property("bytes_by_type", sizes)
    print(f"{address} ({scheme}): {sum(sizes.values())} bytes: {sizes}")
    if sum(sizes.values()) > BUDGET:
        failures.append(f"cold load: {sum(sizes.values())} bytes, over the budget of {BUDGET}: {sizes}")
    # The search index is fetched when search is first opened, not with the page.
    if "xmlhttprequest" in sizes or "fetch" in sizes:
        failures.append(f"cold load: the page's scripts fetched something (the search index?): {sizes}")
    chinese_font = not address.startswith("zh/") or has_chinese_font()
    if chinese_font:  # else the phone's layout is not checked: see the skip below
        palette = tab.page.locator("body").get_attribute("data-md-color-scheme")
        if palette != PALETTES[scheme]:
            failures.append(f"palette: Material picked {palette!r} for a reader who prefers {scheme}")
        failures += [f"phone: {problem}" for problem in phone_problems(tab.page, address)]
        if rules:
            applied |= rules_used(tab, PHONE["width"], selector_tests)
            tab.page.evaluate("localStorage.clear()")  # the palette the reader toggled: the next load picks afresh
    failures += [f"phone load: {problem}" for problem in tab.problems]
    tab.problems.clear()

    # The same page at the default desktop width (the cache now warm), for axe-core.
    tab.page.set_viewport_size(DESKTOP)
    tab.open(address)
    if (palette := tab.page.locator("body").get_attribute("data-md-color-scheme")) != PALETTES[scheme]:
        failures.append(f"palette at {DESKTOP['width']} px: Material picked {palette!r} for a reader who prefers {scheme}")
    if axe := axe_script():
        tab.page.add_script_tag(content=axe)
        if violations := tab.page.evaluate(RUN_AXE):
            failures.append(f"axe-core:\n{describe(violations)}")
    if rules and chinese_font:
        applied |= rules_used(tab, DESKTOP["width"], selector_tests)
        if missing := unserved(applied, served_selectors):
            failures.append("rules of Material's whole stylesheets that apply but are not served:\n" + "\n".join(missing))
        if not applied:
            failures.append("no rule of Material's stylesheets applies: the check saw no page")
    if spaced_otherwise := tab.page.evaluate(SAME_AS_INFERRED):
        failures.append(f"formulas laid out otherwise with the forms overrides/hooks/mathml.py wrote than with those Chromium infers: {spaced_otherwise}")
    failures += [f"desktop load: {problem}" for problem in tab.problems]
    assert not failures, f"/{address} ({scheme}):\n" + "\n".join(failures)
    if axe is None:
        skip_or_fail(f"/{address} passed its other checks; {AXE_MISSING}")
    if not chinese_font:
        skip_or_fail(f"/{address} passed axe-core; the Chinese pages' layout needs a Chinese font, as every reader has: {CHINESE_FONT_INSTALL}")


def test_search_loads_its_index_when_opened(tab):
    tab.open("zh/")
    requested = []
    tab.page.on("request", lambda request: requested.append(request.url))
    # A request the page's scripts start after load, unasked: no event says that none will
    # come, so a short wait, then the check (a loaded machine can only make it miss one).
    tab.page.wait_for_timeout(300)
    assert not [url for url in requested if url.endswith("search_index.json")]
    with tab.page.expect_response(lambda response: response.url.endswith("search/search_index.json")):
        tab.page.keyboard.press("s")  # Material's shortcut opens search
    assert tab.problems == []
