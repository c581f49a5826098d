"""MkDocs hook: Material's search index, with the terms readers search for kept whole, and each
page's entries and each Chinese run's words computed once.

Words. Material's search plugin segments Chinese text with jieba at build time. jieba's default
dictionary splits several terms that readers type as one word: 交叉熵 becomes 交叉/熵, 半精度
半/精度 (so a search for 半精度 also matched the 精度 of 混合精度), 雅可比矩阵 雅/可比/矩阵. Adding
them here keeps each one a single index term (tests/test_browser_search.py searches for them).
Material's own option for this, `jieba_dict_user`, takes a file path that it resolves against
the working directory rather than the config's, and a word list under overrides/ would be
published with the theme's files; a list in a hook is neither. The words are added once per
process: they were added at each edition's configuration, and jieba's `suggest_freq` raises a
word's frequency and the dictionary's total each time it is asked again, so a page's words could
depend on how many builds a `mkdocs serve` had run.

Reuse. Reading each page's HTML into sections took Material a second or two of every build and
serve rebuild, and loading jieba's dictionary 1 to 2 s more, for results that depend only on the
page and the dictionary. Both are kept (site_build/cache.py: memory, and .cache/search-index/ for
the next build):
- a page's entries, by the digest of what Material reads of it (its HTML, address, title, table of
  contents, and the `title`, `search` and `tags` of its front matter), the dictionary's identity
  (below), Material's version and this hook's code: Material's index (`SearchIndex`, one per
  edition's build) is given them in place of reading the page again;
- a Chinese run's words, by jieba's version, the digest of its dictionary and WORDS: Material asks
  for them through the name `jieba` of its search module (`jieba.cut(run)`), which is given a
  stand-in (`Segmenter`) that answers from the cache and loads jieba's dictionary only for a run it
  has not segmented before; anything else it is asked for is jieba's own. The runs are kept as long
  as the cache is: an edited page adds its new runs (delete .cache/ to start afresh).
With Material's `jieba_dict` or `jieba_dict_user` set (not this site's case), which change the
dictionary, neither cache is used.
"""

from __future__ import annotations

import copy
import functools
import json
import sys
import types
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions  # noqa: E402
from site_build.cache import MISSING, Cache, digest, directory, named, version  # noqa: E402

WORDS = ["交叉熵", "半精度", "雅可比矩阵", "独热编码", "标签平滑", "梯度消失", "数值稳定", "温度系数"]
SEGMENTS = "segments"
cache = named("search-index")  # kept from one serve rebuild to the next (site_build/cache.py)
_tuned: set[int] = set()  # the jieba modules tuned, by id: each once per process


@functools.cache  # the dictionary jieba reads once per process, and this code
def _file_digest(path: str) -> str:
    return digest(Path(path).read_bytes())


def tune(jieba) -> None:
    """jieba's dictionary, loaded, with WORDS kept whole: once per process."""
    if id(jieba) not in _tuned:
        for word in WORDS:
            jieba.suggest_freq(word, tune=True)  # in the dictionary, frequent enough to stay whole
        _tuned.add(id(jieba))


class Segmenter:
    """Stands in for the jieba module in Material's search plugin."""

    def __init__(self, jieba) -> None:
        self.jieba = jieba
        self.where: Path | None = None  # the cache's directory on disk
        self.known: dict[str, list[str]] | None = None  # what the cache holds
        self.new: dict[str, list[str]] = {}  # what jieba segmented since

    def __getattr__(self, name):
        return getattr(self.jieba, name)

    def made_from(self) -> dict:
        dictionary = Path(self.jieba.__file__).parent / self.jieba.DEFAULT_DICT_NAME
        return {"format": 1, "jieba": version("jieba"), "dictionary": _file_digest(str(dictionary)), "words": WORDS,
                "hook": _file_digest(__file__)}

    def cut(self, sentence, cut_all=False, HMM=True, use_paddle=False):  # noqa: N803  # jieba's names
        if cut_all or not HMM or use_paddle:  # not how Material asks: jieba's own answer
            tune(self.jieba)
            return self.jieba.cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        if self.known is None:
            known = cache.get(self.where, SEGMENTS, self.made_from())
            self.known = {} if known is MISSING else known
        words = self.known.get(text) or self.new.get(text)
        if words is None:
            tune(self.jieba)
            words = self.new[text] = list(self.jieba.cut(text))
        return iter(words)

    def start(self, where: Path) -> None:
        self.where = where

    def keep(self) -> None:
        """Keep the runs segmented since the cache was read, with those it held."""
        if self.new:
            self.known = {**(self.known or {}), **self.new}
            self.new = {}
            cache.put(self.where, SEGMENTS, self.made_from(), self.known)


def _search_module():
    return sys.modules.get("material.plugins.search.plugin")


def _search(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def _segmenter(config) -> Segmenter | None:
    """The stand-in for jieba in Material's search module (installed once), or None where
    jieba is to answer itself."""
    module, search = _search_module(), _search(config)
    if module is None or module.jieba is None or search is None:
        return None
    if search.config.get("jieba_dict") or search.config.get("jieba_dict_user"):
        if isinstance(module.jieba, Segmenter):
            module.jieba = module.jieba.jieba
        return None
    if not isinstance(module.jieba, Segmenter):
        module.jieba = Segmenter(module.jieba)
    return module.jieba


def _toc(items) -> list:
    return [[item.id, item.url, _toc(item.children)] for item in items]


def page_made_from(page, words: dict) -> dict:
    """What Material's entries of `page` are made from; `words` is the dictionary's identity."""
    meta = {name: page.meta.get(name) for name in ("title", "search", "tags")}
    read = json.dumps([page.content, page.url, page.title, meta, _toc(page.toc)], default=str, ensure_ascii=False)
    return {"format": 1, "hook": _file_digest(__file__), "material": version("mkdocs-material", "material"),
            "words": words, "page": digest(read)}


def _reading_once(index, segmenter: Segmenter, where: Path) -> None:
    """Material's `index` given each page's entries from the cache, or reading the page."""
    read = index.add_entry_from_context  # Material's own

    def add_entry_from_context(self, page):
        made_from = page_made_from(page, segmenter.made_from())
        slot = "entries-" + (page.url.strip("/").replace("/", "-") or "index")
        entries = cache.get(where, slot, made_from)
        if entries is MISSING:
            before = len(self.entries)
            read(page)
            entries = self.entries[before:]
            if json.loads(json.dumps(entries)) == entries:  # kept only where it reads back as itself
                cache.put(where, slot, made_from, copy.deepcopy(entries))
            return
        self.entries.extend(copy.deepcopy(entries))

    index.add_entry_from_context = types.MethodType(add_entry_from_context, index)


@event_priority(-110)  # after Material's search plugin has made this build's index (priority 0)
def on_config(config):
    segmenter = _segmenter(config)
    if segmenter is None:  # jieba used as it is, pages read as they are
        import jieba  # the search plugin's own dependency (requirements.txt)

        tune(jieba)
        return config
    where = directory(config, "search-index")
    segmenter.start(where)
    search = _search(config)
    if getattr(search, "search_index", None) is not None:
        _reading_once(search.search_index, segmenter, where)
    return config


@event_priority(-200)  # after the i18n plugin (-100) has built every edition
def on_post_build(config):
    module = _search_module()
    if module is not None and isinstance(module.jieba, Segmenter) and not editions.nested(config):
        module.jieba.keep()
