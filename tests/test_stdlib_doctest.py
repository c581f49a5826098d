"""The standard library's doctest, run independently over the `pycon` fences, agrees with the
suite on every fence (tests/stdlib_doctest.py is the independent run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fences.editions import originals

ROOT = Path(__file__).resolve().parent.parent


def test_stdlib_doctest_agrees_with_the_suite_on_every_pycon_fence(tmp_path):
    # The pages whose fences run; a translation shows its original's (checked by the suite).
    pages = [str(page.relative_to(ROOT)) for page in originals((ROOT / "docs").rglob("*.md"), str(ROOT / "mkdocs.yml"))]
    record = tmp_path / "cpu.json"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--devices=cpu", f"--fence-record={record}", *pages],
        cwd=ROOT,
        capture_output=True,
    )
    suite = {entry["id"]: entry["result"] for entry in json.loads(record.read_text())["fences"]}
    stdlib = json.loads(
        subprocess.run(
            [sys.executable, "tests/stdlib_doctest.py", *pages], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )

    compared = 0
    for page, fences in stdlib.items():
        for number, failed_examples in fences.items():
            [fence_id] = [i for i in suite if i.startswith(f"{page}::[CodeFence#{number}]") and i.endswith("[cpu]")]
            assert (suite[fence_id] == "passed") == (failed_examples == 0), fence_id
            compared += 1
    assert compared > 0
