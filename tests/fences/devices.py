"""The devices a fence runs on, and how a fence is put on one."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

DEVICES = ("cpu", "cuda")


def absent_reason(device: str) -> str | None:
    """Why `device` cannot run here, or None when it can."""
    if device == "cpu":
        return None
    import torch

    if not torch.cuda.is_available():
        return "no CUDA device (torch.cuda.is_available() is False); CONTRIBUTING.md says how to run the CUDA pass"
    return None


def parse_devices(value: str | None) -> tuple[tuple[str, ...], bool]:
    """The devices named by `--devices`, and whether they were named explicitly."""
    if value is None:
        return DEVICES, False
    names = tuple(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
    unknown = [name for name in names if name not in DEVICES]
    if not names or unknown:
        raise ValueError(f"--devices takes a comma-separated list of {', '.join(DEVICES)}; got {value!r}")
    return names, True


@contextlib.contextmanager
def default_device(device: str) -> Iterator[None]:
    """Make `device` torch's default device for the duration, then restore the previous one.

    `with torch.device(...)` is torch's own scoped form of `torch.set_default_device`: factory
    calls without an explicit device allocate on it, so the examples stay device-agnostic.
    When `device` is the default already (cpu, normally), nothing is pushed: the context is
    a Python-level mode that every torch call would go through, for no effect.
    """
    import torch

    if torch.get_default_device() == torch.device(device):
        yield
        return
    with torch.device(device):
        yield
