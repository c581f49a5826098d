"""MkDocs hook: the notebook stays a page in every language edition, with a description in each.

mkdocs-jupyter marks a notebook as a documentation page by wrapping its File in its own
NotebookFile. The i18n plugin, which runs after it, rebuilds every file of docs/ as a plain
File, and a plain `.ipynb` is no page, so the notebook would be published as a download only
(mkdocs-static-i18n issue #198). The plugin treats it as an asset: each edition takes its own
notebook, `explore.zh.ipynb` for /zh/ (the default language's where it has none), but at the
address of its file name (`zh/explore.zh/`), and pairs it with no other edition. This hook runs
after the i18n plugin and wraps the notebook again, at the page's address in the edition
(`zh/explore/`, from `explore.ipynb`), paired with the same address in every other edition for
the language selector and the sitemap.

A translated notebook's headings keep the original's ids, as a translated page's explicit
`{#id}` do: mkdocs-jupyter makes a heading's id from its ASCII letters only, so a Chinese heading
would get none (`id=""`), and its table of contents links to ids (`#_1`) that no heading has.
The ids are those that mkdocs-jupyter gives the original notebook's headings, in order; the
build fails when the two notebooks' headings differ in number or level.

mkdocs-jupyter's copy button of each code cell is labelled in English ("Copy to Clipboard",
"Copied!"); a translated notebook's page gets its edition's words (COPY_BUTTON).

A notebook has no front matter: its page description (meta description, Open Graph) comes from
the notebook's metadata, `description` by language, written in the jupytext header of
snippets/notebooks/explore.py (and explore.zh.py).

mkdocs-jupyter caches each notebook's conversion (nbconvert, seconds) by the notebook's digest and
its options (its `cache` option, on by default), in one directory, and at the end of a build
deletes the entries that build did not use; each edition is a build of its own, so the Chinese one
deleted the English notebook's entry and every build converted it again. Each edition gets a cache
directory of its own, below the project's `.cache/` (git-ignored), named after the versions of the
packages that make the HTML, which the plugin's key leaves out: an upgrade starts a new cache.
The headings of both notebooks, which this hook reads for a translated notebook's ids (nbconvert
again), are cached the same way (site_build/cache.py), by the notebook's digest.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import sys
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc
from mkdocs_jupyter.plugin import NotebookFile, _get_nb_toc_tokens

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions  # noqa: E402
from site_build.cache import MISSING, Cache, digest, directory, named  # noqa: E402


# The packages that turn a notebook into the page's HTML, as mkdocs-jupyter runs them.
CONVERTERS = ("mkdocs-jupyter", "nbconvert", "nbformat", "mistune", "pygments", "jupyterlab_pygments",
              "jupytext", "jinja2", "markupsafe", "beautifulsoup4", "bleach", "traitlets", "jupyter_core")
CACHE = Path(".cache") / "mkdocs-jupyter"  # below the project's root (the directory of mkdocs.yml)
cache = named("notebook-i18n")  # kept from one serve rebuild to the next (site_build/cache.py)


@functools.cache  # the versions this process imported
def converters_digest() -> str:
    versions = []
    for name in CONVERTERS:
        try:
            versions.append([name, importlib.metadata.version(name)])
        except importlib.metadata.PackageNotFoundError:
            versions.append([name, None])
    return hashlib.sha256(json.dumps(versions).encode()).hexdigest()[:16]


@event_priority(-110)  # after the i18n plugin has configured this edition's build (-100)
def on_config(config):
    jupyter = config.plugins["mkdocs-jupyter"]
    language = editions.language(config)
    conversions = Path(config.config_file_path).parent / CACHE
    own = conversions / f"{language}-{converters_digest()}"
    for stale in conversions.glob(f"{language}-*"):  # this edition's cache made by other versions
        if stale != own and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    for stale in conversions.glob("*.json"):  # entries of the plugin's own single directory, no longer read
        stale.unlink(missing_ok=True)
    jupyter.config["cache_dir"] = str(own)
    return config


@event_priority(-110)  # the i18n plugin's on_files runs at -100
def on_files(files: Files, config) -> Files:
    jupyter = config.plugins["mkdocs-jupyter"]
    i18n = config.plugins["i18n"]
    language = editions.language(config)
    # The directory of the edition being built: "" for the default language, "zh/" for Chinese.
    # (The i18n plugin leaves a file that is not Markdown at its default-language address.)
    prefix = editions.prefix(config)
    # Changed in place: `files` is the i18n plugin's own Files, which finds `page.zh.md` for a
    # link to `page.md`.
    for file in [file for file in files if jupyter.should_include(file) and not isinstance(file, NotebookFile)]:
        page = NotebookFile(file, config.use_directory_urls, config.site_dir)
        # The page's address below an edition's home, from the notebook's name without its
        # language (`explore.zh.ipynb` is `explore/`), as mkdocs-jupyter forms it for the original.
        address = PurePosixPath(getattr(file, "norm_src_uri", file.src_uri)).with_suffix("")
        if config.use_directory_urls:
            dest_path, url = f"{address}/index.html", f"{address}/"
        else:
            dest_path, url = f"{address}.html", f"{address}.html"
        page.dest_path = prefix + dest_path
        page.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, page.dest_path))
        page.url = prefix + url
        # This edition is the page itself; every other edition has the page at the same address.
        page.file.alternates = {
            locale: page if locale == language else SimpleNamespace(url=editions.prefix_of(config, locale) + url, page=None)
            for locale in editions.locales(config)
        }
        files.remove(file)
        files.append(page)
    # The i18n plugin's sitemap lists the pages it saw as pages; the notebook is one too.
    i18n.i18n_files_per_language[language] = files.documentation_pages()
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri.endswith(".ipynb"):
        metadata = json.loads(Path(page.file.abs_src_path).read_text("utf-8")).get("metadata", {})
        descriptions = metadata.get("description", {})
        language = config.theme["language"]
        if language in descriptions:
            page.meta["description"] = descriptions[language]
    return context


# A heading of a Markdown cell as nbconvert renders it (mkdocs-jupyter adds the id and the link).
_HEADING = re.compile(r'(<h[1-6] id=")[^"]*(">.*?<a class="anchor-link" href="#)[^"]*(">)', re.DOTALL)


def _in_order(tokens: list[dict]) -> list[dict]:
    """The table of contents' tokens in document order (each heading before its subheadings)."""
    return [found for token in tokens for found in [token, *_in_order(token["children"])]]


def toc_tokens(path: str, depth: int, where: Path | None = None) -> list[dict]:
    """mkdocs-jupyter's table of contents of the notebook at `path`, cached by its digest."""
    made_from = {"notebook": digest(Path(path).read_bytes()), "depth": depth, "converters": converters_digest()}
    slot = f"toc-{Path(path).name}"
    if (tokens := cache.get(where, slot, made_from)) is MISSING:
        tokens = _get_nb_toc_tokens(path, depth)[0]
        cache.put(where, slot, made_from, tokens)
    return copy.deepcopy(tokens)


def on_page_content(html: str, page, config, files) -> str:
    if not page.file.src_uri.endswith(".ipynb") or not getattr(page.file, "localization", None):
        return html
    depth = config.plugins["mkdocs-jupyter"].config["toc_depth"]
    where = directory(config, "notebook-headings")
    original = _in_order(toc_tokens(os.path.join(config.docs_dir, page.file.norm_src_uri), depth, where))
    tokens = toc_tokens(page.file.abs_src_path, depth, where)
    translated = _in_order(tokens)
    if [t["level"] for t in translated] != [t["level"] for t in original] or len(_HEADING.findall(html)) != len(original):
        raise PluginError(f"{page.file.src_uri}: its headings differ from those of {page.file.norm_src_uri} in number or level")
    for token, source in zip(translated, original):
        token["id"] = source["id"]
    page.toc = get_toc(tokens)
    ids = iter(token["id"] for token in original)
    return _HEADING.sub(lambda match: f"{match[1]}{(i := next(ids))}{match[2]}{i}{match[3]}", html)


# mkdocs-jupyter's copy button, as nbconvert's template writes it, in each edition's words.
COPY_BUTTON = {
    "zh": {'aria-label="Copy to Clipboard"': 'aria-label="复制到剪贴板"', ">Copied!<": ">已复制！<"},
}


def on_post_page(output: str, page, config) -> str:
    words = COPY_BUTTON.get(editions.language(config))
    if not page.file.src_uri.endswith(".ipynb") or not words:
        return output
    for english, translated in words.items():
        output = output.replace(english, translated)
    return output
