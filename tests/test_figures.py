"""Every figure's code runs on every device, and draws an SVG that loads nothing from elsewhere."""

from __future__ import annotations

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
