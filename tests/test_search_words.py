"""overrides/hooks/search_words.py: jieba keeps the readers' terms whole, segments a Chinese run
once, and answers from its cache exactly what jieba answers."""

from __future__ import annotations

import jieba
import pytest

from support import load_hook

hook = load_hook("search_words")
RUNS = ["交叉熵损失", "半精度下反复应用", "收敛到均匀分布", "雅可比矩阵的特征值"]


def test_the_readers_terms_stay_whole():
    segmenter = hook.Segmenter(jieba)
    assert "交叉熵" in list(segmenter.cut("交叉熵损失".encode())) and "半精度" in list(segmenter.cut("半精度下"))


def test_the_words_are_added_once_however_many_builds_ask(monkeypatch):
    hook.tune(jieba)
    frequencies = {word: jieba.dt.FREQ[word] for word in hook.WORDS}, jieba.dt.total
    hook.tune(jieba)
    hook.tune(jieba)
    assert ({word: jieba.dt.FREQ[word] for word in hook.WORDS}, jieba.dt.total) == frequencies


def test_a_run_is_segmented_once_and_read_back_as_jieba_segments_it(tmp_path, monkeypatch):
    monkeypatch.setattr(hook, "cache", hook.Cache())
    segmenter = hook.Segmenter(jieba)
    segmenter.start(tmp_path)
    words = [list(segmenter.cut(run.encode())) for run in RUNS]
    hook.tune(jieba)
    assert words == [list(jieba.cut(run)) for run in RUNS]
    segmenter.keep()
    assert len(list(tmp_path.iterdir())) == 1
    made_from = segmenter.made_from()

    # The next build's process: read back, jieba's dictionary neither loaded nor asked.
    monkeypatch.setattr(hook, "cache", hook.Cache())
    monkeypatch.setattr(hook, "tune", lambda jieba: pytest.fail("jieba was asked for a run the cache holds"))
    again = hook.Segmenter(jieba)
    again.start(tmp_path)
    assert [list(again.cut(run.encode())) for run in RUNS] == words
    monkeypatch.undo()

    # Other words kept whole: another dictionary, so nothing is read back.
    monkeypatch.setattr(hook, "cache", hook.Cache())
    monkeypatch.setattr(hook, "WORDS", [*hook.WORDS, "反复应用"])
    other = hook.Segmenter(jieba)
    other.start(tmp_path)
    assert other.made_from() != made_from
    calls = []
    monkeypatch.setattr(hook, "tune", lambda jieba: calls.append(jieba))
    list(other.cut(RUNS[1].encode()))
    assert calls  # segmented by jieba, not read from the entry of the other WORDS
