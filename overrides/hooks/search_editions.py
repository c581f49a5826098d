"""MkDocs hook: one search index per edition, so that a reader searching in one language gets
that language's pages.

The i18n plugin builds every edition, then writes one search index, search/search_index.json,
holding the pages of both; Material's search ranks them together, so on /zh/ a query made of
code (`CrossEntropyLoss`, `dim`) listed English pages first. After the whole build this hook
splits that index: search/search_index.json keeps the default edition's pages, and each other
edition gets its own, LOCALE/search/search_index.json, with the same settings. Result locations
stay relative to the site's root, as Material resolves them from every edition's pages. The
pages of an edition load its index: overrides/main.html rewrites the address of Material's
request, from `config.extra.search_index_prefix` set here.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import event_priority

INDEX = Path("search") / "search_index.json"


def _i18n(config):
    return config.plugins["i18n"]


def _prefix(config) -> str:
    i18n = _i18n(config)
    return "" if i18n.current_language == i18n.default_language else f"{i18n.current_language}/"


@event_priority(-110)  # after the i18n plugin has configured this edition's build (-100)
def on_config(config):
    config.extra["search_index_prefix"] = _prefix(config)
    return config


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
    i18n = _i18n(config)
    if i18n.building:  # an edition built from inside the i18n plugin's run: the index is not merged yet
        return
    prefixes = ["" if locale == i18n.default_language else f"{locale}/" for locale in i18n.build_languages]
    split_index(Path(config.site_dir), prefixes)
