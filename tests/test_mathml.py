"""overrides/hooks/mathml.py writes the prefix form on each operator that opens a row, as MathML
Core infers it from the whole formula, so that the browser never infers it from half a formula
(tests/test_browser_math.py shows why)."""

from __future__ import annotations

import re

import pytest

from support import load_hook

mathml = load_hook("mathml")


def forms(tex: str) -> list[tuple[str, str | None]]:
    """Each operator of the rendered formula, with the form written on it."""
    rendered = mathml._mathml("span", tex)
    return [(text, form or None) for form, text in re.findall(r'<mo(?:[^>]*?form="(\w+)")?[^>]*>([^<]*)</mo>', rendered)]


@pytest.mark.parametrize(
    "tex, expected",
    [
        ("-x_y", [("&#x02212;", "prefix")]),  # the minus of caveats.md, "−x_y"
        ("a - b", [("&#x02212;", None)]),  # between two terms: infix, left to the browser
        ("-", [("&#x02212;", None)]),  # a row of one: infix
        ("x!", [("&#x00021;", None)]),  # postfix, as the browser also infers from a half formula
        # The sum is the core of an embellished operator (a msubsup's first child) opening the row.
        (r"\sum_{i=1}^n x_i", [("&#x02211;", "prefix"), ("&#x0003D;", None)]),
        # latex2mathml's own forms on \left and \right are kept as they are.
        (r"\left(x\right)", [("&#x00028;", "prefix"), ("&#x00029;", "postfix")]),
        (r"|x| + 1", [("&#x0007C;", "prefix"), ("&#x0007C;", None), ("&#x0002B;", None)]),
    ],
)
def test_the_operator_that_opens_a_row_has_its_prefix_form_written(tex, expected):
    assert forms(tex) == expected


def test_a_form_already_written_is_not_written_again():
    rendered = mathml._mathml("span", r"\left(x\right)")
    assert all(tag.count("form=") == 1 for tag in re.findall(r"<mo[^>]*>", rendered)), rendered
