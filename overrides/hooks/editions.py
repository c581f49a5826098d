"""MkDocs hook: what the i18n plugin leaves undone for the two editions.

The i18n plugin builds the English site, then the Chinese one into zh/, on one configuration.
- Language links: it points each page's links at that page's other edition by a relative
  address, except on the home pages, where it leaves the absolute `/` and `/zh/`, which lead
  off the site wherever it is published below a domain's root (a project page). The home pages
  get relative links too.
- The 404 page: every edition writes the theme's 404.html to the site's root, so the Chinese
  build would replace the English one, and it would carry the language links of whichever page
  was rendered last. The root 404 page stays the default edition's, linking to the home pages.
"""

from __future__ import annotations

from copy import deepcopy

from mkdocs.plugins import event_priority

NOT_FOUND = "404.html"


def _i18n(config):
    return config.plugins["i18n"]


def _default_edition(config) -> bool:
    i18n = _i18n(config)
    return i18n.current_language == i18n.default_language


@event_priority(-110)  # after the i18n plugin has configured this edition's build (-100)
def on_config(config):
    if _default_edition(config):
        config.theme.static_templates.add(NOT_FOUND)
    else:
        config.theme.static_templates.discard(NOT_FOUND)
    return config


@event_priority(-110)  # after the i18n plugin has set the page's links (priority 50)
def on_page_context(context, page, config, nav):
    # The same rule as the plugin's for other pages, applied to every page, home pages included.
    for alternate in config.extra.alternate:
        edition = page.file.alternates.get(alternate["lang"])
        if edition is not None:
            alternate["link"] = edition.url
    return context


def on_template_context(context, template_name, config):
    if template_name == NOT_FOUND:
        # The home page of each edition, as the i18n plugin first configured them.
        config.extra.alternate = deepcopy(_i18n(config).extra_alternate)
    return context
