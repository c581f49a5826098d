"""The errors page quotes each message exactly as PyTorch prints it.

docs/errors.md (and its Chinese edition) answers one error or warning per section, and quotes
the message in the section's heading, in a code span, so that a reader who pastes it into the
search box finds the section. The harness proves that every expected output of the page is
what PyTorch prints; this test proves that each section's quote is in the expected output of
that section's own examples, in a traceback or in a printed warning. A quote that drifts from
what PyTorch prints (a typo, another release's wording, a message moved to another section)
fails here, naming the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from documents.includes import expand_page
from documents.syntax import fence_parser
from support import ROOT

CONFIG = str(ROOT / "mkdocs.yml")
PAGES = [ROOT / "docs" / "errors.md", ROOT / "docs" / "errors.zh.md"]
MINIMUM_SECTIONS = 12
_ID = re.compile(r"\{:?\s*#([\w-]+)\s*\}\s*$")
_WARNING_LINE = re.compile(r"^\w*Warning: ")
_TRACEBACK = "Traceback (most recent call last):"


@dataclass
class Section:
    id: str
    quote: str | None  # the first code span of the heading
    outputs: list[list[str]] = field(default_factory=list)  # each example's expected output lines


def _outputs(fence: str) -> list[list[str]]:
    """The expected outputs of a pycon fence: the lines under each piece of code, as blocks."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in fence.split("\n"):
        if line.startswith((">>> ", "... ")) or line in (">>>", "..."):
            current = None
        elif line:
            if current is None:
                current = []
                blocks.append(current)
            current.append(line)
    return blocks


SETUP = "setup"


def sections(text: str) -> list[Section]:
    """The page's sections (its `##` headings) with their quotes and their examples' outputs."""
    found: list[Section] = []
    tokens = fence_parser().parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            inline = tokens[index + 1]
            match = _ID.search(inline.content)
            spans = [child.content for child in inline.children or [] if child.type == "code_inline"]
            found.append(Section(match.group(1) if match else inline.content, spans[0] if spans else None))
        elif token.type == "fence" and token.info.split()[:1] == ["pycon"] and found:
            found[-1].outputs.extend(_outputs(token.content))
    # The set-up section ({#setup}, the page's imports and helper, kept out of the page's own
    # search entry) answers no message.
    return [section for section in found if section.id != SETUP]


def shown_by_pytorch(quote: str, outputs: list[list[str]]) -> bool:
    """Whether `quote` is in an exception's message in a traceback, or in a printed warning."""
    for block in outputs:
        if block[0] == _TRACEBACK and quote in "\n".join(block[1:]):
            return True
        if any(_WARNING_LINE.match(line) and quote in line for line in block):
            return True
    return False


def problems(text: str) -> list[str]:
    found = []
    for section in sections(text):
        if not section.quote:
            found.append(f"#{section.id}: its heading quotes no message in a code span")
        elif not section.outputs:
            found.append(f"#{section.id}: no pycon example shows its message")
        elif not shown_by_pytorch(section.quote, section.outputs):
            found.append(f"#{section.id}: {section.quote!r} is not in a traceback or a warning its examples print")
    return found


def expanded(page: Path) -> str:
    return expand_page(page, CONFIG).text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_each_quoted_message_is_printed_by_its_own_example(page):
    assert not problems(expanded(page))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_page_answers_at_least_twelve_messages(page):
    assert len(sections(expanded(page))) >= MINIMUM_SECTIONS


def test_both_editions_quote_the_same_messages():
    english, chinese = ([(s.id, s.quote) for s in sections(expanded(page))] for page in PAGES)
    assert english == chinese


def test_an_altered_quote_fails():
    """The check itself: change one character of any quote, or quote a message another section
    shows, and that section is reported."""
    text = expanded(PAGES[0])
    quotes = [section.quote for section in sections(text)]
    for number, quote in enumerate(quotes):
        altered = quote[:-1] + ("X" if quote[-1] != "X" else "Y")
        heading = next(line for line in text.split("\n") if line.startswith("## ") and quote in line)
        changed = text.replace(heading, heading.replace(quote, altered, 1), 1)
        assert any(problem.startswith(f"#{sections(text)[number].id}:") for problem in problems(changed)), quote
    first = next(line for line in text.split("\n") if line.startswith("## ") and quotes[0] in line)
    swapped = text.replace(first, first.replace(quotes[0], quotes[1], 1), 1)
    assert any(problem.startswith(f"#{sections(text)[0].id}:") for problem in problems(swapped))
