"""The Chinese comments of the examples: one table, applied to the code blocks of zh pages.

An example is written once, in English, in `snippets/`, and both editions include it. Its
comments and docstrings are prose, though: a Chinese reader should read, and copy, Chinese.
`snippets/comments.zh.yml` maps each comment's English text (after `# `) and each docstring's
(between its quotes) to its Chinese text; the build (overrides/hooks/zh_comments.py) puts the
Chinese text into the rendered code blocks of the Chinese pages, in Pygments' comment (`c1`) and
docstring (`sd`) spans, and nothing else. The code, the outputs and the English pages are
untouched, so the code the tests run is the code of both editions but for those tabled texts,
and `tests/test_site.py` checks exactly that.

A comment or docstring that the table lacks is an error naming its file and line; so is an entry
that no example uses any more (`unused`), and a translation that changes the number of lines.
The doctest directive `# doctest: +ELLIPSIS` is code, not prose: it stays as written.

This module imports neither pytest nor the harness: the site build uses it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pygments.lexers import get_lexer_by_name
from pygments.token import Comment, String

TABLE = Path("snippets") / "comments.zh.yml"  # relative to the project's root
DIRECTIVE = re.compile(r"#\s*doctest:")  # a directive, kept as written


class TranslationError(Exception):
    """A comment or docstring on a Chinese page that the table cannot translate; names its line."""


@dataclass(frozen=True)
class Prose:
    """A comment or docstring of a code block: its kind, its text, the line (0-based, within the
    block) where it starts."""

    kind: str  # "comment" or "docstring"
    text: str  # the token as written: `# ...`, or the docstring with its quotes
    line: int

    @property
    def key(self) -> str:
        """What the table is keyed by: a comment's text after `#` and spaces, a docstring's
        text between its quotes."""
        if self.kind == "comment":
            return self.text.lstrip("#").strip()
        return _docstring_parts(self.text)[1]


def _docstring_parts(token: str) -> tuple[str, str, str]:
    match = re.fullmatch(r'([rRuU]{0,2}(?:"""|\'\'\'))(.*?)("""|\'\'\')', token, re.DOTALL)
    if not match:
        raise TranslationError(f"cannot read the docstring {token!r}")
    return match.group(1), match.group(2), match.group(3)


def is_directive(text: str) -> bool:
    return bool(DIRECTIVE.match(text))


def _kind(ttype, value: str) -> str | None:
    # A traceback's `  ...` line is a Comment token too: only `#` comments are prose.
    if ttype in Comment and ttype not in Comment.Preproc and value.startswith("#"):
        return "comment"
    if ttype in String.Doc:
        return "docstring"
    return None


@functools.cache
def _lexer(language: str):
    # Pygments as pymdownx.highlight runs it, keeping every character of the block.
    return get_lexer_by_name(language, stripnl=False, ensurenl=False)


def _tokens(code: str, language: str) -> list[tuple[object, str]]:
    tokens = list(_lexer(language).get_tokens(code))
    if "".join(value for _, value in tokens) != code:
        raise TranslationError(f"Pygments does not read this {language} block character for character; please report it")
    return tokens


def prose_of(code: str, language: str) -> list[Prose]:
    """The comments and docstrings of a code block in `language` (`python`, `pycon`...), as
    Pygments highlights them on the page; directives left out."""
    found, line = [], 0
    for ttype, value in _tokens(code, language):
        kind = _kind(ttype, value)
        if kind and not (kind == "comment" and is_directive(value)):
            found.append(Prose(kind, value, line))
        line += value.count("\n")
    return found


@functools.cache
def _load(path: Path, mtime: float) -> dict[str, str]:
    table = yaml.safe_load(path.read_text("utf-8")) or {}
    if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
        raise TranslationError(f"{path}: must map each English comment (a string) to its Chinese text (a string)")
    for english, chinese in table.items():
        if english.count("\n") != chinese.count("\n"):
            raise TranslationError(f"{path}: the translation of {english!r} has another number of lines; keep them line for line")
        if not chinese.strip():
            raise TranslationError(f"{path}: the translation of {english!r} is empty")
    return table


def load_table(root: Path) -> dict[str, str]:
    """The table at `root`/snippets/comments.zh.yml (English text -> Chinese text)."""
    path = Path(root) / TABLE
    return dict(_load(path, path.stat().st_mtime)) if path.exists() else {}


def translate(prose: Prose, table: dict[str, str]) -> str | None:
    """The token as a Chinese page shows it, or None when the table lacks it."""
    chinese = table.get(prose.key)
    if chinese is None:
        return None
    if prose.kind == "comment":
        return prose.text[: len(prose.text) - len(prose.text.lstrip("#").lstrip())] + chinese
    opening, _, closing = _docstring_parts(prose.text)
    return opening + chinese + closing


def translated(code: str, language: str, table: dict[str, str]) -> str:
    """A code block's text as a Chinese page shows it: every comment and docstring translated,
    everything else as written. Raises TranslationError (naming the block's line) for one that
    the table lacks."""
    out, line = [], 0
    for ttype, value in _tokens(code, language):
        kind = _kind(ttype, value)
        if kind and not (kind == "comment" and is_directive(value)):
            prose = Prose(kind, value, line)
            chinese = translate(prose, table)
            if chinese is None:
                raise TranslationError(f"line {line + 1} of the block: {value!r} has no Chinese text in {TABLE}")
            value_out = chinese
        else:
            value_out = value
        out.append(value_out)
        line += value.count("\n")
    return "".join(out)
