"""The state every page starts from: defined here once, used wherever a page's code runs.

A page's fences (tests/fences/), the notebooks (tests/notebook_page.py) and the standard
library's cross-check (tests/stdlib_doctest.py) each run in a fresh process of their own, in a
scratch working directory, and execute `CODE` first. A fresh process is what makes a page's
verdict independent of every other page: whatever a page changes (module attributes, doctest's
checker, `_`, imported modules, warnings filters, environment variables, the working directory,
flush-denormal, thread counts, files it writes) dies with its process. `CODE` then fixes what a
fresh process would otherwise leave to chance or to the parent it was forked from.

`CODE` runs in a namespace of its own: a page still imports what it uses, as a reader's fresh
session must. CONTRIBUTING.md and CONTRIBUTING.zh.md show it verbatim (tests/test_contributing.py).
This module imports neither pytest nor the harness.
"""

from __future__ import annotations

CODE = """\
import random
import torch

torch.manual_seed(0)  # seeds the generator of every device
random.seed(0)
torch.set_default_dtype(torch.float32)
torch.set_printoptions(profile="default")
torch.set_grad_enabled(True)
if torch.are_deterministic_algorithms_enabled():
    torch.use_deterministic_algorithms(False)
torch.backends.cudnn.deterministic = False
torch.backends.cudnn.benchmark = False
torch.set_float32_matmul_precision("highest")
torch.set_flush_denormal(False)
"""

NAME = "<starting state>"  # what a traceback from CODE names

# What the process every page's process is forked from imports first, once for all of them
# (tests/fences/zygote.py, tests/stdlib_doctest.py): torch, and what torch imports only when
# first asked. Making an optimizer (torch.optim) imports torch._dynamo, some 800 modules with
# sympy, 1.7 s on a CI core, which each page that makes one paid again in its own process
# (`make benchmark` (e): about 3.5 s of the fence suite's 12.6). Every page then starts with
# them imported, in a run of one page as in a run of all: the starting state is the same.
PRELOADED = ("torch", "torch._dynamo")


def preload() -> None:
    """Import PRELOADED, in the process pages are forked from (it defines nothing)."""
    import importlib

    for name in PRELOADED:
        importlib.import_module(name)


def apply() -> None:
    """Put this process in the starting state (it defines nothing anyone can see)."""
    exec(compile(CODE, NAME, "exec"), {"__name__": "starting_state"})


def notebook_cell(device: str) -> str:
    """The notebook's hidden first cell: the starting state, then `device` as the default."""
    return f"exec({CODE!r}, {{}})\nimport torch as _torch\n_torch.set_default_device({device!r})\ndel _torch\n"
