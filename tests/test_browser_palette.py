"""Material's palette switch in Chromium, after overrides/hooks/palette_switch.py took its
`[data-md-color-switching] *` rule out and docs/javascripts/palette.js took over its job.

- A page load no longer restyles the whole page: Material's script sets and removes that
  attribute on every load, and with the rule each change restyled every element.
- A switch by the reader still changes every colour at once, as with Material's rule: a link's
  colour and a code block's background (both have 125 ms transitions) are the new palette's
  the moment the switch happens, and the transitions are back one frame later.
"""

from __future__ import annotations

import json

import pytest

LONGEST_ARTICLE = "sharpening/"

# What Material's script does to the body on every page load (its palette component handles
# the initial palette as a switch), each change followed by a style read, as Material reads
# the header's colours between them; returns how many elements the page has.
SWITCH_AS_ON_LOAD = """() => {
  document.body.setAttribute("data-md-color-switching", "");
  getComputedStyle(document.body).color;
  document.body.removeAttribute("data-md-color-switching");
  getComputedStyle(document.body).color;
  return document.getElementsByTagName("*").length;
}"""

# The control: a change that must restyle the whole page (to the other palette and back), so
# that the measurement is seen to count what it should.
SCHEME_THERE_AND_BACK = """() => {
  const scheme = document.body.getAttribute("data-md-color-scheme");
  document.body.setAttribute("data-md-color-scheme", scheme === "slate" ? "default" : "slate");
  getComputedStyle(document.body).color;
  document.body.setAttribute("data-md-color-scheme", scheme);
  getComputedStyle(document.body).color;
}"""


def restyled_elements(tab, script: str) -> tuple[int, object]:
    """Runs `script` in the tab under Chromium's tracing: the number of elements that style
    recalculations visited meanwhile (trace events UpdateLayoutTree, argument elementCount;
    0 when nothing was restyled), and what the script returned."""
    browser = tab.page.context.browser
    browser.start_tracing(page=tab.page, categories=["devtools.timeline"])
    try:
        returned = tab.page.evaluate(script)
    finally:
        trace = json.loads(browser.stop_tracing())
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    counts = [e["args"].get("elementCount", 0) for e in events if e.get("name") == "UpdateLayoutTree" and e.get("ph") == "X"]
    return sum(counts), returned


def test_material_switching_attribute_restyles_no_more_than_a_few_elements(tab):
    tab.open(LONGEST_ARTICLE)
    control, _ = restyled_elements(tab, SCHEME_THERE_AND_BACK)
    restyled, elements = restyled_elements(tab, SWITCH_AS_ON_LOAD)
    assert elements > 3000, "the longest article is expected to be long"
    assert control >= elements, f"the control restyled {control} elements of {elements}: the trace does not count restyles"
    # With Material's rule each of the two changes restyled every element (twice the elements).
    assert restyled < elements / 20, f"{restyled} element restyles for {elements} elements"
    assert tab.problems == []


def test_material_palette_stylesheet_is_served_without_the_switching_rule(tab):
    tab.open(LONGEST_ARTICLE)
    # Every style rule's selector, inside @media and other grouping rules too.
    selectors = tab.page.evaluate("""() => {
        const walk = rules => [...rules].flatMap(rule => [rule.selectorText || "", ...(rule.cssRules ? walk(rule.cssRules) : [])]);
        return [...document.styleSheets].flatMap(sheet => walk(sheet.cssRules));
    }""")
    assert selectors, "no style rule could be read"
    assert not [s for s in selectors if "data-md-color-switching" in s]


# The colours a switch must change at once: a link's colour and a code block's background.
READ_COLOURS = """() => ({
  link: getComputedStyle(document.querySelector(".md-content a[href]")).color,
  code: getComputedStyle(document.querySelector(".md-content pre > code")).backgroundColor,
})"""

# Resolves once three more frames have been drawn.
FRAMES_LATER = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))))"


def test_a_switch_by_the_reader_changes_every_colour_at_once(open_tab):
    """Both ways, light to dark and dark to light: the page loaded in each palette, its colours
    read as loaded, then switched by its visible toggle, where the colours must at once be those
    the other page was loaded with."""
    tabs = {scheme: open_tab(color_scheme=scheme) for scheme in ("light", "dark")}
    settled = {}
    for scheme, tab in tabs.items():
        tab.open(LONGEST_ARTICLE)
        settled[scheme] = tab.page.evaluate(READ_COLOURS)
    assert settled["light"] != settled["dark"], "the two palettes are expected to differ in these colours"
    for scheme, other in (("light", "dark"), ("dark", "light")):
        tab = tabs[scheme]
        # Click the visible toggle and read the colours in the same task: the change event and
        # Material's listener run synchronously inside click(), so a transition, had it started,
        # would still show the old colour here.
        at_once = tab.page.evaluate(
            """(read) => {
              document.querySelector('[data-md-component="palette"] label:not([hidden])').click();
              return (new Function("return (" + read + ")()"))();
            }""",
            READ_COLOURS,
        )
        assert at_once == settled[other], f"{scheme} -> {other}: colours right after the switch"
        # One frame later the page transitions as before (Material's hover effects).
        tab.page.evaluate(FRAMES_LATER)
        assert not tab.page.evaluate("document.documentElement.classList.contains('palette-switching')"), f"{scheme} -> {other}"
        duration = tab.page.evaluate("getComputedStyle(document.querySelector('.md-content a[href]')).transitionDuration")
        assert duration != "0s", f"{scheme} -> {other}"
        assert tab.page.locator("body").get_attribute("data-md-color-scheme") == {"light": "slate", "dark": "default"}[scheme]
        assert tab.problems == [], f"{scheme} -> {other}"


# Counts the CSS transitions that start, from before the page's first script.
COUNT_TRANSITIONS = """
window.__transitions = [];
document.addEventListener("transitionrun", e => window.__transitions.push(
  (e.target.className && e.target.className.baseVal === undefined ? e.target.className : e.target.tagName) + " " + e.propertyName), true);
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_first_visit_shows_its_palette_without_fading_into_it(open_tab, scheme):
    """With no palette stored, a reader who prefers dark gets a page built light that Material's
    script switches to dark as it loads; no colour may fade from one to the other."""
    tab = open_tab(color_scheme=scheme)  # a fresh context: nothing stored, a first visit
    tab.page.add_init_script(COUNT_TRANSITIONS)
    tab.open(LONGEST_ARTICLE)
    # Waited for, not timed: Material has switched to the preferred palette, palette.js has
    # turned transitions back on, and frames have been drawn since, in which any transition
    # that the switch started is created and announces itself (transitionrun).
    palette = {"light": "default", "dark": "slate"}[scheme]
    tab.page.wait_for_function("palette => document.body.dataset.mdColorScheme === palette", arg=palette)
    tab.page.wait_for_function("!document.documentElement.classList.contains('palette-switching')")
    tab.page.evaluate(FRAMES_LATER)
    started = tab.page.evaluate("window.__transitions")
    assert started == [], f"{len(started)} transitions started at load, e.g. {started[:5]}"
    assert not tab.page.evaluate("document.documentElement.classList.contains('palette-switching')")
    assert tab.problems == []
