"""The notebook page in Chromium, in both editions and palettes: it reads like an article on a
phone and on a desktop (code and outputs keep their lines whole and scroll inside their block;
the `In [n]:` prompts leave a phone's width to the code), and it looks exactly as it did with
the renderer's whole stylesheet, which overrides/hooks/notebook_trim.py cuts to what it uses.
Each edition, palette and width is one load of the page, on which every check runs."""

from __future__ import annotations

import functools
import json
import threading

import pytest

from support import CHINESE_FONT_INSTALL, ROOT, _QuietServer, _UnderPath, has_chinese_font, new_context, site_url_path, skip_or_fail

NOTEBOOK_PAGES = ["explore/", "zh/explore/"]
WIDTHS = [375, 1280]


def _blocks_in(address: str) -> int:
    """The code cells and text outputs of the notebook shown at `address`: a block each."""
    notebook = json.loads((ROOT / "docs" / ("explore.zh.ipynb" if address.startswith("zh/") else "explore.ipynb")).read_text("utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return len(code) + sum(1 for cell in code for output in cell["outputs"] if "text" in output or "text/plain" in output.get("data", {}) and "image/png" not in output["data"])


def _skip_without_font(address: str) -> None:
    if address.startswith("zh/") and not has_chinese_font():
        skip_or_fail(f"the Chinese pages' layout needs a Chinese font, as every reader has: {CHINESE_FONT_INSTALL}")


# Each block of code or output on the page: its lines, and the lines it is drawn on (the distinct
# tops of its text's boxes); more of these than of those is a line broken by wrapping.
LINES = """() => [...document.querySelectorAll(".jupyter-wrapper pre")].map(pre => {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const drawn = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    const lines = pre.textContent.replace(/\\n$/, "").split("\\n").filter(line => line.trim()).length;
    return {text: pre.textContent.slice(0, 60), lines, drawn: drawn.size};
})"""

# Each code cell's source and each output, with the width of the cell it is in.
WIDTHS_JS = """() => [...document.querySelectorAll(".jp-CodeCell .highlight-ipynb, .jp-OutputArea-output")].map(block => ({
    kind: block.className, width: block.getBoundingClientRect().width,
    cell: block.closest(".jp-Cell").getBoundingClientRect().width,
}))"""


PHONE = 375


def reading_problems(page, address: str, width: int) -> list[str]:
    """What a reader at `width` would find wrong with the loaded notebook page: a line of code or
    output broken by wrapping, the page scrolling sideways, and on a phone (PHONE) a prompt
    column beside the code, or no prompt above it."""
    found = []
    blocks = page.evaluate(LINES)
    if len(blocks) != _blocks_in(address):
        found.append(f"{len(blocks)} blocks of code and output shown, the notebook has {_blocks_in(address)}")
    if wrapped := [block for block in blocks if block["drawn"] > block["lines"]]:
        found.append(f"lines wrapped at {width} px: {wrapped}")
    # The page itself never scrolls sideways: a long line scrolls inside its block.
    if (scrolled := page.evaluate("document.documentElement.scrollWidth")) > width:
        found.append(f"the page scrolls sideways: {scrolled} px wide at {width} px")
    if width == PHONE:
        widths = page.evaluate(WIDTHS_JS)
        if not widths:
            found.append("no code cell or output found")
        if narrow := [block for block in widths if block["width"] < 0.9 * block["cell"]]:
            found.append(f"a prompt column beside the code or output: {narrow}")
        prompts = page.evaluate("""() => [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")]
            .map(p => p.textContent.trim()).filter(Boolean)""")
        if not (prompts and all(p.replace("\xa0", " ").startswith("In [") for p in prompts)):  # still shown, above the code
            found.append(f"the prompts are not shown above the code: {prompts}")
    return found


# --- The same look with the renderer's CSS cut to what the page uses ------------------------------


@pytest.fixture(scope="module")
def untrimmed_site(untrimmed_notebook_site):
    """The notebook page built without overrides/hooks/notebook_trim.py (conftest's
    `untrimmed_notebook_site`), served as the real site is."""
    handler = functools.partial(_UnderPath, directory=str(untrimmed_notebook_site), prefix=site_url_path())
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield untrimmed_notebook_site, f"http://127.0.0.1:{server.server_port}{site_url_path()}"
    server.shutdown()


# The site's fixed header is not part of any cell, but it lies over the top of a cell taller than
# the window once Playwright scrolls to it, and Material's script sets its scrolled look (a
# shadow) on a later frame: a cell was seen to differ by that strip alone (CI, zh dark 1280,
# cell 9). The header is hidden while a cell is taken, on both sites alike.
WITHOUT_HEADER = ".md-header { visibility: hidden !important; }"


def _cell_images(page) -> tuple[list[bytes], int]:
    """A screenshot of each cell of the loaded page (outputs and figures included), and its figures."""
    cells = [cell.screenshot(animations="disabled", style=WITHOUT_HEADER) for cell in page.locator(".jp-Notebook > .jp-Cell").all()]
    return cells, page.locator(".jp-Notebook img").count()


# No timeout of its own: the first of these may wait for the site's build and builds the notebook
# page without the hook, minutes on a loaded 2-core machine; pytest.ini's hang timeout is for that.
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("address", NOTEBOOK_PAGES)
def test_the_notebook_reads_like_an_article_and_looks_as_with_the_whole_stylesheet(browser, open_tab, built_site, untrimmed_site, address, scheme, width, tmp_path):
    """The notebook page, loaded once per edition, palette and width for every check of it: it
    reads like an article (reading_problems), and each cell and figure looks pixel for pixel as
    on the page built with the renderer's whole stylesheet. Each check that fails is listed."""
    _skip_without_font(address)
    untrimmed, untrimmed_base = untrimmed_site
    page = lambda site: (site / address / "index.html").read_text("utf-8")  # noqa: E731
    assert len(page(built_site)) < len(page(untrimmed)) / 3  # the hook did cut the page
    options = {"color_scheme": scheme, "viewport": {"width": width, "height": 900}}
    tab = open_tab(**options)
    tab.open(address)
    failures = reading_problems(tab.page, address, width)
    trimmed, figures = _cell_images(tab.page)
    failures += [f"load: {problem}" for problem in tab.problems]
    context = new_context(browser, **options)  # not a watched tab: its site is another host
    try:
        whole_page = context.new_page()
        whole_page.goto(untrimmed_base + address)  # loaded as the tab loads its page
        whole, _ = _cell_images(whole_page)
    finally:
        context.close()
    if not len(trimmed) == len(whole) >= 10:
        failures.append(f"{len(trimmed)} cells on the page, {len(whole)} with the whole stylesheet (at least 10)")
    if figures != 2:  # the figures are in the cells compared
        failures.append(f"{figures} figures on the page, not 2")
    differ = [index for index, (a, b) in enumerate(zip(trimmed, whole)) if a != b]
    for index in differ:  # both pictures of each differing cell, for the one who reads the failure
        (tmp_path / f"cell{index}-trimmed.png").write_bytes(trimmed[index])
        (tmp_path / f"cell{index}-whole.png").write_bytes(whole[index])
    if differ:
        failures.append(f"cells {differ} look different with the whole stylesheet; both pictures of each are in {tmp_path}")
    assert not failures, f"{address} at {width} px ({scheme}):\n" + "\n".join(failures)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_token_spans_code_spans_drops_look_like_the_cell_around_them(browser, untrimmed_site, scheme):
    """overrides/hooks/code_spans.py drops the notebook cells' spans of these classes; with the
    renderer's whole stylesheet they must look like the cell around them (a number must not)."""
    from support import load_hook
    from test_browser_code_blocks import span_looks

    _, base = untrimmed_site
    context = new_context(browser, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(base + "explore/")
        looks = span_looks(page, ".highlight-ipynb pre", [*load_hook("code_spans").NOTEBOOK_PLAIN_CLASSES, "mi", "w"])
    finally:
        context.close()
    for control in ("mi", "w"):  # styled by the renderer, so kept: seen to differ
        styled, plain = looks.pop(control)
        assert styled != plain, f"span.{control} in a notebook cell ({scheme}) is expected to look different"
    for cls, (styled, plain) in looks.items():
        assert styled == plain, f"span.{cls} in a notebook cell ({scheme}) differs from the cell around it: {styled} vs {plain}"
