# ---
# jupyter:
#   description:
#     en: Run repeated softmax on your own tensor, inverse temperature and dtype, and see each pass, where it stops changing and its distance to uniform.
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Explore repeated softmax yourself
#
# Set your own tensor, inverse temperature β, dtype and number of passes in the first
# code cell, then run the notebook top to bottom (in Jupyter: *Run All*). It shows each
# pass, the first pass that returns the tensor unchanged bit for bit (if one comes within
# `passes`), the distance to the uniform distribution against the passes, and where the
# scaled iteration p ← softmax(β p) ends for a range of β.
#
# The outputs shown on the site are those of the values below, run on a CPU.

# %%
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

x = [1.0, 2.0, 3.0]     # your tensor (1-D)
beta = 1.0              # inverse temperature: 1.0 is plain repeated softmax
dtype = torch.float32   # try torch.float64, torch.float16, torch.bfloat16
passes = 60             # how many passes to run

# %% [markdown]
# ## Each pass
#
# Every pass computes `softmax(beta * t)`. With `beta = 1.0` the tensor flattens toward
# the uniform distribution 1/n; the last column is the largest distance from 1/n.

# %%
t = torch.tensor(x, dtype=dtype)
n = t.numel()
history = [t]
for k in range(1, passes + 1):
    history.append(F.softmax(beta * history[-1], dim=0))
for k, p in enumerate(history[:11]):
    gap = (p.double() - 1 / n).abs().max().item()
    print(f"pass {k:2d}: {p}  gap {gap:.1e}")

# %% [markdown]
# ## When it stops changing
#
# With β = 1 the iteration, in floating point, comes to a tensor that softmax maps to
# itself, bit for bit, on every input tried so far; that is observed, not proved. The cell
# finds the first pass that returns its input unchanged, or says that there is none within
# `passes`. A finer dtype needs more passes, float64 the most: if it is still changing,
# raise `passes`. With other β it can take many more passes, or never stop: for β < 0 the
# iteration can alternate between two tensors forever, and with two entries at β = 2 it
# creeps toward uniform, in float32 and float64 too slowly to stop within thousands of
# passes.

# %%
fixed = next((k for k in range(1, passes + 1) if torch.equal(history[k], history[k - 1])), None)
if fixed is None:
    print(f"still changing after {passes} passes")
else:
    print(f"pass {fixed} returns its input unchanged: {history[fixed]}")
    print(f"the last pass that changed something: {fixed - 1}")

# %% [markdown]
# ## Distance to uniform
#
# On a logarithmic scale a constant factor per pass is a straight line. Near the uniform
# point each pass multiplies the distance by about |β|/n: for 0 < β < n a fall along the
# dashed line, until the rounding of the dtype takes over. The horizontal axis counts the
# passes k.

# %% alt="The distance to the uniform distribution against the pass, on a logarithmic scale, for the tensor set above; with beta = 1 it falls along the dashed line, by a factor beta/n per pass, until it reaches the rounding of the dtype."
gaps = [(p.double() - 1 / n).abs().max().item() for p in history]
figure, axes = plt.subplots(figsize=(6, 3.5))
axes.semilogy(range(len(gaps)), [max(g, 1e-17) for g in gaps], "o-", label="max |p - 1/n|")
rate = beta / n
if 0 < rate < 1:
    line = [k for k in range(len(gaps)) if gaps[1] * rate ** (k - 1) >= 1e-17]
    axes.semilogy(line, [gaps[1] * rate ** (k - 1) for k in line], "--", label=f"(β/n)^k = {rate:.3g}^k")
axes.set_xlabel("k")
axes.set_ylabel("max |p - 1/n|")
axes.legend()
plt.show()
print("plotted:", [f"{g:.1e}" for g in gaps[:6]])

# %% [markdown]
# ## Sweeping β
#
# For the scaled iteration p ← softmax(β p), the largest entry after many passes, for β
# from 0.5 to 2n, from a start near uniform (circles) and from a start biased toward the
# first entry (squares). Where the two curves differ, the answer depends on where you start.
# The β are points of a grid, so the last line gives the edge where a start stops ending
# uniform as the two neighbouring grid points it lies between.

# %% alt="The largest entry after many passes of softmax(beta p) against beta, from a start near uniform and from a biased start; for n = 3, as set above, both stay at 1/n for small beta, and the biased start becomes sharp from a smaller beta than the near-uniform one, which turns sharp close to beta = n."
def largest_after(start, b, steps=2000):
    p = start.clone()
    for _ in range(steps):
        p = F.softmax(b * p, dim=0)
    return p.max().item()


betas = torch.linspace(0.5, 2 * n, 40, dtype=torch.float64).tolist()
near = torch.full((n,), 1 / n, dtype=torch.float64)
near[0] += 1e-3
near = near / near.sum()
biased = torch.full((n,), 0.2 / max(n - 1, 1), dtype=torch.float64)
biased[0] = 0.8
from_near = [largest_after(near, b) for b in betas]
from_biased = [largest_after(biased, b) for b in betas]
figure, axes = plt.subplots(figsize=(6, 3.5))
axes.plot(betas, from_near, "o-", label="p₀ ≈ 1/n")
axes.plot(betas, from_biased, "s--", label="p₀ = (0.8, …)")
axes.axvline(n, color="grey", linewidth=0.8)
axes.set_xlabel("β")
axes.set_ylabel("max p")
axes.legend()
plt.show()
uniform = [max(u, v) < 1 / n + 1e-6 for u, v in zip(from_near, from_biased)]
edge = next((i for i, u in enumerate(uniform) if not u), None)
if edge is None:
    print(f"n = {n}: both starts end uniform at every β of the grid")
else:
    print(f"n = {n}: both starts end uniform at β = {betas[edge - 1]:.2f}; at the next β of the grid, {betas[edge]:.2f}, one of them ends sharp")
