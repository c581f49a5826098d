"""The page run: every page starts from the same torch state, and its fences share one namespace.

A *page run* is one page on one device: its fences execute top to bottom in one namespace, as a
reader pasting them into one Python session would. Before the run, the global state a page can
change is reset to fixed values; after it, the state from before is restored. When a fence is run
on its own (`pytest 'docs/page.md::[CodeFence#3]...'`, or any reordering), the fences above it are
replayed first, so a result never depends on which tests ran before.
"""

from __future__ import annotations

import builtins
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SEED = 0


@dataclass
class TorchState:
    """The process-wide state a page may change, captured so that it can be put back."""

    default_dtype: Any
    print_options: dict
    grad_enabled: bool
    deterministic: bool
    deterministic_warn_only: bool
    cudnn_deterministic: bool
    cudnn_benchmark: bool
    matmul_precision: str
    torch_rng: Any
    cuda_rng: list | None
    python_rng: Any

    @classmethod
    def capture(cls) -> TorchState:
        import torch

        return cls(
            default_dtype=torch.get_default_dtype(),
            print_options=torch._tensor_str.get_printoptions(),
            grad_enabled=torch.is_grad_enabled(),
            deterministic=torch.are_deterministic_algorithms_enabled(),
            deterministic_warn_only=torch.is_deterministic_algorithms_warn_only_enabled(),
            cudnn_deterministic=torch.backends.cudnn.deterministic,
            cudnn_benchmark=torch.backends.cudnn.benchmark,
            matmul_precision=torch.get_float32_matmul_precision(),
            torch_rng=torch.get_rng_state(),
            cuda_rng=torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None,
            python_rng=random.getstate(),
        )

    def restore(self) -> None:
        import torch

        torch.set_default_dtype(self.default_dtype)
        torch.set_printoptions(**self.print_options)
        torch.set_grad_enabled(self.grad_enabled)
        _set_deterministic(self.deterministic, self.deterministic_warn_only)
        torch.backends.cudnn.deterministic = self.cudnn_deterministic
        torch.backends.cudnn.benchmark = self.cudnn_benchmark
        torch.set_float32_matmul_precision(self.matmul_precision)
        torch.set_rng_state(self.torch_rng)
        if self.cuda_rng is not None:
            torch.cuda.set_rng_state_all(self.cuda_rng)
        random.setstate(self.python_rng)


def _set_deterministic(enabled: bool, warn_only: bool) -> None:
    import torch

    # Only when it changes: the call imports torch._inductor, close to a second of start-up.
    if (enabled, warn_only) != (torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()):
        torch.use_deterministic_algorithms(enabled, warn_only=warn_only)


def reset_for_page() -> None:
    """The state every page starts from: torch's defaults, and fixed seeds."""
    import torch

    torch.set_default_dtype(torch.float32)
    torch.set_printoptions(profile="default")
    torch.set_grad_enabled(True)
    _set_deterministic(False, False)
    torch.backends.cudnn.deterministic = False
    torch.backends.cudnn.benchmark = False
    torch.set_float32_matmul_precision("highest")
    torch.manual_seed(SEED)  # seeds every device's generator
    random.seed(SEED)


class ReplayError(Exception):
    """A fence above the one asked for failed when replayed to rebuild the page's state."""

    def __init__(self, index: int, error: BaseException) -> None:
        super().__init__(f"fence #{index + 1} of this page failed when replayed: {error}")
        self.index = index
        self.error = error


class PageRun:
    """The one owner of a page's run: its namespace, the fence it expects next, the replay of
    the fences above a fence run out of order, and the state to put back afterwards.

    One lives on each page's collector (plugin.py), which pytest sets up before the page's first
    item and tears down after its last: `finish` is called then. A run is one page on one device:
    a fence of another device, or one that does not come next, starts a fresh run (replaying
    the fences above it), so a result never depends on which tests ran before.
    """

    def __init__(self, fences: list, replay: Callable[[object, dict], None], page_globals: Callable[[], dict]) -> None:
        self.fences = fences
        self.replay = replay  # re-executes a fence in a namespace, ignoring what it prints
        self.page_globals = page_globals  # names every page starts with
        self.device: str | None = None
        self.namespace: dict = {}
        self.next_index = 0
        self.saved: TorchState | None = None

    def run(self, fence, device: str, evaluate: Callable[[object, dict], None]) -> None:
        """Evaluate `fence` on `device` in the page's namespace, starting the run if need be."""
        if self.saved is None or self.device != device or self.next_index != fence.index:
            self._start(device, fence.index)
        try:
            evaluate(fence, self.namespace)
        finally:
            self.next_index = fence.index + 1

    def _start(self, device: str, index: int) -> None:
        self.finish()
        self.saved = TorchState.capture()
        reset_for_page()
        self.device, self.next_index = device, 0
        self.namespace = {"__name__": "__main__", "__builtins__": builtins, **self.page_globals()}
        for earlier in self.fences[:index]:
            try:
                self.replay(earlier, self.namespace)
            except Exception as error:
                raise ReplayError(earlier.index, error) from error
        self.next_index = index

    def finish(self) -> None:
        """End the run in progress, putting back the state from before it."""
        if self.saved is not None:
            saved, self.saved = self.saved, None
            saved.restore()
