"""CONTRIBUTING.md and its Chinese translation stay in step, and name commands that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDES = [ROOT / "CONTRIBUTING.md", ROOT / "CONTRIBUTING.zh.md"]


def headings(text: str) -> list[str]:
    return re.findall(r"^(#{1,6}) ", text, flags=re.MULTILINE)


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```(?:bash|text|markdown)\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_both_languages_have_the_same_sections_and_commands():
    english, chinese = (guide.read_text("utf-8") for guide in GUIDES)
    assert headings(english) == headings(chinese)
    strip_comments = lambda block: [line.split("#")[0].rstrip() for line in block.splitlines()]  # noqa: E731
    assert [strip_comments(b) for b in code_blocks(english)] == [strip_comments(b) for b in code_blocks(chinese)]


def test_every_make_target_the_guides_name_exists():
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), flags=re.MULTILINE))
    for guide in GUIDES + [ROOT / "README.md"]:
        named = set(re.findall(r"\bmake ([a-z][a-z-]+)", guide.read_text("utf-8")))
        assert named and named <= targets, f"{guide.name}: {named - targets}"
