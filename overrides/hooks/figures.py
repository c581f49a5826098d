"""MkDocs hook: the figures, drawn at build time from tested code in snippets/figures/.

Each module snippets/figures/NAME.py defines `compute()`, which computes the figure's numbers
with torch (tests/test_figures.py runs it on every device, and its assertions are part of the
test), and `draw(data)`, which returns a matplotlib Figure of them. This hook adds two images
to the site, `figures/NAME.svg` for the light palette and `figures/NAME-dark.svg` for the dark
one; a page shows them with

    ![What the figure shows](figures/NAME.svg#only-light)
    ![What the figure shows](figures/NAME-dark.svg#only-dark)

Computing a figure's numbers takes seconds (sharpening.py runs 5,000 passes of softmax), so the
data and the drawings are cached, in memory for `mkdocs serve` and on disk under `.cache/figures/`
(git-ignored) for the next build (site_build/cache.py). An entry is keyed by the digest of
everything it is made from (`inputs`): the figure's module and the shared helpers beside it
(a module of that folder whose name starts with `_`; there is none today), this hook's own
source (the palettes and the SVG settings), and the versions of torch for the data, and of
matplotlib and numpy for the drawings. Change any of them and the key changes, so a stale entry
is never read. A hit imports neither torch nor matplotlib.
"""

from __future__ import annotations

import importlib.util
import io
import math
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from documents.record import figure_modules  # noqa: E402,F401  # the list the CUDA pass records too

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import MISSING, Cache, digest, directory, named, key  # noqa: E402,F401
from site_build.cache import version as _version  # noqa: E402

# Text and axes that read on Material's light (white) and dark (slate) backgrounds.
PALETTES = {
    "": {"text.color": "#212121", "axes.labelcolor": "#212121", "axes.edgecolor": "#616161",
         "xtick.color": "#424242", "ytick.color": "#424242", "grid.color": "#e0e0e0"},
    "-dark": {"text.color": "#e0e0e0", "axes.labelcolor": "#e0e0e0", "axes.edgecolor": "#9e9e9e",
              "xtick.color": "#bdbdbd", "ytick.color": "#bdbdbd", "grid.color": "#3a3f4b"},
}  # fmt: skip
FORMAT = 1  # of the cached data and drawings; a new format is a new key
cache = named("figures")  # kept from one serve rebuild to the next (site_build/cache.py)


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"figure_{path.stem.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def inputs(path: Path) -> tuple[dict, dict]:
    """What the data, and what the drawings, of the figure module at `path` are made from."""
    code = {p.name: digest(p.read_bytes()) for p in [path, *sorted(path.parent.glob("_*.py"))]}
    data = {"format": FORMAT, "figure": path.stem, "kind": "data", "code": code,
            "hook": digest(Path(__file__).read_bytes()), "torch": _version("torch")}
    return data, {**data, "kind": "drawings", "matplotlib": _version("matplotlib"), "numpy": _version("numpy")}


def _plain(value) -> bool:
    """Whether `value` reads back from JSON as itself: dicts with string keys, lists, strings,
    finite floats, ints, booleans and None (a tuple would come back a list)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


def _slot(made_from: dict) -> str:
    return f"{made_from['figure']}.{made_from['kind']}"


def _compute(path: Path, where: Path | None) -> object:
    """The figure's data: from the cache, or computed (and cached when it reads back as itself)."""
    made_from, _ = inputs(path)
    if (data := cache.get(where, _slot(made_from), made_from)) is not MISSING:
        return data
    import torch

    module = load(path)
    # The figures' tensors are tiny (sharpening.py: 5,000 passes over 2 x 86 x 3 numbers): torch's
    # intra-op threads only add a barrier per operation, and on a machine whose other cores are
    # busy each barrier waits for a descheduled thread (3 s instead of 0.1 s on two shared cores).
    # tests/test_figures.py checks that the data on one thread are those on torch's default.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.device("cpu"):
            data = module.compute()
    finally:
        torch.set_num_threads(threads)
    made_from, _ = inputs(path)  # torch is imported now: its own version, whatever was installed
    if _plain(data):
        cache.put(where, _slot(made_from), made_from, data)
    return data


def render(path: Path, where: Path | None = None) -> dict[str, bytes]:
    """SVG bytes per palette suffix for the figure module at `path`, cached (in memory; on disk
    too, in the directory `where`, when given)."""
    _, made_from = inputs(path)
    if (svgs := cache.get(where, _slot(made_from), made_from)) is not MISSING:
        return {suffix: svg.encode("utf-8") for suffix, svg in svgs.items()}
    data = _compute(path, where)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    module = load(path)
    images = {}
    for suffix, palette in PALETTES.items():
        # A fixed hash salt and no date keep the SVG identical from build to build.
        with plt.rc_context({**palette, "svg.hashsalt": "repeated-softmax", "savefig.transparent": True}):
            figure = module.draw(data)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
            plt.close(figure)
        images[suffix] = buffer.getvalue()
    _, made_from = inputs(path)  # every package imported now: the versions that drew it
    cache.put(where, _slot(made_from), made_from, {suffix: svg.decode("utf-8") for suffix, svg in images.items()})
    return images


# After the i18n plugin (priority -100) has sorted the pages by language: it only handles files
# read from docs/, and one drawing serves both editions (their pages link to figures/NAME.svg).
@event_priority(-110)
def on_files(files, config):
    root = Path(config.config_file_path).parent
    for path in figure_modules(root):
        for suffix, svg in render(path, directory(config, "figures")).items():
            files.append(File.generated(config, f"figures/{path.stem}{suffix}.svg", content=svg))
    return files
