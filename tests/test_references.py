"""The references page lists every source the site cites, in each edition.

references.md says it holds "every source cited on this site"; a page that links a paper, an
issue or a PyTorch document that the references page lacks makes that sentence false. The
sources are the pages' external links, read from the Markdown of each edition (snippets are
shared by both editions, the notebooks' text forms belong to theirs). A link into the site's
own repository (`repo_url` in mkdocs.yml) shows the site's code, and is not a source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.config import load_config

from support import ROOT
LINK = re.compile(r"\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>")


def links(path: Path) -> set[str]:
    return {a or b for a, b in LINK.findall(path.read_text("utf-8"))}


def edition_sources(suffix: str, repo_url: str) -> dict[str, set[Path]]:
    pages = [p for p in (ROOT / "docs").glob(f"*{suffix}.md")
             if p.stem.count(".") == suffix.count(".") and not p.stem.startswith("references")]
    notebook = ROOT / "snippets" / "notebooks" / f"explore{suffix}.py"
    found: dict[str, set[Path]] = {}
    for path in [*pages, notebook, *(ROOT / "snippets").glob("*.md")]:
        for url in links(path):
            if not url.startswith(repo_url):
                found.setdefault(url, set()).add(path.relative_to(ROOT))
    return found


@pytest.mark.parametrize("suffix", ["", ".zh"], ids=["en", "zh"])
def test_every_cited_source_is_on_the_references_page(suffix):
    listed = links(ROOT / "docs" / f"references{suffix}.md")
    repo_url = load_config(str(ROOT / "mkdocs.yml"))["repo_url"].rstrip("/") + "/"
    missing = {url: sorted(map(str, where)) for url, where in edition_sources(suffix, repo_url).items()
               if url not in listed}
    assert not missing, (f"docs/references{suffix}.md lacks sources the site cites "
                         f"(add each, with what it is cited for): {missing}")
