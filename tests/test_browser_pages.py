"""Every page, in both editions and both palettes, as a reader's browser shows it (Debian's
Chromium through Playwright, other hosts blocked): nothing requested from another host,
nothing failing, maths rendered, no horizontal scrolling on a 375 px wide phone; and the cold
load of every page, in both editions and palettes, stays small."""

from __future__ import annotations

import collections
import subprocess

import pytest

from support import site_pages, skip_or_fail

CHINESE_FONT_INSTALL = "apt-get install fonts-noto-cjk"  # .ci/run installs it

PHONE = {"width": 375, "height": 812}
INLINE_SHARE = 0.8  # of the column an inline formula may take (see the test)
BUDGET = 400_000  # bytes, uncompressed, on a cold load of any page (issue 22: fast for phones)


def has_chinese_font() -> bool:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return False
    return bool(listed.strip())


# What a reader must never see: TeX that was not turned into maths.
RAW_TEX = r"/\$[^$\s][^$]*\$|\\(frac|mathrm|sum|left|right|beta|operatorname)\b|\\\(|\\\[/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("address", site_pages())
def test_a_page_loads_cleanly_renders_its_maths_and_fits_a_phone(open_tab, address, scheme):
    if address.startswith("zh/") and not has_chinese_font():
        skip_or_fail(f"the Chinese pages' layout needs a Chinese font, as every reader has: {CHINESE_FONT_INSTALL}")
    tab = open_tab(color_scheme=scheme, viewport=PHONE)
    tab.open(address)
    page = tab.page
    palette = page.locator("body").get_attribute("data-md-color-scheme")
    assert palette == {"light": "default", "dark": "slate"}[scheme]
    # The reader's text, without code (where a dollar sign may be Python).
    text = page.evaluate(
        """() => { const body = document.querySelector("article").cloneNode(true);
                   body.querySelectorAll("pre, code, script").forEach(e => e.remove());
                   return body.innerText; }"""
    )
    assert not page.evaluate(f"text => {RAW_TEX}.test(text)", text), "raw TeX on the page"
    formulas = page.evaluate(
        "() => [...document.querySelectorAll('article math')].map(m => "
        "[m.getBoundingClientRect().width, m.getAttribute('display') === 'block', m.textContent])"
    )
    assert all(width > 0 for width, _, _ in formulas), "a formula that renders as nothing"
    # An inline formula cannot break across lines, and its width depends on the reader's fonts
    # (Debian's differ from a phone's by 10 to 15 %): one that nearly fills the column here
    # pushes the page sideways elsewhere. A longer one goes on a line of its own ($$), which
    # scrolls in its box.
    column = page.evaluate("document.querySelector('article').getBoundingClientRect().width")
    too_wide = [
        f"{text!r} ({width:.0f} px)" for width, block, text in formulas if not block and width > INLINE_SHARE * column
    ]
    assert not too_wide, (
        f"inline formulas wider than {INLINE_SHARE:.0%} of the {column:.0f} px column on {address}: "
        + "; ".join(too_wide) + ". Write each as a display formula ($$ on lines of their own) or split it."
    )
    # Wide code and formulas may scroll inside their own box, never the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert tab.problems == []


def cold_load(open_tab, address: str, scheme: str = "light") -> dict[str, int]:
    """Bytes transferred (uncompressed) on a first visit with an empty cache, by what requested
    them, as the browser's own Resource Timing accounts for them."""
    tab = open_tab(viewport=PHONE, color_scheme=scheme)
    tab.open(address)
    # A request the page's scripts make later, from a timer, would count too. No event says
    # that none will come, so this waits a little past network idle: on a loaded machine it can
    # only miss such a request, never fail a page that makes none.
    tab.page.wait_for_timeout(500)
    assert tab.problems == []
    entries = tab.page.evaluate(
        """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
                 .map(e => [e.initiatorType, e.name, e.decodedBodySize])"""
    )
    sizes: collections.Counter[str] = collections.Counter()
    for kind, url, size in entries:
        assert size > 0 or url.startswith("data:"), url  # every response is counted
        sizes[kind] += size
    return dict(sizes)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("address", site_pages())
def test_every_page_loads_at_most_400_kb(open_tab, record_property, address, scheme):
    if address.startswith("zh/") and not has_chinese_font():
        skip_or_fail(f"the Chinese pages' layout needs a Chinese font, as every reader has: {CHINESE_FONT_INSTALL}")
    sizes = cold_load(open_tab, address, scheme)
    record_property("bytes_by_type", sizes)
    print(f"{address} ({scheme}): {sum(sizes.values())} bytes: {sizes}")
    assert sum(sizes.values()) <= BUDGET, sizes
    # The search index is fetched when search is first opened, not with the page.
    assert "xmlhttprequest" not in sizes and "fetch" not in sizes, sizes


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
