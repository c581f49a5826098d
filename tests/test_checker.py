"""The output checker allows exactly two equivalences (checker.py); everything else must differ."""

from __future__ import annotations

import pytest

from fences.checker import TorchOutputChecker


def matches(want: str, got: str) -> bool:
    return TorchOutputChecker().check_output(want + "\n", got + "\n", 0)


@pytest.mark.parametrize(
    "want, got",
    [
        ("tensor([0.3333, 0.6667])", "tensor([0.3333, 0.6667])"),
        ("0.3333", "0.33334"),  # the page shows the actual value, correctly rounded
        ("0.3333", "0.33325"),  # a tie may round either way
        ("0.3334", "0.33335"),
        ("1.2346e-05", "1.23456e-05"),
        ("tensor([1., 2.])", "tensor([1., 2.], device='cuda:0')"),
        ("tensor([1., 2.], dtype=torch.float64)", "tensor([1., 2.], device='cuda:0', dtype=torch.float64)"),
        (  # the device argument made torch wrap dtype onto its own line
            "tensor([0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000], dtype=torch.float64)",
            "tensor([0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000], device='cuda:0',\n"
            "       dtype=torch.float64)",
        ),
    ],
)
def test_equivalent(want, got):
    assert matches(want, got)


@pytest.mark.parametrize(
    "want, got",
    [
        ("tensor([0.3333, 0.6667])", "tensor([0.3334, 0.6667])"),  # one wrong digit
        ("0.3333", "0.3334"),
        ("0.3333", "0.33336"),  # rounds to 0.3334
        ("0.3333", "0.333"),  # printed less precisely than the page claims
        ("1.", "1.0001"),  # torch's whole-number style is exact
        ("1.2346e-05", "1.2340e-05"),
        ("tensor([1., 2.])", "tensor([1., 3.], device='cuda:0')"),
        ("tensor([1., 2.])", "tensor([1., 2.], dtype=torch.float64)"),
        ("torch.float32", "torch.float64"),
        ("tensor(3)", "tensor(4)"),  # integers are compared as text
        # without a device argument, wrapping is compared as printed
        ("tensor([1., 2.],\n       dtype=torch.float64)", "tensor([1., 2.], dtype=torch.float64)"),
        ("1\n2", "1\n2\n3"),
        ("1\n2\n3", "1\n2"),
        ("0.0", "-0.0"),  # the sign of zero is printed, and compared
        ("0.5", "+0.5"),
        ("-0.5", "0.5"),
        ("tensor([0.1000, 0.0000])", "tensor([1.0000e-01, 1.0000e-05])"),  # torch chose the other notation
    ],
)
def test_different(want, got):
    assert not matches(want, got)
