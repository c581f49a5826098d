"""The site builds cleanly, loads nothing from other hosts, and shows exactly the fences the
harness runs."""

from __future__ import annotations

import html
import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.config import load_config

from support import build_site, page_address
from documents.editions import original_of
from documents.comments import TranslationError, load_table, translated
from documents.regions import code_blocks, page_fences
from documents.syntax import RUN_LANGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG = str(ROOT / "mkdocs.yml")


def built_page(site: Path, page: Path) -> Path:
    """The HTML file that the Markdown `page` (in docs/, in any edition) is built to."""
    original = original_of(page, CONFIG)
    edition = site / page.suffixes[-2][1:] if original else site
    return edition / page_address(original or page) / "index.html"


build = build_site


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


def test_strict_build_has_no_warnings(site):
    assert (site / "index.html").exists()


def test_navigation_reads_from_the_question_to_the_caveats():
    nav = [entry if isinstance(entry, str) else next(iter(entry.values())) for entry in load_config(str(ROOT / "mkdocs.yml"))["nav"]]
    assert nav[:5] == ["index.md", "softmax.md", "convergence.md", "sharpening.md", "caveats.md"]
    pages = [p for p in DOCS.glob("*.*") if p.suffix in (".md", ".ipynb") and original_of(p, CONFIG) is None]
    assert sorted(nav) == sorted(p.relative_to(DOCS).as_posix() for p in pages)


def test_link_and_anchor_validation_is_on():
    validation = load_config(str(ROOT / "mkdocs.yml"))["validation"]
    levels = {**{f"links.{k}": v for k, v in validation["links"].items()}, **{f"nav.{k}": v for k, v in validation["nav"].items()}}
    assert levels == dict.fromkeys(levels, logging.WARNING), "every check must warn, so that --strict fails"
    assert len(levels) == 7


@pytest.mark.parametrize(
    "breakage, message",
    [
        ("[a broken anchor](#no-such-heading)", "no-such-heading"),
        ("[a broken link](no-such-page.md)", "no-such-page.md"),
        ('--8<-- "no-such-snippet.md"', "no-such-snippet.md"),
        (r"A formula that does not parse: $\frac{1}{$", "cannot render the formula"),
        (r"A formula with an unknown command: $\notacommand{x}$", "uses \\notacommand"),
    ],
)
def test_strict_build_fails_on_a_broken_link_anchor_or_include(project_copy, tmp_path, breakage, message):
    index = project_copy / "docs" / "index.md"
    index.write_text(index.read_text("utf-8") + "\n" + breakage + "\n", encoding="utf-8")
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "notebook, label",
    [("explore.ipynb", "Download this notebook"), ("explore.zh.ipynb", "下载这个 notebook")],
)
def test_the_notebook_page_shows_described_figures_and_a_download_link(site, notebook, label):
    """Each edition's notebook page shows that edition's notebook, and downloads it."""
    source = DOCS / notebook
    directory = built_page(site, source).parent
    page = (directory / "index.html").read_text("utf-8")
    assert page.count('src="data:image/png;base64,') == 2
    assert "No description has been provided" not in page  # every figure has its own alt text
    alts = [cell["metadata"]["alt"] for cell in json.loads(source.read_text("utf-8"))["cells"] if "alt" in cell["metadata"]]
    assert len(alts) == 2 and all(f'alt="{html.escape(alt)}"' in page for alt in alts)
    assert f'<a href="{notebook}" title="{label}" aria-label="{label}"' in page
    assert (directory / notebook).read_bytes() == source.read_bytes()
    assert [p.name for p in directory.glob("*.ipynb")] == [notebook]


def test_every_link_within_a_page_leads_to_an_id_on_it(site):
    """Tables of contents and heading links included: mkdocs checks the anchors that pages
    write, not those that a plugin makes (mkdocs-jupyter once linked a Chinese heading to #_1)."""
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        ids = set(re.findall(r'\bid="([^"]+)"', text))
        assert set(re.findall(r'href="#([^"]*)"', text)) <= ids, page.relative_to(site)


def test_a_translated_notebook_with_other_headings_fails_the_build(project_copy, tmp_path):
    notebook = project_copy / "docs" / "explore.zh.ipynb"
    notebook.write_text(notebook.read_text("utf-8").replace('"## 每一轮', '"### 每一轮', 1), "utf-8")
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert "explore.zh.ipynb: its headings differ from those of explore.ipynb" in result.stderr


def test_math_is_rendered_to_mathml_at_build(site):
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert 'class="arithmatex"' not in text, page  # every formula was converted
        # latex2mathml's output, its namespace dropped (HTML puts <math> in it anyway).
        assert text.count("<math") == len(re.findall(r'<math display="(?:inline|block)">', text)), page


def test_the_try_it_box_loads_its_assets_on_the_pages_that_show_it_only(site):
    for page in site.rglob("*.html"):
        text, where = page.read_text("utf-8"), page.relative_to(site).as_posix()
        shows_box = where in ("index.html", "zh/index.html")
        assert ('class="try-it"' in text) == shows_box, where
        assert ("javascripts/try-it.js" in text) == shows_box == ("stylesheets/try-it.css" in text), where


class _ResourceFinder(HTMLParser):
    """Every URL a page makes the browser fetch by itself (not links the reader may follow)."""

    FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
                "video": "src", "embed": "src", "object": "data", "track": "src", "input": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):  # stylesheets, icons, preconnect, preload, manifest
            if attrs.get("rel") not in ("canonical", "alternate", "prev", "next"):
                self.urls.append(attrs["href"])
        elif tag in self.FETCHING and attrs.get(self.FETCHING[tag]):
            self.urls.append(attrs[self.FETCHING[tag]])
        if attrs.get("style"):
            self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs["style"])


def _is_other_host(url: str) -> bool:
    return bool(re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:)?//", url)) and not url.startswith("data:")


def test_each_edition_has_a_search_index_of_its_own_pages(site):
    """overrides/hooks/editions.py: the merged index is split, every page in exactly one."""
    english = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    chinese = json.loads((site / "zh" / "search" / "search_index.json").read_text("utf-8"))
    english_pages = {d["location"].split("#")[0] for d in english["docs"]}
    chinese_pages = {d["location"].split("#")[0] for d in chinese["docs"]}
    assert not any(page.startswith("zh/") for page in english_pages)
    assert chinese_pages and all(page.startswith("zh/") for page in chinese_pages)
    assert {f"zh/{page}" for page in english_pages} == chinese_pages  # the same pages, each edition
    assert english["config"] == chinese["config"]  # the same settings: language list, separator
    for edition, prefix in (("questions", '""'), ("zh/questions", '"zh/"')):
        assert f"const edition = {prefix}" in (site / edition / "index.html").read_text("utf-8")


def test_nothing_is_loaded_from_other_hosts(site):
    offenders = []
    for page in site.rglob("*.html"):
        finder = _ResourceFinder()
        finder.feed(page.read_text("utf-8"))
        offenders += [f"{page.relative_to(site)}: {url}" for url in finder.urls if _is_other_host(url)]
    for sheet in site.rglob("*.css"):
        text = sheet.read_text("utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
            if _is_other_host(url):
                offenders.append(f"{sheet.relative_to(site)}: {url}")
    assert not offenders, "\n".join(offenders)


def test_every_page_links_to_its_markdown_source_without_fetching_repository_facts(site):
    config = load_config(str(ROOT / "mkdocs.yml"))
    edit_base = config["repo_url"].rstrip("/") + "/" + config["edit_uri"]
    for page in sorted(DOCS.rglob("*.md")):
        relative = page.relative_to(DOCS)
        built = built_page(site, page).read_text("utf-8")
        assert f'href="{edit_base}{relative.as_posix()}"' in built, relative
        # Material's "source" component would ask api.github.com for star and fork counts.
        assert 'data-md-component="source"' not in built, relative


# How a `notest` block's title begins, in each edition (CONTRIBUTING.md and its translation).
NOT_RUN = ("Not run:", "不运行：")


def _rendered_python_blocks(html_file: Path) -> list[str]:
    """The Python blocks a reader sees that are said to run: every one but those titled "Not run: ..."
    The blocks are read as the harness reads them (documents.regions.code_blocks): the code only,
    not a title or a line-number column."""
    blocks = code_blocks(html_file.read_text("utf-8"))
    return [b.text.strip("\n") for b in blocks if b.language in RUN_LANGS and not (b.title or "").startswith(NOT_RUN)]


def _fences_the_harness_sees(page: Path) -> list[str]:
    """The fences of `page` as its edition shows them: on a Chinese page, each comment and
    docstring in the Chinese text of snippets/comments.zh.yml (tests/documents/comments.py), and
    nothing else changed."""
    fences = page_fences(page, CONFIG)
    if original_of(page, CONFIG) is None:
        return [fence.content.strip("\n") for fence in fences]
    table = load_table(ROOT)
    shown = []
    for fence in fences:
        try:
            shown.append(translated(fence.content, fence.info.lang, table).strip("\n"))
        except TranslationError as error:
            raise AssertionError(f"{fence.origin}: {error}") from None
    return shown


def test_every_python_block_a_reader_sees_is_a_fence_the_harness_runs(site):
    """Python-Markdown decides what the reader sees, markdown-it what the harness runs: they must agree."""
    pages = sorted(DOCS.rglob("*.md"))
    assert pages
    for page in pages:
        built = built_page(site, page)
        assert _rendered_python_blocks(built) == _fences_the_harness_sees(page), page


def test_the_build_imports_neither_pytest_nor_the_harness(tmp_path):
    """The site build stands on its own: with pytest, pytest-markdown-docs and the harness's
    plugin made unimportable, `mkdocs build --strict` still builds every page."""
    blocked = ("pytest", "_pytest", "pytest_markdown_docs", "xdist", "fences")
    code = (
        "import sys\n"
        f"for name in {blocked!r}: sys.modules[name] = None  # importing any of them now fails\n"
        "from mkdocs.__main__ import cli\n"
        f"sys.argv = ['mkdocs', 'build', '--strict', '--site-dir', {str(tmp_path / 'site')!r}]\n"
        "cli()\n"
    )
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "verification" / "index.html").exists()


@pytest.mark.parametrize("page", ["verification.md", "verification.zh.md"])
def test_the_verification_page_states_the_versions_of_the_committed_record(site, page):
    """What both editions say of the committed record: the pinned torch (read from
    requirements.txt), and the last CUDA run's torch, CUDA, GPU and date, its examples counted
    apart when its torch is not the pinned one."""
    from documents import record

    pinned = record.pinned_torch(ROOT / "requirements.txt")
    committed = record.read(DOCS / "cuda-record.json")
    env = committed["environment"]
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", built_page(site, DOCS / page).read_text("utf-8"))))
    assert "pinned-torch" not in text and "cuda-status" not in text
    assert f"PyTorch {pinned}" in text
    for fact in (env["torch"], env["cuda"], env["gpu"], committed["written"][:10]):
        assert fact in text, fact
    hooks = __import__("support").load_hook("verification")
    words = hooks.TEXT["zh" if page.endswith(".zh.md") else "en"]
    if record.same_torch(env["torch"], pinned):
        assert words["same"] in text and words["other"] not in text
    else:  # docs/cuda-record.json of 2026-11-26: torch 2.11.0+cu130, the pin since 2.13.0
        assert words["other"] in text and words["same"] not in text
        passed = sum(entry["result"] == "passed" for entry in committed["entries"])
        apart = re.search(re.escape(words["verified_other"].format(torch=env["torch"], pinned=pinned)) + r" (\d+)", text)
        assert apart and 0 < int(apart.group(1)) <= passed
        assert re.search(re.escape(words["verified"].format(pinned=pinned)) + r" 0 ", text)
