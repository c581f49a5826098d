"""Page isolation: every page starts from the same torch state, and its fences share one namespace.

A *page run* is one page on one device: its fences execute top to bottom in one namespace, as a
reader pasting them into one Python session would. Before the run, the global state a page can
change is reset to fixed values; after it, the state from before is restored. When a fence is run
on its own (`pytest 'docs/page.md::[CodeFence#3]...'`, or any reordering), the fences above it are
replayed first, so a result never depends on which tests ran before.
"""

from __future__ import annotations

import builtins
import contextlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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


@dataclass
class PageRun:
    key: tuple[str, str]  # (page, device)
    saved: TorchState
    namespace: dict = field(default_factory=lambda: {"__name__": "__main__", "__builtins__": builtins})
    next_index: int = 0


class ReplayError(Exception):
    """A fence above the one asked for failed when replayed to rebuild the page's state."""

    def __init__(self, index: int, error: BaseException) -> None:
        super().__init__(f"fence #{index + 1} of this page failed when replayed: {error}")
        self.index = index
        self.error = error


class PageRuns:
    """The one page run in progress in this process."""

    def __init__(self) -> None:
        self.current: PageRun | None = None

    def prepare(self, key: tuple[str, str], index: int, replay: Callable[[int, dict], None]) -> PageRun:
        """The run in which fence `index` of page `key` executes next, started if need be;
        `replay(i, namespace)` re-executes fence `i` when the fences above must be replayed."""
        run = self.current
        if run is not None and run.key == key and run.next_index == index:
            return run
        self.finish()
        saved = TorchState.capture()
        reset_for_page()
        run = self.current = PageRun(key, saved)
        for earlier in range(index):
            try:
                replay(earlier, run.namespace)
            except Exception as error:
                raise ReplayError(earlier, error) from error
        run.next_index = index
        return run

    def finish(self) -> None:
        """End the run in progress, putting back the state from before it."""
        if self.current is not None:
            self.current.saved.restore()
            self.current = None


PAGE_RUNS = PageRuns()

_active_namespace: dict | None = None


@contextlib.contextmanager
def active(run: PageRun) -> Iterator[dict]:
    """Make `run`'s namespace the one the runners execute in."""
    global _active_namespace
    _active_namespace = run.namespace
    try:
        yield run.namespace
    finally:
        _active_namespace = None


def namespace(extra: dict) -> dict:
    """The active page namespace, with fixture values and hook globals from `extra` added."""
    if _active_namespace is None:
        raise RuntimeError("a fence runner was called outside a page run")
    _active_namespace.update({name: value for name, value in extra.items() if not name.startswith("__")})
    return _active_namespace
