"""MkDocs hook: the site's own stylesheets and scripts (docs/stylesheets/, docs/javascripts/) are
served without their comments.

The comments explain each rule to contributors and stay in the sources; a reader's browser never
uses them, and they were more than half of extra.css, which every page loads (the first-load
budget of tests/test_browser_pages.py). A stylesheet is read by tinycss2, which drops every
comment, nested ones too, and is written back token for token, each run of whitespace as one
space or one line break. A script loses only its lines that are a `//` comment and nothing else
(none of the site's scripts has a multi-line string such a line could be part of); the rest is
served as written. tests/test_lean_assets.py checks both, and the browser tests run the result.
"""

from __future__ import annotations

import re

import tinycss2
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

OWN = re.compile(r"(stylesheets/[\w-]+\.css|javascripts/[\w-]+\.js)")
_COMMENT_LINE = re.compile(r"^[ \t]*//.*\n", re.M)


def lean_css(css: str) -> str:
    tokens = tinycss2.parse_component_value_list(css, skip_comments=True)

    def squeeze(nodes):
        for node in nodes:
            if node.type == "whitespace":
                node.value = "\n" if "\n" in node.value else " "
            if isinstance(getattr(node, "content", None), list):
                squeeze(node.content)
            if isinstance(getattr(node, "arguments", None), list):
                squeeze(node.arguments)

    squeeze(tokens)
    return tinycss2.serialize(tokens).strip() + "\n"


def lean_js(js: str) -> str:
    return _COMMENT_LINE.sub("", js).lstrip("\n")


# After the i18n plugin (priority -100), which cannot take a generated file (as in figures.py).
@event_priority(-110)
def on_files(files, config):
    for file in [f for f in files if OWN.fullmatch(f.src_uri) and f.abs_src_path]:
        with open(file.abs_src_path, encoding="utf-8") as stream:
            text = stream.read()
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=lean_css(text) if file.src_uri.endswith(".css") else lean_js(text)))
    return files
