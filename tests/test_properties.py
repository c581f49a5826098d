"""Property tests behind the central claims of the article, on inputs hypothesis chooses.

The pages show each claim on a few inputs; these check it on many: repeated softmax reaches
1/n from any input of size 2..50 with finite entries in [-1e6, 1e6] (the convergence page proves it
for every finite input; +inf gives nan), reaches a bitwise fixed point in each dtype (n up to 1000), keeps the order of the entries up to rounding (in float64
and float32, near-equal logits included: two logits an ulp apart can come out swapped by an ulp),
shrinks the deviation from 1/n by a factor tending to 1/n per pass, the uniform point of
p -> softmax(beta p) is stable for beta < n and unstable for beta > n (n from 2 to 50; beta = n
itself, where the linearisation decides nothing, is left to the sharpening page), the
beta_s(n) printed on the sharpening page are where sharp fixed points appear, the fixed
points with one large entry are stable exactly beyond r_s (n from 3 to 40), both kinds attract inside the window, and a
start close to uniform changes outcome at its own edge beta(r0). From the questions page: a row
masked entirely with -inf is nan, gradient too; a second pass gives masked entries back at
1/sum(exp(p1)), never below 1/(e + n - 1) and exactly that after a one-hot first pass; sparsemax
and 1.5-entmax give exact zeros far below the largest score; two-class softmax is the sigmoid of
the difference. Runs are derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import math
import re

import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support import ROOT

settings.register_profile("site", derandomize=True, database=None, deadline=None, max_examples=60)
settings.load_profile("site")

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
vectors = st.lists(finite, min_size=2, max_size=50)
moderate_entries = st.floats(min_value=-8, max_value=8)
moderate = st.lists(moderate_entries, min_size=2, max_size=50)


def softmax(p: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    return torch.softmax(beta * p, dim=-1)


def gap(p: torch.Tensor) -> float:
    return (p - 1 / p.numel()).abs().max().item()


@given(vectors)
def test_repeated_softmax_reaches_uniform_from_finite_inputs_within_1e6(values):
    p = torch.tensor(values, dtype=torch.float64)
    for _ in range(60):  # 1/2-Lipschitz: after pass 1 the distance halves at least, 2**-59 < 2e-18
        p = softmax(p)
    assert gap(p) < 1e-14



@example(torch.float64, 2, 1.0, 0)  # the slowest: two entries in float64 take about 55 passes
@example(torch.float16, 1000, 100.0, 1)
@example(torch.bfloat16, 1000, 0.01, 2)
@given(st.sampled_from([torch.float64, torch.float32, torch.float16, torch.bfloat16]),
       st.integers(min_value=2, max_value=1000), st.sampled_from([0.01, 1.0, 10.0, 100.0]),
       st.integers(min_value=0, max_value=2**32 - 1))
def test_the_iteration_reaches_a_bitwise_fixed_point_in_every_dtype(dtype, n, scale, seed):
    # convergence.md#fixed-point: observed, not proved. Twenty random rows of n logits, from nearly
    # equal to far apart, drawn on the CPU; softmax must return them unchanged within 1000 passes.
    x = scale * torch.randn(20, n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    p = x.to(dtype)
    for _ in range(1000):
        q = softmax(p)
        if torch.equal(q, p):
            return
        p = q
    raise AssertionError(f"still changing after 1000 passes: {dtype}, n = {n}, scale {scale}")

# Order. In exact arithmetic x_i > x_j gives p_i > p_j. In floating point, x - m rounds
# monotonically, so the exact exponentials of the rounded differences keep the order. exp is within
# two ulps (Sleef's u10 functions and glibc within one, the u20 ones some float kernels use within
# two), at most 2 eps e for a normal result, so the two computed exponentials can cross by
# 4 eps e_j; the shared division (or product with one reciprocal) rounds each by eps / 2 more.
# So q_j - q_i <= 5 eps q_j (1 + O(eps)), below TOLERANCE_EPS * eps * q_j; for a subnormal
# result the error is absolute instead, a few times the smallest subnormal. On AVX2 and AVX-512
# the row ORDER_SWAP gives the larger logit the smaller probability, by one ulp; with the scalar
# kernels (ATEN_CPU_CAPABILITY=default) it keeps the order.
ORDER_SWAP = [0.0, -0.2377393365321323, -0.23773933653213233]
TOLERANCE_EPS = 6
FLOATS = [torch.float64, torch.float32]


def ulp_tolerance(q: torch.Tensor) -> torch.Tensor:
    """TOLERANCE_EPS machine epsilons of q, plus as many smallest subnormals."""
    info = torch.finfo(q.dtype)
    return TOLERANCE_EPS * (info.eps * q.abs() + info.smallest_normal * info.eps)


@st.composite
def rows_with_near_equal_pairs(draw, entries):
    """Rows of 2 to 50 entries with one or two pairs a, b that are equal or 1 to 4 ulps apart."""
    dtype = draw(st.sampled_from(FLOATS))
    rest = torch.tensor(draw(st.lists(entries, max_size=46)), dtype=dtype)
    pairs = []
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        a = torch.tensor(draw(entries), dtype=dtype)
        toward = torch.tensor(draw(st.sampled_from([-math.inf, math.inf])), dtype=dtype)
        b = a.clone()
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            b = torch.nextafter(b, toward)
        pairs += [a, b]
    row = torch.cat([rest, torch.stack(pairs)])
    return row[list(draw(st.permutations(range(len(row)))))]


@st.composite
def rows(draw, entries):
    return torch.tensor(draw(st.lists(entries, min_size=2, max_size=50)), dtype=draw(st.sampled_from(FLOATS)))


@example(torch.tensor(ORDER_SWAP, dtype=torch.float64), 1)
@given(st.one_of(rows(finite), rows_with_near_equal_pairs(finite)), st.integers(min_value=1, max_value=5))
def test_each_pass_keeps_the_order_of_its_input_up_to_rounding(x, passes):
    # Each pass against its own input: a swap by an ulp in one pass is the next pass's order.
    p = x
    for _ in range(passes):
        q = softmax(p)
        larger = p[:, None] > p[None, :]
        assert bool((q[:, None] >= q[None, :] - ulp_tolerance(q)[None, :])[larger].all())
        assert bool((q[:, None] == q[None, :])[p[:, None] == p[None, :]].all())  # same input, same output
        p = q


def test_the_order_swap_row_is_two_logits_one_ulp_apart():
    # What the ORDER_SWAP @examples stand for: x[1] > x[2], adjacent float64 numbers; the CPU's exp
    # decides which of q[1], q[2] is larger, and the tolerance covers both outcomes.
    x = torch.tensor(ORDER_SWAP, dtype=torch.float64)
    assert x[1] > x[2] and torch.equal(torch.nextafter(x[2], x[1]), x[1])
    q = softmax(x)
    assert bool((q[1] - q[2]).abs() <= ulp_tolerance(q[1]))


def strict_margin(x: torch.Tensor) -> torch.Tensor:
    """Differences beyond which x_i > x_j must give q_i > q_j (entries within [-8, 8], n <= 50).

    x_i - m rounds by at most eps / 2 |x_i - m|, and the computed ratio q_i / q_j is within a factor
    (1 + 5 eps)(1 + O(eps)) of exp(d_i - d_j) (the bounds above): the order is strict once
    x_i - x_j > 5 eps + eps / 2 (|x_i - m| + |x_j - m|), which the margin below exceeds. The outputs
    are at least exp(-16) / 50, normal numbers in both dtypes, so the relative bounds apply.
    """
    eps = torch.finfo(x.dtype).eps
    off = (x - x.max()).abs()
    return TOLERANCE_EPS * eps * (1 + off[:, None] + off[None, :])


@example(torch.tensor(ORDER_SWAP, dtype=torch.float64))
@given(st.one_of(rows(moderate_entries), rows_with_near_equal_pairs(moderate_entries)))
def test_logits_farther_apart_than_the_margin_keep_a_strict_order(x):
    q = softmax(x)
    apart = (x[:, None] - x[None, :]) > strict_margin(x)
    assert bool((q[:, None] > q[None, :])[apart].all())


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
def test_uniform_is_stable_below_n_and_unstable_above(n, beta_over_n):
    # Checked for beta at least 5% away from n. At beta = n the eigenvalue is exactly 1 and decides
    # nothing: the sharpening page shows the uniform point attracting every start for n = 2, while
    # for n = 3 some starts next to it end sharp.
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


def beta_of_ratio(r: float, n: int) -> float:
    """The beta at which (a, b, ..., b) with a / b = r > 1 is a fixed point (the sharpening page)."""
    return (r + n - 1) * math.log(r) / (r - 1)


def saddle_ratio(n: int) -> float:
    """r_s(n): the root beyond n - 1 of g(r) = (r + n - 1)(r - 1) / r - n ln r, by bisection."""
    lo, hi = n - 1.0, 10.0 * n
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if (mid + n - 1) * (mid - 1) / mid - n * math.log(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def one_large(r: float, n: int) -> torch.Tensor:
    p = torch.ones(n, dtype=torch.float64)
    p[0] = r
    return p / p.sum()


def end_of_passes(p: torch.Tensor, beta: float, limit: int = 100_000) -> torch.Tensor:
    """Passes of softmax(beta p) until the iterate stops moving (or `limit` passes)."""
    for _ in range(limit):
        q = softmax(p, beta)
        if (q - p).abs().max().item() < 1e-13:
            return q
        p = q
    return p


@given(st.integers(min_value=3, max_value=40), st.floats(min_value=-4.0, max_value=4.0))
def test_one_large_entry_fixed_points_are_stable_exactly_beyond_r_s(n, log_scale):
    # The sharpening page proves: at (a, b, ..., b) with a / b = r, the step Jacobian's eigenvalues
    # on sum-zero vectors are n beta a b (once) and beta b (n - 2 times), and it is stable
    # exactly when r > r_s. Checked against autograd on both branches, for every n from 3 to 40.
    r_s = saddle_ratio(n)
    r = max(r_s * math.exp(log_scale), 1.001)
    p, beta = one_large(r, n), beta_of_ratio(r, n)
    jacobian = torch.autograd.functional.jacobian(lambda q: softmax(q, beta), p)
    eigenvalues = torch.linalg.eigvalsh(jacobian)
    a, b = p[0].item(), p[1].item()
    predicted = sorted([0.0, n * beta * a * b] + [beta * b] * (n - 2))
    assert torch.allclose(eigenvalues, torch.tensor(predicted, dtype=torch.float64), atol=1e-10)
    assert beta * b < 1
    if abs(math.log(r / r_s)) > 1e-6:  # the edge itself is checked below
        assert (eigenvalues.max().item() < 1) == (r > r_s)


def test_the_stability_edge_is_r_s_itself():
    for n in range(3, 41):
        r_s = saddle_ratio(n)
        at = lambda r: n * beta_of_ratio(r, n) * r / (r + n - 1) ** 2  # n beta a b
        assert math.isclose(at(r_s), 1.0, abs_tol=1e-9)
        assert at(r_s * (1 - 1e-6)) > 1 > at(r_s * (1 + 1e-6))


@given(st.integers(min_value=3, max_value=12), st.floats(min_value=0.02, max_value=0.98))
def test_in_the_window_both_uniform_and_sharp_attract(n, where):
    # For every beta in (beta_s(n), n): a start at the sharp fixed point's side stays sharp, and a
    # start close enough to uniform returns to it.
    r_s = saddle_ratio(n)
    beta_s = beta_of_ratio(r_s, n)
    beta = beta_s + where * (n - beta_s)
    sharp = end_of_passes(torch.eye(n, dtype=torch.float64)[0], beta)
    assert sharp.max().item() > one_large(r_s, n).max().item() - 1e-9  # on the larger-r branch
    jacobian = torch.autograd.functional.jacobian(lambda q: softmax(q, beta), sharp)
    assert torch.linalg.eigvalsh(jacobian).max().item() < 1
    push = torch.zeros(n, dtype=torch.float64)
    push[0], push[1] = 1e-6, -1e-6
    near = end_of_passes(torch.full((n,), 1 / n, dtype=torch.float64) + push, beta)
    assert gap(near) < 1e-9


@given(st.integers(min_value=3, max_value=8), st.floats(min_value=0.0, max_value=1.0))
def test_a_near_uniform_start_changes_outcome_at_its_own_edge(n, where):
    # The window claim of the sharpening page, at its edges: a start (a, b, ..., b) with ratio
    # 1 < r0 < r_s ends uniform just below beta(r0) and sharp just above it.
    r_s = saddle_ratio(n)
    r0 = 1.05 + where * (0.95 * r_s - 1.05)
    edge = beta_of_ratio(r0, n)
    beta_s = beta_of_ratio(r_s, n)
    assert beta_s < edge < n
    start = one_large(r0, n)
    assert gap(end_of_passes(start, edge * (1 - 1e-3))) < 1e-9
    assert end_of_passes(start, edge * (1 + 1e-3)).max().item() > one_large(r_s, n).max().item() - 1e-9
    # And the window's own edges: below beta_s even a one-hot start ends uniform.
    assert gap(end_of_passes(torch.eye(n, dtype=torch.float64)[0], beta_s * (1 - 1e-3))) < 1e-9


# --- Masks, sparse maps and two classes: the questions page (docs/questions.md) ---------------------

NEG_INF = float("-inf")


def masked(values: list[float], mask: list[bool]) -> torch.Tensor:
    x = torch.tensor(values, dtype=torch.float64)
    return x.masked_fill(torch.tensor(mask), NEG_INF)


@given(st.integers(min_value=1, max_value=50), st.sampled_from([torch.float16, torch.bfloat16, torch.float32, torch.float64]))
def test_a_fully_masked_row_is_nan_and_so_is_its_gradient(n, dtype):
    scores = torch.full((n,), NEG_INF, dtype=dtype, requires_grad=True)
    p = torch.softmax(scores, dim=-1)
    assert bool(p.isnan().all())
    p.sum().backward()
    assert bool(scores.grad.isnan().all())


@given(st.lists(st.tuples(finite, st.booleans()), min_size=2, max_size=50).filter(lambda xs: any(m for _, m in xs) and not all(m for _, m in xs)))
def test_a_second_pass_gives_masked_entries_back_one_over_the_sum_of_exp(pairs):
    values, mask = [v for v, _ in pairs], [m for _, m in pairs]
    n, hidden = len(values), torch.tensor(mask)
    p1 = softmax(masked(values, mask))
    assert bool((p1[hidden] == 0).all())  # exactly zero after one pass
    p2 = softmax(p1)
    expected = 1 / p1.exp().sum().item()
    assert torch.allclose(p2[hidden], torch.full_like(p2[hidden], expected), rtol=1e-12, atol=0)
    assert expected >= 1 / (math.e + n - 1) * (1 - 1e-12)  # never below the bound of the site


@given(st.integers(min_value=2, max_value=50), st.integers(min_value=1, max_value=49))
def test_the_lower_bound_is_reached_when_the_first_pass_is_one_hot(n, k):
    # One unmasked score far above the others: p1 is one-hot and the masked entries come back
    # at exactly the edge, 1 / (e + n - 1).
    k = min(k, n - 1)
    values = [1000.0] + [0.0] * (n - 1)
    mask = [False] * (n - k) + [True] * k
    p2 = softmax(softmax(masked(values, mask)))
    assert torch.allclose(p2[torch.tensor(mask)], torch.full((k,), 1 / (math.e + n - 1), dtype=torch.float64), rtol=1e-12, atol=0)


@given(st.lists(st.floats(min_value=-100, max_value=100), min_size=2, max_size=50))
def test_sparsemax_and_entmax_give_exact_zeros_far_below_the_largest_score(values):
    from entmax import entmax15, sparsemax

    x = torch.tensor(values, dtype=torch.float64)
    top = x.max()
    for mapping, width in ((sparsemax, 1.0), (entmax15, 2.0)):
        p = mapping(x, dim=-1)
        assert bool((p >= 0).all()) and math.isclose(p.sum().item(), 1.0, rel_tol=1e-9)
        # p_max <= 1 puts the threshold within `width` of the largest score: below it, exactly 0.
        assert bool((p[x < top - width] == 0).all())
        assert bool((p[x == top] > 0).all())
    # Sparsemax projects onto the simplex, so a second pass changes nothing (up to rounding).
    p = sparsemax(x, dim=-1)
    assert torch.allclose(sparsemax(p, dim=-1), p, rtol=0, atol=1e-12)


def float32_ulps(a: torch.Tensor, b: torch.Tensor) -> int:
    return int((a.view(torch.int32).long() - b.view(torch.int32).long()).abs().max())


@given(finite, finite)
def test_two_class_softmax_is_the_sigmoid_of_the_difference_in_float64(a, b):
    p = torch.softmax(torch.tensor([a, b], dtype=torch.float64), dim=-1)[1]
    s = torch.sigmoid(torch.tensor(b - a, dtype=torch.float64))
    assert math.isclose(p.item(), s.item(), rel_tol=1e-12, abs_tol=1e-300)


@example(-100.0)
@example(100.0)
@example(0.0)
@given(st.floats(min_value=-100, max_value=100))
def test_two_class_softmax_and_sigmoid_agree_to_3_ulps_in_float32_where_both_are_normal(d):
    # The range and bound printed on the questions page (#softmax-vs-sigmoid), on the CPU.
    x = torch.tensor(d, dtype=torch.float32)
    p = torch.softmax(torch.stack([torch.zeros_like(x), x]), dim=-1)[1]
    s = torch.sigmoid(x)
    tiny = torch.finfo(torch.float32).tiny
    if p.item() >= tiny and s.item() >= tiny:
        assert float32_ulps(p.reshape(1), s.reshape(1)) <= 3
    else:  # CPU float32 sigmoid flushes what would be subnormal to 0; softmax keeps it
        assert abs(p.item() - s.item()) < tiny
