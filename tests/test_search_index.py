"""overrides/hooks/search_index.py: jieba keeps the readers' terms whole, segments a Chinese run
once, and answers from its cache exactly what jieba answers."""

from __future__ import annotations

import jieba
import pytest

from support import load_hook

hook = load_hook("search_index")
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


class _Index:
    """Material's SearchIndex as far as the hook meets it: entries appended per page read."""

    def __init__(self) -> None:
        self.entries, self.read = [], []

    def add_entry_from_context(self, page):
        self.read.append(page.url)
        self.entries.append({"location": page.url, "title": page.title, "text": page.content})


def _page(content: str):
    from types import SimpleNamespace

    return SimpleNamespace(content=content, url="zh/errors/", title="错误", meta={}, toc=[])


def test_a_pages_entries_are_read_once_and_again_when_the_page_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(hook, "cache", hook.Cache())
    segmenter = hook.Segmenter(jieba)
    index = _Index()
    hook._reading_once(index, segmenter, tmp_path)
    index.add_entry_from_context(_page("<p>收敛</p>"))
    assert index.read == ["zh/errors/"] and len(index.entries) == 1

    # The next build's index, in a new process: the same entries, the page not read.
    monkeypatch.setattr(hook, "cache", hook.Cache())
    again = _Index()
    hook._reading_once(again, segmenter, tmp_path)
    again.add_entry_from_context(_page("<p>收敛</p>"))
    assert again.read == [] and again.entries == index.entries
    # The page changed: read again.
    again.add_entry_from_context(_page("<p>不收敛</p>"))
    assert again.read == ["zh/errors/"] and again.entries[-1]["text"] == "<p>不收敛</p>"
    # Another dictionary (other WORDS): read again, though the page is the same.
    monkeypatch.setattr(hook, "WORDS", [*hook.WORDS, "收敛到"])
    other = _Index()
    hook._reading_once(other, segmenter, tmp_path)
    other.add_entry_from_context(_page("<p>不收敛</p>"))
    assert other.read == ["zh/errors/"]
