"""MkDocs hook: a fence that is never closed stops the build, naming the file and line.

Python-Markdown shows an unclosed fence as text and carries on, so the page quietly loses the
blocks after it. The harness refuses it too (tests/documents/regions.py, the same check), so a
contributor hears of it from `mkdocs serve` as from `make test`. A page checked once is not
checked again until it or a snippet changes (site_build/pages.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from documents.includes import IncludeError  # noqa: E402
from documents.regions import FenceError  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import pages  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    try:
        pages.check_closed_fences(Path(page.file.abs_src_path), config)
    except FenceError as error:
        raise PluginError(str(error)) from None
    except IncludeError:
        pass  # pymdownx.snippets reports a missing include itself, naming it
    return markdown
