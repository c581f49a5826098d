"""Numbers in prose come from tests: every decimal number a page states outside its code is
printed or asserted by a fence on that page, drawn by the figure code it shows, or cited.

The rule, what counts as prose and as backing, is in tests/prose_numbers.py; the exceptions,
each with its reason, are in tests/prose_number_exceptions.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prose_numbers import ROOT, backs, prose_numbers, split_page, unbacked
from prose_number_exceptions import EXCEPTIONS

PAGES = sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_prose_number_is_backed(page):
    missing = unbacked(page)
    assert not missing, f"{page.relative_to(ROOT)}: numbers in the prose that no fence, figure code or " \
        "citation on the page shows (print or assert them in a fence, or cite the source):\n" + "\n".join(
            f"  {number.text}  in: {number.line}" for number in missing)


def test_every_exception_is_still_needed():
    for page, numbers in EXCEPTIONS.items():
        assert (ROOT / page).is_file(), page
        written = {number.text for number in prose_numbers(split_page((ROOT / page).read_text("utf-8"))[0])}
        for number, reason in numbers.items():
            assert reason.strip(), (page, number)
            assert number in written, f"{page}: the exception for {number} is no longer needed"


def write_page(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "scratch.md"
    page.write_text(body, "utf-8")
    return page


def test_a_hand_typed_number_fails(tmp_path):
    page = write_page(tmp_path, "Softmax of [1, 2, 3] puts 0.665 on the largest entry.\n")
    assert [number.text for number in unbacked(page)] == ["0.665"]


def test_a_printed_number_backs_the_prose(tmp_path):
    page = write_page(tmp_path, (
        "Softmax of [1, 2, 3] puts 0.665 on the largest entry:\n\n"
        "```pycon\n>>> F.softmax(torch.tensor([1., 2., 3.]), dim=0)\n"
        "tensor([0.0900, 0.2447, 0.6652])\n```\n"))
    assert unbacked(page) == []


def test_a_wrongly_rounded_number_is_not_backed(tmp_path):
    # 0.6652 rounds to 0.665, not to 0.666: the prose may round, but not differently.
    page = write_page(tmp_path, (
        "It puts 0.666 on the largest entry.\n\n```pycon\n>>> p\ntensor([0.0900, 0.2447, 0.6652])\n```\n"))
    assert [number.text for number in unbacked(page)] == ["0.666"]


def test_numbers_in_maths_and_exponents_are_checked(tmp_path):
    page = write_page(tmp_path, (
        "A gap of 103.7 leaves $1.4 \\times 10^{-45}$, and $e^{-104} \\approx 6.8 \\times 10^{-46}$; "
        "and 1e-45 rounds it, but 2e-45 does not.\n\n```pycon\n>>> F.softmax(torch.tensor([0., -103.7]), dim=0)\n"
        "tensor([1.0000e+00, 1.4013e-45])\n```\n"))
    assert [number.text for number in unbacked(page)] == ["6.8 \\times 10^{-46}", "2e-45"]


def test_a_cited_sentence_backs_its_number(tmp_path):
    page = write_page(tmp_path, (
        "The constant is 0.5 ([Nair, 2025](https://arxiv.org/abs/2510.23012)). "
        "Another constant is 0.7.\n"))
    assert [number.text for number in unbacked(page)] == ["0.7"]


def test_figure_code_backs_the_page_that_shows_it(tmp_path):
    text = "The start is about 0.403.\n\n"
    assert [number.text for number in unbacked(write_page(tmp_path, text))] == ["0.403"]
    shown = text + "![alt](figures/sharpening.svg#only-light)\n"
    # snippets/figures/sharpening.py writes NEAR_LOGIT = 0.3, not 0.403: still unbacked.
    assert [number.text for number in unbacked(write_page(tmp_path, shown))] == ["0.403"]
    assert unbacked(write_page(tmp_path, "Its start is softmax([0.3, 0, 0]).\n\n" + shown[len(text):])) == []


def test_whole_numbers_and_addresses_are_not_prose_numbers():
    prose = "For n = 3, 5000 passes; see [arXiv:1704.00805](https://arxiv.org/abs/1704.00805) and torch 2."
    assert prose_numbers(prose) == []


def test_rounding_rule():
    from decimal import Decimal

    number = prose_numbers("0.27")[0]
    assert backs(Decimal("0.2689"), number) and not backs(Decimal("0.2649"), number)
