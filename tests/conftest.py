"""Fixtures for the harness's own tests: a tiny site run through pytest's `pytester`."""

from __future__ import annotations

import configparser
import textwrap
from pathlib import Path

import pytest


TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# Enough of the site's Markdown setup for includes, admonitions and content tabs to mean
# what they mean on the real site.
FIXTURE_MKDOCS = """\
site_name: fixture
theme:
  name: mkdocs
plugins: []
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.snippets:
      base_path: !relative $config_dir/snippets
      check_paths: true
"""


class Site:
    """A throwaway copy of the project's layout, with this repository's pytest settings."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.root = pytester.path
        ini = configparser.ConfigParser()
        ini.read(ROOT / "pytest.ini")
        ini["pytest"]["pythonpath"] = str(TESTS)
        ini["pytest"]["testpaths"] = "docs"
        with open(self.root / "pytest.ini", "w") as out:
            ini.write(out)
        self.write("mkdocs.yml", FIXTURE_MKDOCS)
        (self.root / "snippets").mkdir()

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8", newline="")
        return path

    def run(self, *args: str) -> pytest.RunResult:
        # A fresh process each time, as a real run: torch cannot be unloaded and imported again,
        # which an in-process run would need.
        return self.pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


@pytest.fixture
def site(pytester: pytest.Pytester) -> Site:
    return Site(pytester)
