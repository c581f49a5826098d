"""The harness on pytest-markdown-docs' public ground: this file fails loudly if a release of it
changes what the harness relies on (tests/fences/upstream.py), or reads a fence otherwise than
documents/syntax.py reads it. It is the only place that looks inside pytest-markdown-docs."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_markdown_docs import hooks
from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests, parse_superfences_block_info

from documents.editions import originals
from documents.includes import expand_page
from documents.regions import fences_of
from documents.syntax import fence_parser, read_info
from support import ROOT

CONFIG = str(ROOT / "mkdocs.yml")

INFO_STRINGS = [
    "python",
    "py",
    "python3",
    "pycon",
    "python notest",
    "{.python notest}",
    '{.python notest title="Not run: a reason with spaces"}',
    "{ .pycon #anchor linenums='1' }",
    "{#id .python .extra notest}",
    "  python  ",
    "",
    "text",
]


def test_the_documented_hooks_and_options_exist(pytestconfig):
    assert callable(hooks.pytest_markdown_docs_markdown_it) and callable(hooks.pytest_markdown_docs_globals)
    assert pytestconfig.getoption("markdowndocs") is True
    assert pytestconfig.getoption("markdowndocs_syntax") == "superfences"


@pytest.mark.parametrize("info", INFO_STRINGS)
@pytest.mark.parametrize("syntax", ["superfences", "default"])
def test_an_info_string_reads_as_upstream_reads_it(info, syntax):
    upstream = parse_superfences_block_info(info) if syntax == "superfences" else info.split()
    ours = read_info(info, syntax)
    assert [ours.lang, *ours.options] == (upstream or [""])


def upstream_python_fences(text: str, path: Path) -> list[tuple[int, str]]:
    found = extract_fence_tests(fence_parser(), text, 0, path, fence_syntax=FenceSyntax.superfences)
    return [(test.start_line, test.source.lstrip("\n")) for test in found]


@pytest.mark.parametrize("page", originals((ROOT / "docs").rglob("*.md"), CONFIG), ids=lambda p: p.name)
def test_the_python_fences_of_every_page_are_those_upstream_finds(page):
    expanded = expand_page(page, CONFIG)
    ours = [(f.start_line, f.content.lstrip("\n")) for f in fences_of(expanded, fence_parser()) if f.kind == "python"]
    assert ours == upstream_python_fences(expanded.text, page)


def test_a_corpus_of_fence_spellings_is_read_as_upstream_reads_it(tmp_path):
    text = "".join(f"```{info}\nx = {n}\n```\n\n" for n, info in enumerate(["python", "py", "python3", "{.python notest}", "{.python}", "pycon", "text"]))
    page = tmp_path / "page.md"
    page.write_text(text)
    found = upstream_python_fences(text, page)
    assert [source for _, source in found] == ["x = 0\n", "x = 1\n", "x = 2\n", "x = 4\n"]
    ours = [read_info(info) for info in ["python", "py", "python3", "{.python notest}", "{.python}", "pycon", "text"]]
    assert [n for n, info in enumerate(ours) if info.lang in ("python", "py", "python3") and not info.notest] == [0, 1, 2, 4]


def test_upstream_collects_nothing_of_its_own_beside_the_harness(pytester):
    pytester.makeini((ROOT / "pytest.ini").read_text().replace("pythonpath = tests", f"pythonpath = {ROOT / 'tests'}"))
    pytester.makefile(
        ".yml", mkdocs="site_name: x\nplugins: []\nmarkdown_extensions:\n  - pymdownx.superfences\n  - pymdownx.snippets:\n      check_paths: true\n"
    )
    pytester.mkdir("docs")
    (pytester.path / "docs" / "page.md").write_text("# P\n\n```python\nx = 1\n```\n")
    (pytester.path / "test_module.py").write_text('def f():\n    """```python\n    raise SystemExit\n    ```"""\n')
    result = pytester.runpytest_inprocess("--collect-only", "-q", "--devices=cpu", "-p", "no:cacheprovider", "docs", "test_module.py")
    ids = [line for line in result.stdout.lines if "::" in line]
    assert ids == ["docs/page.md::[CodeFence#1][line:3][cpu]"]
