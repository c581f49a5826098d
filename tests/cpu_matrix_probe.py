"""A pytest plugin for the child runs of tests/test_cpu_matrix.py (`-p cpu_matrix_probe`).

Before each test runs, it appends one JSON line to the file named by $CPU_MATRIX_PROBE: the
test's node id, the process, and the CPU capability and thread count torch reports there.
The matrix test reads them back to check that ATEN_CPU_CAPABILITY and OMP_NUM_THREADS took
effect where the fences ran, not merely in the environment it passed down."""

from __future__ import annotations

import json
import os

import pytest

VARIABLE = "CPU_MATRIX_PROBE"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    import torch

    seen = {
        "nodeid": item.nodeid,
        "pid": os.getpid(),
        "capability": torch.backends.cpu.get_cpu_capability(),
        "threads": torch.get_num_threads(),
    }
    # One short append per line: a forked process that runs items appends to the same file.
    with open(os.environ[VARIABLE], "a", encoding="utf-8") as out:
        out.write(json.dumps(seen) + "\n")
    return (yield)
