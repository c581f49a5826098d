"""The CUDA pass script and its record, exercised without a GPU (device forced to cpu), and the
verification status the site computes from a record."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import load_hook
from documents.editions import originals
from documents.record import fence_digests
from documents.regions import page_fences

site_hooks = load_hook("verification")

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "cuda_pass.py"


def cuda_pass(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


def current_digests(device: str) -> dict[str, str]:
    config_file = str(ROOT / "mkdocs.yml")
    return fence_digests(originals((ROOT / "docs").rglob("*.md"), config_file), config_file, device, ROOT)


def test_cpu_run_writes_a_complete_record(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```pycon\n>>> 1 + 1\n2\n```\n\n```python\nassert 2 * 2 == 4\n```\n")
    record_path = tmp_path / "record.json"
    result = cuda_pass("--device", "cpu", "--record", str(record_path), "--", str(page), "-c", str(ROOT / "pytest.ini"))
    assert result.returncode == 0, result.stdout + result.stderr
    record = json.loads(record_path.read_text())
    assert record["format"] == 1 and record["devices"] == ["cpu"]
    assert datetime.datetime.fromisoformat(record["written"]).tzinfo is not None
    assert {"python", "platform", "torch", "cuda", "gpu"} <= record["environment"].keys()
    import torch

    assert record["environment"]["torch"] == torch.__version__
    fences = page_fences(page, str(ROOT / "mkdocs.yml"))
    expected = {fence.name("cpu", ROOT): fence.digest for fence in fences}
    # (pytest leaves the path out of the id of a file outside its rootdir)
    assert {entry["id"].split("::")[-1]: entry["sha256"] for entry in record["fences"]} == expected
    assert len(expected) == 2
    assert {entry["result"] for entry in record["fences"]} == {"passed"}
    assert record["summary"] == {"passed": 2}


def test_a_failing_fence_is_recorded_as_failed(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```pycon\n>>> 1 + 1\n3\n```\n")
    record_path = tmp_path / "record.json"
    result = cuda_pass("--device", "cpu", "--record", str(record_path), "--", str(page), "-c", str(ROOT / "pytest.ini"))
    assert result.returncode == 1
    [entry] = json.loads(record_path.read_text())["fences"]
    assert entry["result"] == "failed" and entry["id"].endswith("[cpu]")


def test_pytest_options_alone_still_run_only_the_pages(tmp_path):
    record_path = tmp_path / "record.json"
    result = cuda_pass("--device", "cpu", "--record", str(record_path), "--", "-q", "-x")
    assert result.returncode == 0, result.stdout + result.stderr
    ids = [entry["id"] for entry in json.loads(record_path.read_text())["fences"]]
    assert ids and all(fence_id.startswith("docs/") for fence_id in ids)
    assert "tests/" not in result.stdout


def test_cuda_without_a_gpu_refuses_and_writes_nothing(tmp_path):
    record_path = tmp_path / "record.json"
    result = cuda_pass("--record", str(record_path), env={"CUDA_VISIBLE_DEVICES": ""})
    assert result.returncode == 2
    assert "sees no CUDA device" in result.stderr
    assert not record_path.exists()


@pytest.mark.parametrize("args", [["--device", "cpu"], ["--device", "cpu", "--record", "docs/cuda-record.json"]])
def test_a_cpu_run_never_writes_the_committed_record(args):
    result = cuda_pass(*args)
    assert result.returncode == 2
    assert "CUDA runs only" in result.stderr


def test_status_lists_fences_changed_since_the_record():
    current = current_digests("cuda")
    first, *others = current
    recorded = {
        "written": "2026-01-02T03:04:05+00:00",
        "environment": {"gpu": "Test GPU", "torch": "9.9.9", "cuda": "99.9", "python": "3.99"},
        "fences": [{"id": first, "sha256": "0" * 64, "result": "passed"}]
        + [{"id": fence_id, "sha256": current[fence_id], "result": "passed"} for fence_id in others],
    }
    markdown = site_hooks._status_markdown(recorded, current, "en")
    assert "on 2026-01-02, on an Test GPU with PyTorch 9.9.9, CUDA 99.9" in markdown
    assert f"| Verified on CUDA, unchanged since | {len(others)} |" in markdown
    assert "| Added or changed since that run (pending) | 1 |" in markdown
    assert f"- `{first}`" in markdown


def test_without_a_record_every_fence_is_pending():
    current = current_digests("cuda")
    markdown = site_hooks._status_markdown(None, current, "en")
    assert "No CUDA run has been recorded yet" in markdown
    assert f"the {len(current)} examples on this site have been run on CPU only" in markdown


def test_the_site_names_fences_as_the_harness_does():
    """The ids the verification page compares with a record are the ids of the items pytest runs."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "docs"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    collected = {line for line in result.stdout.splitlines() if "::[CodeFence#" in line and line.endswith("[cuda]")}
    assert collected and collected == set(current_digests("cuda")), result.stdout[-2000:]


def test_the_committed_record_names_and_hashes_fences_as_the_current_code_does(tmp_path):
    """The pages as they were when the record was written, read by today's code, give exactly the
    ids and digests the record holds: ids and digests have not drifted since that run."""
    if subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True).stdout.strip() != "false":
        pytest.skip("needs the repository's history (a full clone), to read the pages the record was made from")
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", "docs/cuda-record.json"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    archive = subprocess.run(["git", "archive", commit, "docs", "snippets", "mkdocs.yml"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive.stdout, check=True)
    recorded = json.loads((tmp_path / "docs" / "cuda-record.json").read_text())
    config_file = str(tmp_path / "mkdocs.yml")
    then = fence_digests(originals((tmp_path / "docs").rglob("*.md"), config_file), config_file, "cuda", tmp_path)
    assert {entry["id"]: entry["sha256"] for entry in recorded["fences"]} == then
