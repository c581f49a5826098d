"""Repeated softmax at inverse temperature beta, n = 3: where the passes end, from two starts.

`compute()` runs p <- softmax(beta * p) for a grid of beta from a start close to uniform,
softmax([0.3, 0, 0]), and from a biased start, and asserts what docs/sharpening.md says the
figure shows, at every beta it draws: the biased start ends uniform below beta_s(3) and sharp
from just above it; the start close to uniform ends uniform below beta(r0), the beta at which
its own ratio r0 = e**0.3 lies on the unstable branch, and sharp above it, inside the window
[beta_s(3), 3). The grid has points just either side of beta_s(3), beta(r0) and 3.
`draw(data)` plots the largest entry at the end against beta, over the fixed points with one
large entry (solid where stable, dashed where not).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

N = 3
PASSES = 5000
BETA_MIN, BETA_MAX, POINTS = 0.5, 5.0, 80  # the grid step, 4.5 / 79, misses beta = 3 itself
NEAR_LOGIT = 0.3  # the start close to uniform is softmax([0.3, 0, 0]); its ratio a / b is e**0.3
EDGE = 1e-3  # extra grid points at (1 -+ EDGE) times each edge


def _bisect(fn, lo, hi, steps=100):
    assert fn(lo) < 0 < fn(hi)
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fn(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def _beta_of_ratio(r, n=N):
    """The beta at which (a, b, ..., b) with a / b = r > 1 is a fixed point."""
    return (r + n - 1) * math.log(r) / (r - 1)


def _saddle_node(n=N):
    """beta_s(n) and the ratio a / b where beta(r) is smallest (as on docs/sharpening.md)."""
    r = _bisect(lambda r: (r + n - 1) * (r - 1) / r - n * math.log(r), n - 1, 10 * n)
    return _beta_of_ratio(r, n), r


def compute():
    beta_s, r_s = _saddle_node()
    assert 2 < beta_s < N

    # Where the start close to uniform changes outcome: its ratio r0 lies on the unstable branch.
    r0 = math.exp(NEAR_LOGIT)
    assert 1 < r0 < r_s
    beta_near = _beta_of_ratio(r0)
    assert beta_s < beta_near < N

    grid = torch.linspace(BETA_MIN, BETA_MAX, POINTS, dtype=torch.float64).tolist()
    edges = [edge * (1 + side * EDGE) for edge in (beta_s, beta_near, N) for side in (-1, 1)]
    betas = torch.tensor(sorted(grid + edges), dtype=torch.float64)
    points = betas.numel()
    near_uniform = F.softmax(torch.tensor([NEAR_LOGIT, 0.0, 0.0], dtype=torch.float64), dim=0)
    biased = torch.tensor([0.8, 0.1, 0.1], dtype=torch.float64)
    p = torch.stack([near_uniform.expand(points, N), biased.expand(points, N)])  # (2, points, N)
    for _ in range(PASSES):
        p = F.softmax(betas[:, None] * p, dim=-1)
    tops = p.max(dim=-1).values.tolist()
    betas = betas.tolist()

    uniform_tol = 1e-6
    window, flipped = [], []
    for beta, from_near, from_biased in zip(betas, *tops):
        if beta < beta_near:  # r0 lies below the unstable branch (or no other fixed point exists)
            assert abs(from_near - 1 / N) < uniform_tol, beta
        else:  # r0 lies above the unstable branch, or beta >= 3: the sharp branch
            assert from_near > 0.5, beta
            if beta < N:
                flipped.append(beta)
        if beta < beta_s:  # no other fixed point exists: the biased start ends uniform too
            assert abs(from_biased - 1 / N) < uniform_tol, beta
        else:  # the sharp fixed point exists and the biased start ends on it
            assert from_biased > 0.5, beta
            r = _bisect(lambda r: _beta_of_ratio(r) - beta, r_s, 1e6)  # the stable (larger) ratio
            assert abs(from_biased - r / (r + N - 1)) < 1e-6, beta
        if beta_s < beta < beta_near:
            window.append(beta)
    assert len(window) >= 3  # the grid has points inside the window, where the two starts differ
    assert len(flipped) >= 2  # and points in the window where both starts end sharp

    # The fixed points with one large entry: beta(r) and the largest entry a(r) = r / (r + 2).
    def branch(lo, hi, count):
        rs = [lo * (hi / lo) ** (i / (count - 1)) for i in range(count)]
        return [_beta_of_ratio(r) for r in rs], [r / (r + N - 1) for r in rs]

    r_top = _bisect(lambda r: _beta_of_ratio(r) - BETA_MAX, r_s, 1e6)
    unstable_beta, unstable_top = branch(1 + 1e-6, r_s, 200)  # closer to uniform than the saddle-node
    stable_beta, stable_top = branch(r_s, r_top, 200)
    return {
        "n": N,
        "beta_s": beta_s,
        "beta_near": beta_near,
        "near_top": near_uniform.max().item(),
        "betas": betas,
        "from_near_uniform": tops[0],
        "from_biased": tops[1],
        "stable": [stable_beta, stable_top],
        "unstable": [unstable_beta, unstable_top],
    }


def draw(data):
    import matplotlib.pyplot as plt

    n, beta_s = data["n"], data["beta_s"]
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    ax.axvspan(beta_s, n, color="#9e9e9e", alpha=0.25, lw=0, label=r"$[\beta_s(3), 3]$")
    grey = "#8a8a8a"
    ax.plot([data["betas"][0], n], [1 / n, 1 / n], color=grey, lw=2.2, solid_capstyle="butt",
            label=r"$p_i = 1/3,\ \beta < 3$")
    ax.plot([n, data["betas"][-1]], [1 / n, 1 / n], color=grey, lw=1.6, ls=(0, (4, 3)),
            label=r"$p_i = 1/3,\ \beta > 3$")
    ax.plot(*data["stable"], color=grey, lw=2.2)
    ax.plot(*data["unstable"], color=grey, lw=1.6, ls=(0, (4, 3)))
    ax.plot(data["betas"], data["from_near_uniform"], ls="none", marker="o", ms=7, mfc="none",
            mew=1.4, color="#3b82f6", label=r"$p_0 = \mathrm{softmax}([0.3, 0, 0])$")
    ax.plot(data["betas"], data["from_biased"], ls="none", marker="o", ms=3.6, color="#f97316",
            label=r"$p_0 = [0.8, 0.1, 0.1]$")
    # The start's own largest entry meets the unstable branch at beta(r0): left of it the start
    # lies below the branch and returns to uniform, right of it it ends sharp.
    ax.plot([beta_s, data["beta_near"]], [data["near_top"], data["near_top"]], color="#3b82f6",
            lw=1.0, ls=":")
    ax.axvline(data["beta_near"], color="#3b82f6", lw=0.8, ls=":")
    for x, text, side in ((beta_s, r"$\beta_s(3)$", "right"), (n, r"$n = 3$", "left")):
        ax.axvline(x, color=grey, lw=0.8, ls=":")
        ax.annotate(text, (x, 0.5), xytext=(-4 if side == "right" else 4, 0), textcoords="offset points",
                    ha=side, va="center", fontsize=10)
    ax.set_xlim(data["betas"][0], data["betas"][-1])
    ax.set_ylim(0.28, 1.0)
    ax.set_xlabel(r"$\beta$")  # symbols only, the same in both editions; the caption says what they mean
    ax.set_ylabel(r"$\max_i p_i$")
    ax.legend(loc="upper left", fontsize=9, frameon=False)
    ax.grid(True, lw=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig
