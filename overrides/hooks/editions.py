"""MkDocs hook: what the i18n plugin leaves undone for the two editions.

The i18n plugin builds the English site, then the Chinese one into zh/, on one configuration.
- Language links: Material writes `config.extra.alternate` into <link rel="alternate"
  hreflang> tags in the head, from which its script fetches a `sitemap.xml` beside each link
  on every page load (16 KB, or a failed request per page). The head tags are dropped: the
  sitemap already pairs every page with its other edition for search engines, and the
  language selector (overrides/partials/alternate.html) links to the page's own editions.
- The 404 page: every edition writes the theme's 404.html to the site's root, so the Chinese
  build would replace the English one, and it would carry the language links of whichever page
  was rendered last. The root 404 page stays the default edition's, linking to the home pages.
- Interface strings that no theme translation covers, in each edition's language: the title of
  every heading's permanent link (the toc extension's `permalink_title`, one value for the whole
  configuration, so it is set for each edition's build), and the "Made with" line of Material's
  footer.
"""

from __future__ import annotations

import re
from copy import deepcopy

from mkdocs.plugins import event_priority

NOT_FOUND = "404.html"

# The toc extension's title of a heading's permanent link, by edition.
PERMALINK_TITLE = {"en": "Permanent link", "zh": "永久链接"}
# Material's footer credit, which its templates write in English whatever the language.
_MADE_WITH = re.compile(r'Made with(\s*<a href="https://squidfunk\.github\.io/mkdocs-material/"[^>]*>\s*Material for MkDocs\s*</a>)')
MADE_WITH = {"zh": r"本站使用\1 构建"}


def _i18n(config):
    return config.plugins["i18n"]


def _default_edition(config) -> bool:
    i18n = _i18n(config)
    return i18n.current_language == i18n.default_language


@event_priority(-110)  # after the i18n plugin has configured this edition's build (-100)
def on_config(config):
    language = _i18n(config).current_language
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = PERMALINK_TITLE.get(language, PERMALINK_TITLE["en"])
    if _default_edition(config):
        config.theme.static_templates.add(NOT_FOUND)
    else:
        config.theme.static_templates.discard(NOT_FOUND)
    return config


# Material's <link rel="alternate" hreflang="..."> tags (not its RSS links, which have a type).
_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output, page, config):
    output = _HEAD_ALTERNATE.sub("", output)
    if made_with := MADE_WITH.get(_i18n(config).current_language):
        output = _MADE_WITH.sub(made_with, output)
    return output


def on_post_template(output, template_name, config):
    return _HEAD_ALTERNATE.sub("", output) if template_name == NOT_FOUND else output


def on_template_context(context, template_name, config):
    if template_name == NOT_FOUND:
        # The home page of each edition, as the i18n plugin first configured them.
        config.extra.alternate = deepcopy(_i18n(config).extra_alternate)
    return context
