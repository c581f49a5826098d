"""Accessibility in a real browser: axe-core, injected into each page of the built site, finds
no violation of any impact, on every page of both editions, in both palettes. It runs in the
every-page sweep of tests/test_browser_pages.py, which loads each page once per width for all
of its checks; this module holds what axe needs, and the checks of its own.

Where the markup of Material (or mkdocs-jupyter) falls short, the site overrides it: colours
and link underlines in docs/stylesheets/extra.css, the search dialog's name in
overrides/partials/search.html, the code blocks' nav names in docs/javascripts/a11y.js, and
the notebook's scrollable code cells in overrides/hooks/notebook_a11y.py."""

from __future__ import annotations

import pytest

from support import site_pages

# The reader's preferred colour scheme, and the palette Material must pick for it (mkdocs.yml).
PALETTES = {"light": "default", "dark": "slate"}
PAGES = site_pages()


def test_the_pages_checked_are_every_page_built(built_site):
    built = {
        page.relative_to(built_site).as_posix().removesuffix("index.html")
        for page in built_site.rglob("*.html")
        if "assets" not in page.relative_to(built_site).parts
    }
    checked = set(PAGES)
    assert built == checked, f"built, not checked: {sorted(built - checked)}; checked, not built: {sorted(checked - built)}"


# Violations only: axe still runs every rule, but skips describing the nodes that pass.
RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map(node => node.target.join(" ")),
        summary: v.nodes[0].failureSummary,
    }));
}"""


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        shown = ", ".join(v["targets"][:3]) + (f" (and {len(v['targets']) - 3} more)" if len(v["targets"]) > 3 else "")
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}: {shown}")
        lines.append("    " + v["summary"].replace("\n", "\n    "))
    return "\n".join(lines)


# Each displayed formula that scrolls at the current width has a tab stop, and only those
# (docs/javascripts/a11y.js): axe-core checks one width, a phone makes other formulas scroll.
FORMULAS = """() => [...document.querySelectorAll(".math-block")].map(block => ({
    scrolls: block.scrollWidth > block.clientWidth,
    stop: block.getAttribute("tabindex") === "0",
}))"""


@pytest.mark.parametrize("page", ["sharpening/", "zh/convergence/"])
def test_a_formula_that_scrolls_is_reachable_by_keyboard_at_every_width(tab, page):
    tab.page.set_viewport_size({"width": 1280, "height": 900})
    tab.open(page)
    for width in (1280, 375, 1280):
        tab.page.set_viewport_size({"width": width, "height": 900})
        # The script rechecks on resize, in the next frame: wait for it, not for a time.
        tab.page.wait_for_function(f"({FORMULAS})().every(f => f.scrolls === f.stop)")  # the tab's hang timeout
        formulas = tab.page.evaluate(FORMULAS)
        assert formulas and all(f["scrolls"] == f["stop"] for f in formulas), (width, formulas)
        if width == 375:
            assert any(f["stop"] for f in formulas), "no formula scrolls on a phone: the test checks nothing"
    assert tab.problems == []
