"""The standard library's doctest, run independently over the `pycon` fences, agrees with the
suite on every fence, but where the one documented rule explains why (tests/stdlib_doctest.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import stdlib_doctest
from documents.editions import originals
from support import ROOT


def test_stdlib_doctest_agrees_with_the_suite_on_every_pycon_fence(full_cpu_pass):
    # The pages whose fences run; a translation shows its original's (checked by the suite).
    pages = [str(page.relative_to(ROOT)) for page in originals((ROOT / "docs").rglob("*.md"), str(ROOT / "mkdocs.yml"))]
    # The harness's cpu verdict per fence: the CPU pass of the session (conftest.py), which runs
    # every page's fences as `pytest --devices=cpu --fence-record` does, in this environment.
    _, record = full_cpu_pass
    entries = json.loads(record.read_text("utf-8"))["entries"]
    suite = {entry["id"]: entry["result"] for entry in entries if entry["kind"] == "fence" and entry["device"] == "cpu"}
    assert suite and {entry_id.split("::")[0] for entry_id in suite} <= set(pages), "the pass ran pages other than the originals"
    stdlib = json.loads(
        subprocess.run([sys.executable, str(ROOT / "tests" / "stdlib_doctest.py"), *pages], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    )
    assert sum(len(fences) for fences in stdlib.values()) > 0
    errors, notes = stdlib_doctest.disagreements(suite, stdlib)
    assert not errors, "\n".join(errors)
    # The site's own pages print what Python prints, digit for digit.
    assert not notes, "\n".join(notes)
