"""Distance to the uniform distribution against the number of softmax passes.

For n = 2, 3, 5, 10 and the input x = (0, 1, ..., n-1) in float64, the figure plots
max_i |p_i - 1/n| after k = 0, 1, ..., PASSES passes of softmax, on a log scale, with a
dashed reference line C (1/n)^k for each n. C is chosen so that the line goes through the
measured point at a late pass (the last one whose distance is still above LATE), where the
ratio between successive distances has settled at 1/n.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

SIZES = (2, 3, 5, 10)
PASSES = 20
LATE = 1e-10  # the reference line is fitted at the last pass above this distance
FLOOR = 1e-15  # below this, float64 rounding of 1/n dominates; such points are not drawn
COLOURS = {2: "#3b82c4", 3: "#e07b1f", 5: "#2e9e57", 10: "#cf3f6b"}  # read on white and slate
MARKERS = {2: "o", 3: "s", 5: "^", 10: "D"}


def gaps(x, passes):
    """max |p - 1/n| after 0, 1, ..., `passes` passes of softmax (as on the page)."""
    n = x.shape[-1]
    out = [(x - 1 / n).abs().max().item()]
    for _ in range(passes):
        x = F.softmax(x, dim=-1)
        out.append((x - 1 / n).abs().max().item())
    return out


def compute():
    curves = []
    for n in SIZES:
        distance = gaps(torch.arange(n, dtype=torch.float64), PASSES)
        # From the first pass on, every entry is a probability: the distance is below 1.
        assert all(d < 1 for d in distance[1:]), (n, distance)
        # It shrinks at every pass until float64 can no longer resolve it.
        resolved = [d for d in distance if d >= FLOOR]
        assert all(b < a for a, b in zip(resolved, resolved[1:])), (n, distance)
        # At a late pass the distance shrinks by a factor of 1/n per pass.
        late = max(k for k in range(1, PASSES + 1) if distance[k] > LATE)
        ratio = distance[late] / distance[late - 1]
        assert abs(ratio - 1 / n) < 1e-4 / n, (n, late, ratio)
        curves.append(
            {
                "n": n,
                "distance": [float(d) for d in distance],
                "late_pass": late,
                "late_ratio": float(ratio),
                "scale": float(distance[late] * n**late),  # C in C (1/n)^k
            }
        )
    return {"passes": PASSES, "floor": FLOOR, "curves": curves}


def draw(data):
    import matplotlib.pyplot as plt

    passes = list(range(data["passes"] + 1))
    figure, axes = plt.subplots(figsize=(6.4, 4.2))
    for curve in data["curves"]:
        n, colour = curve["n"], COLOURS[curve["n"]]
        # Measured: markers only, so that the reference line under them stays visible.
        shown = [(k, d) for k, d in zip(passes, curve["distance"]) if d >= data["floor"]]
        axes.plot(*zip(*shown), color=colour, marker=MARKERS[n], markersize=5, linestyle="none", label=f"n = {n}", zorder=3)
        reference = [(k, curve["scale"] * (1 / n) ** k) for k in passes]
        reference = [(k, r) for k, r in reference if r >= data["floor"] / 10]
        axes.plot(*zip(*reference), color=colour, linestyle="--", linewidth=1.2, zorder=2)
    axes.plot([], [], color="0.5", linestyle="--", linewidth=1.2, label=r"$C\,(1/n)^k$")
    axes.set_yscale("log")
    axes.set_ylim(data["floor"] / 10, 30)
    axes.set_xlim(-0.5, data["passes"] + 0.5)
    axes.set_xticks(range(0, data["passes"] + 1, 2))
    axes.set_xlabel(r"$k$")  # symbols only, the same in both editions; the caption says what they mean
    axes.set_ylabel(r"$\max_i\,|p_i - 1/n|$")
    axes.grid(True, which="major", linewidth=0.6)
    axes.legend(frameon=False, loc="upper right")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return figure
