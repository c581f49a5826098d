"""How the site may be reused: LICENSE says it (the code under MIT, the text and figures under
CC BY 4.0), every page's footer says it in its edition's language, and CITATION.cff says how to
cite the site at the addresses mkdocs.yml gives."""

from __future__ import annotations

import re

import pytest
import yaml
from mkdocs.config import load_config

from support import ROOT

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
MIT_GRANT = "Permission is hereby granted, free of charge, to any person obtaining a copy"
FOOTER = re.compile(r'<div class="md-copyright__highlight">(.*?)</div>', re.S)


@pytest.fixture(scope="module")
def config():
    return load_config(str(ROOT / "mkdocs.yml"))


def test_the_licence_file_gives_the_code_mit_and_the_text_and_figures_cc_by():
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert MIT_GRANT in text and 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    assert "CC BY 4.0" in text and CC_BY + "legalcode" in text
    code, prose = text.split("Text and figures:", 1)
    assert "MIT" in code and "snippets/" in code  # the examples are code
    assert "CC BY 4.0" in prose.split("MIT License", 1)[0] and "figures" in prose


def test_every_page_footer_links_both_licences_in_its_own_language(built_site, config):
    licence_file = config["repo_url"].rstrip("/") + "/blob/main/LICENSE"
    assert (ROOT / "LICENSE").is_file()
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 20
    for page in pages:
        footers = FOOTER.findall(page.read_text("utf-8"))
        if not footers:  # a redirect stub, not a page a reader reads
            assert "http-equiv=\"refresh\"" in page.read_text("utf-8"), page
            continue
        footer = footers[0]
        where = page.relative_to(built_site).as_posix()
        assert f'href="{licence_file}"' in footer and f'href="{CC_BY}' in footer, where
        chinese = where.startswith("zh/")
        assert ("许可" in footer) == chinese and ("MIT License" in footer) != chinese, (where, footer)


def test_the_citation_file_names_the_site_its_repository_and_its_licences(config):
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):  # the keys CFF 1.2.0 requires
        assert citation[key], key
    assert all(author.get("name") or author.get("family-names") for author in citation["authors"])
    assert citation["repository-code"] == config["repo_url"].rstrip("/")
    assert citation["url"] == config["site_url"]
    assert citation["license"] == ["MIT", "CC-BY-4.0"]  # SPDX ids of LICENSE's two licences


COLAB_NOTE = {  # the sentence beside the notebook's buttons, in each edition
    "": ("Colab runs its own PyTorch release", "requirements.txt"),
    "zh/": ("Colab 使用它自己的 PyTorch 版本", "requirements.txt"),
}


@pytest.mark.parametrize("edition", ["", "zh/"], ids=["en", "zh"])
def test_the_notebook_page_opens_its_own_notebook_in_colab_and_says_colab_has_another_torch(built_site, config, edition):
    page = (built_site / edition / "explore" / "index.html").read_text("utf-8")
    notebook = "explore.zh.ipynb" if edition else "explore.ipynb"
    assert (ROOT / "docs" / notebook).is_file()
    # repo_url and edit_uri (mkdocs.yml) name the repository and its branch; Colab opens a file
    # of a GitHub repository at colab.research.google.com/github/OWNER/REPO/blob/BRANCH/PATH.
    repository = config["repo_url"].rstrip("/").removeprefix("https://github.com/")
    branch = config["edit_uri"].split("/")[1]
    colab = f"https://colab.research.google.com/github/{repository}/blob/{branch}/docs/{notebook}"
    links = re.findall(r'<a href="(https://colab\.research\.google\.com/[^"]*)"[^>]*aria-label="([^"]*)"', page)
    assert links == [(colab, "在 Colab 中打开" if edition else "Open in Colab")], links
    note = re.search(r'<p class="colab-note">([^<]*)</p>', page)
    assert note and all(words in note.group(1) for words in COLAB_NOTE[edition]), note
    # Beside the download button, above the notebook itself.
    assert page.index('download>') < page.index(colab) < page.index("colab-note") < page.index('class="jp-Notebook')


def test_only_the_notebook_pages_link_to_colab(built_site):
    with_colab = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
                        if "colab.research.google.com" in p.read_text("utf-8"))
    assert with_colab == ["explore/index.html", "zh/explore/index.html"]
