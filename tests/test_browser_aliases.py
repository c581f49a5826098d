"""A renamed section's old id, kept as an alias inside its heading (tests/heading_ids.py), lands
the reader on the section in Chromium: the heading in view, below Material's sticky header, where
the heading's own id lands it. Each alias of tests/heading-ids.txt is followed; so is one written
into a page here, so that the way an alias is written is checked while the list has none."""

from __future__ import annotations

import pytest

from heading_ids import LIST, Listed, read_list

# Written into the home page's `answer` heading by the test, as the Markdown writes an alias.
WRITTEN_HERE = Listed("/", "alias-written-here", "answer")
ALIASES = [entry for entry in read_list(LIST.read_text("utf-8")) if entry.target] + [WRITTEN_HERE]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}

# Where a heading is, against the viewport and the sticky header.
PLACE = """id => {
    const heading = document.getElementById(id).getBoundingClientRect();
    return {top: heading.top, bottom: heading.bottom, header: document.querySelector(".md-header").getBoundingClientRect().bottom,
            height: innerHeight, target: document.querySelector(":target")?.id};
}"""

# An alias as `## <span id="old"></span>Title {#new}` renders (tests/test_heading_ids.py
# checks that rendering); then the address changes to it, as a click on a link to it would.
WRITE_AND_FOLLOW = """([alias, heading]) => new Promise(landed => {
    const span = document.createElement("span");
    span.id = alias;
    document.getElementById(heading).prepend(span);
    addEventListener("hashchange", () => requestAnimationFrame(() => landed()), {once: true});
    location.hash = alias;
})"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("alias", ALIASES, ids=Listed.text)
def test_an_alias_lands_on_its_section(open_tab, alias, viewport):
    tab = open_tab(viewport=VIEWPORTS[viewport])
    page = alias.page.removeprefix("/")
    tab.open(f"{page}#{alias.target}")  # the heading's own id: where a reader should land
    own = tab.page.evaluate(PLACE, alias.target)
    if alias is WRITTEN_HERE:
        tab.page.evaluate(WRITE_AND_FOLLOW, [alias.id, alias.target])
    else:
        tab.page.goto("about:blank")  # then a fresh visit to the old address
        tab.open(f"{page}#{alias.id}")
    landed = tab.page.evaluate(PLACE, alias.target)
    assert landed["target"] == alias.id, "the address did not lead to the alias"
    assert landed["header"] <= landed["top"] and landed["bottom"] <= landed["height"], f"#{alias.id}: the heading is not in view below the header: {landed}"
    # Within half the heading's height of where its own id lands (the alias is an empty inline
    # box on the heading's first line, whose top differs by a few pixels with the font).
    tolerance = (own["bottom"] - own["top"]) / 2
    assert abs(landed["top"] - own["top"]) <= tolerance, f"#{alias.id} lands at {landed['top']:.0f} px, #{alias.target} at {own['top']:.0f} px"
    assert tab.problems == []
