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
# pass, the pass after which the tensor stops changing bit for bit, the distance to the
# uniform distribution against the passes, and where the scaled iteration
# p ← softmax(β p) ends for a range of β.
#
# The outputs shown on the site are those of the values below, run on a CPU.

# %%
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

x = [1.0, 2.0, 3.0]     # your tensor (1-D)
beta = 1.0              # inverse temperature: 1.0 is plain repeated softmax
dtype = torch.float32   # try torch.float64, torch.float16, torch.bfloat16
passes = 30             # how many passes to run

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
# In floating point the iteration reaches a tensor that softmax maps to itself, bit for
# bit. The cell finds the first such pass (or says that there is none within `passes`).

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
# point each pass multiplies the distance by about β/n (the dashed line), until the
# rounding of the dtype takes over. The horizontal axis counts the passes k.

# %% alt="The distance to the uniform distribution against the pass, on a logarithmic scale, for the tensor set above; with beta = 1 it falls along the dashed line of slope beta/n until it reaches the rounding of the dtype."
gaps = [(p.double() - 1 / n).abs().max().item() for p in history]
figure, axes = plt.subplots(figsize=(6, 3.5))
axes.semilogy(range(len(gaps)), [max(g, 1e-17) for g in gaps], "o-", label="max |p - 1/n|")
rate = beta / n
if 0 < rate < 1:
    axes.semilogy(range(len(gaps)), [gaps[1] * rate ** (k - 1) for k in range(len(gaps))], "--", label=f"(β/n)^k = {rate:.3g}^k")
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

# %% alt="The largest entry after many passes of softmax(beta p) against beta, from a start near uniform and from a biased start; both stay at 1/n for small beta, and the biased start becomes sharp from a smaller beta than the near-uniform one, which turns sharp at beta = n."
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
print(f"n = {n}: both starts end uniform for β up to {max(b for b, u, v in zip(betas, from_near, from_biased) if max(u, v) < 1 / n + 1e-6):.2f}")
