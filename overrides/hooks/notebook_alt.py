"""MkDocs hook: alt text for the figures of a notebook page.

nbconvert gives every image of a notebook the same placeholder alt text. A plotting cell of
the notebook names what its figure shows in its metadata (`alt`, written in the text form
as `# %% alt="..."`); this hook puts those texts on the images, in order, and fails the build
when a figure has none, so that no figure reaches readers undescribed.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import PluginError

PLACEHOLDER = 'alt="No description has been provided for this image"'


def on_page_content(html: str, page, config, files) -> str:
    if not page.file.src_uri.endswith(".ipynb") or PLACEHOLDER not in html:
        return html
    notebook = json.loads(Path(page.file.abs_src_path).read_text("utf-8"))
    alts = [
        cell.get("metadata", {}).get("alt")
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    if html.count(PLACEHOLDER) != len(alts) or not all(alts):
        raise PluginError(f"{page.file.src_uri}: every plotting cell needs an `alt` in its metadata")
    for alt in alts:
        escaped = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        html = html.replace(PLACEHOLDER, f'alt="{escaped}"', 1)
    return html
