"""Numbers in prose come from tests: the rule behind tests/test_prose_numbers.py.

A page's *prose* is everything on it, includes expanded, outside fenced code blocks: text,
headings, tables, maths, inline code, link texts, figure descriptions and the front matter.
A *prose number* is a number written with a decimal point or an exponent: `0.665`,
`103.97`, `1e-45`, `1.8e308`, or in maths `1.4 \\times 10^{-45}`. Whole numbers are not
checked: they are mostly counts, sizes, indices, years and page numbers.

A prose number is *backed* when one of these shows it, to the precision the prose writes it:

- a fence on the page (its code or its expected output), includes expanded;
- the code of a figure the page shows (`figures/NAME.svg` is drawn by
  `snippets/figures/NAME.py`, which asserts what it draws);
- a citation: the sentence that states the number links to its source (an address
  starting with `http`).

"To the precision the prose writes it" is the rule of the output checker: a backing number
b backs a prose number v written with d digits after the point when b rounded to d digits
is v (`0.27` is backed by `0.2689`, not by `0.2649`); exponents are compared as written
(`1.4 \\times 10^{-45}` is backed by `1.4013e-45`). A number that the page states as
something else (a version, an identifier) is listed, with its reason, in
tests/prose_number_exceptions.py, the one place for exceptions.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from documents.includes import expand_page  # noqa: E402
from documents.syntax import fence_parser  # noqa: E402
from prose_number_exceptions import EXCEPTIONS  # noqa: E402
from support import ROOT  # noqa: E402

CONFIG = str(ROOT / "mkdocs.yml")

# Maths in scientific notation first, so that its mantissa is not read as a plain number.
_LATEX_SCI = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*\\times\s*10\^\{?([-−]?\d+)\}?")
_NUMBER = re.compile(r"(?<![\w.])(\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w])")
# Not numbers: addresses and identifiers that merely contain digits and dots.
_NOT_NUMBERS = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+|arXiv:\S+|cond-mat/\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")


@dataclass(frozen=True)
class ProseNumber:
    text: str  # as written on the page
    mantissa: Decimal
    exponent: int  # the power of ten written in the prose (0 for plain numbers)
    line: str  # the prose line it came from, for the message


def _parse(text: str) -> tuple[Decimal, int]:
    """A number as written: its mantissa and the power of ten written after it."""
    if "e" in text.lower():
        mantissa, exponent = re.split("[eE]", text)
        return Decimal(mantissa), int(exponent)
    return Decimal(text), 0


def split_page(text: str) -> tuple[str, str]:
    """(prose, fences) of an expanded page: the lines outside fenced blocks, and those inside,
    the fences found by the parser the harness reads pages with."""
    lines, inside = text.split("\n"), set()
    for token in fence_parser().parse(text):
        if token.type == "fence" and token.map:
            inside.update(range(*token.map))
    prose = [line for number, line in enumerate(lines) if number not in inside]
    fences = [line for number, line in enumerate(lines) if number in inside]
    return "\n".join(prose), "\n".join(fences)


def prose_numbers(prose: str) -> list[ProseNumber]:
    found = []
    for line in prose.split("\n"):
        line = _NOT_NUMBERS.sub(" ", line)
        for match in _LATEX_SCI.finditer(line):
            exponent = int(match.group(2).replace("−", "-"))
            found.append(ProseNumber(match.group(0), Decimal(match.group(1)), exponent, line.strip()))
        for match in _NUMBER.finditer(_LATEX_SCI.sub(" ", line)):
            mantissa, exponent = _parse(match.group(1))
            found.append(ProseNumber(match.group(1), mantissa, exponent, line.strip()))
    return found


def backing_values(text: str) -> list[Decimal]:
    """Every number written in `text` (code, outputs, figure code), as exact decimals."""
    values = []
    for match in re.finditer(r"(?<![\w.])(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)", text):
        token = match.group(1).rstrip(".")
        try:
            values.append(Decimal(token))
        except ArithmeticError:
            continue
    return values


def backs(value: Decimal, number: ProseNumber) -> bool:
    """Whether `value`, rounded as the prose writes `number`, is `number` (the checker's rule)."""
    places = -number.mantissa.as_tuple().exponent  # digits after the point, as written
    scaled = abs(value).scaleb(-number.exponent)
    if abs(scaled - abs(number.mantissa)) > 1:  # far apart (and beyond quantize's precision)
        return False
    unit = Decimal(1).scaleb(-places)
    return any(scaled.quantize(unit, rounding=mode) == abs(number.mantissa) for mode in (ROUND_HALF_EVEN, ROUND_HALF_UP))


def cited_sentences(prose: str) -> list[str]:
    """The sentences of the prose that link to an outside source."""
    paragraphs = re.split(r"\n\s*\n", prose)
    sentences = [s for p in paragraphs for s in _SENTENCE_END.split(p.replace("\n", " "))]
    return [s for s in sentences if re.search(r"\]\(https?://|<https?://", s)]


def figure_code(prose: str) -> str:
    names = set(re.findall(r"figures/([\w-]+?)(?:-dark)?\.svg", prose))
    return "\n".join((ROOT / "snippets" / "figures" / f"{name}.py").read_text("utf-8") for name in sorted(names))


def unbacked(page: Path) -> list[ProseNumber]:
    """The prose numbers of `page` that nothing on it backs, minus the listed exceptions."""
    expanded = expand_page(page, CONFIG)
    prose, fences = split_page(expanded.text)
    values = backing_values(fences + "\n" + figure_code(prose))
    cited = cited_sentences(prose)
    key = page.resolve().relative_to(ROOT).as_posix() if page.resolve().is_relative_to(ROOT) else str(page)
    allowed = EXCEPTIONS.get(key, {})
    missing = []
    for number in prose_numbers(prose):
        if number.text in allowed:
            continue
        if any(backs(value, number) for value in values):
            continue
        if any(number.text in _NOT_NUMBERS.sub(" ", sentence) for sentence in cited):
            continue
        missing.append(number)
    return missing
