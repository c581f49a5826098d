"""The notebook page: written as text, stored with its outputs, checked against a fresh run.

Contributors edit `snippets/notebooks/explore.py`, a jupytext "percent" file that diffs like
any Python file, and its Chinese edition `snippets/notebooks/explore.zh.py`.
`python tests/notebook_page.py` (make notebook) turns each into its notebook in docs/
(`explore.ipynb`, `explore.zh.ipynb`), runs it on the CPU from the same starting state as every
page, and stores the outputs: the site shows those, and readers download that file. The tests
run each stored notebook again on every device and compare every output with what is stored,
with the same checker as the `pycon` fences (tests/test_notebook.py).

The Chinese notebook is the English one with its prose translated: the same cells, the same
code but for comments and the text of strings, the same printed numbers and the same figures
(whose text is symbols only: a reader's machine, or CI, may have no Chinese font).
`edition_differences` says where the two part.
"""

from __future__ import annotations

import ast
import copy
import io
import re
import sys
import tempfile
import tokenize
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from documents import start  # noqa: E402
from fences.checker import TorchOutputChecker  # noqa: E402
from support import ROOT  # noqa: E402

SOURCES = ROOT / "snippets" / "notebooks"
SOURCE = SOURCES / "explore.py"


def notebook_of(source: Path) -> Path:
    """The notebook in docs/ that the text form `source` builds: explore.zh.py, explore.zh.ipynb."""
    return ROOT / "docs" / source.with_suffix(".ipynb").name


NOTEBOOK = notebook_of(SOURCE)
# Each edition's text form and its notebook; the Chinese edition is published under /zh/.
EDITIONS = {locale: (source, notebook_of(source)) for locale, source in [("en", SOURCE), ("zh", SOURCES / "explore.zh.py")]}


def execute(notebook: nbformat.NotebookNode, device: str) -> nbformat.NotebookNode:
    """A copy of `notebook`, run top to bottom on `device` in a fresh kernel, in a scratch
    directory, from the starting state of every page (documents/start.py)."""
    run = copy.deepcopy(notebook)
    run.cells.insert(0, nbformat.v4.new_code_cell(start.notebook_cell(device)))
    # coalesce_streams: what a cell prints is one output however the kernel cut it into messages
    # (a loaded machine flushes a print in two, which had made a cell's outputs one too many).
    client = NotebookClient(run, timeout=600, kernel_name="python3", allow_errors=False, record_timing=False, coalesce_streams=True)
    with tempfile.TemporaryDirectory(prefix="notebook-run-") as scratch:
        client.execute(cwd=scratch)
    del run.cells[0]
    for cell in run.cells:  # count as if the setup cell had not been there: In [1] is the reader's first
        if cell.cell_type == "code" and cell.execution_count:
            cell.execution_count -= 1
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count -= 1
    return run


def build(source: Path) -> Path:
    """The notebook of the text form `source`, written to docs/ with the outputs of a CPU run."""
    notebook = execute(jupytext.read(source), "cpu")
    notebook.metadata.pop("jupytext", None)  # the .ipynb readers download needs no pairing
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"  # stable ids keep the stored file identical from run to run
    nbformat.write(notebook, notebook_of(source))
    return notebook_of(source)


def _text(output: nbformat.NotebookNode) -> str | None:
    if output.output_type == "stream":
        return output.text
    return output.get("data", {}).get("text/plain") if output.output_type in ("execute_result", "display_data") else None


def differences(stored: nbformat.NotebookNode, fresh: nbformat.NotebookNode, compare_images: bool, name: str = "the notebook") -> list[str]:
    """Where a fresh run's outputs differ from the stored ones; empty when they agree."""
    checker = TorchOutputChecker()
    found = []
    code = [(i, c, f) for i, (c, f) in enumerate(zip(stored.cells, fresh.cells)) if c.cell_type == "code"]
    for index, cell, again in code:
        where = f"{name} cell {index}"
        if len(cell.outputs) != len(again.outputs):
            found.append(f"{where}: {len(cell.outputs)} outputs stored, {len(again.outputs)} now")
            continue
        for want, got in zip(cell.outputs, again.outputs):
            if want.output_type != got.output_type:
                found.append(f"{where}: a {want.output_type} output stored, a {got.output_type} now")
            elif (_text(want) or "") and not checker.check_output(_text(want), _text(got) or "", 0):
                found.append(f"{where}: stored\n{_text(want)}\nnow\n{_text(got)}")
            elif compare_images and (change := image_change(want.get("data", {}).get("image/png"), got.get("data", {}).get("image/png"))):
                found.append(f"{where}: the stored image differs from the one drawn now: {change}")
    return found


# How far one channel of one pixel may move between two drawings of the same figure: a plotted
# point moved by a float's last bit (numpy's log on a logarithmic axis is vectorised differently
# on AVX-512, AVX2 and older CPUs) changes the antialiased edge pixels by a level or two of 255;
# any change a reader could see (a line, a point, a label, a colour) moves pixels by tens.
IMAGE_LEVELS = 8


def image_change(want: str | None, got: str | None) -> str | None:
    """How two base64 PNG outputs differ as pictures, or None when they are the same picture:
    equal bytes, or the same size with no channel of any pixel more than IMAGE_LEVELS apart."""
    if want == got:
        return None
    if want is None or got is None:
        return "one of them is missing"
    import base64

    import numpy
    from PIL import Image, UnidentifiedImageError

    try:
        pictures = [numpy.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGBA"), dtype=int) for data in (want, got)]
    except (UnidentifiedImageError, ValueError, OSError, SyntaxError) as error:
        return f"one of them is not a readable PNG ({error})"
    if pictures[0].shape != pictures[1].shape:
        return f"size {pictures[0].shape[1]}x{pictures[0].shape[0]} stored, {pictures[1].shape[1]}x{pictures[1].shape[0]} now"
    levels = numpy.abs(pictures[0] - pictures[1]).max(axis=2)
    if levels.max() <= IMAGE_LEVELS:
        return None
    y, x = numpy.argwhere(levels > IMAGE_LEVELS)[0]
    return f"{(levels > IMAGE_LEVELS).sum()} pixels differ by more than {IMAGE_LEVELS} levels of 255, the first at x={x}, y={y} (by {levels[y, x]})"


# --- The editions -------------------------------------------------------------------------------


class _WithoutText(ast.NodeTransformer):
    """Code with the text of every string emptied; an f-string keeps its fields and their formats."""

    def visit_Constant(self, node):
        return ast.Constant("") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node):
        fields = [field for field in node.values if isinstance(field, ast.FormattedValue)]
        for field in fields:
            field.value = self.visit(field.value)  # the format spec (":.1e") is code: kept as is
        return ast.JoinedStr(fields)


def computation(code: str) -> str:
    """What a code cell computes: its syntax tree, without comments and the text of strings."""
    return ast.dump(_WithoutText().visit(ast.parse(code)))


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)


def _outputs(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return cell.get("outputs", []) if cell.cell_type == "code" else []


def edition_differences(original: nbformat.NotebookNode, translation: nbformat.NotebookNode) -> list[str]:
    """Where a translated notebook is more than the original with other prose: the cells, their
    code (comments and the text of strings aside), the numbers printed and the figures; empty
    when it is exactly that."""
    found = []
    kinds = lambda notebook: [(c.cell_type, "alt" in c.metadata) for c in notebook.cells]  # noqa: E731
    if kinds(original) != kinds(translation):
        return [f"the cells differ (kind, has alt text): {kinds(original)} and {kinds(translation)}"]
    for index, (cell, other) in enumerate(zip(original.cells, translation.cells)):
        if cell.cell_type != "code":
            continue
        if computation(cell.source) != computation(other.source):
            found.append(f"cell {index}: the code differs (not only in comments or the text of strings)")
        text = lambda c: "".join(_text(o) or "" for o in _outputs(c))  # noqa: E731
        if _numbers(text(cell)) != _numbers(text(other)):
            found.append(f"cell {index}: other numbers printed: {_numbers(text(cell))} and {_numbers(text(other))}")
        images = lambda c: [o.data["image/png"] for o in _outputs(c) if "image/png" in o.get("data", {})]  # noqa: E731
        if images(cell) != images(other):
            found.append(f"cell {index}: the figures differ (their text must be symbols, the same in every edition)")
    return found


_ENGLISH = re.compile(r"[A-Za-z]+(?: +[A-Za-z]+){2,}")  # three words in a row
_INLINE_CODE = re.compile(r"`[^`]*`")


def prose(notebook: nbformat.NotebookNode) -> list[str]:
    """Every piece of prose a reader meets: Markdown (without inline code), alt texts, code
    comments and the text of strings (printed labels, figure labels)."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found.append(_INLINE_CODE.sub("", cell.source))
            continue
        found.append(cell.metadata.get("alt", ""))
        tokens = tokenize.generate_tokens(io.StringIO(cell.source).readline)
        found += [token.string.lstrip("# ") for token in tokens if token.type == tokenize.COMMENT]
        found += [node.value for node in ast.walk(ast.parse(cell.source)) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return [text for text in found if text.strip()]


def english_in(notebook: nbformat.NotebookNode) -> list[str]:
    """The English phrases (three words in a row) in a translated notebook's prose."""
    return [match for text in prose(notebook) for match in _ENGLISH.findall(text)]


if __name__ == "__main__":
    for source, _ in EDITIONS.values():
        print(f"wrote {build(source).relative_to(ROOT)}")
