"""MkDocs hook: a fence that is never closed stops the build, naming the file and line.

Python-Markdown shows an unclosed fence as text and carries on, so the page quietly loses the
blocks after it. The harness refuses it too (tests/documents/regions.py, the same check), so a
contributor hears of it from `mkdocs serve` as from `make test`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from documents.includes import IncludeError, expand_page  # noqa: E402
from documents.regions import FenceError, check_closed  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    try:
        check_closed(expand_page(Path(page.file.abs_src_path), config.config_file_path))
    except FenceError as error:
        raise PluginError(str(error)) from None
    except IncludeError:
        pass  # pymdownx.snippets reports a missing include itself, naming it
    return markdown
