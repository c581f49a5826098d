"""Expand snippet includes exactly as MkDocs does, remembering where every line came from.

The expansion is done by the pymdownx.snippets preprocessor that Python-Markdown builds from
mkdocs.yml, so the code that is tested is the code the reader sees. To map an expanded line back
to the file it was written in, a second expansion tags each content line with an invisible marker
(a pair of private-use characters around an index). The tagged result, markers removed, must equal
MkDocs' own result; if it ever does not, expansion stops with an error instead of guessing.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import meta
from mkdocs.utils.yaml import get_yaml_loader, yaml_load
from pymdownx.snippets import SnippetExtension, SnippetMissingError, SnippetPreprocessor

from .syntax import RUN_LANGS

_OPEN, _CLOSE = "\ue000", "\ue001"
RESERVED = (_OPEN, _CLOSE)  # the origin markers: a page may not hold them
_TAG = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


class IncludeError(Exception):
    """A page's includes cannot be expanded (missing file or section, bad configuration)."""


@dataclass(frozen=True)
class Origin:
    """A line of a Markdown file: where an expanded line was written."""

    path: Path
    line: int  # 1-based

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}"


@dataclass(frozen=True)
class ExpandedPage:
    """A page with its includes expanded, and the origin of each expanded line."""

    path: Path
    text: str
    origins: tuple[Origin | None, ...]  # one per expanded line; None for snippet notation
    config_file: str
    skipped: int = 0  # lines of front matter above the text, which MkDocs strips

    def origin(self, line: int) -> Origin:
        """Where the expanded text's 1-based `line` was written (blank lines inherit from above)."""
        for index in range(line - 1, -1, -1):
            found = self.origins[index]
            if found is not None:
                return found if index == line - 1 else Origin(found.path, found.line + line - 1 - index)
        return Origin(self.path, self.skipped + line)

    def include_lines(self, snippet: Path) -> list[int]:
        """Lines of the page itself whose include directive names `snippet` directly."""
        lines = self.path.read_text("utf-8-sig").split("\n")
        return [number for number, resolved in _includes(lines, 1, self.config_file) if resolved and resolved.resolve() == snippet.resolve()]


_shown_from: str | None = None  # the directory paths are shown from, when not the working one


def show_paths_from(directory: str) -> None:
    """Show paths relative to `directory` from now on, whatever the working directory becomes: a
    page runs in a scratch directory of its own, and its reports still name `docs/PAGE.md`."""
    global _shown_from
    _shown_from = directory


def display_path(path: Path) -> str:
    """A path as a contributor types it: relative to the directory pytest was started in (the
    working directory, unless `show_paths_from` said otherwise) when possible."""
    return _display_path(str(path), _shown_from or os.getcwd())


@functools.lru_cache(maxsize=4096)  # asked for every line of every report and example
def _display_path(path: str, cwd: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return path


class _TaggingSnippets(SnippetPreprocessor):
    """pymdownx's preprocessor, reading each file with an origin marker at the end of its lines."""

    def __init__(self, config: dict, md: markdown.Markdown) -> None:
        super().__init__(config, md)
        self.origins: list[Origin] = []

    def tag(self, lines: list[str], path: str | Path, first: int = 1) -> list[str]:
        """`lines` tagged with their origins; `first` is the file line of the first of them."""
        notation = self.get_syntax_mask(lines)
        tagged = []
        for number, (line, is_notation) in enumerate(zip(lines, notation), first):
            # Notation must stay as written for pymdownx to recognise it; with dedent_subsections,
            # a marker would turn a blank line into an unindented one and change the dedent.
            if is_notation or self.RE_ALL_SNIPPETS.match(line) or (self.dedent_subsections and not line.strip()):
                tagged.append(line)
                continue
            self.origins.append(Origin(Path(path), number))
            tagged.append(f"{line}{_OPEN}{len(self.origins) - 1}{_CLOSE}")
        return tagged

    def read_lines(self, path: str) -> list[str]:
        return self.tag(super().read_lines(path), path)


class _MarkdownSettings(base.Config):
    """The Markdown part of mkdocs.yml, read and validated by MkDocs' own option. Loading the
    whole configuration would also import every plugin and hook (mkdocs-jupyter alone takes
    half a second), at the start of every test run."""

    markdown_extensions = copy.deepcopy(MkDocsConfig.markdown_extensions)
    mdx_configs = c.Private()


@functools.cache
def _markdown(config_file: str, lexed: bool = True) -> markdown.Markdown:
    """Python-Markdown with the site's extensions and settings, as MkDocs builds it. Without
    `lexed`, Pygments puts the code of the languages that run into its HTML as plain text
    (`extend_pygments_lang`, pymdownx.highlight's own option): the same blocks, titles, line
    numbers and text, without the lexing of Python, which takes most of a page's rendering.
    tests/test_site.py checks that the built pages show the code blocks read so."""
    config = _MarkdownSettings(config_file_path=config_file)
    with open(config_file, "rb") as file:
        # MkDocs' YAML loader, bound to this config, so that !relative resolves as in a build.
        config.load_dict(yaml_load(file, get_yaml_loader(config=config)))
    errors, _ = config.validate()  # the warnings are the keys of the rest of mkdocs.yml
    if errors:
        raise IncludeError(f"{config_file}: " + "; ".join(f"{key}: {error}" for key, error in errors))
    settings = config["mdx_configs"]
    if not lexed and "pymdownx.highlight" in config["markdown_extensions"]:
        highlight = dict(settings.get("pymdownx.highlight", {}))
        plain = [{"name": name, "lang": "text"} for name in RUN_LANGS]
        highlight["extend_pygments_lang"] = list(highlight.get("extend_pygments_lang", [])) + plain
        settings = {**settings, "pymdownx.highlight": highlight}
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=settings)


@functools.cache
def preprocessors(config_file: str) -> tuple[SnippetPreprocessor, _TaggingSnippets]:
    """MkDocs' own snippet preprocessor for this site, and its origin-tagging twin."""
    md = _markdown(config_file)
    extension = next((e for e in md.registeredExtensions if isinstance(e, SnippetExtension)), None)
    if extension is None:
        raise IncludeError(f"{config_file}: pymdownx.snippets is not enabled, so includes cannot be expanded")
    plain = md.preprocessors["snippet"]
    if not plain.check_paths:
        raise IncludeError(f"{config_file}: pymdownx.snippets needs `check_paths: true`, so that a missing include fails")
    return plain, _TaggingSnippets(extension.getConfigs(), md)


def render(path: Path, config_file: str) -> str:
    """The HTML that MkDocs' Markdown makes of the page at `path` (front matter stripped,
    includes expanded by its own preprocessor, code blocks made by Pygments, the code of the
    languages that run as plain text): what a reader sees, before the theme and the build hooks."""
    preprocessors(config_file)  # the settings are checked there
    md = _markdown(config_file, lexed=False)
    md.reset()
    text, skipped = strip_front_matter(Path(path).read_text("utf-8-sig"))
    try:
        return md.convert(text)
    except SnippetMissingError as error:
        raise _missing(Path(path), text.split("\n"), 1 + skipped, config_file, error) from None


def strip_front_matter(text: str) -> tuple[str, int]:
    """The page as MkDocs hands it to Markdown: without its front matter (YAML between `---`
    lines, or MultiMarkdown `Key: value` lines at the top), which MkDocs' own `get_data`
    strips; and how many lines were stripped above it."""
    body, _ = meta.get_data(text)
    if not text.endswith(body):  # get_data only ever cuts whole lines off the top
        raise IncludeError("the front matter could not be stripped as MkDocs strips it; please report this page")
    return body, text[: len(text) - len(body)].count("\n")


def _missing(path: Path, lines: list[str], first: int, config_file: str, error: SnippetMissingError) -> IncludeError:
    """A missing include, at the line that names it (pymdownx names only the path): a line of
    the page, or of a file the page includes, which is then named with the page."""
    found = _missing_line(path, lines, first, config_file, depth=0)
    if found is None:
        return IncludeError(f"{display_path(path)}: {error}")
    where, number = found
    included = "" if where == path else f" (included in {display_path(path)})"
    return IncludeError(f"{display_path(where)}:{number}: {error}; this line includes it{included}")


def _includes(lines: list[str], first: int, config_file: str):
    """Each include directive among `lines` (numbered from `first`), as pymdownx reads it: its
    line number, and the file it names (None when there is no such file)."""
    plain, _ = preprocessors(config_file)
    for number, line in enumerate(lines, first):
        match = plain.RE_ALL_SNIPPETS.match(line)
        if match and not match.group("escape") and match.group("snippet"):
            target = plain.parse_snippet_target(match.group("snippet")[1:-1].strip())
            if target:
                resolved = plain.get_snippet_path(target["path"])
                yield number, Path(resolved) if resolved else None


def _missing_line(path: Path, lines: list[str], first: int, config_file: str, depth: int) -> tuple[Path, int] | None:
    nested = []
    for number, resolved in _includes(lines, first, config_file):
        if resolved is None:
            return path, number
        nested.append(resolved)
    for snippet in nested if depth < 8 else ():  # pymdownx itself refuses an include that loops
        found = _missing_line(snippet, snippet.read_text("utf-8").split("\n"), 1, config_file, depth + 1)
        if found:
            return found
    return None


def expand_page(path: Path, config_file: str) -> ExpandedPage:
    """Expand the includes of the page at `path` with the snippet settings of `config_file`."""
    path = Path(path)
    # Read as MkDocs does: UTF-8 with an optional BOM, any line ending becoming "\n".
    return _expand(path, path.read_text("utf-8-sig"), config_file)


def _expand(path: Path, text: str, config_file: str) -> ExpandedPage:
    for number, line in enumerate(text.split("\n"), 1):
        if _OPEN in line or _CLOSE in line:
            raise IncludeError(f"{display_path(path)}:{number}: this line holds U+E000 or U+E001, which the include expander reserves; remove it")
    plain, tagger = preprocessors(config_file)
    text, skipped = strip_front_matter(text)
    lines = text.split("\n")
    try:
        expected = plain.run(list(lines))
        tagger.origins = []
        tagged = tagger.run(tagger.tag(list(lines), path, first=skipped + 1))
    except SnippetMissingError as error:
        raise _missing(path, lines, skipped + 1, config_file, error) from None

    origins, stripped = [], []
    for line in tagged:
        markers = _TAG.findall(line)
        origins.append(tagger.origins[int(markers[-1])] if markers else None)
        stripped.append(_TAG.sub("", line))
    if stripped != expected:
        raise IncludeError(f"{display_path(path)}: origin tracking changed the expansion; please report this page")
    return ExpandedPage(path, "\n".join(expected), tuple(origins), config_file, skipped)
