"""The include expander reads mkdocs.yml's Markdown settings as MkDocs does, and cheaply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs.config import load_config

from documents import includes
from support import ROOT

CONFIG = str(ROOT / "mkdocs.yml")


def test_the_markdown_settings_are_those_of_a_full_mkdocs_load():
    full = load_config(CONFIG)
    plain, _ = includes.preprocessors(CONFIG)
    snippets = full["mdx_configs"]["pymdownx.snippets"]
    assert plain.base_path == [str(Path(snippets["base_path"]))]
    assert plain.check_paths is snippets["check_paths"] is True


def test_reading_them_imports_no_plugin_or_hook():
    # Every test run starts by reading them; mkdocs-jupyter alone would add half a second.
    code = (
        "import sys; sys.path.insert(0, 'tests'); from documents import includes; "
        f"includes.preprocessors({CONFIG!r}); "
        "print(sorted(m for m in ('mkdocs_jupyter', 'material', 'latex2mathml', 'matplotlib') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
