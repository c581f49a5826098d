"""The standard library's doctest, run independently over the `pycon` fences, agrees with the
suite on every fence, but where the one documented rule explains why (tests/stdlib_doctest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import stdlib_doctest
from documents.editions import originals

ROOT = Path(__file__).resolve().parent.parent


def verdicts(pages: list[str], root: Path, tmp_path: Path) -> tuple[dict, dict]:
    """The harness's cpu verdict per fence id, and plain doctest's failures per page and fence."""
    record = tmp_path / "cpu.json"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--devices=cpu", f"--fence-record={record}", *pages],
        cwd=root,
        capture_output=True,
    )
    suite = {entry["id"]: entry["result"] for entry in json.loads(record.read_text())["entries"]}
    stdlib = json.loads(
        subprocess.run(
            [sys.executable, str(ROOT / "tests" / "stdlib_doctest.py"), *pages], cwd=root, capture_output=True, text=True, check=True
        ).stdout
    )
    return suite, stdlib


def test_stdlib_doctest_agrees_with_the_suite_on_every_pycon_fence(tmp_path):
    # The pages whose fences run; a translation shows its original's (checked by the suite).
    pages = [str(page.relative_to(ROOT)) for page in originals((ROOT / "docs").rglob("*.md"), str(ROOT / "mkdocs.yml"))]
    suite, stdlib = verdicts(pages, ROOT, tmp_path)
    assert sum(len(fences) for fences in stdlib.values()) > 0
    errors, notes = stdlib_doctest.disagreements(suite, stdlib)
    assert not errors, "\n".join(errors)
    # The site's own pages print what Python prints, digit for digit.
    assert not notes, "\n".join(notes)
