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
# code cell, then run the notebook top to bottom (in Jupyter: *Run All*). It prints your
# tensor and its first ten passes, and finds the first pass that returns the tensor
# unchanged bit for bit (if one comes within `passes`). It plots the distance to the uniform
# distribution against the passes, and where the scaled iteration p ← softmax(β p) ends for
# a range of β.
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
# the uniform distribution 1/n. The last column, `gap`, is the distance to uniform: the
# largest |p − 1/n| over the entries. The input is printed without one: its entries are
# logits, not probabilities.

# %%
t = torch.tensor(x, dtype=dtype)
n = t.numel()
history = [t]
for k in range(1, passes + 1):
    history.append(F.softmax(beta * history[-1], dim=0))
print(f"input:   {t}")
for k, p in enumerate(history[1:11], start=1):
    gap = (p.double() - 1 / n).abs().max().item()
    print(f"pass {k:2d}: {p}  gap {gap:.1e}")

# %% [markdown]
# ## When it stops changing
#
# With β = 1 the iteration, in floating point, comes to a tensor that softmax maps to
# itself, bit for bit, on every input tried so far; that is observed, not proved. The cell
# finds the first pass that returns its input unchanged, or says that there is none within
# `passes`. A finer dtype needs more passes, float64 the most: if it is still changing,
# raise `passes`. With other β it can take many more passes, or never stop. For
# −2 < β < 0 the passes still converge to uniform: each one multiplies the distance to it by
# at most |β|/2. For β < −n the uniform point repels, and in every run tried the passes
# settle on two tensors that alternate forever. With two entries at β = 2 the passes creep
# toward uniform, in float32 and float64 too slowly to stop within thousands of passes. The
# page on sharpening shows each of these.

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
# On a logarithmic scale a constant factor per pass is a straight line. The horizontal axis
# counts the passes k, from pass 1. Near the uniform point each pass multiplies the distance
# by about |β|/n. So for −n < β < n, once the passes are near uniform, the curve falls
# parallel to the dashed line, until the rounding of the dtype takes over. The dashed line
# starts at pass 1, which need not be near uniform. From β = β_s(n) on (see the last
# section), a biased tensor can end at a sharp fixed point instead.

# %% alt="The distance to the uniform distribution against the pass, from pass 1, on a logarithmic scale, for the tensor set above; with beta = 1 it falls parallel to the dashed line, by a factor |beta|/n per pass, until it reaches the rounding of the dtype."
ks = range(1, len(history))
gaps = [(history[k].double() - 1 / n).abs().max().item() for k in ks]
figure, axes = plt.subplots(figsize=(6, 3.5))
axes.semilogy(ks, [max(g, 1e-17) for g in gaps], "o-", label="max |p - 1/n|")
rate = abs(beta) / n
if 0 < rate < 1 and gaps:
    line = [k for k in ks if gaps[0] * rate ** (k - 1) >= 1e-17]
    axes.semilogy(line, [gaps[0] * rate ** (k - 1) for k in line], "--", label=f"(|β|/n)^k = {rate:.3g}^k")
axes.set_xlabel("k")
axes.set_ylabel("max |p - 1/n|")
axes.legend()
plt.show()
print("plotted, passes 1 to 6:", [f"{g:.1e}" for g in gaps[:6]])

# %% [markdown]
# ## Sweeping β
#
# For the scaled iteration p ← softmax(β p), the largest entry after 2000 passes, for β
# from 0.5 to 2n, from a start near uniform (circles) and from a start biased toward the
# first entry (squares). Where the two curves differ, the answer depends on where you start.
# This cell uses only the length n of your tensor: it builds its own two starts, computes in
# float64, and ignores `beta` and `dtype`.
#
# The β are points of a grid, 40 of them. For each start, the last two lines give the last
# grid β at which it ends uniform and the next one, at which it ends sharp: the β where it
# switches lies between the two. β_s(n) is the smallest β at which a sharp fixed point
# (one large entry) exists. The biased start's interval holds β_s(n) when the start is
# biased enough, as it is for n = 3. For n ≥ 3 the start near uniform switches below n (for
# n = 2, at n); for n = 3 it switches so close to n that this grid cannot tell the two
# apart.

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
for name, ends in (("biased start", from_biased), ("start near uniform", from_near)):
    edge = next((i for i, v in enumerate(ends) if v >= 1 / n + 1e-6), None)
    if edge is None:
        print(f"n = {n}, {name}: uniform at every β of the grid")
    else:
        print(f"n = {n}, {name}: uniform at β = {betas[edge - 1]:.2f}, sharp at the next grid β, {betas[edge]:.2f}")
