"""The CUDA pass script and its record, exercised without a GPU (device forced to cpu), and the
versions and verification status the site computes from a record."""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from support import ROOT, load_hook
from documents import conversion, record as records
from documents.editions import originals, translation_locales
from documents.regions import page_fences

site_hooks = load_hook("verification")

SCRIPT = ROOT / "tests" / "cuda_pass.py"


def cuda_pass(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


CONFIG = str(ROOT / "mkdocs.yml")
PINNED = records.pinned_torch(ROOT / "requirements.txt")


def current_keys(device: str) -> dict[str, str]:
    """Everything the site shows that a run checks, on `device` (fences, notebooks, figures), to
    its key now."""
    return records.current_keys(originals((ROOT / "docs").rglob("*.md"), CONFIG), CONFIG, device, ROOT)


def current_fences(device: str) -> dict[str, str]:
    return records.fence_digests(originals((ROOT / "docs").rglob("*.md"), CONFIG), CONFIG, device, ROOT)


def test_cpu_run_writes_a_complete_record(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```pycon\n>>> 1 + 1\n2\n```\n\n```python\nassert 2 * 2 == 4\n```\n")
    record_path = tmp_path / "record.json"
    result = cuda_pass("--device", "cpu", "--record", str(record_path), "--", str(page), "-c", str(ROOT / "pytest.ini"))
    assert result.returncode == 0, result.stdout + result.stderr
    record = json.loads(record_path.read_text())
    assert record["format"] == records.FORMAT == 3 and record["devices"] == ["cpu"]
    assert datetime.datetime.fromisoformat(record["written"]).tzinfo is not None
    assert {"python", "platform", "torch", "cuda", "gpu"} <= record["environment"].keys()
    import torch

    assert record["environment"]["torch"] == torch.__version__
    fences = page_fences(page, str(ROOT / "mkdocs.yml"))
    expected = {fence.name("cpu", ROOT): (fence.digest, fence.key("cpu", ROOT)) for fence in fences}
    # (pytest leaves the path out of the id of a file outside its rootdir)
    assert {entry["id"].split("::")[-1]: (entry["sha256"], entry["key"]) for entry in record["entries"]} == expected
    assert len(expected) == 2 and len({key for _, key in expected.values()}) == 2
    # Per fence and per device: its result, and the torch it ran with.
    assert [(e["kind"], e["device"], e["result"], e["torch"]) for e in record["entries"]] == [("fence", "cpu", "passed", torch.__version__)] * 2
    assert record["summary"] == {"cpu": {"passed": 2}}


def test_a_failing_fence_is_recorded_as_failed(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```pycon\n>>> 1 + 1\n3\n```\n")
    record_path = tmp_path / "record.json"
    result = cuda_pass("--device", "cpu", "--record", str(record_path), "--", str(page), "-c", str(ROOT / "pytest.ini"))
    assert result.returncode == 1
    [entry] = json.loads(record_path.read_text())["entries"]
    assert entry["result"] == "failed" and entry["id"].endswith("[cpu]")


@pytest.mark.timeout(600)  # the whole pass, notebooks included: about a minute
def test_the_cpu_pass_records_pages_notebooks_and_figures_of_both_editions(full_cpu_pass):
    result, record_path = full_cpu_pass  # conftest.py: the pass as documented, once per session
    assert result["returncode"] == 0, result["stdout"][-3000:] + result["stderr"]
    record = records.read(record_path)
    recorded = {entry["id"]: entry["key"] for entry in record["entries"]}
    # Everything the site shows, as the verification page counts it, and nothing else: the
    # fences of the pages (a translated page shows its original's, checked in the same run),
    # the notebook of each edition, the code of each figure; each under the key the page
    # matches it by.
    assert recorded == current_keys("cpu")
    assert {e["id"]: e["sha256"] for e in record["entries"] if e["kind"] == "fence"} == current_fences("cpu")
    assert {e["kind"] for e in record["entries"]} == {"fence", "notebook", "figure"}
    notebooks = {e["id"] for e in record["entries"] if e["kind"] == "notebook"}
    assert notebooks == {"docs/explore.ipynb::[cpu]", "docs/explore.zh.ipynb::[cpu]"}
    assert {(e["device"], e["result"]) for e in record["entries"]} == {("cpu", "passed")}
    # Nothing else ran: no test of the harness, only the items recorded and one edition check
    # per translated page.
    translated = [page for page in (ROOT / "docs").rglob("*.md") if page.suffixes[-2:-1] and page.suffixes[-2][1:] in translation_locales(CONFIG)]
    assert f"{len(recorded) + len(translated)} passed" in result["stdout"].splitlines()[-1]


def test_the_script_starts_with_python_and_torch_alone():
    """On the GPU machine the test dependencies may be missing until `--wheels` installs them:
    the script, and what it imports from tests/ (support.ROOT), must start without them."""
    absent = [name for name in cuda_pass_module().NEEDED if name not in ("torch",)] + ["_pytest", "yaml", "markdown"]
    code = (
        "import runpy, sys\n"
        f"for name in {absent!r}: sys.modules[name] = None  # importing any of them now fails\n"
        f"sys.argv = [{str(SCRIPT)!r}, '--requirements']\n"
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "pytest==" in result.stdout and "torch==" not in result.stdout


def cuda_pass_module():
    spec = importlib.util.spec_from_file_location("cuda_pass", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def test_status_lists_what_changed_since_the_record():
    current = current_keys("cuda")
    first, *others = current
    recorded = {
        "written": "2026-01-02T03:04:05+00:00",
        "environment": {"gpu": "Test GPU", "torch": PINNED, "cuda": "99.9", "python": "3.99"},
        "summary": {"cuda": {"passed": len(current)}},
        "entries": [{"id": first, "key": "0" * 64, "result": "passed", "torch": PINNED}]
        + [{"id": entry_id, "key": current[entry_id], "result": "passed", "torch": PINNED} for entry_id in others],
    }
    markdown = site_hooks._status_markdown(recorded, current, "en", PINNED)
    assert "on 2026-01-02, on an Test GPU with PyTorch " + PINNED + ", CUDA 99.9" in markdown
    assert f"| Verified on CUDA with the pinned PyTorch {PINNED}, unchanged since | {len(others)} |" in markdown
    assert "| Added, changed, or below a change on its page since that run (pending) | 1 |" in markdown
    assert f"- `{first}`" in markdown
    assert "That is the pinned PyTorch" in markdown and "not the pinned" not in markdown


def test_without_a_record_every_fence_notebook_and_figure_is_pending():
    current = current_keys("cuda")
    assert {entry_id.split("::")[0] for entry_id in current} >= {"docs/explore.ipynb", "docs/explore.zh.ipynb", "snippets/figures/convergence.py"}
    markdown = site_hooks._status_markdown(None, current, "en", PINNED)
    assert "No CUDA run has been recorded yet" in markdown
    assert f"the {len(current)} examples, notebooks and figures on this site have been run on CPU only" in markdown
    assert f"checked on CPU with PyTorch {PINNED}" in markdown


def _another_release(version: str) -> str:
    major, minor, *_ = version.split("+")[0].split(".")
    return f"{major}.{int(minor) + 1}.0"


@pytest.mark.timeout(600)  # the whole pass, when this runs first
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_record_made_with_another_torch_is_counted_apart(full_cpu_pass, language):
    """The page fed a record a run wrote, as written (the CPU pass's: the page compares it with
    the ids on cpu), when the project pins another torch than the one that run used."""
    _, record_path = full_cpu_pass
    recorded = records.read(record_path)
    ran_with = recorded["environment"]["torch"]
    pinned = _another_release(ran_with)
    current = current_keys("cpu")
    markdown = site_hooks._status_markdown(recorded, current, language, pinned)
    text = site_hooks.TEXT[language]
    assert text["cpu"].format(pinned=pinned) in markdown
    assert f"PyTorch {ran_with}" in markdown and text["other"] in markdown and text["same"] not in markdown
    assert f"| {text['verified'].format(pinned=pinned)} | 0 |" in markdown
    # What the run did on the machine's CPU is said too (a GPU run has both devices).
    assert text["cpu_too"].format(counts=text["results"]["passed"].format(n=len(current))) in markdown
    assert f"| {text['verified_other'].format(torch=ran_with, pinned=pinned)} | {len(current)} |" in markdown
    # The same record, with the pin it was made with: all of it verified, none of it apart.
    markdown = site_hooks._status_markdown(recorded, current, language, ran_with)
    assert f"| {text['verified'].format(pinned=ran_with)} | {len(current)} |" in markdown
    assert text["same"] in markdown and "| 0 |" not in markdown.split(text["failed"])[0]


def test_a_local_version_label_is_the_same_release():
    assert records.same_torch("2.13.0+cu130", "2.13.0") and records.same_torch("2.13.0", "2.13.0")
    assert not records.same_torch("2.11.0+cu130", "2.13.0") and not records.same_torch("2.13.1", "2.13.0")


def test_the_committed_record_is_read_as_written():
    """docs/cuda-record.json is read as it was written, in whatever format: every entry with the
    id, digest, key and result it holds, and the device and torch it names (format 1 names
    them once, for all its fences)."""
    raw = json.loads((ROOT / "docs" / "cuda-record.json").read_text())
    record = records.read(ROOT / "docs" / "cuda-record.json")
    written = raw["fences"] if raw["format"] == 1 else raw["entries"]
    if raw["format"] == 1:
        [device] = raw["devices"]
        written = [{**entry, "kind": "fence", "device": device, "torch": raw["environment"]["torch"]} for entry in written]
    assert len(record["entries"]) == len(written) > 0
    for got, entry in zip(record["entries"], written):
        assert {name: got.get(name) for name in entry} == entry


@pytest.mark.parametrize("format_", [1, 2])
def test_an_older_record_is_read_with_the_results_it_holds(tmp_path, format_):
    """A record of format 1 or 2 is read with each entry's own result, device and torch, its
    fences without a key (their keys need the pages the run saw: conversion.py)."""
    results = ["passed", "failed", "error", "passed"]
    fences = [{"id": f"docs/x.md::[CodeFence#{n}][snippets/x.md:1][cuda]", "sha256": f"{n:064}", "result": r} for n, r in enumerate(results, 1)]
    env = {"torch": "2.11.0+cu130"}
    if format_ == 1:
        data = {"format": 1, "written": "2026-01-02T03:04:05+00:00", "devices": ["cuda"], "environment": env, "summary": {}, "fences": fences}
    else:
        entries = [{**f, "kind": "fence", "device": "cuda", "torch": "2.12.0"} for f in fences]
        entries.append({"id": "docs/explore.ipynb::[cuda]", "kind": "notebook", "device": "cuda", "sha256": "f" * 64, "result": "passed", "torch": "2.12.0"})
        data = {"format": 2, "written": "2026-01-02T03:04:05+00:00", "devices": ["cuda"], "environment": env, "summary": {}, "entries": entries}
    (tmp_path / "record.json").write_text(json.dumps(data))
    record = records.read(tmp_path / "record.json")
    torch = "2.11.0+cu130" if format_ == 1 else "2.12.0"
    assert [(e["id"], e["sha256"], e["result"], e["device"], e["torch"]) for e in record["entries"][:4]] == [
        (f["id"], f["sha256"], f["result"], "cuda", torch) for f in fences
    ]
    assert [e.get("key") for e in record["entries"][:4]] == [None] * 4
    if format_ == 1:  # its summary is counted per device, from the results read
        assert record["summary"] == {"cuda": {"passed": 2, "failed": 1, "error": 1}}
    else:  # a notebook is one unit: its key is its id and its digest, as before
        assert record["entries"][4]["key"] == records.unit_key("docs/explore.ipynb::[cuda]", "f" * 64)


def test_the_site_names_fences_as_the_harness_does(request, collected_node_ids):
    """The ids the verification page compares with a record are the ids of the items pytest runs:
    those this session collected, when it collected every page of docs/ on cuda (as `make test`
    does), or else those a collection of docs/ gives."""
    expected = set(current_fences("cuda"))
    whole = not any("::" in arg for arg in request.config.args)  # no node id narrowed a page
    collected = {i for i in collected_node_ids if "::[CodeFence#" in i and i.endswith("[cuda]")}
    if not (whole and {i.split("::")[0] for i in expected} <= {i.split("::")[0] for i in collected}):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "docs"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        collected = {line for line in result.stdout.splitlines() if "::[CodeFence#" in line and line.endswith("[cuda]")}
    assert collected and collected == expected, sorted(collected ^ expected)[:20]


def needs_history() -> None:
    if subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True).stdout.strip() != "false":
        pytest.skip("needs the repository's history (a full clone), to read the pages the record was made from")


def test_the_committed_record_names_hashes_and_keys_fences_as_the_current_code_does(tmp_path):
    """The pages the committed record was made from (those of the commit it was converted from,
    or else of the commit that committed it), read by today's code, give exactly the ids,
    digests and keys the record holds, on each of its devices: none has drifted since that run."""
    needs_history()
    record = records.read(ROOT / "docs" / "cuda-record.json")
    commit = conversion.pages_commit(ROOT, record, "docs/cuda-record.json")
    pages = conversion.pages_at(ROOT, commit, tmp_path)
    config_file = str(pages / "mkdocs.yml")
    originals_then = originals((pages / "docs").rglob("*.md"), config_file)
    fences = [e for e in record["entries"] if e["kind"] == "fence"]
    for device in record["devices"]:
        on_device = [e for e in fences if e["device"] == device]
        assert {e["id"]: e["sha256"] for e in on_device} == records.fence_digests(originals_then, config_file, device, pages)
        if record["format"] >= 3:  # an older record keys no fence (conversion.py)
            assert {e["id"]: e["key"] for e in on_device} == records.fence_keys(originals_then, config_file, device, pages)
