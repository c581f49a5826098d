"""One Chinese term per concept: the glossary in CONTRIBUTING.md and CONTRIBUTING.zh.md.

Each guide holds the same table, `| English | Chinese | Not |`: the concept, the one Chinese term
the edition uses for it, and the variants it does not use (separated by 、). A variant written
`一维（不含“最后一维”）` is not counted where it is part of one of the quoted words. The Chinese
pages, the Chinese notebook's text form, every Chinese string of the build hooks and templates,
and CONTRIBUTING.zh.md outside its table and inline code, must use none of the variants.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from support import ROOT

GUIDES = {"en": ROOT / "CONTRIBUTING.md", "zh": ROOT / "CONTRIBUTING.zh.md"}
HEADERS = {"en": ["English", "Chinese", "Not"], "zh": ["英文", "中文", "不用"]}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_EXCEPT = re.compile(r"^(?P<variant>.+?)（不含(?P<words>“[^”]+”(?:、“[^”]+”)*)）$")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def glossary_table(text: str, header: list[str]) -> tuple[list[list[str]], tuple[int, int]]:
    """The glossary's rows, and the span of the table in the text."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("|") and _cells(line) == header:
            end = index + 2  # past the header and its | --- | line
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            start = sum(map(len, lines[:index]))
            return [_cells(row) for row in lines[index + 2:end]], (start, start + sum(map(len, lines[index:end])))
    raise AssertionError(f"no glossary table with the header {header}")


def variants(rows: list[list[str]]) -> list[tuple[str, list[str], str]]:
    """(variant, words in which it is not counted, the term to use instead)."""
    found = []
    for english, chinese, not_used in rows:
        for entry in not_used.split("、"):
            match = _EXCEPT.match(entry)
            if match:
                found.append((match["variant"], re.findall(r"“([^”]+)”", match["words"]), chinese))
            else:
                found.append((entry, [], chinese))
    return found


def hits(text: str, variant: str, exceptions: list[str]) -> list[int]:
    """Where the variant occurs in the text, outside the words it is allowed in."""
    allowed = [range(m.start(), m.end()) for word in exceptions for m in re.finditer(re.escape(word), text)]
    return [m.start() for m in re.finditer(re.escape(variant), text)
            if not any(m.start() in span and m.end() <= span.stop for span in allowed)]


def _chinese_strings(path: Path) -> str:
    """Every string constant with Chinese in it, of a hook (Python) or the lines of a template."""
    if path.suffix == ".py":
        return "\n".join(node.value for node in ast.walk(ast.parse(path.read_text("utf-8")))
                         if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value))
    return "\n".join(line for line in path.read_text("utf-8").splitlines() if HAN.search(line))


def zh_texts() -> dict[str, str]:
    """What a Chinese reader or contributor reads, by where it is written."""
    texts = {str(page.relative_to(ROOT)): page.read_text("utf-8") for page in sorted((ROOT / "docs").glob("*.zh.md"))}
    texts["snippets/notebooks/explore.zh.py"] = (ROOT / "snippets" / "notebooks" / "explore.zh.py").read_text("utf-8")
    sources = [*sorted((ROOT / "overrides").rglob("*.py")), *sorted((ROOT / "overrides").rglob("*.html")),
               *sorted((ROOT / "docs" / "javascripts").glob("*.js")), ROOT / "mkdocs.yml"]
    for path in sources:
        texts[str(path.relative_to(ROOT))] = _chinese_strings(path)
    guide = GUIDES["zh"].read_text("utf-8")
    _, (start, end) = glossary_table(guide, HEADERS["zh"])
    texts["CONTRIBUTING.zh.md"] = re.sub(r"`[^`\n]*`", "", guide[:start] + guide[end:])
    return texts


def test_both_guides_hold_the_same_glossary():
    english, _ = glossary_table(GUIDES["en"].read_text("utf-8"), HEADERS["en"])
    chinese, _ = glossary_table(GUIDES["zh"].read_text("utf-8"), HEADERS["zh"])
    assert english, "the glossary is empty"
    assert all(len(row) == 3 and all(row) for row in english), english
    assert english == chinese


@pytest.mark.parametrize("name", sorted(zh_texts()))
def test_no_variant_of_a_glossary_term(name):
    rows, _ = glossary_table(GUIDES["zh"].read_text("utf-8"), HEADERS["zh"])
    text = zh_texts()[name]
    found = []
    for variant, exceptions, term in variants(rows):
        for at in hits(text, variant, exceptions):
            line = text.count("\n", 0, at) + 1
            found.append(f"{name}:{line}: {variant!r}, write {term!r} (glossary in CONTRIBUTING.zh.md)")
    assert not found, "\n".join(found)


def test_a_variant_is_found_and_an_allowed_word_is_not():
    assert hits("在最后一维上；一维张量", "一维", ["最后一维"]) == [7]
    assert variants([["1-D", "1 维", "一维（不含“最后一维”）"], ["x", "掩盖", "屏蔽、遮蔽"]]) == [
        ("一维", ["最后一维"], "1 维"), ("屏蔽", [], "掩盖"), ("遮蔽", [], "掩盖")]
