"""The "try it" box of the home page, in both editions, in a real browser (Debian's Chromium,
through Playwright): its numbers are torch's in float64, bad input gets a message and never a
NaN or a frozen page, -inf entries (a mask) give what torch gives, it works by keyboard and screen reader, and without JavaScript the page
says so instead of showing a form that does nothing (docs/javascripts/try-it.js)."""

from __future__ import annotations

import math
import re

import pytest
import torch

from support import ROOT, new_context

SCRIPT = ROOT / "docs" / "javascripts" / "try-it.js"
STYLESHEET = ROOT / "docs" / "stylesheets" / "try-it.css"

EDITIONS = ["", "zh/"]  # the English home page and the Chinese one
FORM = "form.try-it"
ROWS = f"{FORM} tbody tr"


# --- Driving the box ------------------------------------------------------------------------------


# Resolves once the box has answered: its status line is rewritten on every run, result or error.
WATCH_STATUS = """form => {
    window.__tryItAnswered = false;
    new MutationObserver((_, observer) => { observer.disconnect(); window.__tryItAnswered = true; })
        .observe(form.querySelector("[role=status]"), {childList: true, characterData: true, subtree: true});
}"""


def run_box(tab, vector: str, beta: str = "", passes: str = "") -> None:
    """Type into the box's fields (empty: the field left blank), press its button, and wait until
    the box has answered. A page that freezes fails at the tab's hang timeout (support.HANG_MS);
    how fast it answers is measured by `make benchmark`, not here."""
    page = tab.page
    page.fill("#try-it-vector", vector)
    page.fill("#try-it-beta", beta)
    page.fill("#try-it-passes", passes)
    page.locator(FORM).evaluate(WATCH_STATUS)
    page.click(f"{FORM} button[type=submit]")
    page.wait_for_function("window.__tryItAnswered")


def shown_rows(tab) -> list[dict]:
    """Each row of the results table: its full-precision data and the text a reader sees."""
    return tab.page.locator(ROWS).evaluate_all(
        """rows => rows.map(row => ({
            values: row.dataset.values.split(" ").map(Number),
            distance: Number(row.dataset.distance),
            cells: Array.from(row.cells, cell => cell.textContent),
        }))"""
    )


def status(tab) -> str:
    return tab.page.locator(f"{FORM} [role=status]").inner_text()


def each_case(tab, edition: str, cases, check) -> None:
    """`check(name)` for each case, one after another in the one page: the box keeps nothing
    from one run to the next but its rows, which each case replaces. Each case that fails is
    named with its failure, or with what the page reported during it (a console error...), and
    the next case starts on a fresh page."""
    failures = []
    for name in cases:
        try:
            check(name)
        except AssertionError as error:
            failures.append(f"{name!r}: {error}")
            tab.problems.clear()
            tab.open(edition)
            continue
        if tab.problems:
            failures.append(f"{name!r}: {tab.problems}")
            tab.problems.clear()
    assert not failures, f"{len(failures)} of {len(cases)} cases failed:\n" + "\n".join(failures)


def torch_passes(x: list[float], beta: float, passes: int) -> list[tuple[torch.Tensor, float]]:
    """Each pass p <- softmax(beta * p) from p = x, in float64, and its distance to uniform (the
    site's `gap`: max |p_i - 1/n|)."""
    p = torch.tensor(x, dtype=torch.float64)
    out = []
    for _ in range(passes):
        p = torch.softmax(beta * p, dim=-1)
        out.append((p, (p - 1 / p.shape[-1]).abs().max().item()))
    return out


# --- Its numbers are torch's -------------------------------------------------------------------------

THOUSAND = [10 * math.sin(i) for i in range(1000)]  # n = 1000, spread over [-10, 10]

# (vector typed, beta typed, passes typed) -> (x, beta, passes) as torch gets them
INPUTS = {
    "article input, defaults": ("1, 2, 3", "", "", [1.0, 2.0, 3.0], 1.0, 10),
    "large spread": ("100, 0, -100", "1", "20", [100.0, 0.0, -100.0], 1.0, 20),
    "beta 5 > n sharpens": ("1 2 3", "5", "30", [1.0, 2.0, 3.0], 5.0, 30),
    "n = 1000": (", ".join(map(repr, THOUSAND)), "0.5", "8", THOUSAND, 0.5, 8),
    "negative beta, brackets, most passes": ("[0.5, -2, 7.25, 3e-2]", "-1.5", "200", [0.5, -2.0, 7.25, 0.03], -1.5, 200),
    # Masks: -inf entries are exactly 0 after pass 1 and come back after pass 2.
    "masked entry": ("0, 1, -inf", "", "3", [0.0, 1.0, -math.inf], 1.0, 3),
    "two masked, -Infinity, beta 5": ("-Infinity, 0.5, 2, -inf", "5", "20", [-math.inf, 0.5, 2.0, -math.inf], 5.0, 20),
    "all masked": ("-inf, -inf, -inf", "", "", [-math.inf] * 3, 1.0, 10),
    "all masked but one": ("-inf, 7, -inf", "0.5", "4", [-math.inf, 7.0, -math.inf], 0.5, 4),
}

# Entries are compared relatively only: each is a quotient of exponentials, correct to a few
# ulps in both. The distance max|p_i - 1/n| subtracts two numbers near 1/n, so near uniform it
# is a few ulps of 1/n (about 1e-16) of rounding noise, with no relative precision: hence an
# absolute tolerance of 1e-15 for it, far below every distance that the box shows as non-zero.
DISTANCE_ABS_TOL = 1e-15


def formatted_entry(v: float) -> str:
    return f"{v:.10f}" if v == 0 or v >= 1e-4 else f"{v:.4e}"  # nan: "nan", as torch prints it


def same_distance(shown: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(shown)
    return math.isclose(shown, expected, rel_tol=1e-12, abs_tol=DISTANCE_ABS_TOL)


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_each_pass_is_what_torch_computes_in_float64(tab, edition):
    """Each input of INPUTS, typed into the box one after another (each_case)."""

    def check(name: str) -> None:
        vector, beta_typed, passes_typed, x, beta, passes = INPUTS[name]
        run_box(tab, vector, beta_typed, passes_typed)
        rows = shown_rows(tab)
        expected = torch_passes(x, beta, passes)
        assert len(rows) == passes
        for number, (row, (p, distance)) in enumerate(zip(rows, expected), start=1):
            torch.testing.assert_close(torch.tensor(row["values"], dtype=torch.float64), p, rtol=1e-12, atol=0, equal_nan=True, msg=f"pass {number}")
            assert same_distance(row["distance"], distance), (number, row["distance"], distance)
            # What the reader sees is those numbers, rounded: 10 decimals, at most 10 entries.
            shown = [formatted_entry(v) for v in row["values"][:10]]
            assert row["cells"] == [str(number), " ".join(shown) + (" …" if len(x) > 10 else ""), f"{row['distance']:.1e}"]
        if all(v == -math.inf for v in x):
            assert ("torch returns nan for every entry" if edition == "" else "torch 对每个元素、每一轮都返回 nan") in status(tab)
        else:
            assert f"{rows[-1]['distance']:.1e}" in status(tab)

    tab.open(edition)
    each_case(tab, edition, list(INPUTS), check)


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_masked_entries_are_exactly_zero_after_one_pass_and_come_back_after_two(tab, edition):
    tab.open(edition)
    run_box(tab, "0, 1, -inf, 2, -inf", "", "2")
    first, second = (row["values"] for row in shown_rows(tab))
    assert first[2] == 0 and first[4] == 0  # exactly, as torch: exp(-inf) is 0
    assert shown_rows(tab)[0]["cells"][1].split()[2] == "0.0000000000"
    back = 1 / sum(math.exp(v) for v in first)  # each masked entry's weight in pass 2
    assert second[2] == second[4] and math.isclose(second[2], back, rel_tol=1e-12)
    assert second[2] >= 1 / (math.e + 5 - 1)
    assert tab.problems == []


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_the_page_opens_on_the_articles_input_as_the_convergence_page_shows_it(tab, edition):
    tab.open(edition)
    rows = shown_rows(tab)
    assert len(rows) == 10
    # snippets/convergence-article-input.md, passes 1 and 10
    assert rows[0]["cells"] == ["1", "0.0900305732 0.2447284711 0.6652409558", "3.3e-01"]
    assert rows[9]["cells"] == ["10", "0.3333210865 0.3333269776 0.3333519359", "1.9e-05"]
    assert tab.problems == []


# --- Bad input gets a message, never a NaN or a frozen page --------------------------------------------

# name: (vector, beta, passes, the field at fault, the message in English, in Chinese)
BAD_INPUTS = {
    "empty": ("", "", "", "vector", "Type at least two numbers", "请输入至少两个数"),
    "words": ("a, b", "", "", "vector", "Entry 1 is not a number", "第 1 个元素不是数"),
    "a single value": ("5", "", "", "vector", "One number is not enough", "一个数不够"),
    "beta times x overflows": ("1e308, 1", "2", "", "beta", "β × entry 1 is too large for double precision", "β × 第 1 个元素超出了双精度的范围"),
    "inf": ("inf, 1", "", "", "vector", "Entry 1 is +inf", "第 1 个元素是 +inf"),
    "+Infinity": ("1, +Infinity", "", "", "vector", "Entry 2 is +inf", "第 2 个元素是 +inf"),
    "a mask with beta 0": ("-inf, 1", "0", "", "beta", "With a -inf entry β must be positive", "有元素为 -inf 时 β 必须为正"),
    "a mask with negative beta": ("1, -inf", "-1", "", "beta", "With a -inf entry β must be positive", "有元素为 -inf 时 β 必须为正"),
    "beta -inf": ("1, 2", "-inf", "", "beta", "β must be a finite number", "β 必须是有限的数"),
    "1e309": ("1, 1e309", "", "", "vector", "Entry 2 is too large for double precision", "第 2 个元素超出了双精度的范围"),
    "NaN": ("NaN, 1", "", "", "vector", "Entry 1 is not a number", "第 1 个元素不是数"),
    "ten thousand entries": (", ".join(map(str, range(10_000))), "", "", "vector", "At most 1000 entries; this vector has 10000", "最多 1000 个元素；这个向量有 10000 个"),
    "a billion passes": ("1, 2, 3", "", "1000000000", "passes", "a whole number from 1 to 200", "1 到 200 之间的整数"),
    "fractional passes": ("1, 2, 3", "", "2.5", "passes", "a whole number from 1 to 200", "1 到 200 之间的整数"),
    "beta an expression": ("1, 2", "1/2", "", "beta", "β must be a finite number", "β 必须是有限的数"),
    "an expression": ("1, 2+1", "", "", "vector", "Entry 2 is not a number", "第 2 个元素不是数"),
    "code": ("window.tryItEvaluated = 1, 2", "", "", "vector", "Entry 1 is not a number", "第 1 个元素不是数"),
}


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_bad_input_gets_a_clear_message_and_no_result(tab, edition):
    """Each input of BAD_INPUTS, typed into the box one after another (each_case): each starts
    from the results of a good input, which the error must clear, and ends with one."""

    def check(name: str) -> None:
        vector, beta, passes, field, english, chinese = BAD_INPUTS[name]
        assert len(shown_rows(tab)) == 10  # a good input's results (the page's default one first), which must go
        run_box(tab, vector, beta, passes)  # answered: a frozen page fails here
        message = status(tab)
        assert message.startswith("Error: " if edition == "" else "错误："), message  # said in words, not colour only
        assert (english if edition == "" else chinese) in message
        assert shown_rows(tab) == []
        assert tab.page.locator(f"{FORM} .try-it__scroll").is_hidden()
        box = tab.page.locator(FORM).inner_text()
        assert not re.search(r"NaN|Infinity|undefined|null", box), box
        at_fault = tab.page.locator(f"#try-it-{field}")
        assert at_fault.get_attribute("aria-invalid") == "true"
        assert at_fault.evaluate("field => field === document.activeElement")  # focus goes where the fix is
        assert tab.page.evaluate("typeof window.tryItEvaluated") == "undefined"  # parsed, never run
        # The next good input is answered, and the mark of the error goes.
        run_box(tab, "1, 2, 3")
        assert len(shown_rows(tab)) == 10
        assert at_fault.get_attribute("aria-invalid") is None

    tab.open(edition)
    each_case(tab, edition, list(BAD_INPUTS), check)


def test_the_script_never_evaluates_or_injects_markup():
    script = SCRIPT.read_text("utf-8")
    assert not re.search(r"\beval\b|\bFunction\s*\(|innerHTML|outerHTML|insertAdjacentHTML|document\.write|setTimeout\(\s*['\"`]", script)


# --- Keyboard and screen reader ---------------------------------------------------------------------


def focused(tab) -> str:
    return tab.page.evaluate("document.activeElement.id || document.activeElement.tagName")


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_tab_reaches_each_field_and_the_button_and_enter_runs_the_passes(tab, edition):
    tab.open(edition)
    keyboard = tab.page.keyboard
    tab.page.focus("h2#try-it a.headerlink")  # the section's own link, just above the box
    for _ in range(10):  # past the links of the paragraph between them
        keyboard.press("Tab")
        if focused(tab) == "try-it-vector":
            break
    order = [focused(tab)]
    for _ in range(3):
        keyboard.press("Tab")
        order.append(focused(tab))
    assert order == ["try-it-vector", "try-it-beta", "try-it-passes", "BUTTON"]
    # Enter in a field submits the form...
    keyboard.press("Shift+Tab")
    keyboard.press("Control+A")
    keyboard.type("3")
    keyboard.press("Enter")
    assert len(shown_rows(tab)) == 3
    # ...and so does Enter on the button.
    tab.page.focus("#try-it-vector")
    keyboard.press("Control+A")
    keyboard.type("4, 5")
    for _ in range(3):
        keyboard.press("Tab")
    keyboard.press("Enter")
    assert [len(row["values"]) for row in shown_rows(tab)] == [2, 2, 2]
    assert tab.problems == []


LABELS = {
    "": ("Vector x", "β (1 is plain softmax)", "Passes (1 to 200)", "Run the passes"),
    "zh/": ("向量 x", "β（1 即普通 softmax）", "轮数（1 到 200）", "运行"),
}


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_a_screen_reader_hears_labelled_fields_a_status_and_a_captioned_table(tab, edition):
    vector, beta, passes, button = LABELS[edition]
    tab.open(edition)
    page = tab.page
    assert page.get_by_label(vector).get_attribute("id") == "try-it-vector"
    assert page.get_by_label(beta, exact=True).get_attribute("id") == "try-it-beta"
    assert page.get_by_label(passes, exact=True).get_attribute("id") == "try-it-passes"
    page.get_by_role("button", name=button, exact=True).click()
    live = page.locator(f"{FORM} [aria-live=polite]")
    assert live.inner_text() == status(tab) != ""
    caption = page.locator(f"{FORM} caption").inner_text()
    assert "β = 1" in caption and "3" in caption  # the article's 3 entries
    table = page.get_by_role("table", name=caption)
    assert table.locator("tbody th[scope=row]").count() == 10
    assert tab.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_axe_finds_nothing_in_the_box_with_results_or_an_error(tab, axe_source, edition, scheme):
    tab.page.emulate_media(color_scheme=scheme)
    tab.open(edition)
    tab.page.add_script_tag(content=axe_source)
    for vector in (", ".join(map(str, range(30))), "a, b"):  # a wide table, then an error
        run_box(tab, vector)
        results = tab.page.evaluate("async form => (await axe.run(document.querySelector(form))).violations", FORM)
        assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results] == []
    assert tab.problems == []


# --- Without JavaScript --------------------------------------------------------------------------------


@pytest.fixture
def tab_without_javascript(browser, served_site):
    context = new_context(browser, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_without_javascript_the_page_points_to_the_notebook_and_shows_no_dead_form(tab_without_javascript, served_site, edition):
    page = tab_without_javascript
    page.goto(served_site + edition)
    assert page.locator("h2#try-it").is_visible()
    assert page.locator(FORM).is_hidden()
    fallback = page.locator(".try-it-fallback")
    assert fallback.is_visible() and "JavaScript" in fallback.inner_text()
    assert fallback.locator("a").get_attribute("href") == "explore/"  # the notebook page of this edition


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "zh"])
def test_with_javascript_the_box_replaces_the_fallback_sentence(tab, edition):
    tab.open(edition)
    assert tab.page.locator(FORM).is_visible()
    assert tab.page.locator(".try-it-fallback").is_hidden()
    assert tab.problems == []


def test_the_box_adds_little_to_the_page():
    """JavaScript and CSS, uncompressed, on every page of the site."""
    assert SCRIPT.stat().st_size + STYLESHEET.stat().st_size < 12_000
