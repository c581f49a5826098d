"""The notebook page: written as text, stored with its outputs, checked against a fresh run.

Contributors edit `snippets/notebooks/explore.py`, a jupytext "percent" file that diffs like
any Python file. `python tests/notebook_page.py` (make notebook) turns it into
`docs/explore.ipynb`, runs it on the CPU from the same starting state as every page, and
stores the outputs: the site shows those, and readers download that file. The tests run the
stored notebook again on every device and compare every output with what is stored, with the
same checker as the `pycon` fences (tests/test_notebook.py).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fences.checker import TorchOutputChecker  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "snippets" / "notebooks" / "explore.py"
NOTEBOOK = ROOT / "docs" / "explore.ipynb"

# The starting state of every page (tests/fences/isolation.py), and the device, for the kernel.
SETUP = """\
import random
import torch
torch.manual_seed(0)
random.seed(0)
torch.set_default_dtype(torch.float32)
torch.set_printoptions(profile="default")
torch.set_default_device({device!r})
"""


def execute(notebook: nbformat.NotebookNode, device: str) -> nbformat.NotebookNode:
    """A copy of `notebook`, run top to bottom on `device` in a fresh kernel."""
    run = copy.deepcopy(notebook)
    run.cells.insert(0, nbformat.v4.new_code_cell(SETUP.format(device=device)))
    client = NotebookClient(run, timeout=600, kernel_name="python3", allow_errors=False, record_timing=False)
    client.execute(cwd=str(ROOT))
    del run.cells[0]
    for cell in run.cells:  # count as if the setup cell had not been there: In [1] is the reader's first
        if cell.cell_type == "code" and cell.execution_count:
            cell.execution_count -= 1
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count -= 1
    return run


def build() -> None:
    """docs/explore.ipynb from the text form, with the outputs of a CPU run."""
    notebook = execute(jupytext.read(SOURCE), "cpu")
    notebook.metadata.pop("jupytext", None)  # the .ipynb readers download needs no pairing
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"  # stable ids keep the stored file identical from run to run
    nbformat.write(notebook, NOTEBOOK)


def _text(output: nbformat.NotebookNode) -> str | None:
    if output.output_type == "stream":
        return output.text
    return output.get("data", {}).get("text/plain") if output.output_type in ("execute_result", "display_data") else None


def differences(stored: nbformat.NotebookNode, fresh: nbformat.NotebookNode, compare_images: bool) -> list[str]:
    """Where a fresh run's outputs differ from the stored ones; empty when they agree."""
    checker = TorchOutputChecker()
    found = []
    code = [(i, c, f) for i, (c, f) in enumerate(zip(stored.cells, fresh.cells)) if c.cell_type == "code"]
    for index, cell, again in code:
        where = f"{NOTEBOOK.relative_to(ROOT)} cell {index}"
        if len(cell.outputs) != len(again.outputs):
            found.append(f"{where}: {len(cell.outputs)} outputs stored, {len(again.outputs)} now")
            continue
        for want, got in zip(cell.outputs, again.outputs):
            if want.output_type != got.output_type:
                found.append(f"{where}: a {want.output_type} output stored, a {got.output_type} now")
            elif (_text(want) or "") and not checker.check_output(_text(want), _text(got) or "", 0):
                found.append(f"{where}: stored\n{_text(want)}\nnow\n{_text(got)}")
            elif compare_images and want.get("data", {}).get("image/png") != got.get("data", {}).get("image/png"):
                found.append(f"{where}: the stored image differs from the one drawn now")
    return found


if __name__ == "__main__":
    build()
    print(f"wrote {NOTEBOOK.relative_to(ROOT)}")
