"""MkDocs hook: the notebook stays a page in every language edition, with a description in each.

mkdocs-jupyter marks a notebook as a documentation page by wrapping its File in its own
NotebookFile. The i18n plugin, which runs after it, rebuilds every file of docs/ as a plain
File under the edition's directory (`zh/explore/`), and a plain `.ipynb` is no page, so the
notebook would be published as a download only (mkdocs-static-i18n issue #198). This hook runs
after the i18n plugin and wraps the notebook again, keeping the edition's address.

A notebook has no front matter: its page description (meta description, Open Graph) comes from
the notebook's metadata, `description` by language, written in the jupytext header of
snippets/notebooks/explore.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs_jupyter.plugin import NotebookFile


@event_priority(-110)  # the i18n plugin's on_files runs at -100
def on_files(files: Files, config) -> Files:
    jupyter = config.plugins["mkdocs-jupyter"]
    i18n = config.plugins["i18n"]
    # The directory of the edition being built: "" for the default language, "zh" for Chinese.
    # (The i18n plugin leaves a file that is not Markdown at its default-language address.)
    edition = "" if i18n.current_language == i18n.default_language else i18n.current_language
    # Changed in place: `files` is the i18n plugin's own Files, which finds `page.zh.md` for a
    # link to `page.md`.
    for file in [file for file in files if jupyter.should_include(file) and not isinstance(file, NotebookFile)]:
        page = NotebookFile(file, config.use_directory_urls, config.site_dir)
        if edition:
            page.dest_path = f"{edition}/{page.dest_path}"
            page.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, page.dest_path))
            page.url = f"{edition}/{page.url}"
        files.remove(file)
        files.append(page)
    # The i18n plugin's sitemap lists the pages it saw as pages; the notebook is one too.
    i18n.i18n_files_per_language[i18n.current_language] = files.documentation_pages()
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri.endswith(".ipynb"):
        metadata = json.loads(Path(page.file.abs_src_path).read_text("utf-8")).get("metadata", {})
        descriptions = metadata.get("description", {})
        language = config.theme["language"]
        if language in descriptions:
            page.meta["description"] = descriptions[language]
    return context
