"""The GitHub workflows cannot run here: they are validated against GitHub's workflow schema
(vendored in check-jsonschema, so no network is needed), and checked for what they must do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def validate(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True,
        text=True,
    )


def load(name: str) -> dict:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_every_workflow_matches_githubs_schema():
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "cuda.yml", "deploy.yml"]
    result = validate(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    step:\n      - run: make test\n")
    assert validate(broken).returncode != 0


def test_ci_runs_the_readme_test_command_on_every_push_and_pull_request():
    ci = load("ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    assert "bash .ci/run" in commands(ci["jobs"]["test"])
    assert "exec make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


def test_the_site_is_deployed_from_main_only_after_the_tests_pass():
    deploy = load("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    build, publish = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    steps = commands(build)
    assert steps.index("bash .ci/run") < steps.index("mkdocs build --strict")
    assert "actions/upload-pages-artifact" in uses(build)
    assert publish["needs"] == "build" and "actions/deploy-pages" in uses(publish)
    assert deploy["permissions"]["pages"] == "write"


def test_the_cuda_pass_runs_on_a_gpu_runner_and_uploads_its_record():
    cuda = load("cuda.yml")["jobs"]["cuda"]
    assert {"self-hosted", "gpu"} <= set(cuda["runs-on"])
    assert "tests/cuda_pass.py" in commands(cuda)
    [upload] = [step for step in cuda["steps"] if step.get("uses", "").startswith("actions/upload-artifact")]
    assert upload["with"]["path"] == "docs/cuda-record.json"
    assert upload["if"] == "always()"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_job_has_a_time_limit_or_only_deploys(path):
    for name, job in load(path.name)["jobs"].items():
        assert "timeout-minutes" in job or "actions/deploy-pages" in uses(job), f"{path.name}: {name}"
