"""MkDocs hook: what the i18n plugin leaves undone for the two editions.

The i18n plugin builds the English site, then the Chinese one into zh/, on one configuration
(which edition is being built: site_build/editions.py, the definition every hook uses).
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
- One search index per edition, so that a reader searching in one language gets that language's
  pages. The i18n plugin writes one index, search/search_index.json, holding the pages of both;
  Material's search ranks them together, so on /zh/ a query made of code (`CrossEntropyLoss`,
  `dim`) listed English pages first. After the whole build this hook splits that index:
  search/search_index.json keeps the default edition's pages, and each other edition gets its
  own, LOCALE/search/search_index.json, with the same settings. Result locations stay relative to
  the site's root, as Material resolves them from every edition's pages. The pages of an edition
  load its index: overrides/main.html rewrites the address of Material's request, from
  `config.extra.search_index_prefix` set here.
"""

from __future__ import annotations

import json
import re
import sys
from copy import deepcopy
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions  # noqa: E402
from site_build.cache import per_process  # noqa: E402

NOT_FOUND = "404.html"
INDEX = Path("search") / "search_index.json"

# The toc extension's title of a heading's permanent link, by edition.
PERMALINK_TITLE = {"en": "Permanent link", "zh": "永久链接"}
# Material's footer credit, which its templates write in English whatever the language.
_MADE_WITH = re.compile(r'Made with(\s*<a href="https://squidfunk\.github\.io/mkdocs-material/"[^>]*>\s*Material for MkDocs\s*</a>)')
MADE_WITH = {"zh": r"本站使用\1 构建"}


@event_priority(-110)  # after the i18n plugin has configured this edition's build (-100)
def on_config(config):
    language = editions.language(config)
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = PERMALINK_TITLE.get(language, PERMALINK_TITLE["en"])
    if editions.is_default(config):
        config.theme.static_templates.add(NOT_FOUND)
    else:
        config.theme.static_templates.discard(NOT_FOUND)
    config.extra["search_index_prefix"] = editions.prefix(config)
    return config


# Material's <link rel="alternate" hreflang="..."> tags (not its RSS links, which have a type).
_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


@per_process(maxsize=64)  # a function of the page and its language alone: unchanged pages of a serve rebuild, again (site_build/cache.py)
def in_edition(output: str, language: str) -> str:
    output = _HEAD_ALTERNATE.sub("", output)
    if made_with := MADE_WITH.get(language):
        output = _MADE_WITH.sub(made_with, output)
    return output


def on_post_page(output, page, config):
    return in_edition(output, editions.language(config))


def on_post_template(output, template_name, config):
    return _HEAD_ALTERNATE.sub("", output) if template_name == NOT_FOUND else output


def on_template_context(context, template_name, config):
    if template_name == NOT_FOUND:
        # The home page of each edition, as the i18n plugin first configured them.
        config.extra.alternate = deepcopy(editions.home_alternates(config))
    return context


def split_index(site_dir: Path, prefixes: list[str]) -> dict[str, int]:
    """Write each edition's index from the merged one; how many entries each got."""
    merged = json.loads((site_dir / INDEX).read_text("utf-8"))
    others = tuple(p for p in prefixes if p)
    counts = {}
    for prefix in prefixes:
        if prefix:
            docs = [d for d in merged["docs"] if d["location"].startswith(prefix)]
        else:
            docs = [d for d in merged["docs"] if not d["location"].startswith(others)]
        target = site_dir / prefix / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({**merged, "docs": docs}, ensure_ascii=False, separators=(",", ":")), "utf-8")
        counts[prefix] = len(docs)
    return counts


@event_priority(-200)  # after the i18n plugin (-100) has built every edition and merged the index
def on_post_build(config):
    if editions.nested(config):  # an edition built from inside the i18n plugin's run: the index is not merged yet
        return
    split_index(Path(config.site_dir), [editions.prefix_of(config, locale) for locale in editions.locales(config)])
