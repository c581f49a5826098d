"""MkDocs hook: a notebook page keeps only the part of the renderer's CSS and scripts that it uses.

mkdocs-jupyter inlines all of JupyterLab's stylesheet into each notebook page (574 KB, for
widgets, dialogs, menus and editors a static notebook never shows), which made that page more
than twice as heavy as an article; it has no option to leave it out. This hook keeps, of each
`<style>` the renderer put in the page's article, the rules whose selectors match an element
of that page, in any of the site's palettes (Material switches `data-md-color-scheme` on the
body at run time), and of the custom properties those rules define, the ones something uses.

The matching is done by maintained tools: tinycss2 reads the CSS, soupsieve (Beautiful Soup's
CSS selector engine) matches each selector against the page. A selector is matched without its
pseudo-elements and state pseudo-classes (`::before`, `:hover`, `:focus`...): `a:hover` is kept
when the page has an `a`. A selector soupsieve cannot read is kept, as are `@font-face`,
`@import`, `@charset` and other at-rules it cannot judge; `@keyframes` stay when a kept rule
names them. tests/test_browser_notebook.py compares screenshots of the cells and figures with
and without this hook.

Reading 574 KB of CSS and matching its 4,500 selectors takes seconds, and a page's result depends
on nothing but the page, the site's stylesheets and this code, so it is cached
(site_build/cache.py): by the digest of the page, the palettes' schemes, the site's stylesheets,
this hook's source and the versions of tinycss2, soupsieve and Beautiful Soup.

The renderer also writes, into every page, a loader for Mermaid diagrams (11 KB, which imports
Mermaid from another host when the page has a `.jp-Mermaid` diagram) and MathJax's
configuration with a `<script src="">` that loads no MathJax (the site renders maths as
MathML at build, overrides/hooks/mathml.py). They go when the page has nothing for them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import soupsieve
import tinycss2
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import MISSING, Cache, digest, directory, named, version  # noqa: E402
from site_build.css import selector_list  # noqa: E402

_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)
_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.DOTALL)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>\s*", re.DOTALL)
# Pseudo-classes soupsieve can match on a static page: structure, not state.
_STRUCTURAL = {"root", "not", "is", "where", "has", "matches", "first-child", "last-child", "only-child",
               "first-of-type", "last-of-type", "only-of-type", "nth-child", "nth-last-child",
               "nth-of-type", "nth-last-of-type", "empty", "lang", "dir"}  # fmt: skip
_PSEUDO = re.compile(r"::?(-?[A-Za-z][\w-]*)(\((?:[^()]|\([^()]*\))*\))?")
_VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
_FUNCTIONAL = re.compile(r":[\w-]+\((?:[^()]|\([^()]*\))*\)")
_CLASS = re.compile(r"\.(-?[_A-Za-z][\w-]*)")

_site_css: list[str] = []  # every stylesheet of the site (Material's, extra_css), for var() uses
cache = named("notebook-trim")  # kept from one serve rebuild to the next (site_build/cache.py)
# What a page's result is made from besides its inputs: this code and the packages it runs.
_CODE = {"hook": digest(Path(__file__).read_bytes()),
         "tinycss2": version("tinycss2"), "soupsieve": version("soupsieve"), "beautifulsoup4": version("beautifulsoup4", "bs4")}


def _selectors(prelude) -> list[str]:
    """A rule's selectors, each as text."""
    return [tinycss2.serialize(part).strip() for part in selector_list(prelude)]


def _without_state(selector: str) -> str:
    def keep(match: re.Match) -> str:
        name, arguments = match.group(1), match.group(2)
        if match.group(0).startswith("::") or name not in _STRUCTURAL:
            return ""
        if name in ("is", "where", "has", "matches") and arguments:  # `:is(a:hover, b)` is `:is(a, b)` here
            return f":{name}({_PSEUDO.sub(keep, arguments[1:-1])})"
        return match.group(0)  # (`:not(a:hover)` stays: soupsieve reads it as it is)

    stripped = _PSEUDO.sub(keep, selector).strip()
    if not stripped or stripped[-1] in ">+~":
        stripped += " *" if stripped else "*"
    return stripped


class _Page:
    """The page's elements, to match selectors against, in each palette."""

    def __init__(self, html: str, schemes: list[str]) -> None:
        self.soup = BeautifulSoup(html, "html.parser")
        self.schemes = schemes or [self.soup.body.get("data-md-color-scheme", "default")]
        self.classes = {name for element in self.soup.find_all(True) for name in element.get("class", [])}
        self._cache: dict[str, bool] = {}

    def uses(self, selector: str) -> bool:
        if selector not in self._cache:
            self._cache[selector] = self._match(_without_state(selector))
        return self._cache[selector]

    def _match(self, selector: str) -> bool:
        required = _FUNCTIONAL.sub("", selector)  # (a class inside :not() need not be there)
        if any(name not in self.classes for name in _CLASS.findall(required)):
            return False  # a class no element has (a quick answer for most of the stylesheet)
        try:
            compiled = soupsieve.compile(selector)
        except Exception:  # noqa: BLE001  # a selector soupsieve cannot read: kept
            return True
        for scheme in self.schemes:
            self.soup.body["data-md-color-scheme"] = scheme
            if compiled.select_one(self.soup) is not None:
                return True
        return False


def _used_rules(rules, page: _Page) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if any(page.uses(selector) for selector in _selectors(rule.prelude)):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content is not None:
            inner = _used_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), page)
            if inner:
                rule.content = tinycss2.parse_component_value_list(_serialize(inner))
                kept.append(rule)
        elif rule.type == "at-rule" or rule.type == "qualified-rule":
            kept.append(rule)
        # comments, whitespace and parse errors (which a browser drops too) go
    return kept


def _nested(rule) -> bool:
    return rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content is not None


def _rule_list(rule) -> list:
    return tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)


def _without_properties(rules, used: set[str]) -> tuple[list, bool]:
    """`rules` without the custom properties not in `used`, and without rules left empty."""
    changed, kept = False, []
    for rule in rules:
        if _nested(rule):
            inner, inner_changed = _without_properties(_rule_list(rule), used)
            changed |= inner_changed
            if inner:
                rule.content = tinycss2.parse_component_value_list(_serialize(inner))
                kept.append(rule)
            continue
        if rule.type != "qualified-rule":
            kept.append(rule)
            continue
        declarations = [d for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True) if d.type == "declaration"]
        remaining = [d for d in declarations if not d.name.startswith("--") or d.name in used]
        if len(remaining) == len(declarations):
            kept.append(rule)
            continue
        changed = True
        if remaining:
            rule.content = tinycss2.parse_component_value_list(";".join(d.serialize() for d in remaining))
            kept.append(rule)
    return kept, changed


def _serialize(rules) -> str:
    return "\n".join(rule.serialize() for rule in rules)


def _without_unused_keyframes(rules) -> list:
    keyframes = lambda rule: rule.type == "at-rule" and rule.lower_at_keyword == "keyframes"  # noqa: E731
    text = _serialize(rule for rule in rules if not keyframes(rule))
    return [rule for rule in rules if not keyframes(rule) or re.search(rf"\b{re.escape(tinycss2.serialize(rule.prelude).strip())}\b", text)]


def used_css(styles: list[str], page: _Page, used_elsewhere: set[str]) -> list[str]:
    """Each of `styles` (the text of a `<style>`) reduced to what `page` uses."""
    sheets = [_used_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), page) for css in styles]
    while True:  # a property whose only use was in a property dropped is dropped in turn
        used = used_elsewhere | set(_VAR_USE.findall("".join(map(_serialize, sheets))))
        results = [_without_properties(rules, used) for rules in sheets]
        sheets = [rules for rules, _ in results]
        if not any(changed for _, changed in results):
            break
    return [_serialize(_without_unused_keyframes(rules)) for rules in sheets]


def prune(html: str, schemes: list[str], site_css: list[str]) -> str:
    """The page `html` with each `<style>` of its article reduced to what the page uses."""
    article = _ARTICLE.search(html)
    if article is None:
        return html
    page = _Page(html, schemes)
    # Custom properties that the site's stylesheets, the page's other styles or its inline style
    # attributes use are kept, whichever rule defines them.
    outside = "\n".join(site_css) + html[: article.start()] + html[article.end() :]
    inline = " ".join(element["style"] for element in page.soup.find_all(style=True))
    pruned = iter(used_css([match.group(2) for match in _STYLE.finditer(article.group(0))], page, set(_VAR_USE.findall(outside + inline))))
    body = _STYLE.sub(lambda m: m.group(1) + next(pruned) + m.group(3), article.group(0))
    body = _SCRIPT.sub(lambda m: "" if _unused_script(m.group(1), m.group(2), page, html) else m.group(0), body)
    return html[: article.start()] + body + html[article.end() :]


def _unused_script(attributes: str, code: str, page: _Page, html: str) -> bool:
    """A script of the renderer that has nothing to do on this page."""
    if re.search(r'\bsrc=""', attributes):
        return True  # loads nothing (MathJax, with no URL configured)
    if "text/x-mathjax-config" in attributes:
        return not re.search(r"<script\b[^>]*\bsrc=\"[^\"]*mathjax", html, re.IGNORECASE)  # no MathJax loaded
    if ".jp-Mermaid" in code:
        return page.soup.select_one(".jp-Mermaid") is None  # no diagram to draw
    return False


def _schemes(config) -> list[str]:
    palette = config.theme.get("palette") or []
    palettes = palette if isinstance(palette, list) else [palette]
    return list(dict.fromkeys(p.get("scheme", "default") for p in palettes)) or ["default"]


def on_files(files, config):
    _site_css[:] = [Path(f.abs_src_path).read_text("utf-8", errors="replace") for f in files if f.src_uri.endswith(".css") and f.abs_src_path]
    return files


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    schemes = _schemes(config)
    made_from = {**_CODE, "page": digest(output), "schemes": schemes, "site_css": [digest(css) for css in _site_css]}
    slot = page.url.strip("/").replace("/", "-") or "index"  # one entry per page
    where = directory(config, "notebook-trim")
    if (pruned := cache.get(where, slot, made_from)) is MISSING:
        pruned = prune(output, schemes, _site_css)
        cache.put(where, slot, made_from, pruned)
    return pruned
