"""The notebook page shows what its code produces, on every device, and stays in step with
its text form (tests/notebook.py says how the two are made)."""

from __future__ import annotations

import copy
import subprocess
import sys

import jupytext
import nbformat
import pytest

from fences.devices import absent_reason
from mkdocs.config import load_config

import notebook_page as notebook
from notebook_page import NOTEBOOK, ROOT, SOURCE


@pytest.fixture(scope="module")
def stored() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_the_notebook_has_the_cells_of_its_text_form(stored):
    text = jupytext.read(SOURCE)
    assert [(c.cell_type, c.source) for c in stored.cells] == [(c.cell_type, c.source) for c in text.cells], (
        "docs/explore.ipynb is out of date: run `make notebook`"
    )


def test_every_code_cell_has_stored_outputs_and_figures(stored):
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert all(cell.outputs for cell in code[1:]), "run `make notebook` to store the outputs"
    images = [o for cell in code for o in cell.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2


@pytest.mark.parametrize("device", ["cpu", "cuda"])
def test_the_stored_outputs_are_what_a_fresh_run_prints(stored, device):
    if reason := absent_reason(device):
        pytest.skip(f"{device}: {reason}")
    fresh = notebook.execute(stored, device)
    # Images are compared byte for byte on the CPU, where they were drawn; on a GPU the plotted
    # values are compared through the numbers each plotting cell prints.
    assert notebook.differences(stored, fresh, compare_images=device == "cpu") == []


def test_a_changed_value_or_image_is_caught(stored):
    changed = copy.deepcopy(stored)
    fixed_cell = next(c for c in changed.cells if c.cell_type == "code" and "returns its input unchanged" in str(c.outputs))
    fixed_cell.outputs[0].text = fixed_cell.outputs[0].text.replace("pass 18", "pass 19")
    assert any("returns its input unchanged" in d for d in notebook.differences(changed, stored, compare_images=True))

    redrawn = copy.deepcopy(stored)
    image = next(o for c in redrawn.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))
    image.data["image/png"] = image.data["image/png"][:-8] + "AAAAAAAA"
    assert notebook.differences(redrawn, stored, compare_images=True)
    assert not notebook.differences(redrawn, stored, compare_images=False)


def test_the_downloadable_notebook_runs_with_nbconvert(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", str(NOTEBOOK), "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "explore.ipynb").exists()


def test_mkdocs_jupyter_takes_only_notebooks_and_runs_nothing():
    plugin = load_config(str(ROOT / "mkdocs.yml"))["plugins"]["mkdocs-jupyter"].config
    assert plugin["include"] == ["*.ipynb"]
    assert plugin["execute"] is False and plugin["include_source"] is True
