"""MkDocs hook: loading a page no longer restyles every element of it twice.

Material's palette stylesheet has one rule so that switching palettes changes every colour at
once instead of fading some of them (links, code backgrounds: `transition: ... 125ms`):

    [data-md-color-switching] *, ... :after, ... :before { transition-duration: 0s !important }

Material's script sets that attribute on the body, and removes it, not only when the reader
switches but on every page load (its palette component handles the initial palette as a
switch). A selector that ends in `*` makes each change of the attribute restyle every element
under the body: on the longest article (about 4,700 elements, most of them code tokens and
MathML), in Chromium, those two restyles were a third of the elements restyled during a load
and about half of its style time, all of it on the main thread while the page is already
shown, which is what Lighthouse's mobile score weighs most (`make lighthouse`).

This hook serves Material's palette stylesheet without that rule: tinycss2 reads it, the
selectors that name `data-md-color-switching` go, and every other rule is written back as it
was. docs/javascripts/palette.js keeps the instant switch where it is needed, when the reader
switches: it turns transitions off from the moment a palette is picked until the next frame
is drawn; and overrides/main.html turns them off from the start on a first visit whose
preferred scheme is not the first palette's, the one load where Material's switch changes
colours. tests/test_browser_palette.py checks all three in Chromium. (A returning reader of
the dark palette gets a few transitions at load from a colour to the same colour, invisible.)

The build fails if Material's stylesheet no longer has the rule: then this hook has nothing to
do and should go.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tinycss2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.css import selector_list  # noqa: E402

ATTRIBUTE = "data-md-color-switching"
_PALETTE_CSS = re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css")


def _names_attribute(selector: list) -> bool:
    return any(token.type == "[] block" and tinycss2.serialize(token.content).strip() == ATTRIBUTE for token in selector)


# At-rules whose block holds rules (Material's palette is inside `@media screen { ... }`).
_GROUPING = {"media", "supports", "layer", "container", "document", "scope"}


def without_switching_rule(css: str) -> tuple[str, int]:
    """`css` (a stylesheet's text) without the selectors that name `[data-md-color-switching]`,
    and how many selectors went, looking inside `@media` and the other grouping at-rules. A rule
    left with no selector goes whole; everything else, comments included, is written back as
    it was read (tinycss2 serialises what it parsed).
    """
    return _filtered(tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False))


def _filtered(rules) -> tuple[str, int]:
    removed = 0
    out = []
    for rule in rules:
        if rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in _GROUPING:
            inner, count = _filtered(tinycss2.parse_rule_list(rule.content, skip_comments=False, skip_whitespace=False))
            removed += count
            out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}" if count else rule.serialize())
            continue
        if rule.type != "qualified-rule":
            out.append(rule.serialize())
            continue
        selectors = selector_list(rule.prelude)
        kept = [s for s in selectors if not _names_attribute(s)]
        removed += len(selectors) - len(kept)
        if not kept:
            continue
        if len(kept) == len(selectors):
            out.append(rule.serialize())
        else:
            out.append(f"{','.join(tinycss2.serialize(s) for s in kept)}{{{tinycss2.serialize(rule.content)}}}")
    return "".join(out), removed


# After the i18n plugin (priority -100), which reads every file's source path and cannot take
# a generated one (as in figures.py).
@event_priority(-110)
def on_files(files, config):
    palette = [f for f in files if _PALETTE_CSS.fullmatch(f.src_uri)]
    if len(palette) != 1:
        raise PluginError(f"palette_switch: expected one Material palette stylesheet, found {[f.src_uri for f in palette]}")
    original = palette[0]
    with open(original.abs_src_path, encoding="utf-8") as stream:
        css, removed = without_switching_rule(stream.read())
    if not removed:
        raise PluginError(
            f"palette_switch: Material's {original.src_uri} has no [{ATTRIBUTE}] rule any more; "
            "overrides/hooks/palette_switch.py and docs/javascripts/palette.js can go"
        )
    files.remove(original)
    files.append(File.generated(config, original.src_uri, content=css))
    return files
