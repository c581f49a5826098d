"""Each page run in a process of its own, forked from one that imported torch once.

`serve()` is the main of a small server process (isolation.py starts one per pytest process).
It imports torch and the harness, and then, for each page run it is sent, forks a child: the
child puts itself in the starting state (documents/start.py), moves into a scratch directory,
runs the page's fences top to bottom in one namespace on the device asked for, and sends the
outcome of each fence as it ends. When the child has exited, the scratch directory is removed
and the server says how the child ended. Whatever a page changes, in torch, in the interpreter
or on disk, ends with its child: no page sees another page's state.

Why not fork pytest itself: a process that has run one of torch's parallel (OpenMP) kernels
hangs in a forked child at the next one. This server never runs a tensor operation, and never
touches CUDA, which a forked child could not initialise again.

Messages are pickles framed by `multiprocessing.connection`; from the server to pytest:
`("ready", pid)` once, then per run `("started", child_pid)`, the child's
`("outcome", index, Outcome)` for each fence, and `("exited", how)`.
"""

from __future__ import annotations

import builtins
import os
import pickle
import shutil
import signal
import sys
import tempfile
import traceback
import warnings
from dataclasses import dataclass, field
from multiprocessing.connection import Connection


@dataclass(frozen=True)
class RunRequest:
    """One page on one device: the fences to run (all of them up to `last`)."""

    fences: list
    device: str
    last: int  # index of the last fence to run
    page_globals: dict  # names every page starts with (pytest_markdown_docs_globals)
    shown_from: str  # the directory reports name paths from (pytest's working directory)
    timeout: float  # seconds after which a fence is stopped as hanging


@dataclass(frozen=True)
class RelayedWarning:
    """A warning a fence issued, to issue again in pytest's process at the same place."""

    category: type
    message: str
    filename: str
    lineno: int


@dataclass(frozen=True)
class Outcome:
    """How one fence ended: `error` is None when it passed."""

    error: BaseException | None
    warnings: list[RelayedWarning] = field(default_factory=list)


class FenceTimeout(BaseException):
    """Raised in a fence that runs longer than `fence_timeout`; a BaseException, so that it
    stops the fence instead of being reported as an example's exception."""


def serve() -> None:
    incoming = Connection(os.dup(0), writable=False)
    outgoing = Connection(os.dup(1), readable=False)
    # What a page writes to the process's own stdout (C code, os.write) must not reach the
    # messages: fd 1 becomes stderr, fd 0 an empty stdin.
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)

    from documents import start

    start.preload()  # torch and what it imports lazily, once, for every page run this server forks

    from fences import evaluators  # noqa: F401

    import gc

    gc.freeze()  # the children share these pages of memory untouched
    outgoing.send(("ready", os.getpid()))
    while True:
        try:
            request = incoming.recv_bytes()
        except EOFError:  # pytest has ended
            return
        _fork_run(request, incoming, outgoing)


def _fork_run(request: bytes, incoming: Connection, outgoing: Connection) -> None:
    scratch = tempfile.mkdtemp(prefix="page-run-")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read_end)
            incoming.close()
            outgoing.close()
            status = _child(pickle.loads(request), Connection(write_end, readable=False), scratch)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write_end)
    outgoing.send(("started", pid))
    from_child = Connection(read_end, writable=False)
    while True:
        try:
            outgoing.send_bytes(from_child.recv_bytes())
        except EOFError:
            break
    from_child.close()
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(scratch, ignore_errors=True)
    outgoing.send(("exited", _how(status)))


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        return f"killed by signal {number} ({signal.Signals(number).name})"
    return f"exit status {os.WEXITSTATUS(status)}"


def _child(request: RunRequest, send: Connection, scratch: str) -> int:
    from documents import includes, start
    from fences.devices import default_device

    includes.show_paths_from(request.shown_from)
    os.chdir(scratch)
    start.apply()
    signal.signal(signal.SIGALRM, _on_alarm)
    namespace = {"__name__": "__main__", "__builtins__": builtins, **request.page_globals}
    checking = _checking_code()
    with default_device(request.device):
        for fence in request.fences[: request.last + 1]:
            outcome, stop = _run_fence(fence, namespace, request.timeout)
            if changed := _put_back(checking):
                outcome = Outcome(_tampered(fence, changed), outcome.warnings)
            _send(send, ("outcome", fence.index, outcome), fence)
            if stop:
                break
    return 0


def _checking_code() -> dict[tuple[object, str], object]:
    """Every attribute of the code that judges a fence: doctest (its module, checker and parser),
    what captures and formats an example's output and traceback (contextlib, traceback), and the
    harness's checker, sessions and evaluators. A page that replaced one would judge its own output."""
    import contextlib
    import doctest
    import traceback

    from fences import checker, evaluators, sessions

    owners = (
        doctest, doctest.OutputChecker, doctest.DocTestParser, doctest.Example, contextlib, traceback, traceback.TracebackException,
        checker.TorchOutputChecker, checker, sessions, evaluators,
    )
    return {(owner, name): value for owner in owners for name, value in list(vars(owner).items())}


def _put_back(checking: dict[tuple[object, str], object]) -> list[str]:
    """Restore what a fence changed of the checking code; the names it changed."""
    changed = []
    for (owner, name), value in checking.items():
        if vars(owner).get(name, _MISSING) is not value:
            changed.append(f"{getattr(owner, '__module__', '')}.{getattr(owner, '__qualname__', getattr(owner, '__name__', owner))}.{name}".lstrip("."))
            setattr(owner, name, value)
    return changed


_MISSING = object()


def _tampered(fence, changed: list[str]):
    from fences.evaluators import FenceStopped

    text = (
        f"this fence changes the code that checks the examples ({', '.join(changed)}), which would make "
        "its page pass whatever it prints; a page may not do that (it was put back for the fences after it)"
    )
    return FenceStopped.outside(text)


def _on_alarm(signum, frame):
    raise FenceTimeout()


def _run_fence(fence, namespace: dict, timeout: float) -> tuple[Outcome, bool]:
    """Run one fence; its outcome, and whether the page run must stop (the reader pressed Ctrl-C)."""
    from fences.evaluators import FencePrinted, FenceRaised, FenceStopped, OutputMismatch, Raised, code_files, evaluate, locate

    error: BaseException | None = None
    stop = False
    with warnings.catch_warnings(record=True) as caught:
        # Every warning is relayed; pytest's own filters, in pytest's process, decide what shows.
        warnings.simplefilter("always")
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            evaluate(fence, namespace)
        except (OutputMismatch, FenceRaised, FencePrinted) as raised:
            error = raised
        except BaseException as raised:  # a timeout, exit(), KeyboardInterrupt
            signal.setitimer(signal.ITIMER_REAL, 0)
            if isinstance(raised, FenceTimeout):
                text = f"Timeout (>{timeout:g}s): the fence ran longer than fence_timeout and was stopped"
            else:
                text = "".join(traceback.format_exception_only(type(raised), raised)).strip()
            where = locate(raised, code_files(fence))  # less this module's own frame (the alarm's)
            error = FenceStopped(text, Raised(tuple(f for f in where.frames if f.filename != __file__), text))
            stop = isinstance(raised, KeyboardInterrupt)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    relayed = list(dict.fromkeys(_relayed(w) for w in caught))
    return Outcome(error, relayed), stop


def _relayed(caught: warnings.WarningMessage) -> RelayedWarning:
    category = caught.category
    message = str(caught.message)
    try:
        pickle.loads(pickle.dumps(category))
    except Exception:  # a warning class defined on the page itself: pytest's process has none
        category, message = UserWarning, f"{caught.category.__name__}: {message}"
    return RelayedWarning(category, message, caught.filename, caught.lineno or 0)


def _send(send: Connection, message: tuple, fence) -> None:
    try:
        send.send(message)
    except Exception as error:  # an outcome that cannot be pickled is reported, not lost
        from fences.evaluators import FenceStopped

        kind, index, outcome = message
        text = f"the outcome of this fence could not be sent to pytest ({type(error).__name__}: {error}): {outcome.error!r}"
        send.send((kind, index, Outcome(FenceStopped.outside(text), outcome.warnings)))


if __name__ == "__main__":
    sys.exit(serve())
