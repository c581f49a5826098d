"""Property tests behind the central claims of the article, on inputs hypothesis chooses.

The pages show each claim on a few inputs; these check it on many: repeated softmax reaches
1/n from any finite input of any size 2..50, never reorders the entries, shrinks the
deviation from 1/n by a factor tending to 1/n per pass, the uniform point of
p -> softmax(beta p) is stable exactly when beta < n, and the beta_s(n) printed on the
sharpening page are where sharp fixed points appear. Runs are derandomized, so CI sees the
same examples every time.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
settings.register_profile("site", derandomize=True, database=None, deadline=None, max_examples=60)
settings.load_profile("site")

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
vectors = st.lists(finite, min_size=2, max_size=50)
moderate = st.lists(st.floats(min_value=-8, max_value=8), min_size=2, max_size=50)


def softmax(p: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    return torch.softmax(beta * p, dim=-1)


def gap(p: torch.Tensor) -> float:
    return (p - 1 / p.numel()).abs().max().item()


@given(vectors)
def test_repeated_softmax_reaches_uniform_from_any_finite_input(values):
    p = torch.tensor(values, dtype=torch.float64)
    for _ in range(60):  # 1/2-Lipschitz: after pass 1 the distance halves at least, 2**-59 < 2e-18
        p = softmax(p)
    assert gap(p) < 1e-14


@given(vectors, st.integers(min_value=1, max_value=5))
def test_softmax_never_reorders_entries(values, passes):
    x = torch.tensor(values, dtype=torch.float64)
    p = x
    for _ in range(passes):
        p = softmax(p)
    # Rounding may merge entries (two tiny probabilities underflow to the same 0), never swap them.
    larger = x[:, None] > x[None, :]
    assert bool((p[:, None] >= p[None, :])[larger].all())
    assert bool((p[:, None] == p[None, :])[x[:, None] == x[None, :]].all())


@given(st.lists(st.floats(min_value=-8, max_value=8), min_size=2, max_size=50, unique=True))
def test_distinct_moderate_inputs_keep_a_strict_order(values):
    x = torch.tensor(values, dtype=torch.float64)
    if (x[:, None] - x[None, :]).abs().add(torch.eye(len(values), dtype=x.dtype)).min() < 1e-6:
        return  # differences below float64's resolution of the output are not a claim
    p = softmax(x)
    assert torch.equal(torch.argsort(p), torch.argsort(x))


@given(moderate)
def test_the_deviation_shrinks_by_a_factor_tending_to_one_over_n(values):
    n = len(values)
    p = softmax(torch.tensor(values, dtype=torch.float64))
    while gap(p) > 1e-7:
        p = softmax(p)
    if gap(p) < 1e-10:  # already at rounding level: nothing left to measure
        return
    ratio = gap(softmax(p)) / gap(p)
    assert math.isclose(ratio, 1 / n, rel_tol=1e-3)


@given(st.integers(min_value=2, max_value=50), st.floats(min_value=0.05, max_value=1.95))
def test_uniform_is_stable_exactly_when_beta_is_below_n(n, beta_over_n):
    if abs(beta_over_n - 1) < 0.05:
        return  # too close to the boundary to tell in a few passes
    beta = beta_over_n * n
    u = torch.full((n,), 1 / n, dtype=torch.float64)
    delta = torch.zeros(n, dtype=torch.float64)
    delta[0], delta[1] = 1e-9, -1e-9  # a small zero-sum push off the uniform point
    p = u + delta
    for _ in range(20):
        p = softmax(p, beta)
    grew = (p - u).abs().max().item() > delta.abs().max().item()
    assert grew == (beta > n)
    jacobian = torch.autograd.functional.jacobian(lambda q: softmax(q, beta), u)
    assert torch.allclose(jacobian, beta / n * (torch.eye(n, dtype=torch.float64) - 1 / n))


def printed_beta_s() -> dict[int, float]:
    """beta_s(n) as printed on the sharpening page (the expected output of its table)."""
    table = (ROOT / "snippets" / "sharpening-table.md").read_text("utf-8")
    rows = re.findall(r"^\s*(\d+)\s+(\d+\.\d{4})\s+\d+\.\d{4}\s+\d+\.\d{4}\s*$", table, flags=re.MULTILINE)
    return {int(n): float(beta_s) for n, beta_s in rows}


def test_the_page_prints_beta_s_for_n_from_3_to_10():
    assert sorted(printed_beta_s()) == list(range(3, 11))


@given(st.integers(min_value=3, max_value=10), st.floats(min_value=0.01, max_value=0.2), st.integers(0, 9))
def test_sharp_fixed_points_appear_at_the_printed_beta_s(n, margin, hot):
    beta_s = printed_beta_s()[n]
    one_hot = torch.zeros(n, dtype=torch.float64)
    one_hot[hot % n] = 1.0

    def largest_after(beta: float) -> float:
        p = one_hot
        for _ in range(4000):
            p = softmax(p, beta)
        return p.max().item()

    # Below beta_s(n) no fixed point but the uniform one exists: even a one-hot start ends there.
    assert largest_after(beta_s * (1 - margin)) < 1 / n + 1e-6
    # Above it (and below n, where uniform is still stable) the one-hot start stays sharp.
    if beta_s * (1 + margin) < n:
        assert largest_after(beta_s * (1 + margin)) > 1 / n + 0.1
    # The table's four decimals are the minimum of beta(r) = (r + n - 1) ln(r) / (r - 1).
    r = torch.linspace(1.0001, 200.0, 400_001, dtype=torch.float64)
    assert round(((r + n - 1) * torch.log(r) / (r - 1)).min().item(), 4) == beta_s
