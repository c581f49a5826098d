"""overrides/hooks/notebook_trim.py on small pages: what it keeps of a stylesheet and of the
renderer's scripts, and what it drops (tests/test_browser_notebook.py compares the real page's
look with and without it)."""

from __future__ import annotations

from support import load_hook

trim = load_hook("notebook_trim")

PAGE = """<html><body data-md-color-scheme="default"><header><p class="outside">x</p></header>
<article><style>{css}</style>
<div class="jupyter-wrapper"><div class="jp-Cell"><a href="#a">a</a><pre>1</pre></div></div>
{scripts}</article></body></html>"""


def trimmed(css: str, site_css: str = "", scripts: str = "") -> str:
    html = trim.prune(PAGE.format(css=css, scripts=scripts), ["default", "slate"], [site_css])
    return html[html.index("<style>") + len("<style>") : html.index("</style>")]


def test_a_rule_stays_when_an_element_of_the_page_matches_it():
    css = ".jupyter-wrapper .jp-Cell{color:red} .jp-Dialog{color:blue} .jupyter-wrapper pre{margin:0}"
    kept = trimmed(css)
    assert ".jp-Cell{color:red}" in kept and "pre{margin:0}" in kept
    assert "jp-Dialog" not in kept


def test_states_and_pseudo_elements_are_matched_on_their_element():
    kept = trimmed(".jp-Cell a:hover{color:red} .jp-Cell:not(.jp-mod-active) pre{opacity:.5} "
                   ":is(.jp-Cell:hover, .jp-Menu) pre{color:green} .jp-Cell::before{content:''} .jp-Menu:hover{color:blue}")  # fmt: skip
    assert "a:hover" in kept and ":not(.jp-mod-active)" in kept and ":is(" in kept and "::before" in kept
    assert ".jp-Menu:hover" not in kept


def test_a_rule_for_either_palette_stays():
    kept = trimmed("[data-md-color-scheme=slate] .jp-Cell{color:white} [data-md-color-scheme=other] .jp-Cell{color:red}")
    assert "slate" in kept and "other" not in kept


def test_custom_properties_stay_only_where_something_uses_them():
    css = ".jupyter-wrapper{--used:1px;--chain:var(--used);--unused:2px;--site:3px;--dropped-rule:4px} .jp-Cell{margin:var(--chain)} .jp-Menu{margin:var(--dropped-rule)}"
    kept = trimmed(css, site_css="body{padding:var(--site)}")
    assert "--used:1px" in kept and "--chain:var(--used)" in kept and "--site:3px" in kept
    assert "--unused" not in kept and "--dropped-rule" not in kept


def test_media_rules_keep_what_is_used_and_go_when_empty():
    kept = trimmed("@media print{.jp-Cell{color:black} .jp-Menu{color:red}} @media screen{.jp-Menu{color:red}}")
    assert "@media print" in kept and ".jp-Cell{color:black}" in kept
    assert "jp-Menu" not in kept and "@media screen" not in kept


def test_scripts_for_what_the_page_lacks_go():
    mermaid = '<script type="module">document.querySelectorAll(".jp-Mermaid > pre.mermaid")</script>'
    mathjax = '<script src=""> </script><script type="text/x-mathjax-config">MathJax.Hub.Config({})</script>'
    other = "<script>document.addEventListener('clipboard-copy', f)</script>"
    html = trim.prune(PAGE.format(css="", scripts=mermaid + mathjax + other), ["default"], [])
    assert ".jp-Mermaid" not in html and "mathjax" not in html.lower() and 'src=""' not in html
    assert other in html
    with_diagram = PAGE.format(css="", scripts=mermaid).replace('<pre>1</pre>', '<div class="jp-Mermaid"><pre class="mermaid">a</pre></div>')
    assert ".jp-Mermaid > pre.mermaid" in trim.prune(with_diagram, ["default"], [])


def test_a_page_is_trimmed_once_and_again_when_it_or_the_code_changes(tmp_path, monkeypatch):
    from types import SimpleNamespace

    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), theme={"palette": [{"scheme": "default"}]})
    page = SimpleNamespace(file=SimpleNamespace(src_uri="explore.ipynb"), url="explore/")
    css = ".jupyter-wrapper .jp-Cell{color:red} .jp-Dialog{color:blue}"
    first = PAGE.format(css=css, scripts="")
    second = first.replace('class="jp-Cell"', 'class="jp-Dialog"')
    calls = []
    prune = trim.prune
    monkeypatch.setattr(trim, "prune", lambda *args: calls.append(args[0]) or prune(*args))
    monkeypatch.setattr(trim, "cache", trim.Cache())
    monkeypatch.setattr(trim, "_site_css", [])

    out = trim.on_post_page(first, page, config)
    assert "jp-Cell{color:red}" in out and "jp-Dialog" not in out.split("</style>")[0]
    trim.cache.forget()  # a new process: read back from .cache/, not trimmed again
    assert trim.on_post_page(first, page, config) == out and calls == [first]
    # The page changed: trimmed again, keeping what it now uses.
    out = trim.on_post_page(second, page, config)
    assert calls == [first, second] and "jp-Dialog{color:blue}" in out and "jp-Cell{" not in out
    # The hook's code or a package that runs it changed: trimmed again.
    monkeypatch.setattr(trim, "_CODE", {**trim._CODE, "soupsieve": "0.0"})
    trim.cache.forget()
    assert trim.on_post_page(second, page, config) == out and calls == [first, second, second]
    assert len(list((tmp_path / ".cache" / "notebook-trim").iterdir())) == 3  # the page's latest few
