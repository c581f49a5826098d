# ---
# jupyter:
#   description:
#     zh: 用你自己的张量、逆温度和 dtype 运行反复 softmax，查看每一轮、它何时停止变化，以及它到均匀分布的距离。
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
# # 自己动手探索反复 softmax
#
# 在第一个代码单元里设定你自己的张量、逆温度 β、dtype 和轮数，然后从头到尾运行这个 notebook（在 Jupyter 中选择 *Run All*）。它会显示每一轮的结果、第一个逐位不差地原样返回张量的轮次（如果它在 `passes` 轮之内出现）、到均匀分布的距离随轮数的变化，以及缩放迭代 p ← softmax(β p) 在一系列 β 下的最终结果。
#
# 站点上显示的输出，是用下面这些值在 CPU 上运行得到的。

# %%
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

x = [1.0, 2.0, 3.0]     # 你的张量（一维）
beta = 1.0              # 逆温度：1.0 就是普通的反复 softmax
dtype = torch.float32   # 也可以试试 torch.float64、torch.float16、torch.bfloat16
passes = 60             # 运行多少轮

# %% [markdown]
# ## 每一轮
#
# 每一轮计算 `softmax(beta * t)`。`beta = 1.0` 时，张量越来越平，趋向均匀分布 1/n；最后一列是它与 1/n 的最大距离。

# %%
t = torch.tensor(x, dtype=dtype)
n = t.numel()
history = [t]
for k in range(1, passes + 1):
    history.append(F.softmax(beta * history[-1], dim=0))
for k, p in enumerate(history[:11]):
    gap = (p.double() - 1 / n).abs().max().item()
    print(f"第 {k:2d} 轮：{p}  距离 {gap:.1e}")

# %% [markdown]
# ## 何时停止变化
#
# β = 1 时，迭代在浮点数中会到达一个张量，softmax 把它逐位不差地映射回自身；到目前为止试过的每个输入都是如此，但这是观察到的，并未证明。这个单元找出第一个原样返回其输入的轮次，或者说明在 `passes` 轮之内没有。dtype 越精细，需要的轮数越多，float64 最多：如果它仍在变化，就调大 `passes`。换成别的 β，迭代可能需要多得多的轮数，也可能永远不会停下：β < 0 时，它可能在两个张量之间永远交替；只有两个元素且 β = 2 时，它缓慢地趋向均匀，在 float32 和 float64 中慢到几千轮之内都停不下来。

# %%
fixed = next((k for k in range(1, passes + 1) if torch.equal(history[k], history[k - 1])), None)
if fixed is None:
    print(f"运行 {passes} 轮后仍在变化")
else:
    print(f"第 {fixed} 轮原样返回了它的输入：{history[fixed]}")
    print(f"最后一次改变了张量的是第 {fixed - 1} 轮")

# %% [markdown]
# ## 到均匀分布的距离
#
# 在对数坐标下，每轮乘以同一个因子就是一条直线。在均匀点附近，每一轮把距离乘以约 |β|/n：当 0 < β < n 时，距离沿着虚线下降，直到 dtype 的舍入误差占了上风。横轴 k 是轮数。

# %% alt="到均匀分布的距离随轮数变化的图，纵轴为对数坐标，对应上面设定的张量；beta = 1 时，它沿着虚线下降，每轮乘以 beta/n，直到碰上该 dtype 的舍入误差。"
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
print("图中的前几个值：", [f"{g:.1e}" for g in gaps[:6]])

# %% [markdown]
# ## 扫描 β
#
# 对缩放迭代 p ← softmax(β p)，下图画出多轮之后最大的元素，β 从 0.5 取到 2n，分别从接近均匀的起点（圆点）和偏向第一个元素的起点（方块）出发。两条曲线不重合的地方，结果取决于从哪里出发。这些 β 是一个网格上的点，所以最后一行用两个相邻的网格点给出边界：某个起点从这里开始不再以均匀分布告终，而边界就落在这两点之间。

# %% alt="多轮 softmax(beta p) 之后的最大元素随 beta 变化的图，分别从接近均匀的起点和有偏的起点出发；对上面设定的 n = 3，beta 较小时两者都停在 1/n，有偏的起点在比接近均匀的起点更小的 beta 处就变得尖锐，接近均匀的起点在 beta = n 附近变得尖锐。"
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
    print(f"n = {n}：在网格的每个 β 上，两个起点最后都是均匀分布")
else:
    print(f"n = {n}：β = {betas[edge - 1]:.2f} 时，两个起点最后都是均匀分布；在网格的下一个 β，即 {betas[edge]:.2f}，其中一个变得尖锐")
