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
# 在第一个代码单元里设定你自己的张量、逆温度 β、dtype 和轮数，然后从头到尾运行这个 notebook（在 Jupyter 中选择 *Run All*）。它会打印你的张量和前十轮的结果，并找出第一个逐位不差地原样返回张量的轮次（如果它在 `passes` 轮之内出现）。它还会画出到均匀分布的距离随轮数的变化，以及缩放迭代 p ← softmax(β p) 在一系列 β 下的最终结果。
#
# 站点上显示的输出，是用下面这些值在 CPU 上运行得到的。

# %%
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

x = [1.0, 2.0, 3.0]     # 你的张量（1 维）
beta = 1.0              # 逆温度：1.0 就是普通的反复 softmax
dtype = torch.float32   # 也可以试试 torch.float64、torch.float16、torch.bfloat16
passes = 60             # 运行多少轮

# %% [markdown]
# ## 每一轮
#
# 每一轮计算 `softmax(beta * t)`。`beta = 1.0` 时，张量越来越平，趋向均匀分布 1/n。最后一列“距离”是到均匀分布的距离：各元素的 |p − 1/n| 中最大的那个。输入那一行不打印距离：它的元素是 logits，不是概率。

# %%
t = torch.tensor(x, dtype=dtype)
n = t.numel()
history = [t]
for k in range(1, passes + 1):
    history.append(F.softmax(beta * history[-1], dim=0))
print(f"输入：    {t}")
for k, p in enumerate(history[1:11], start=1):
    gap = (p.double() - 1 / n).abs().max().item()
    print(f"第 {k:2d} 轮：{p}  距离 {gap:.1e}")

# %% [markdown]
# ## 何时停止变化
#
# β = 1 时，迭代在浮点数中会到达一个张量，softmax 把它逐位不差地映射回自身；到目前为止试过的每个输入都是如此，但这是观察到的，并未证明。这个单元找出第一个原样返回其输入的轮次，或者说明在 `passes` 轮之内没有。dtype 越精细，需要的轮数越多，float64 最多：如果它仍在变化，就调大 `passes`。换成别的 β，迭代可能需要多得多的轮数，也可能永远不会停下。−2 < β < 0 时，迭代仍然收敛到均匀分布：每一轮之后，到它的距离至多是之前的 |β|/2 倍。β < −n 时，均匀点是排斥的；在试过的每一次运行中，迭代最终停在两个永远交替的张量上。只有两个元素且 β = 2 时，它缓慢地趋向均匀，在 float32 和 float64 中慢到几千轮之内都停不下来。讲变尖锐的那一页展示了这三种情形。

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
# 在对数坐标下，每轮乘以同一个因子就是一条直线。横轴 k 是轮数，从第 1 轮开始。在均匀点附近，每一轮把距离乘以约 |β|/n。所以当 −n < β < n 时，一旦迭代接近均匀，曲线就与虚线平行地下降，直到 dtype 的舍入误差占了上风。虚线从第 1 轮画起，而第 1 轮未必接近均匀。从 β = β_s(n) 起（见最后一节），有偏的张量可能转而停在一个尖锐的不动点上。

# %% alt="到均匀分布的距离随轮数变化的图，从第 1 轮开始，纵轴为对数坐标，对应上面设定的张量；beta = 1 时，它与虚线平行地下降，每轮乘以 |beta|/n，直到碰上该 dtype 的舍入误差。"
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
print("图中第 1 到 6 轮的值：", [f"{g:.1e}" for g in gaps[:6]])

# %% [markdown]
# ## 扫描 β
#
# 对缩放迭代 p ← softmax(β p)，下图画出 2000 轮之后最大的元素，β 从 0.5 取到 2n，分别从接近均匀的初始点（圆点）和偏向第一个元素的初始点（方块）出发。两条曲线不重合的地方，结果取决于从哪里出发。这个单元只用到你的张量的长度 n：它自己构造两个初始点，用 float64 计算，不理会 `beta` 和 `dtype`。
#
# 这些 β 是一个网格上的 40 个点。对每个初始点，最后两行给出它仍以均匀分布告终的最后一个网格 β，以及下一个网格 β，在那里它变得尖锐：它发生转变的 β 就落在这两点之间。β_s(n) 是尖锐不动点（一个大元素）开始存在的最小 β。只要初始点偏得足够多（n = 3 时正是如此），有偏初始点的这个区间就包含 β_s(n)。当 n ≥ 3 时，接近均匀的初始点在低于 n 处转变（n = 2 时恰好在 n 处）；n = 3 时它离 n 近到这个网格分辨不出两者。

# %% alt="多轮 softmax(beta p) 之后的最大元素随 beta 变化的图，分别从接近均匀的初始点和有偏的初始点出发；对上面设定的 n = 3，beta 较小时两者都停在 1/n，有偏的初始点在比接近均匀的初始点更小的 beta 处就变得尖锐，接近均匀的初始点在 beta = n 附近变得尖锐。"
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
for name, ends in (("有偏的初始点", from_biased), ("接近均匀的初始点", from_near)):
    edge = next((i for i, v in enumerate(ends) if v >= 1 / n + 1e-6), None)
    if edge is None:
        print(f"n = {n}，{name}：在网格的每个 β 上都是均匀分布")
    else:
        print(f"n = {n}，{name}：β = {betas[edge - 1]:.2f} 时为均匀分布，在网格的下一个 β，即 {betas[edge]:.2f}，变得尖锐")
