"""MkDocs hook: words jieba keeps whole when it segments the Chinese pages for the search index.

Material's search plugin segments Chinese text with jieba at build time. jieba's default
dictionary splits several terms that readers type as one word: 交叉熵 becomes 交叉/熵, 半精度
半/精度 (so a search for 半精度 also matched the 精度 of 混合精度), 雅可比矩阵 雅/可比/矩阵. Adding
them here keeps each one a single index term (tests/test_browser_search.py searches for them).

Material's own option for this, `jieba_dict_user`, takes a file path that it resolves against
the working directory rather than the config's, and a word list under overrides/ would be
published with the theme's files; a list in a hook is neither.
"""

from __future__ import annotations

WORDS = ["交叉熵", "半精度", "雅可比矩阵", "独热编码", "标签平滑", "梯度消失", "数值稳定", "温度系数"]


def on_config(config):
    import jieba  # the search plugin's own dependency (requirements.txt)

    for word in WORDS:
        jieba.suggest_freq(word, tune=True)  # in the dictionary, frequent enough to stay whole
    return config
