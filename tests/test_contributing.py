"""CONTRIBUTING.md and its Chinese translation stay in step, and name commands that exist."""

from __future__ import annotations

import re
from support import ROOT

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


# The edge classes of the review step (issue 21): each named by a token both editions share,
# so that dropping a class from either guide, or translating one guide only, fails here.
REVIEW_EDGE_CLASSES = {
    "n = 1": "n = 1",
    "n = 2 against n ≥ 3": "n ≥ 3",
    "+inf and nan beside finite values": "+inf",
    "flush-to-zero": "set_flush_denormal",
    "CPU vector width and threads": "ATEN_CPU_CAPABILITY",
    "float ties and one-ulp swaps": "ulp",
    "a sum overflowing before its terms": "[11., 11.]",
    "a grid point stated as an edge": "β = 2",
    "a check that stops before the event": "35",
    "a result for one n stated for all n": "n = 5",
    "a tool tried on the shapes readers use": "(N, C, H, W)",
}


def review_step(text: str) -> list[str]:
    """The bullets of the review section: from its heading to the next heading."""
    section = re.search(r"^### (?:Adversarial review|修改内容之前的对抗式审阅).*?\n(.*?)^#", text,
                        flags=re.MULTILINE | re.DOTALL)
    assert section, "the review section is missing"
    return re.findall(r"^- (.*?)(?=^- |^\S|\Z)", section.group(1), flags=re.MULTILINE | re.DOTALL)


def test_the_review_step_lists_every_edge_class_in_both_languages():
    english, chinese = (review_step(guide.read_text("utf-8")) for guide in GUIDES)
    assert len(english) == len(chinese), "the two guides list a different number of edge classes"
    for name, token in REVIEW_EDGE_CLASSES.items():
        for guide, bullets in zip(GUIDES, (english, chinese)):
            assert any(token in bullet for bullet in bullets), f"{guide.name}: no edge class for {name}"
