"""Every page's fences, on cpu, under each CPU capability this machine offers and at 1 and at
2 threads: the outputs a page shows must be those of every CPU, not only of the one that
recorded them.

PyTorch picks its CPU kernels by the vector width of the CPU (`ATEN_CPU_CAPABILITY`:
`default`, the scalar kernels of a CPU without AVX2; `avx2`; `avx512`) and splits large
tensors over its threads; both change rounding, summation order and so the last bits. Each
combination is one case, `[avx2-1thread]`, that runs `pytest docs --devices cpu` in a
child process with `ATEN_CPU_CAPABILITY` and `OMP_NUM_THREADS` set, reads the per-fence
results from the record it writes (`--fence-record`), and on failure shows the failing
fences and the child's reports of them.

Which capabilities this machine offers is decided by torch itself: the capability it picks
with `ATEN_CPU_CAPABILITY` unset is the widest the CPU supports (it checks the CPU's flags,
AVX2 and FMA for `avx2`, AVX-512 VL, BW, DQ and FMA for `avx512`), and every narrower one
runs too. What torch reports with the variable set proves nothing: it accepts
`ATEN_CPU_CAPABILITY=avx512` on a CPU without AVX-512, reports `AVX512`, and dies of an
illegal instruction at the first vectorised kernel. A capability wider than the CPU's is
reported as skipped, saying so; on a CPU that is not x86 only `default` is run.

Each child checks what took effect where the fences ran: a plugin of its own
(tests/cpu_matrix_probe.py) notes torch's capability and thread count before every test,
and the case fails if any differs from what was asked, or if a fence ran unnoticed. torch
caps `OMP_NUM_THREADS` at the number of CPUs (3 or 16 give 2 on a 2-CPU machine), so a
thread count above it is reported as skipped, saying so.

The main run of the suite already runs every page at this process's capability and thread
count (torch's default, one per core, in each pytest-xdist worker too). That one case is
named `-main-run` and is skipped when this session does run every page's fences on cpu; run
alone (`pytest tests/test_cpu_matrix.py`) it runs like the others.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from documents.editions import originals
from documents.regions import page_fences
from support import ROOT

CONFIG = str(ROOT / "mkdocs.yml")

CAPABILITIES = ("default", "avx2", "avx512")  # narrowest first: a CPU runs every one up to its own
THREADS = (1, 2)
# One run of every page takes about 15 s on an idle 2-core machine, several times that on a
# loaded one beside the rest of the suite; the child is stopped a minute before the case.
CASE_TIMEOUT = 1200
CHILD_TIMEOUT = CASE_TIMEOUT - 60
REPORT_CHARACTERS = 20_000  # of the child's output shown, from its first failure report on


def main_run() -> tuple[str, int]:
    """The capability and thread count of this process, which the main run's fences share."""
    return torch.backends.cpu.get_cpu_capability().lower(), torch.get_num_threads()


def case_id(capability: str, threads: int) -> str:
    name = f"{capability}-{threads}thread{'s' if threads > 1 else ''}"
    return name + ("-main-run" if (capability, threads) == main_run() else "")


CASES = [pytest.param(c, t, id=case_id(c, t)) for c in CAPABILITIES for t in THREADS]


@functools.cache
def widest_capability() -> str:
    """The capability torch picks for this CPU when none is asked for: the widest it supports."""
    env = {k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"}
    code = "import torch; print(torch.backends.cpu.get_cpu_capability())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return result.stdout.strip().lower()


def offered(capability: str) -> str | None:
    """Why this CPU cannot run `capability`, or None when it can."""
    widest = widest_capability()
    if widest not in CAPABILITIES:  # not x86 (NEON, SVE, VSX, ...): only the default kernels are named alike
        return None if capability == "default" else f"torch reports {widest!r} for this CPU: it has no {capability} kernels"
    if CAPABILITIES.index(capability) > CAPABILITIES.index(widest):
        return f"this CPU's widest capability is {widest} (as torch detects it): {capability} kernels would not run"
    return None


def pages_with_fences() -> set[str]:
    """The pages whose fences the child runs: every original page of docs/ with a fence."""
    pages = originals((ROOT / "docs").rglob("*.md"), CONFIG)
    return {page.relative_to(ROOT).as_posix() for page in pages if page_fences(page, CONFIG)}


def main_run_covers(session: pytest.Session) -> bool:
    """Whether this session itself runs every page's fences on cpu."""
    ran = {item.nodeid.split("::")[0] for item in session.items if dict(item.user_properties).get("device") == "cpu"}
    return pages_with_fences() <= ran


def child_environment(capability: str, threads: int, probe: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_")}
    env.update(ATEN_CPU_CAPABILITY=capability, OMP_NUM_THREADS=str(threads), CPU_MATRIX_PROBE=str(probe))
    return env


def failure_reports(output: str) -> str:
    """The child's reports of what failed (its FAILURES and ERRORS sections and summary)."""
    starts = [i for i in (output.find("= ERRORS ="), output.find("= FAILURES =")) if i >= 0]
    start = min(starts) if starts else 0
    # From the start of that line: the first reports whole, and the summary at the end.
    text = output[output.rfind("\n", 0, start) + 1 :]
    if len(text) <= REPORT_CHARACTERS:
        return text
    summary = text[text.rfind("\n", 0, max(text.rfind("short test summary info"), 0)) + 1 :]
    head = text[: max(REPORT_CHARACTERS - len(summary), REPORT_CHARACTERS // 2)]
    return head + "\n...\n" + summary[-REPORT_CHARACTERS // 2 :]


@pytest.mark.timeout(CASE_TIMEOUT)
@pytest.mark.parametrize("capability, threads", CASES)
def test_pages_under_cpu_capability_and_threads(capability: str, threads: int, request: pytest.FixtureRequest, tmp_path: Path):
    if reason := offered(capability):
        pytest.skip(reason)
    if threads > (os.cpu_count() or 1):
        pytest.skip(f"{threads} threads: torch caps OMP_NUM_THREADS at this machine's {os.cpu_count()} CPU(s)")
    if (capability, threads) == main_run() and main_run_covers(request.session):
        pytest.skip(f"the main run: this session runs every page's fences on cpu with {capability} at {threads} thread(s) itself")

    record_path, probe = tmp_path / "record.json", tmp_path / "probe.jsonl"
    command = [sys.executable, "-m", "pytest", "docs", "--devices", "cpu", "-p", "no:xdist", "-p", "no:cacheprovider"]
    command += ["-p", "cpu_matrix_probe", "--fence-record", str(record_path), "-q", "--no-header"]
    try:
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, env=child_environment(capability, threads, probe), timeout=CHILD_TIMEOUT
        )
    except subprocess.TimeoutExpired as stopped:
        output = stopped.stdout.decode(errors="replace") if isinstance(stopped.stdout, bytes) else stopped.stdout or ""
        pytest.fail(f"the pages did not finish in {CHILD_TIMEOUT} s under {capability} at {threads} thread(s):\n{output[-REPORT_CHARACTERS:]}")
    output = result.stdout + result.stderr
    if not record_path.exists():
        pytest.fail(f"the child wrote no record (exit status {result.returncode}):\n{output[-REPORT_CHARACTERS:]}", pytrace=False)

    # What took effect where the fences ran.
    seen = [json.loads(line) for line in probe.read_text(encoding="utf-8").splitlines()] if probe.exists() else []
    if not seen:
        pytest.fail(f"the probe saw no test run:\n{output[-REPORT_CHARACTERS:]}", pytrace=False)
    if wrong := {(s["capability"], s["threads"]) for s in seen} - {(capability.upper(), threads)}:
        pytest.fail(
            f"asked for ATEN_CPU_CAPABILITY={capability} OMP_NUM_THREADS={threads}, "
            f"but torch ran tests with (capability, threads) {sorted(wrong)}",
            pytrace=False,
        )

    entries = [e for e in json.loads(record_path.read_text(encoding="utf-8"))["entries"] if e.get("kind", "fence") == "fence"]
    if not entries or {e["device"] for e in entries} != {"cpu"}:
        pytest.fail(f"the record holds no cpu fences:\n{output[-REPORT_CHARACTERS:]}", pytrace=False)
    if unseen := {e["id"] for e in entries if e["result"] == "passed"} - {s["nodeid"] for s in seen}:
        pytest.fail(f"fences passed without the probe seeing them run: {sorted(unseen)}", pytrace=False)
    failing = [f"  {e['result']}: {e['id']}" for e in entries if e["result"] != "passed"]
    if failing or result.returncode != 0:
        pytest.fail(
            f"under ATEN_CPU_CAPABILITY={capability} OMP_NUM_THREADS={threads}, {len(failing)} of {len(entries)} fences "
            f"did not pass (exit status {result.returncode}):\n" + "\n".join(failing) + "\n\n" + failure_reports(output),
            pytrace=False,
        )
