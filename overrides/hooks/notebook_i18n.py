"""MkDocs hook: the notebook stays a page in every language edition.

mkdocs-jupyter marks a notebook as a documentation page by wrapping its File in its own
NotebookFile. The i18n plugin, which runs after it, rebuilds every file of docs/ as a plain
File under the edition's directory (`zh/explore/`), and a plain `.ipynb` is no page, so the
notebook would be published as a download only (mkdocs-static-i18n issue #198). This hook runs
after the i18n plugin and wraps the notebook again, keeping the edition's address.
"""

from __future__ import annotations

import os

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
    return files
