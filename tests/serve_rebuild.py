"""How long `mkdocs serve` takes to rebuild the site after a contributor's edit of one page's prose.

    python tests/serve_rebuild.py [--edits 3] [--page docs/errata.md] [--port 8123]

Starts `mkdocs serve --livereload` on this checkout, waits for its first build, then appends a word
to a sentence of the page and times, from the moment the file is written, until the server's log
says the rebuild is done ("Reloading browsers", which MkDocs logs once the build has written the
site): what a contributor waits for between saving a page and seeing it. Each further edit puts
the page back as it was, or changes it again, and is timed the same way; the page is restored at
the end whatever happens, and the server is stopped. `rebuild_seconds` is what `make benchmark`
calls; `rebuild_times` also gives the CPU seconds the server spent on each rebuild (on Linux, from
/proc), which a busy machine changes much less than the wall time. Run as a script it prints each
rebuild and their minimum and median.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import ROOT  # noqa: E402

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
WORD = "indeed"
_FENCE = re.compile(r"^\s*(```|~~~)")


def with_word(text: str, word: str = WORD) -> str:
    """`text` (a page's Markdown) with `word` added at the end of its first sentence of prose: the
    first line of a paragraph, outside front matter and code fences, that ends with a full stop."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0] == "---":  # front matter
        start = lines.index("---", 1) + 1
    fenced = False
    for number in range(start, len(lines)):
        line = lines[number]
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not line.strip() or line.lstrip().startswith(("#", "|", "!", "-", "*", ">", "<", "[", "$", "--8<--")):
            continue
        if line.rstrip().endswith("."):
            lines[number] = line.rstrip()[:-1] + f" {word}."
            return "\n".join(lines)
    raise ValueError("no line of prose ending a sentence found to edit")


class _Server:
    """`mkdocs serve` on this checkout, its log read line by line as it comes."""

    def __init__(self, port: int, extra: list[str]) -> None:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", *extra],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,  # its own process group, stopped as one
        )
        self.lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))
        self.lines.put((time.monotonic(), None))

    def wait_for(self, pattern: str, timeout: float) -> float:
        """The time at which the log next shows `pattern`; an error if the server stops first or
        reports an error, or after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                when, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"mkdocs serve did not log {pattern!r} within {timeout:.0f} s:\n" + "\n".join(self.log[-20:])) from None
            if line is None:
                raise RuntimeError("mkdocs serve stopped:\n" + "\n".join(self.log[-20:]))
            self.log.append(line)
            if "ERROR" in line or "Aborted with" in line:
                raise RuntimeError("mkdocs serve reported an error:\n" + "\n".join(self.log[-20:]))
            if pattern in line:
                return when

    def cpu_seconds(self) -> float:
        """The CPU time (user and system) the server has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def rebuild_seconds(edits: int = 3, page: str = "docs/errata.md", port: int = 8123, extra: list[str] | None = None, timeout: float = 600) -> list[float]:
    """Seconds from saving an edit of `page` to the rebuilt site, for each of `edits` edits (the
    first appends a word to a sentence, the next puts the page back, and so on)."""
    return [wall for wall, _ in rebuild_times(edits, page, port, extra, timeout)]


def rebuild_times(edits: int = 3, page: str = "docs/errata.md", port: int = 8123, extra: list[str] | None = None, timeout: float = 600) -> list[tuple[float, float | None]]:
    """For each edit as in `rebuild_seconds`: its wall seconds, and the CPU seconds the server
    spent from the save to the rebuilt site (None where /proc cannot say)."""
    path = ROOT / page
    original = path.read_bytes()
    edited = with_word(original.decode("utf-8")).encode("utf-8")
    server = _Server(port, extra or [])
    times = []
    try:
        server.wait_for("Serving on", timeout)  # logged once the first build is done
        for number in range(edits):
            time.sleep(1)  # a contributor's pause between saves; the watcher has settled
            cpu = _cpu(server)
            started = time.monotonic()
            path.write_bytes(edited if number % 2 == 0 else original)
            server.wait_for("Detected file changes", timeout)
            done = server.wait_for("Reloading browsers", timeout)
            after = _cpu(server)
            times.append((done - started, None if cpu is None or after is None else after - cpu))
    finally:
        path.write_bytes(original)
        server.stop()
    return times


def _cpu(server: _Server) -> float | None:
    try:
        return server.cpu_seconds()
    except (OSError, ValueError, IndexError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--page", default="docs/errata.md")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--dirty", action="store_true", help="serve with --dirty (MkDocs rebuilds changed pages only)")
    args = parser.parse_args()
    times = rebuild_times(args.edits, args.page, args.port, ["--dirty"] if args.dirty else [])
    for number, (wall, cpu) in enumerate(times, 1):
        print(f"rebuild {number}: {wall:.2f} s" + ("" if cpu is None else f" ({cpu:.2f} s of CPU)"))
    walls = [wall for wall, _ in times]
    print(f"min {min(walls):.2f} s, median {statistics.median(walls):.2f} s over {len(walls)} rebuilds of {args.page}")
    if None not in (cpus := [cpu for _, cpu in times]):
        print(f"CPU: min {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s")


if __name__ == "__main__":
    sys.exit(main())
