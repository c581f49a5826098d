"""overrides/hooks/site_build/: what the build hooks share. Which edition is being built, a CSS
selector list, the cache of results keyed by what they are made from, and each page's fences
read once and read again exactly when the page or a snippet changes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import tinycss2

from documents import record
from documents.regions import FenceError
from support import ROOT

sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
from site_build import cache, css, editions, pages  # noqa: E402


def _config(locale: str, building: bool = False):
    i18n = SimpleNamespace(current_language=locale, default_language="en", build_languages=["en", "zh"], building=building)
    return SimpleNamespace(plugins={"i18n": i18n}, theme={"language": "en"})


def test_the_edition_being_built():
    english, chinese = _config("en"), _config("zh", building=True)
    assert (editions.language(english), editions.is_default(english), editions.prefix(english)) == ("en", True, "")
    assert (editions.language(chinese), editions.is_default(chinese), editions.prefix(chinese)) == ("zh", False, "zh/")
    assert [editions.prefix_of(english, locale) for locale in editions.locales(english)] == ["", "zh/"]
    assert not editions.nested(english) and editions.nested(chinese)
    alone = SimpleNamespace(plugins={}, theme={"language": "en"})  # a site without the i18n plugin
    assert (editions.language(alone), editions.prefix(alone), editions.locales(alone), editions.nested(alone)) == ("en", "", ["en"], False)


def test_a_selector_list_splits_at_its_top_level_commas_only():
    [rule] = tinycss2.parse_stylesheet('a:is(b, c) > d, [title="e,f"] g ,h{x:y}', skip_whitespace=True)
    assert [tinycss2.serialize(part).strip() for part in css.selector_list(rule.prelude)] == ['a:is(b, c) > d', '[title="e,f"] g', "h"]


def test_a_cached_value_is_read_back_only_when_made_from_the_same(tmp_path):
    kept = cache.Cache()
    made_from = {"text": cache.digest("x"), "tool": "1.0"}
    assert kept.get(tmp_path, "slot", made_from) is cache.MISSING
    kept.put(tmp_path, "slot", made_from, {"value": [1, 2.5]})
    kept.forget()
    assert kept.get(tmp_path, "slot", made_from) == {"value": [1, 2.5]}
    assert kept.get(tmp_path, "slot", {**made_from, "tool": "1.1"}) is cache.MISSING
    # An entry renamed to another key, or damaged, is a miss, never another input's value.
    [entry] = tmp_path.iterdir()
    other = {**made_from, "text": cache.digest("y")}
    entry.rename(tmp_path / f"slot.{cache.key(other)}.json")
    kept.forget()
    assert kept.get(tmp_path, "slot", other) is cache.MISSING
    (tmp_path / f"slot.{cache.key(other)}.json").write_text('{"made_from":', "utf-8")
    assert kept.get(tmp_path, "slot", other) is cache.MISSING
    # A slot keeps its latest entries (`keep`), the one read last among them; another slot's stay.
    for path in tmp_path.iterdir():
        path.unlink()
    two = cache.Cache(keep=2)
    inputs = [{**made_from, "text": cache.digest(str(n))} for n in range(3)]
    two.put(tmp_path, "slot", inputs[0], 0)
    two.put(tmp_path, "slot.b", inputs[0], "b")
    two.put(tmp_path, "slot", inputs[1], 1)
    two.forget()
    assert two.get(tmp_path, "slot", inputs[0]) == 0  # read: now the latest used
    two.put(tmp_path, "slot", inputs[2], 2)  # the least recently used, inputs[1]'s, goes
    two.forget()
    assert [two.get(tmp_path, "slot", made) for made in inputs] == [0, cache.MISSING, 2]
    assert two.get(tmp_path, "slot.b", inputs[0]) == "b"
    assert len(list(tmp_path.iterdir())) == 3


def _build(project: Path):
    """The configuration of a new build (MkDocs makes one per build) of `project`."""
    return SimpleNamespace(config_file_path=str(project / "mkdocs.yml"))


def _page_with_a_snippet(project: Path) -> tuple[Path, Path]:
    page = project / "docs" / "caveats.md"
    included = next(origin for origin in pages.expanded(page, _build(project)).origins if origin and origin.path != page)
    return page, included.path


def test_fence_keys_are_the_harnesss_read_once_and_again_when_a_page_or_a_snippet_changes(project_copy, monkeypatch):
    page, snippet = _page_with_a_snippet(project_copy)
    config_file = str(project_copy / "mkdocs.yml")
    keys = pages.fence_keys(page, _build(project_copy), "cuda")
    assert keys and keys == record.fence_keys([page], config_file, "cuda", project_copy)

    # The next build (a new process: nothing in memory) reads them back, and reads no page.
    monkeypatch.setattr(pages, "cache", cache.Cache())
    monkeypatch.setattr(pages, "fences_of", lambda *args: pytest.fail("the page was read again although unchanged"))
    assert pages.fence_keys(page, _build(project_copy), "cuda") == keys
    monkeypatch.undo()

    # A snippet the page includes changed: read again, the harness's keys again.
    snippet.write_text(snippet.read_text("utf-8").replace(">>> ", ">>> x = 0; ", 1), "utf-8")
    changed = pages.fence_keys(page, _build(project_copy), "cuda")
    assert changed != keys and changed == record.fence_keys([page], config_file, "cuda", project_copy)

    # The page itself changed (a fence added at its end): read again.
    page.write_text(page.read_text("utf-8") + "\n```python\nassert True\n```\n", "utf-8")
    added = pages.fence_keys(page, _build(project_copy), "cuda")
    assert len(added) == len(changed) + 1 and added == record.fence_keys([page], config_file, "cuda", project_copy)


def test_a_page_the_tests_refuse_is_refused_at_every_build(project_copy):
    page = project_copy / "docs" / "errata.md"
    pages.check_closed_fences(page, _build(project_copy))
    page.write_text(page.read_text("utf-8") + "\n```python\nx = 1\n", "utf-8")
    for _ in range(2):
        with pytest.raises(FenceError, match="never closed"):
            pages.check_closed_fences(page, _build(project_copy))


def test_a_hook_s_memo_lasts_from_one_serve_rebuild_to_the_next_and_raises_its_own_errors():
    """site_build/cache.py's per_process: mkdocs serve runs a hook's module again for each
    rebuild; the answers of its memoised functions are kept for the next, and a miss runs the
    function of the module that runs now (so the exception classes it raises are that module's)."""
    from support import load_hook

    first, second = load_hook("mathml"), load_hook("mathml")
    assert first._mathml("span", "x^2") is second._mathml("span", "x^2")  # the same answer, kept
    with pytest.raises(second._Unrenderable):
        second._mathml("span", r"\frac{")
    assert load_hook("cjk_line_breaks").join_cjk_lines("中\n文") == "中文"


def test_lean_html_keeps_its_answers_for_an_unchanged_page_and_redoes_a_changed_one():
    """overrides/hooks/lean_html.py's two passes are kept per process (an unchanged page of a serve
    rebuild is not done again), and its content pass is keyed by code_spans.py's pattern too."""
    from support import load_hook

    first, second = load_hook("lean_html"), load_hook("lean_html")
    page = "<p>\n    a\n\n    b</p>\n<pre>  kept\n\n  as is</pre>\n"
    assert first._lean_output(page) is second._lean_output(page) == "<p>\na\nb</p>\n<pre>  kept\n\n  as is</pre>\n"
    assert second._lean_output(page + "<p>c</p>") == second._lean_output(page) + "<p>c</p>"
    block = '<div class="language-python highlight"><pre><span></span><code><span class="p">(</span><span class="o">=</span></code></pre></div>'
    assert first.on_page_content(block, None, None, None) == block.replace('<span class="p">(</span><span class="o">=</span>', '<span class="p">(=</span>')
    assert second._lean_content(block, "(?!)") == block  # another pattern: another answer
