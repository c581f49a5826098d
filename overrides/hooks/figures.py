"""MkDocs hook: the figures, drawn at build time from tested code in snippets/figures/.

Each module snippets/figures/NAME.py defines `compute()`, which computes the figure's numbers
with torch (tests/test_figures.py runs it on every device, and its assertions are part of the
test), and `draw(data)`, which returns a matplotlib Figure of them. This hook adds two images
to the site, `figures/NAME.svg` for the light palette and `figures/NAME-dark.svg` for the dark
one; a page shows them with

    ![What the figure shows](figures/NAME.svg#only-light)
    ![What the figure shows](figures/NAME-dark.svg#only-dark)

Drawings are cached on the module's source and the torch and matplotlib versions, so
`mkdocs serve` redraws a figure only when its code or those versions change.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from documents.record import figure_modules  # noqa: E402,F401  # the list the CUDA pass records too

# Text and axes that read on Material's light (white) and dark (slate) backgrounds.
PALETTES = {
    "": {"text.color": "#212121", "axes.labelcolor": "#212121", "axes.edgecolor": "#616161",
         "xtick.color": "#424242", "ytick.color": "#424242", "grid.color": "#e0e0e0"},
    "-dark": {"text.color": "#e0e0e0", "axes.labelcolor": "#e0e0e0", "axes.edgecolor": "#9e9e9e",
              "xtick.color": "#bdbdbd", "ytick.color": "#bdbdbd", "grid.color": "#3a3f4b"},
}  # fmt: skip
_cache: dict[str, dict[str, bytes]] = {}


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"figure_{path.stem.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render(path: Path) -> dict[str, bytes]:
    """SVG bytes per palette suffix for the figure module at `path`."""
    import matplotlib
    import torch

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    key = hashlib.sha256(path.read_bytes() + torch.__version__.encode() + matplotlib.__version__.encode()).hexdigest()
    if key not in _cache:
        module = load(path)
        with torch.device("cpu"):
            data = module.compute()
        images = {}
        for suffix, palette in PALETTES.items():
            # A fixed hash salt and no date keep the SVG identical from build to build.
            with plt.rc_context({**palette, "svg.hashsalt": "repeated-softmax", "savefig.transparent": True}):
                figure = module.draw(data)
                buffer = io.BytesIO()
                figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
                plt.close(figure)
            images[suffix] = buffer.getvalue()
        _cache[key] = images
    return _cache[key]


# After the i18n plugin (priority -100) has sorted the pages by language: it only handles files
# read from docs/, and one drawing serves both editions (their pages link to figures/NAME.svg).
@event_priority(-110)
def on_files(files, config):
    root = Path(config.config_file_path).parent
    for path in figure_modules(root):
        for suffix, svg in render(path).items():
            files.append(File.generated(config, f"figures/{path.stem}{suffix}.svg", content=svg))
    return files
