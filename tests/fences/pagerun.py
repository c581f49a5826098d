"""The page run: one page on one device, in a process of its own, from the starting state.

A page's fences execute top to bottom in one namespace, as a reader pasting them into one fresh
Python session would, in a child process forked for that run (zygote.py) that starts from the
state documents/start.py defines, in a scratch working directory. pytest's process never runs a
page's code: it reads the outcome of each fence as the child sends it. Whatever ran before,
another page, the other device, or the harness's own tests, a page's verdict is the same.

When only some of a page's fences are selected (`pytest 'docs/PAGE.md::[CodeFence#3]...'`), the
run still executes every fence above the last one selected, so each sees the same variables.
"""

from __future__ import annotations

from collections.abc import Callable

from . import isolation
from .evaluators import FenceStopped
from .zygote import Outcome, RunRequest

# What the child gets beyond `fence_timeout` before pytest's process kills it: the child stops a
# fence itself at the timeout; this is for a fence stuck where Python's signal cannot reach it.
GRACE = 60.0


class PageRun:
    """The one owner of a page's runs, one per device at a time: the child running it and the
    outcomes it has sent. One lives on each page's collector (plugin.py); `finish` is called at
    the collector's teardown."""

    def __init__(self, fences: list, page_globals: Callable[[], dict], timeout: float, shown_from: str) -> None:
        self.fences = fences
        self.page_globals = page_globals  # names every page starts with
        self.timeout, self.shown_from = timeout, shown_from
        self.device: str | None = None
        self.last = -1  # the last fence the current run executes
        self.child: isolation.ChildRun | None = None
        self.outcomes: dict[int, Outcome] = {}

    def outcome(self, fence, device: str, last: int) -> Outcome:
        """How `fence` ended on `device`, in a run that executes the page's fences up to `last`."""
        if device != self.device or fence.index > self.last or (fence.index not in self.outcomes and self._lost()):
            self._start(device, max(last, fence.index))
        while fence.index not in self.outcomes:
            self._read()
        return self.outcomes[fence.index]

    def _lost(self) -> bool:
        """The run ended early because another run started (only one runs at a time)."""
        return self.child is None or (self.child.exited is not None and self.child.abandoned)

    def _start(self, device: str, last: int) -> None:
        self.finish()
        self.device, self.last, self.outcomes = device, last, {}
        request = RunRequest(self.fences, device, last, self.page_globals(), self.shown_from, self.timeout)
        try:
            self.child = isolation.server().start(request)
        except isolation.ServerGone as gone:
            self._stop_remaining(str(gone))

    def _read(self) -> None:
        if self.child is None:
            return self._stop_remaining("the page's process could not be started")
        message = self.child.next(self.timeout + GRACE)
        if message is None:
            self._stop_remaining(f"the page's process sent nothing for {self.timeout + GRACE:g} s and was killed (fence_timeout is {self.timeout:g} s)")
        elif message[0] == "outcome":
            _, index, outcome = message
            self.outcomes[index] = outcome
        else:  # exited before sending every outcome
            self._stop_remaining(f"the page's process ended ({message[1]})")

    def _stop_remaining(self, why: str) -> None:
        """Every fence of the run without an outcome fails: the first one was running."""
        missing = [index for index in range(self.last + 1) if index not in self.outcomes]
        for position, index in enumerate(missing):
            text = f"{why} while this fence ran" if position == 0 else f"not run: {why} during fence #{missing[0] + 1}"
            self.outcomes[index] = Outcome(FenceStopped.outside(text))

    def finish(self) -> None:
        """End the run in progress, if any: its child is killed."""
        if self.child is not None:
            self.child.close()
            self.child = None
