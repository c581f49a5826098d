"""The output checker for `pycon` fences: the standard library's doctest checker, plus exactly
the two equivalences the design allows, and nothing looser.

1. A tensor repr's `device='cuda:N'` argument counts as absent, so one expected output serves
   every device. Dropping it can change where torch wraps the arguments after it (`dtype=...`
   may move up a line), so when it was dropped, argument wrapping is compared without line breaks.
2. A float compares at the precision printed on the page: the expected `0.3333` matches an
   actual `0.33334` (the page shows the actual value correctly rounded), never `0.3334`, and
   never an actual printed with fewer digits than the page claims, with another sign or in the
   other notation. A number written the way torch writes whole values (`1.`) is exact.
"""

from __future__ import annotations

import doctest
import re
from decimal import Decimal

_DEVICE_ARGUMENT = re.compile(r",\s*device='cuda(?::\d+)?'")
# The keyword arguments torch's tensor repr appends after the data, which it wraps at linewidth.
_WRAPPED_ARGUMENT = re.compile(r",\n[ \t]*(?=(?:dtype|grad_fn|requires_grad|layout|size|nnz|names)=)")
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def drop_device(got: str) -> tuple[str, bool]:
    """The actual output without its cuda device arguments, and whether there were any."""
    dropped = _DEVICE_ARGUMENT.sub("", got)
    return dropped, dropped != got


def _resolution(number: str) -> Decimal:
    """The place value of the last printed digit: 0.001 for `0.333`, 1e-7 for `1.2345e-04`."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return Decimal(1).scaleb(int(exponent or 0) - decimals)


def same_at_printed_precision(expected: str, actual: str) -> bool:
    """`expected` is `actual` correctly rounded: written alike (the same sign, `-0.0` is not
    `0.0`; the same notation, `0.1000` is not `1.0000e-01`), with no more digits, and within half
    its last place of it. At a tie (`0.45` written `0.4` or `0.5`) either is accepted: the printed
    value is itself rounded, so the value it stands for may lie on either side."""
    if expected.endswith("."):
        return expected == actual
    if _sign(expected) != _sign(actual) or ("e" in expected.lower()) != ("e" in actual.lower()):
        return False
    if _resolution(actual) > _resolution(expected):
        return False
    return abs(Decimal(actual) - Decimal(expected)) <= _resolution(expected) / 2


def _sign(number: str) -> str:
    return number[0] if number[0] in "+-" else ""


def _align_numbers(want: str, got: str) -> str:
    """`got`, with each number that equals its counterpart in `want` at the printed precision
    written as in `want`; unchanged when the two do not have the same count of numbers."""
    wanted, actual = _NUMBER.findall(want), list(_NUMBER.finditer(got))
    if len(wanted) != len(actual):
        return got
    pieces, end = [], 0
    for expected, match in zip(wanted, actual):
        pieces.append(got[end : match.start()])
        pieces.append(expected if same_at_printed_precision(expected, match.group()) else match.group())
        end = match.end()
    pieces.append(got[end:])
    return "".join(pieces)


class TorchOutputChecker(doctest.OutputChecker):
    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        got, had_device = drop_device(got)
        if had_device:
            want, got = _WRAPPED_ARGUMENT.sub(", ", want), _WRAPPED_ARGUMENT.sub(", ", got)
        if super().check_output(want, got, optionflags):
            return True
        return super().check_output(want, _align_numbers(want, got), optionflags)
