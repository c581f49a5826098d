"""MkDocs hook: words jieba keeps whole when it segments the Chinese pages for the search index,
and each Chinese run segmented once.

Material's search plugin segments Chinese text with jieba at build time. jieba's default
dictionary splits several terms that readers type as one word: 交叉熵 becomes 交叉/熵, 半精度
半/精度 (so a search for 半精度 also matched the 精度 of 混合精度), 雅可比矩阵 雅/可比/矩阵. Adding
them here keeps each one a single index term (tests/test_browser_search.py searches for them).

Material's own option for this, `jieba_dict_user`, takes a file path that it resolves against
the working directory rather than the config's, and a word list under overrides/ would be
published with the theme's files; a list in a hook is neither.

The words are added once per process. (They were added at each edition's configuration, and
jieba's `suggest_freq` raises a word's frequency and the dictionary's total each time it is asked
again, so a page's words could depend on how many builds a `mkdocs serve` had run.)

Loading jieba's dictionary took 1 to 2 s of every build, and segmenting the pages about as long
again, for words that depend only on each run of Chinese characters and the dictionary. Material
asks for them through the name `jieba` in its search module (`jieba.cut(run)`); this hook gives
that name a stand-in whose `cut` answers from a cache (site_build/cache.py: memory, and
.cache/search-words/ for the next build) keyed by jieba's version, the digest of its dictionary
and WORDS, and loads the dictionary only for a run it has not segmented before. Everything else
the stand-in is asked for is jieba's own. With Material's `jieba_dict` or `jieba_dict_user` set
(not this site's case), which change the dictionary, the cache is not used.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions  # noqa: E402
from site_build.cache import MISSING, Cache, digest, directory, version  # noqa: E402

WORDS = ["交叉熵", "半精度", "雅可比矩阵", "独热编码", "标签平滑", "梯度消失", "数值稳定", "温度系数"]
SLOT = "segments"
cache = Cache()
_tuned: set[int] = set()  # the jieba modules tuned, by id: each once per process


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
        self.known: dict[str, list[str]] | None = None  # what the cache held at the build's start
        self.used: dict[str, list[str]] = {}  # what this build asked for

    def __getattr__(self, name):
        return getattr(self.jieba, name)

    def made_from(self) -> dict:
        dictionary = Path(self.jieba.__file__).parent / self.jieba.DEFAULT_DICT_NAME
        return {"format": 1, "jieba": version("jieba"), "dictionary": digest(dictionary.read_bytes()), "words": WORDS,
                "hook": digest(Path(__file__).read_bytes())}

    def cut(self, sentence, cut_all=False, HMM=True, use_paddle=False):  # noqa: N803  # jieba's names
        if cut_all or not HMM or use_paddle:  # not how Material asks: jieba's own answer
            tune(self.jieba)
            return self.jieba.cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        if text not in self.used:
            if self.known is None:
                known = cache.get(self.where, SLOT, self.made_from())
                self.known = {} if known is MISSING else known
            if text in self.known:
                self.used[text] = self.known[text]
            else:
                tune(self.jieba)
                self.used[text] = list(self.jieba.cut(text))
        return iter(self.used[text])

    def start(self, where: Path) -> None:
        self.where, self.used = where, {}

    def keep(self) -> None:
        """Keep what this build asked for, when it is not what the cache already holds."""
        if self.used != self.known:
            cache.put(self.where, SLOT, self.made_from(), self.used)
            self.known = dict(self.used)


def _search_module():
    return sys.modules.get("material.plugins.search.plugin")


def _segmenter(config) -> Segmenter | None:
    module = _search_module()
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if module is None or module.jieba is None or search is None:
        return None
    if search.config.get("jieba_dict") or search.config.get("jieba_dict_user"):
        if isinstance(module.jieba, Segmenter):
            module.jieba = module.jieba.jieba
        return None
    if not isinstance(module.jieba, Segmenter):
        module.jieba = Segmenter(module.jieba)
    return module.jieba


def on_config(config):
    segmenter = _segmenter(config)
    if segmenter is None:  # jieba used as it is
        import jieba  # the search plugin's own dependency (requirements.txt)

        tune(jieba)
    elif not editions.nested(config):
        segmenter.start(directory(config, "search-words"))
    return config


@event_priority(-200)  # after the i18n plugin (-100) has built every edition
def on_post_build(config):
    module = _search_module()
    if module is not None and isinstance(module.jieba, Segmenter) and not editions.nested(config):
        module.jieba.keep()
