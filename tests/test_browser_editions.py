"""The two editions in a real browser (Debian's Chromium, through Playwright): Chinese search
finds Chinese sections, each edition's search lists that edition's pages only, and the language
selector keeps the reader on the same page."""

from __future__ import annotations

import pytest

from documents.editions import original_of
from support import page_address
from test_editions import CONFIG, translations


def search(tab, edition: str, query: str) -> list[str]:
    """The addresses of the search results for `query`, typed on `edition`'s home page, in order."""
    tab.open(edition)
    box = tab.page.locator("input.md-search__input")
    box.click()  # the header's search box (a desktop-wide window)
    box.fill(query)  # as an input method commits a word...
    box.press("End")  # ...and a key released after it, on which Material's search runs
    tab.page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0")  # the tab's hang timeout
    hrefs = tab.page.locator(".md-search-result__item > a, .md-search-result__item a.md-search-result__link")
    # Without the query string search.highlight adds (?h=...): the address of the result.
    urls = hrefs.evaluate_all("links => links.map(link => { const u = new URL(link.href); u.search = ''; return `${u}`; })")
    return [url.removeprefix(tab.base) for url in dict.fromkeys(urls)]


@pytest.mark.parametrize(
    "edition, query, page, section",
    [
        # Material lists the best page first, then its matching sections.
        ("zh/", "收敛", "zh/convergence/", None),  # the page titled 反复 softmax 收敛到均匀分布
        ("zh/", "均匀分布", "zh/convergence/", None),
        ("zh/", "交叉熵", "zh/caveats/", "zh/caveats/#cross-entropy"),
        ("", "cross-entropy", "caveats/", "caveats/#cross-entropy"),  # English queries keep working
        ("", "converges", "convergence/", None),
    ],
)
def test_search_lists_the_relevant_section_first(tab, edition, query, page, section):
    results = search(tab, edition, query)
    assert results[0] == page, results[:5]
    if section:
        assert next(url for url in results if "#" in url) == section, results[:5]
    if edition == "zh/":
        assert all(url.startswith("zh/") for url in results[:5]), results[:5]
    assert tab.problems == []


# Queries a reader types in either edition: code names, which both editions' pages contain.
# (`-inf` is not one of them: it once "passed" here because lunr read it as "must not contain
# inf" and listed every other section; test_minus_inf_finds_the_masking_sections checks it.)
SHARED_QUERIES = ["CrossEntropyLoss", "dim", "softmax"]


@pytest.mark.parametrize("query", SHARED_QUERIES)
@pytest.mark.parametrize("edition", ["", "zh/"], ids=["en", "zh"])
def test_search_lists_the_pages_of_the_readers_edition_only(tab, edition, query):
    results = search(tab, edition, query)
    assert len(results) >= 2, results  # the query finds something, so the check below has teeth
    in_other_edition = [url for url in results if url.startswith("zh/") != (edition == "zh/")]
    assert in_other_edition == [], results[:10]
    assert tab.problems == []


@pytest.mark.parametrize("edition", ["", "zh/"], ids=["en", "zh"])
def test_minus_inf_finds_the_masking_sections(tab, edition):
    """A query for -inf is the text -inf, not lunr's "must not contain inf": the sections on
    masking with -inf come first."""
    results = search(tab, edition, "-inf")
    sections = [url for url in results if "#" in url]
    assert sections[0] == f"{edition}questions/#masking", results[:8]
    assert f"{edition}questions/#fully-masked" in sections, results
    assert all(url.startswith("zh/") == (edition == "zh/") for url in results), results[:10]
    assert tab.problems == []


@pytest.mark.parametrize("translation", translations(), ids=lambda p: p.stem)
def test_the_language_selector_keeps_the_reader_on_the_page(tab, translation):
    """From the English page to the Chinese one, and from there back (the selector's links are
    the page's own: the Chinese page reached by it is the Chinese page)."""
    english = page_address(original_of(translation, CONFIG))
    tab.open(english)
    for lang, there in (("zh", f"zh/{english}"), ("en", english)):
        with tab.page.expect_navigation():
            # The selector opens on hover; a click on its (hidden) link is what a reader's is.
            tab.page.locator(f"a.md-select__link[hreflang={lang}]").dispatch_event("click")
        assert tab.page.url == tab.base + there
        assert tab.page.locator("html").get_attribute("lang") == lang
    assert tab.problems == []
