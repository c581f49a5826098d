"""pytest's side of the page processes: the server that forks them (zygote.py), one per pytest
process, started when the first page is collected, so that its import of torch overlaps the
rest of the collection.

A `ChildRun` is one page run in progress: the request sent, the child's messages read one at a
time. One run at a time: starting one ends the one before it.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from multiprocessing.connection import Connection

from .zygote import RunRequest


class ServerGone(Exception):
    """The server process ended or could not start; the message says what it printed."""


class Server:
    def __init__(self) -> None:
        self.log = tempfile.TemporaryFile()  # what the server and its children write to stderr
        command = [
            sys.executable,
            "-c",
            "import json, sys; sys.path[:0] = json.loads(sys.argv[1]); from fences.zygote import serve; serve()",
            json.dumps(sys.path),
        ]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        self.outgoing = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.incoming = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.ready = False
        self.current: ChildRun | None = None

    def start(self, request: RunRequest) -> ChildRun:
        if self.current is not None:
            self.current.close()
        try:
            if not self.ready:
                self._expect("ready")
                self.ready = True
            self.outgoing.send_bytes(pickle.dumps(request))
            pid = self._expect("started")
        except (OSError, EOFError) as error:
            raise ServerGone(self.why(error)) from None
        self.current = ChildRun(self, pid)
        return self.current

    def _expect(self, kind: str):
        """The value of the next message, which must be (`kind`, value)."""
        message = self.receive(None)
        if message[0] != kind:  # the two sides disagree on the protocol
            raise ServerGone(self.why(RuntimeError(f"expected {kind!r}, got {message!r}")))
        return message[1]

    def receive(self, timeout: float | None):
        """The next message, or None after `timeout` seconds without one."""
        if timeout is not None and not self.incoming.poll(timeout):
            return None
        return self.incoming.recv()

    def why(self, error: BaseException) -> str:
        self.log.seek(0)
        printed = self.log.read().decode(errors="replace")[-4000:]
        return f"the process that runs the pages ended ({type(error).__name__}: {error}); it printed:\n{printed or '(nothing)'}"

    def stop(self) -> None:
        if self.current is not None:
            self.current.close()
        self.outgoing.close()  # the server ends when its input does
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.incoming.close()
        self.log.close()


class ChildRun:
    """The messages of one page's child process, until it has exited."""

    def __init__(self, server: Server, pid: int) -> None:
        self.server, self.pid = server, pid
        self.exited: str | None = None  # how the child ended, once it has
        self.abandoned = False  # killed by pytest's side before it ended

    def next(self, timeout: float):
        """The child's next `("outcome", index, Outcome)`, `("exited", how)` once it has ended, or
        None when it sent nothing for `timeout` seconds (it is then killed)."""
        if self.exited is not None:
            return ("exited", self.exited)
        try:
            message = self.server.receive(timeout)
        except (OSError, EOFError) as error:
            raise ServerGone(self.server.why(error)) from None
        if message is None:
            self.close()
            return None
        if message[0] == "exited":
            self.exited = message[1]
            self.server.current = None
        return message

    def close(self) -> None:
        """Kill the child if it still runs, and read what it sent until it has exited."""
        if self.exited is not None:
            return
        self.abandoned = True
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while self.exited is None:
            try:
                message = self.server.receive(None)
            except (OSError, EOFError):
                self.exited = "lost with the server"
                break
            if message[0] == "exited":
                self.exited = message[1]
        self.server.current = None


_server: Server | None = None


def server() -> Server:
    """This pytest process's server, started on first use (again, if it has ended)."""
    global _server
    if _server is None or _server.process.poll() is not None:
        _server = Server()
    return _server


def stop_server() -> None:
    global _server
    if _server is not None:
        _server.stop()
        _server = None
