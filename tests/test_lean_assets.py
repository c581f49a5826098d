"""overrides/hooks/lean_assets.py: the site's own stylesheets and scripts are served without
their comments, and nothing else of them changes (the browser tests run what is served)."""

from __future__ import annotations

import re

import tinycss2

from support import ROOT, load_hook

hook = load_hook("lean_assets")
OWN = sorted([*(ROOT / "docs" / "stylesheets").glob("*.css"), *(ROOT / "docs" / "javascripts").glob("*.js")])


def rules(css: str) -> list[str]:
    """A stylesheet's tokens without comments, whitespace as one space: what a browser reads."""
    tokens = tinycss2.parse_component_value_list(css, skip_comments=True)
    return re.sub(r"\s+", " ", tinycss2.serialize(tokens)).strip()


def test_a_stylesheet_loses_its_comments_and_nothing_else():
    css = '/* top */ a { color: red; /* inner */ }\n\n@media print { b { content: "/* not a comment */" } }'
    out = hook.lean_css(css)
    assert "top" not in out and "inner" not in out and '"/* not a comment */"' in out
    assert rules(out) == rules(css)


def test_a_script_loses_its_comment_lines_only():
    js = '// header\n"use strict";\n  // inside\nconst url = "https://example.org"; // kept: not a line of its own\n'
    assert hook.lean_js(js) == '"use strict";\nconst url = "https://example.org"; // kept: not a line of its own\n'


def test_the_served_files_are_the_sources_without_comments(built_site):
    assert len(OWN) >= 4
    for source in OWN:
        where = source.relative_to(ROOT / "docs").as_posix()
        served = (built_site / where).read_text("utf-8")
        text = source.read_text("utf-8")
        assert len(served) < len(text), where
        if source.suffix == ".css":
            assert "/*" not in served and rules(served) == rules(text), where
        else:
            assert not re.search(r"^\s*//", served, re.M), where
            code = [line for line in text.splitlines() if not re.match(r"\s*//", line)]
            while code and not code[0]:
                code.pop(0)
            assert served.splitlines() == code, where
