"""Every figure's code runs on every device, and draws an SVG that loads nothing from elsewhere."""

from __future__ import annotations

import json
import re
import sys

import pytest
import torch

from fences.devices import absent_reason
from support import ROOT

sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
import figures  # noqa: E402

MODULES = figures.figure_modules(ROOT)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_figure_data_computes_on_every_device(path, device, site_check):
    site_check(path, device)  # the CUDA pass records this result
    if reason := absent_reason(device):
        pytest.skip(f"{device}: {reason}")
    module = figures.load(path)
    with torch.device(device):
        data = module.compute()  # the module's own assertions check its claims
    assert data


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_figure_draws_self_contained_svgs_for_both_palettes(path):
    images = figures.render(path)
    assert set(images) == {"", "-dark"}
    for svg in images.values():
        text = svg.decode()
        assert text.lstrip().startswith("<?xml") and "<svg" in text
        # Only XML namespaces may name another host; nothing is fetched.
        assert not [url for url in re.findall(r'(?:href|src)="([^"]+)"', text) if "//" in url]
    assert images[""] != images["-dark"]
    assert figures.render(path) == images  # deterministic, from cache or not


def test_every_figure_is_shown_on_a_page_in_both_palettes():
    pages = "\n".join(page.read_text("utf-8") for page in (ROOT / "docs").rglob("*.md"))
    for path in MODULES:
        assert f"figures/{path.stem}.svg#only-light" in pages, path.stem
        assert f"figures/{path.stem}-dark.svg#only-dark" in pages, path.stem


def _copy_of_figure(tmp_path: Path) -> Path:
    """A copy of the convergence figure's code (the quickest to compute) in a scratch snippets/figures/."""
    directory = tmp_path / "snippets" / "figures"
    directory.mkdir(parents=True)
    copy = directory / "convergence.py"
    copy.write_bytes((ROOT / "snippets" / "figures" / "convergence.py").read_bytes())
    return copy


def test_figure_cache_is_read_back_and_keyed_by_the_code_that_makes_it(tmp_path, monkeypatch):
    copy, cache = _copy_of_figure(tmp_path), tmp_path / "cache"
    monkeypatch.setattr(figures, "cache", figures.Cache())
    drawn = figures.render(copy, cache)
    assert sorted(p.name.split(".")[1] for p in cache.iterdir()) == ["data", "drawings"]

    # A new process (no entry in memory) reads both back from disk, and runs none of the figure's code.
    monkeypatch.setattr(figures, "cache", figures.Cache())
    monkeypatch.setattr(figures, "load", lambda path: pytest.fail(f"{path} was run although its drawings are cached"))
    assert figures.render(copy, cache) == drawn
    monkeypatch.undo()

    # One byte of the figure's code changed (a colour of its drawing): a new key, drawn anew.
    before = figures.key(figures.inputs(copy)[1])
    copy.write_bytes(copy.read_bytes().replace(b'2: "#3b82c4"', b'2: "#3b82c5"', 1))
    assert figures.key(figures.inputs(copy)[1]) != before
    monkeypatch.setattr(figures, "cache", figures.Cache())
    redrawn = figures.render(copy, cache)
    assert b"#3b82c5" in redrawn[""] and b"#3b82c5" not in drawn[""]
    assert len(list(cache.iterdir())) == 4  # kept beside the old code's (each slot keeps its latest few)


def test_figure_cache_key_covers_helpers_the_hook_and_the_versions(tmp_path, monkeypatch):
    copy = _copy_of_figure(tmp_path)
    data, drawings = figures.inputs(copy)
    keys = {figures.key(data), figures.key(drawings)}
    assert len(keys) == 2
    (copy.parent / "_shared.py").write_text("X = 1\n")  # a helper the figures could import
    assert not keys & {figures.key(made_from) for made_from in figures.inputs(copy)}
    now = figures.inputs(copy)
    original = figures._version
    for package in ("torch", "matplotlib", "numpy"):
        monkeypatch.setattr(figures, "_version", lambda name, package=package: "0.0" if name == package else original(name))
        data, drawings = figures.inputs(copy)
        assert figures.key(drawings) != figures.key(now[1]), package
        # The data depend on torch alone, not on what draws them.
        assert (figures.key(data) != figures.key(now[0])) == (package == "torch"), package
    monkeypatch.undo()
    # The versions the key names are those the process imports.
    import importlib.metadata

    import matplotlib
    import numpy

    for module in (torch, matplotlib, numpy):
        assert importlib.metadata.version(module.__name__) == str(module.__version__)


def test_figure_cache_entry_made_from_anything_else_is_not_read(tmp_path, monkeypatch):
    copy, cache = _copy_of_figure(tmp_path), tmp_path / "cache"
    monkeypatch.setattr(figures, "cache", figures.Cache())
    drawn = figures.render(copy, cache)
    [entry] = [p for p in cache.iterdir() if ".drawings." in p.name]
    stored = json.loads(entry.read_text("utf-8"))
    # An entry whose inputs are not the key's (a file renamed, copied or damaged) is a miss.
    stored["made_from"]["numpy"] = "0.0"
    stored["value"] = {suffix: "<svg>stale</svg>" for suffix in stored["value"]}
    entry.write_text(json.dumps(stored), "utf-8")
    monkeypatch.setattr(figures, "cache", figures.Cache())
    assert figures.render(copy, cache) == drawn
    entry.write_text("{", "utf-8")  # half written
    monkeypatch.setattr(figures, "cache", figures.Cache())
    assert figures.render(copy, cache) == drawn


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_figure_data_on_one_thread_are_those_on_torchs_default_threads(path):
    """The build computes a figure's data on one thread (figures.py); its cache keys name no
    thread count, so the data must not depend on it."""
    module = figures.load(path)
    threads = torch.get_num_threads()
    default = module.compute()
    torch.set_num_threads(1)
    try:
        assert module.compute() == default
    finally:
        torch.set_num_threads(threads)
