"""The one place the harness meets pytest-markdown-docs beyond its documented hooks.

What is documented (its README): the `--markdown-docs` switch, `--markdown-docs-syntax`, the
hooks `pytest_markdown_docs_markdown_it` and `pytest_markdown_docs_globals`, and the fence
syntax with its options. What is not, and is needed: which collectors it adds, so that its own
items do not run a page a second time. tests/test_upstream.py fails loudly when a release of
pytest-markdown-docs changes any of this, or reads a fence differently from documents/syntax.py.
"""

from __future__ import annotations

import pytest

MODULE = "pytest_markdown_docs"


def fences_enabled(config: pytest.Config) -> bool:
    """Whether the run asked for Markdown fences (`--markdown-docs`, set in pytest.ini)."""
    return bool(config.getoption("markdowndocs"))


def syntax(config: pytest.Config) -> str:
    """The fence syntax the run asked for: "default" or "superfences" (`--markdown-docs-syntax`)."""
    return config.getoption("markdowndocs_syntax")


def is_upstream_collector(collector: pytest.Collector) -> bool:
    """A file collector of pytest-markdown-docs: its items would run the fences on their own."""
    module = type(collector).__module__
    return module == MODULE or module.startswith(MODULE + ".")
