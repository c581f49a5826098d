"""Formulas in Chromium, whatever the network does. Chromium infers an operator's form (prefix,
infix or postfix: the space around it) from the siblings it has when the formula is first laid
out, and does not infer it again when the HTML parser adds the rest, so a page whose bytes
paused just after "−" in "−x" showed "− x" (a one-in-five failure of
test_browser_css_trim.py's pictures, on caveats/). overrides/hooks/mathml.py therefore writes
the prefix form on each operator that opens a row. Here a formula of the site, sent in two
parts with a laid-out frame between them, is laid out as when it is sent whole; and the
every-page sweep (test_browser_pages.py, SAME_AS_INFERRED) checks that on every page each
formula is laid out as the browser would lay it out from the whole formula."""

from __future__ import annotations

import http.server
import threading

import pytest

from support import load_hook, new_context

# Each element of the page's formula, where it is laid out (in 1/64 px, Chromium's unit).
BOXES = """() => [...document.querySelectorAll("math, math *")].map(e => {
    const r = e.getBoundingClientRect();
    return [e.tagName, ...[r.left, r.top, r.width, r.height].map(v => Math.round(v * 64))];
})"""

# The first part asks for the rest once a frame has been laid out with it (two animation frames:
# the first may come before the parser has read the whole part), so that the browser lays out
# the half formula for certain, never by chance of timing.
ASK_FOR_THE_REST = "<script>requestAnimationFrame(() => requestAnimationFrame(() => fetch('rest')))</script>"


class _TwoParts(http.server.BaseHTTPRequestHandler):
    """Serves `page` in the two parts `server.parts`, the second only once the browser has asked
    for it (`rest`): the page's bytes pause there as on a slow network."""

    def do_GET(self):
        first, second = self.server.parts
        if self.path.endswith("/rest"):
            self.server.rest.set()
            self.send_response(204)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(first.encode())
        self.wfile.flush()
        if self.path.endswith("/split"):
            self.server.rest.wait(timeout=30)  # the tab's hang timeout ends the test sooner
        self.wfile.write(second.encode())

    def log_message(self, format, *args):
        pass


def _served(parts: tuple[str, str]):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TwoParts)
    server.parts, server.rest = parts, threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def layouts(browser, formula: str) -> dict[str, list]:
    """The formula laid out when its page is sent whole, and when sent in two parts cut just
    after its first operator."""
    cut = formula.index("</mo>") + len("</mo>")
    parts = (f"<!doctype html><html lang=en><body>{ASK_FOR_THE_REST}<p>Its value is {formula[:cut]}", f"{formula[cut:]}, averaged.</p></body></html>")
    found = {}
    for how in ("whole", "split"):
        server = _served(parts)
        context = new_context(browser)
        try:
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/{how}")
            page.wait_for_load_state("load")
            if how == "split":
                assert server.rest.is_set(), "the page was not sent in two parts"
            found[how] = page.evaluate(BOXES)
        finally:
            context.close()
            server.shutdown()
    return found


# Formulas of the site that open with an operator Chromium spaces otherwise when it infers the
# form from the operator alone: "−x_y" (caveats.md), "|x_i − x_j|" and "+1".
FORMULAS = ["-x_y", r"|x_i - x_j|", "+1"]


@pytest.mark.parametrize("tex", FORMULAS)
def test_a_formula_split_by_the_network_after_its_first_operator_is_laid_out_as_a_whole_one(browser, tex):
    formula = load_hook("mathml")._mathml("span", tex)
    assert 'form="prefix"' in formula.split("</mo>")[0], formula
    found = layouts(browser, formula)
    assert found["split"] == found["whole"]


def test_without_the_written_form_chromium_spaces_the_split_formula_otherwise(browser):
    """The control: the same formula as latex2mathml writes it, without the form, is laid out
    otherwise when split, so the test above can see the fault. Should a Chromium infer the form
    again (then this fails), the written forms are no longer needed for it."""
    formula = load_hook("mathml")._mathml("span", "-x_y").replace(' form="prefix"', "")
    found = layouts(browser, formula)
    assert found["split"] != found["whole"]
