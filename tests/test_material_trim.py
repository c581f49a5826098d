"""overrides/hooks/material_trim.py: Material's stylesheets without the rules no page can use, now
or once a script has changed it (tests/test_browser_css_trim.py checks the result in Chromium)."""

from __future__ import annotations

import hashlib
import re

import pytest
from mkdocs.exceptions import PluginError

from support import load_hook

hook = load_hook("material_trim")

PAGE = """<html><body dir="ltr" data-md-color-scheme="default">
<form data-md-component="palette"><input data-md-color-scheme="slate"></form>
<article class="md-typeset"><p>Text <code>x</code></p><div class="admonition tip"><p class="admonition-title">Tip</p></div>
<ol class="md-search-result__list"></ol><div class="highlight"><pre><code>1</code></pre></div>
<button id="go"></button></article></body></html>"""
# A bundle in the shapes Material's minified script has.
BUNDLE = """function n(){return x("nav",{class:"md-code__nav"},x("button",{class:"md-code__button"}))}
function r(e){return x("li",{class:"md-search-result__item"},`<mark data-md-highlight>${e}</mark>`)}
e.classList.toggle("md-dialog--active",i);let t=`md-tag md-tag--${a}`;document.body.setAttribute(`data-md-color-${k}`,v)"""


def site(pages=(PAGE,), bundle=BUNDLE, scripts=()):
    skeleton = hook._Skeleton()
    for page in pages:
        skeleton.feed(page)
        skeleton.close()
    return hook.Site(skeleton, hook.Runtime(bundle, [*scripts, *skeleton.scripts], []))


@pytest.mark.parametrize(
    "selector",
    [
        ".md-typeset p code",
        ".md-typeset .admonition.tip>.admonition-title:before",  # a pseudo-element: may be drawn
        ".md-typeset .admonition:hover",  # a state: may hold
        "[data-md-color-scheme=slate] .md-typeset code",  # copied from the palette toggle's input
        "[dir=ltr] .md-typeset",
        ".md-typeset .highlight~p",  # a sibling: judged by the parent they share
        ".md-code__nav>.md-code__button",  # created by the script
        ".highlight .md-code__nav",
        ".md-search-result__list>.md-search-result__item",  # created inside an element of the page
        ".md-typeset mark",  # a tag the script writes as HTML
        ".md-dialog--active",  # added by the script to an element
        ".md-tag--pin",  # a class the script completes at run time
        ".md-typeset [data-anything=1]",  # an attribute a script may set
        "#go",
    ],
)
def test_what_can_match_is_kept(selector):
    assert site().uses(selector)


@pytest.mark.parametrize(
    "selector",
    [
        ".md-typeset kbd",  # no such element, and no script creates one
        ".md-typeset .admonition.example",
        "[dir=rtl] .md-typeset ol",  # no page is right-to-left, and no script writes dir
        "[data-md-color-primary=pink]",  # no palette of the site has it
        ".md-typeset .tabbed-set>input:checked~.tabbed-labels",
        ".md-typeset p .admonition",  # the classes are there, not in this order
        ".md-typeset code~.md-top",
        "#stop",
    ],
)
def test_what_cannot_is_dropped(selector):
    assert not site().uses(selector)


def test_the_site_s_own_scripts_count_too():
    script = 'const cell = (tag) => document.createElement(tag); cell("kbd"); el.classList.add("try-it__status--error")'
    assert not site().uses(".md-typeset kbd") and not site().uses(".try-it__status--error")
    assert site(scripts=[script]).uses(".md-typeset kbd") and site(scripts=[script]).uses(".try-it__status--error")


@pytest.mark.parametrize("code", ['e.classList.add(name)', 'e.className = names', 'e.setAttribute("class", c)', 'x("div",{class:names})'])
def test_a_class_set_in_an_unread_way_stops_the_build(code):
    with pytest.raises(PluginError, match="material_trim"):
        hook.Runtime(BUNDLE + ";" + code, [], [])


def test_a_script_that_writes_dir_stops_the_build():
    with pytest.raises(PluginError, match="dir"):
        site(bundle=BUNDLE + ';document.body.setAttribute("dir","rtl")').uses("[dir=rtl] p")


def test_custom_properties_only_a_dropped_rule_used_go():
    css = ":root{--kept:1px;--gone:2px;--chained:3px}.md-typeset{margin:var(--kept)}.md-typeset kbd{margin:var(--gone)}p{--kept:var(--chained)}"
    (out,) = hook.trimmed([css], site(), set())
    assert "--gone" not in out and "kbd" not in out and "--kept:1px" in out and "--chained" in out


def test_the_built_site_serves_trimmed_stylesheets_named_by_their_content(built_site):
    sheets = sorted((built_site / "assets" / "stylesheets").glob("*.css"))
    assert [re.sub(r"\.[0-9a-f]{8}\.", ".", p.name) for p in sheets] == ["main.min.css", "palette.min.css"]
    assert not list((built_site / "assets" / "stylesheets").glob("*.map"))  # they mapped the whole ones
    for sheet in sheets:
        assert sheet.name.split(".")[1] == hashlib.sha256(sheet.read_bytes()).hexdigest()[:8]
    assert sheets[0].stat().st_size < 80_000  # Material's is 137 KB
    names = {p.name for p in sheets}
    for page in built_site.rglob("*.html"):
        linked = set(re.findall(r'assets/stylesheets/([\w.]+\.css)', page.read_text("utf-8")))
        assert linked == names, page


SHEET = ".md-typeset p code{color:red}\n.md-typeset kbd{color:blue}\n"


def _scratch_site(root, page=PAGE):
    site_dir = root / "site"
    for name, text in {
        "assets/stylesheets/main.0123abcd.min.css": SHEET,
        "assets/javascripts/bundle.0123abcd.min.js": BUNDLE,
        "javascripts/own.js": "",
        "index.html": page,
        "search/search_index.json": '{"docs": [{"title": "Home", "text": "<code>x</code>"}]}',
    }.items():
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_text(text, "utf-8")
    return site_dir


def test_the_trim_is_redone_exactly_when_the_pages_skeleton_changes(tmp_path, monkeypatch):
    """A rebuild of an unchanged site reads no page; a prose edit parses the edited page only and
    reuses the trimmed stylesheets; a new element the rules can match trims them again."""
    from types import SimpleNamespace

    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    monkeypatch.setattr(hook, "cache", hook.Cache())
    monkeypatch.setattr(hook, "_pages", hook._Pages())
    trims, parses = [], []
    real_trimmed, real_parse = hook.trimmed, hook._Pages._parse
    monkeypatch.setattr(hook, "trimmed", lambda *a: trims.append(1) or real_trimmed(*a))
    monkeypatch.setattr(hook._Pages, "_parse", staticmethod(lambda text: parses.append(1) or real_parse(text)))

    def sheets(page):
        site_dir = _scratch_site(tmp_path, page)
        return hook._trimmed_sheets(config, site_dir, sorted((site_dir / "assets" / "stylesheets").glob("*.css")))

    first = sheets(PAGE)
    assert (len(trims), len(parses)) == (1, 1) and "p code" in first[0] and "kbd" not in first[0]
    hook.cache.forget()  # a new process: the entries on disk
    assert sheets(PAGE) == first and (len(trims), len(parses)) == (1, 1)  # no page read
    edited = PAGE.replace("<p>Text", "<p>Other words, and more of them")
    assert sheets(edited) == first and (len(trims), len(parses)) == (1, 2)  # the one page read
    with_kbd = edited.replace("</article>", "<p><kbd>Tab</kbd></p></article>")
    again = sheets(with_kbd)
    assert (len(trims), len(parses)) == (2, 3) and "kbd" in again[0]


def test_what_a_hook_keeps_lasts_from_one_serve_rebuild_to_the_next():
    """mkdocs serve runs a hook's module again for each rebuild; its caches are the process's."""
    assert load_hook("material_trim").cache is load_hook("material_trim").cache is hook.cache
    assert load_hook("figures").cache is load_hook("figures").cache
