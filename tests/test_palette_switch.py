"""overrides/hooks/palette_switch.py on stylesheets: it takes out the selectors that name
`[data-md-color-switching]`, inside @media too, and writes everything else back as it was
(tests/test_browser_palette.py checks the effect in Chromium)."""

from __future__ import annotations

from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError

from support import load_hook

hook = load_hook("palette_switch")
MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def test_material_palette_loses_exactly_its_switching_rule():
    (path,) = MATERIAL_CSS.glob("palette.*.min.css")
    css = path.read_text("utf-8")
    rule = "[data-md-color-switching] *,[data-md-color-switching] :after,[data-md-color-switching] :before{transition-duration:0s!important}"
    assert css.count(rule) == 1, "Material's rule is not spelled as it was: read the hook again"
    out, removed = hook.without_switching_rule(css)
    assert removed == 3
    assert out == css.replace(rule, "")


def test_other_selectors_of_a_rule_stay_and_at_rules_are_searched():
    css = ("/* note */ a{color:red}[data-md-color-switching] p,b{x:1}"
           "@media screen{[data-md-color-switching] *{y:2}i{z:3}}@font-face{font-family:f}")
    out, removed = hook.without_switching_rule(css)
    assert removed == 2
    assert out == "/* note */ a{color:red}b{x:1}@media screen{i{z:3}}@font-face{font-family:f}"


def test_a_stylesheet_without_the_attribute_is_unchanged():
    css = "[data-md-color-scheme=slate] a{color:red}@media print{b{c:d}}"
    assert hook.without_switching_rule(css) == (css, 0)


def test_the_build_stops_when_material_has_no_such_rule_any_more(tmp_path):
    class FakeFile:
        src_uri = "assets/stylesheets/palette.0123abcd.min.css"
        abs_src_path = str(tmp_path / "palette.css")

    Path(FakeFile.abs_src_path).write_text("a{color:red}", "utf-8")
    with pytest.raises(PluginError, match="no \\[data-md-color-switching\\] rule any more"):
        hook.on_files([FakeFile()], config=None)
