"""The notebook page shows what its code produces, on every device, and stays in step with
its text form (tests/notebook_page.py says how the two are made). Each edition has its own
notebook (docs/explore.ipynb, docs/explore.zh.ipynb), tested alike; the Chinese one is the
English one with its prose translated, nothing else."""

from __future__ import annotations

import base64
import copy
import io
import re
import subprocess
import sys

import jupytext
import nbformat
import pytest

from fences.devices import absent_reason
from mkdocs.config import load_config

import notebook_page as notebook
from notebook_page import EDITIONS, ROOT


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def edition(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def stored(edition) -> nbformat.NotebookNode:
    return nbformat.read(EDITIONS[edition][1], as_version=4)


def _name(edition: str) -> str:
    return EDITIONS[edition][1].relative_to(ROOT).as_posix()


def test_each_edition_has_a_notebook_built_from_its_text_form():
    sources = sorted(notebook.SOURCES.glob("*.py"))
    assert sorted(source for source, _ in EDITIONS.values()) == sources
    assert sorted(nb for _, nb in EDITIONS.values()) == sorted((ROOT / "docs").glob("*.ipynb"))
    assert all(nb == notebook.notebook_of(source) for source, nb in EDITIONS.values())


def test_the_notebook_has_the_cells_of_its_text_form(edition, stored):
    text = jupytext.read(EDITIONS[edition][0])
    assert [(c.cell_type, c.source) for c in stored.cells] == [(c.cell_type, c.source) for c in text.cells], (
        f"{_name(edition)} is out of date: run `make notebook`"
    )
    assert stored.metadata.get("description", {}).keys() == {edition}  # the page's description (notebook_i18n.py)


def test_every_code_cell_has_stored_outputs_and_figures(stored):
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert all(cell.outputs for cell in code[1:]), "run `make notebook` to store the outputs"
    images = [o for cell in code for o in cell.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2
    # Nothing on stderr: a warning, such as matplotlib's "Glyph ... missing from font(s) DejaVu
    # Sans" for a Chinese label (it draws a box), would be stored and shown on the page.
    assert [o.text for cell in code for o in cell.outputs if o.get("name") == "stderr"] == []


def test_the_stored_outputs_are_what_a_fresh_run_prints(edition, stored, device, site_check):
    site_check(EDITIONS[edition][1], device)  # the CUDA pass records this result
    if reason := absent_reason(device):
        pytest.skip(f"{device}: {reason}")
    fresh = notebook.execute(stored, device)
    # Images are compared as pictures on the CPU, where they were drawn, to within the
    # antialiasing of a last-bit difference (notebook_page.IMAGE_LEVELS); on a GPU the plotted
    # values are compared through the numbers each plotting cell prints.
    assert notebook.differences(stored, fresh, compare_images=device == "cpu", name=_name(edition)) == []


def test_a_changed_value_or_image_is_caught(stored):
    changed = copy.deepcopy(stored)
    # The cell that names the pass after which nothing changes (the third code cell in every edition).
    fixed_cell = [c for c in changed.cells if c.cell_type == "code"][2]
    assert "18" in fixed_cell.outputs[0].text
    fixed_cell.outputs[0].text = fixed_cell.outputs[0].text.replace("18", "19", 1)
    assert any("cell" in d and "19" in d for d in notebook.differences(changed, stored, compare_images=True))

    redrawn = copy.deepcopy(stored)
    first, second = (o for c in redrawn.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))
    first.data["image/png"] = second.data["image/png"]  # another figure in its place
    assert notebook.differences(redrawn, stored, compare_images=True)
    assert not notebook.differences(redrawn, stored, compare_images=False)


def _png(picture) -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(picture.astype("uint8"), "RGBA").save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_images_compare_as_pictures_to_within_antialiasing(stored):
    import numpy
    from PIL import Image

    data = next(o.data["image/png"] for c in stored.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))
    picture = numpy.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGBA"), dtype=int)
    assert notebook.image_change(data, _png(picture)) is None  # re-encoded: other bytes, same picture
    shaded = picture.copy()
    shaded[10:14, 20:30, :3] = numpy.clip(shaded[10:14, 20:30, :3] + notebook.IMAGE_LEVELS, 0, 255)
    shaded[10:14, 20:30, :3] = numpy.where(picture[10:14, 20:30, :3] > 127, picture[10:14, 20:30, :3] - notebook.IMAGE_LEVELS, shaded[10:14, 20:30, :3])
    assert notebook.image_change(data, _png(shaded)) is None  # antialiasing-sized: the same picture
    moved = picture.copy()
    y, x = numpy.argwhere(picture[:, :, :3].sum(axis=2) < 300)[0]  # a dark pixel of a line or a label
    moved[y, x, :3] = 255  # gone: one pixel of a line
    assert "1 pixels differ" in notebook.image_change(data, _png(moved))
    assert "size" in notebook.image_change(data, _png(picture[:-1]))


def test_the_downloadable_notebook_runs_with_nbconvert(edition, tmp_path):
    path = EDITIONS[edition][1]
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", str(path), "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / path.name).exists()


def test_mkdocs_jupyter_takes_only_notebooks_and_runs_nothing():
    plugin = load_config(str(ROOT / "mkdocs.yml"))["plugins"]["mkdocs-jupyter"].config
    assert plugin["include"] == ["*.ipynb"]
    assert plugin["execute"] is False and plugin["include_source"] is True


# --- The Chinese notebook is the English one, translated ------------------------------------------


def _read(locale: str) -> nbformat.NotebookNode:
    return nbformat.read(EDITIONS[locale][1], as_version=4)


@pytest.mark.parametrize("locale", sorted(set(EDITIONS) - {"en"}))
def test_a_translated_notebook_has_the_same_code_numbers_and_figures(locale):
    assert notebook.edition_differences(_read("en"), _read(locale)) == []


@pytest.mark.parametrize("locale", sorted(set(EDITIONS) - {"en"}))
def test_a_translated_notebook_has_no_english_prose(locale):
    translated = _read(locale)
    assert notebook.english_in(translated) == []
    # Its prose is in its language: every Markdown cell and alt text, and the printed labels.
    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert all(chinese.search(c.source) for c in translated.cells if c.cell_type == "markdown")
    assert all(chinese.search(c.metadata["alt"]) for c in translated.cells if "alt" in c.metadata)
    printed = [o.text for c in translated.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream"]
    assert printed and all(chinese.search(text) for text in printed)


def test_the_edition_checks_catch_other_code_numbers_figures_and_english():
    english = _read("en")
    assert notebook.edition_differences(english, copy.deepcopy(english)) == []

    comments_and_text = copy.deepcopy(english)
    cell = next(c for c in comments_and_text.cells if "history.append" in c.source)
    cell.source = cell.source.replace('print(f"pass {k:2d}: ', 'print(f"第 {k:2d} 轮：') + "  # 注释"
    assert notebook.edition_differences(english, comments_and_text) == []

    for old, new in [("1 / n", "1 / (n + 1)"), ("{gap:.1e}", "{gap:.2e}"), ("{k:2d}", "{n:2d}")]:
        other_code = copy.deepcopy(english)
        cell = next(c for c in other_code.cells if "history.append" in c.source)
        cell.source = cell.source.replace(old, new, 1)
        assert any("the code differs" in d for d in notebook.edition_differences(english, other_code)), old

    other_numbers = copy.deepcopy(english)
    cell = [c for c in other_numbers.cells if c.cell_type == "code"][2]
    cell.outputs[0].text = cell.outputs[0].text.replace("18", "19", 1)
    assert any("other numbers printed" in d for d in notebook.edition_differences(english, other_numbers))

    other_figure = copy.deepcopy(english)
    image = next(o for c in other_figure.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))
    image.data["image/png"] = image.data["image/png"][:-8] + "AAAAAAAA"
    assert any("the figures differ" in d for d in notebook.edition_differences(english, other_figure))

    missing_cell = copy.deepcopy(english)
    del missing_cell.cells[-1]
    assert any("the cells differ" in d for d in notebook.edition_differences(english, missing_cell))

    # English prose is found in Markdown, alt texts, comments and printed labels.
    assert {"Explore repeated softmax yourself", "how many passes to run", "still changing after"} <= set(notebook.english_in(english))
    assert any("The distance to the uniform distribution" in phrase for phrase in notebook.english_in(english))


def test_a_print_the_kernel_sends_in_two_messages_is_one_output():
    """A loaded machine once flushed a cell's print in two messages, and the fresh run had one
    output more than the stored notebook; the flush is forced here."""
    cell = nbformat.v4.new_code_cell('import sys, time\nprint("a", end="", flush=True)\ntime.sleep(0.5)\nprint("b")')
    run = notebook.execute(nbformat.v4.new_notebook(cells=[cell]), "cpu")
    assert [(o.output_type, o.get("text")) for o in run.cells[0].outputs] == [("stream", "ab\n")]
