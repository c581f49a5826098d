"""The English and Chinese editions are the same site: every page in both languages, the same
snippets in the same order (tests/fences/editions.py, run by the suite on every translation),
the same explicit heading ids, and language links that keep the reader on the page."""

from __future__ import annotations

import importlib.util
import json
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from documents.editions import original_of, translation_locales
from test_site import built_page

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG = str(ROOT / "mkdocs.yml")
_ID = re.compile(r"\s*\{:?\s*#([\w-]+)\s*\}\s*$")  # attr_list's `## Heading {#id}`


def missing_editions(docs: Path, config_file: str) -> list[str]:
    """Pages that exist in one language only (Markdown pages and notebooks)."""
    locales = translation_locales(config_file)
    pages = sorted(p for p in docs.rglob("*") if p.suffix in (".md", ".ipynb"))
    originals = {page for page in pages if original_of(page, config_file) is None}
    translations = {page for page in pages if page not in originals}
    problems = [
        f"{page.relative_to(docs)} has no {locale} edition ({page.stem}.{locale}{page.suffix})"
        for page in sorted(originals)
        for locale in sorted(locales)
        if not page.with_name(f"{page.stem}.{locale}{page.suffix}").exists()
    ]
    problems += [
        f"{page.relative_to(docs)} translates {original_of(page, config_file).name}, which does not exist"
        for page in sorted(translations)
        if not original_of(page, config_file).exists()
    ]
    return problems


def heading_ids(page: Path) -> list[tuple[int, str | None]]:
    """Each heading of a page below its title: its level and its explicit id (None without one)."""
    # Front matter (`description:` between --- lines) would otherwise read as a setext heading.
    tokens = MarkdownIt("commonmark").use(front_matter_plugin).parse(page.read_text("utf-8-sig"))
    found = []
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type == "heading_open" and opening.tag != "h1":
            match = _ID.search(inline.content)
            found.append((int(opening.tag[1]), match.group(1) if match else None))
    return found


def heading_id_problems(original: Path, translation: Path) -> list[str]:
    problems = [f"{page.name}: a heading without an explicit {{#id}}" for page in (original, translation) if None in [i for _, i in heading_ids(page)]]
    if heading_ids(original) != heading_ids(translation):
        problems.append(f"heading levels or ids differ: {heading_ids(original)} in {original.name}, {heading_ids(translation)} in {translation.name}")
    return problems


def translations() -> list[Path]:
    return sorted(page for page in DOCS.rglob("*.md") if original_of(page, CONFIG) is not None)


def notebook_translations() -> list[Path]:
    return sorted(page for page in DOCS.rglob("*.ipynb") if original_of(page, CONFIG) is not None)


# --- The site's own pages -------------------------------------------------------------------------


def test_chinese_is_an_edition():
    assert translation_locales(CONFIG) == {"zh"}
    assert translations()


def test_every_page_exists_in_both_languages():
    assert missing_editions(DOCS, CONFIG) == []


@pytest.mark.parametrize("translation", translations(), ids=lambda p: p.name)
def test_headings_have_the_same_explicit_ids_in_both_editions(translation):
    assert heading_id_problems(original_of(translation, CONFIG), translation) == []


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.selector: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[2-6]", tag) and attrs.get("id"):
            self.headings.append(attrs["id"])
        if tag == "a" and "md-select__link" in (attrs.get("class") or ""):
            self.selector[attrs["hreflang"]] = attrs["href"]


def _parsed(path: Path) -> _Ids:
    ids = _Ids()
    ids.feed(path.read_text("utf-8"))
    return ids


@pytest.mark.parametrize("translation", translations() + notebook_translations(), ids=lambda p: p.name)
def test_built_pages_have_the_same_anchors_and_link_to_each_other(built_site, translation):
    """A link can switch language by its path alone: /convergence/#rate and /zh/convergence/#rate.
    A notebook's headings get their ids from the original notebook (overrides/hooks/notebook_i18n.py)."""
    original = original_of(translation, CONFIG)
    english, chinese = built_page(built_site, original), built_page(built_site, translation)
    assert chinese == built_site / "zh" / english.relative_to(built_site)
    english_ids, chinese_ids = _parsed(english), _parsed(chinese)
    assert english_ids.headings == chinese_ids.headings
    # The language selector of each leads to the other (relative addresses, resolved here).
    for page, ids, other in ((english, english_ids, chinese), (chinese, chinese_ids, english)):
        for lang, target in (("en", english), ("zh", chinese)):
            resolved = (page.parent / ids.selector[lang] / "index.html").resolve()
            assert resolved == target.resolve(), (page, lang, ids.selector[lang])


def test_the_notebook_is_a_page_in_both_editions(built_site):
    for edition in (built_site, built_site / "zh"):
        page = (edition / "explore" / "index.html").read_text("utf-8")
        assert 'class="jupyter-wrapper"' in page or "jp-Notebook" in page
    assert '<html lang="zh"' in (built_site / "zh" / "explore" / "index.html").read_text("utf-8")
    assert "自己动手探索" in (built_site / "zh" / "index.html").read_text("utf-8")  # its navigation label
    assert not (built_site / "zh" / "explore.zh").exists()  # the Chinese notebook is no page of its own


def _notebook_headings(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text("utf-8"))["cells"]
    return [line.lstrip("#").strip() for cell in cells if cell["cell_type"] == "markdown" for line in "".join(cell["source"]).splitlines() if line.startswith("#")]


@pytest.mark.parametrize("translation", notebook_translations(), ids=lambda p: p.name)
def test_each_edition_shows_its_own_notebook(built_site, translation):
    original = original_of(translation, CONFIG)
    english, chinese = (_Headings.of(built_page(built_site, page)) for page in (original, translation))
    assert english == _notebook_headings(original) and chinese == _notebook_headings(translation)
    assert not set(english) & set(chinese)


class _Headings(HTMLParser):
    """The text of a notebook page's headings (those of its Markdown cells, with a ¶ link)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._text: list[str] | None = None

    @classmethod
    def of(cls, page: Path) -> list[str]:
        parser = cls()
        parser.feed(page.read_text("utf-8"))
        return [text.removesuffix("¶").strip() for text in parser.found if text.endswith("¶")]

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._text = []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._text is not None:
            self.found.append("".join(self._text).strip())
            self._text = None


def test_the_chinese_search_index_is_segmented(built_site):
    """jieba splits Chinese text into words at build time; without it a query for 收敛 finds
    only sections that are exactly that word."""
    import json

    # The Chinese edition's own index (overrides/hooks/editions.py).
    index = json.loads((built_site / "zh" / "search" / "search_index.json").read_text("utf-8"))
    assert "zh" in index["config"]["lang"] and "\\u200b" in index["config"]["separator"]  # as a regex escape
    convergence = next(doc for doc in index["docs"] if doc["location"] == "zh/convergence/")
    assert re.search("\u200b收敛\u200b", convergence["title"]), convergence["title"]


# --- The checks themselves fail on broken editions --------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def scratch(tmp_path) -> Path:
    _write(
        tmp_path,
        {
            "mkdocs.yml": """\
                site_name: scratch
                plugins:
                  - search
                  - i18n:
                      docs_structure: suffix
                      languages:
                        - locale: en
                          default: true
                          name: English
                        - locale: zh
                          name: 简体中文
                """,
            "docs/a.md": "# A\n\n## One {#one}\n\n## Two {#two}\n",
            "docs/a.zh.md": "# 甲\n\n## 一 {#one}\n\n## 二 {#two}\n",
        },
    )
    translation_locales.cache_clear()
    yield tmp_path
    translation_locales.cache_clear()


def test_a_page_in_one_language_only_is_reported(scratch):
    config = str(scratch / "mkdocs.yml")
    assert missing_editions(scratch / "docs", config) == []
    _write(scratch, {"docs/b.md": "# B\n", "docs/c.zh.md": "# 丙\n", "docs/n.ipynb": "{}", "docs/m.zh.ipynb": "{}"})
    assert missing_editions(scratch / "docs", config) == [
        "b.md has no zh edition (b.zh.md)",
        "n.ipynb has no zh edition (n.zh.ipynb)",
        "c.zh.md translates c.md, which does not exist",
        "m.zh.ipynb translates m.ipynb, which does not exist",
    ]


@pytest.mark.parametrize(
    "chinese, problem",
    [
        ("# 甲\n\n## 一 {#one}\n\n## 二 {#second}\n", "heading levels or ids differ"),
        ("# 甲\n\n## 一 {#one}\n\n## 二\n", "a.zh.md: a heading without an explicit {#id}"),
        ("# 甲\n\n## 一 {#one}\n\n### 二 {#two}\n", "heading levels or ids differ"),
        ("# 甲\n\n## 二 {#two}\n\n## 一 {#one}\n", "heading levels or ids differ"),
    ],
)
def test_a_heading_id_that_differs_is_reported(scratch, chinese, problem):
    docs = scratch / "docs"
    assert heading_id_problems(docs / "a.md", docs / "a.zh.md") == []
    (docs / "a.zh.md").write_text(chinese, encoding="utf-8")
    assert any(p.startswith(problem) for p in heading_id_problems(docs / "a.md", docs / "a.zh.md"))


def _hook(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "overrides" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_line_break_inside_chinese_prose_is_no_space():
    join = _hook("cjk_line_breaks").join_cjk_lines
    assert join("<p>它会变成均匀分布，\n每个元素都趋近 1/n。</p>") == "<p>它会变成均匀分布，每个元素都趋近 1/n。</p>"
    assert join("<p>元素\n  之和</p>") == "<p>元素之和</p>"
    assert join("<p>对 PyTorch\n张量</p>") == "<p>对 PyTorch\n张量</p>"  # Chinese next to Latin keeps its space
    assert join('<p>套件；\n<a href="x/">输出</a>一页</p>') == '<p>套件；<a href="x/">输出</a>一页</p>'
    assert join('<p><em>收敛</em>\n到均匀分布</p>') == "<p><em>收敛</em>到均匀分布</p>"
    assert join('<pre><code>"收敛"\n"均匀"</code></pre>') == '<pre><code>"收敛"\n"均匀"</code></pre>'


def test_the_built_chinese_pages_have_no_stray_spaces(built_site):
    hook = _hook("cjk_line_breaks")
    for page in sorted((built_site / "zh").rglob("*.html")):
        text = page.read_text("utf-8")
        assert hook.join_cjk_lines(text) == text, page.relative_to(built_site)
