"""The copy text the build gives each `pycon` block (overrides/hooks/copy_code.py): the
session's code only, on HTML rendered by the site's own Markdown setup."""

from __future__ import annotations

import importlib.util
import textwrap
from html.parser import HTMLParser
from types import SimpleNamespace

import markdown
import pytest
from mkdocs.exceptions import PluginError
from support import ROOT


spec = importlib.util.spec_from_file_location("copy_code", ROOT / "overrides" / "hooks" / "copy_code.py")
copy_code = importlib.util.module_from_spec(spec)
spec.loader.exec_module(copy_code)

PAGE = SimpleNamespace(file=SimpleNamespace(src_uri="page.md"))


def rendered(fences: str) -> str:
    """The page content MkDocs hands the hook: Markdown rendered as mkdocs.yml renders it."""
    html = markdown.markdown(
        textwrap.dedent(fences),
        extensions=["pymdownx.highlight", "pymdownx.superfences", "admonition"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )
    return copy_code.on_page_content(html, PAGE, None, None)


class _Blocks(HTMLParser):
    """Each highlighted block's language and `data-copy` text (None without one), in order."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "highlight" in classes:
            lang = next(c.removeprefix("language-") for c in classes if c.startswith("language-"))
            self.blocks.append((lang, attrs.get("data-copy")))


def copy_texts(fences: str) -> list[tuple[str, str | None]]:
    parser = _Blocks()
    parser.feed(rendered(fences))
    return parser.blocks


def test_a_session_copies_its_statements_without_prompts_or_output():
    assert copy_texts(
        """
        ```pycon
        >>> t = torch.tensor([1., 2., 3.])
        >>> t.sum()
        tensor(6.)
        >>> m = torch.tensor([[1., 2.],
        ...                   [3., 4.]])
        >>> for k in range(2):
        ...     print(k)
        0
        1
        ```
        """
    ) == [("pycon", "t = torch.tensor([1., 2., 3.])\nt.sum()\nm = torch.tensor([[1., 2.],\n                  [3., 4.]])\nfor k in range(2):\n    print(k)\n")]


def test_a_bare_continuation_prompt_that_closes_a_block_stays_a_blank_line():
    assert copy_texts(
        """
        ```pycon
        >>> def f(x):
        ...     y = x + 1
        ...
        ...     return y
        ...
        >>> f(1)
        2
        ```
        """
    ) == [("pycon", "def f(x):\n    y = x + 1\n\n    return y\n\nf(1)\n")]


def test_a_traceback_and_a_comment_only_prompt_are_not_copied():
    assert copy_texts(
        """
        ```pycon
        >>> # nothing runs here
        >>> 1 / 0  # but here it does
        Traceback (most recent call last):
          ...
        ZeroDivisionError: division by zero
        ```
        """
    ) == [("pycon", "1 / 0  # but here it does\n")]


def test_characters_special_to_html_survive_the_attribute():
    code = """s = '<a href="x">&amp;</a>' if 1 < 2 > 0 else "&"\n"""
    assert copy_texts(f"```pycon\n>>> {code}```\n") == [("pycon", code)]


def test_python_blocks_and_sessions_with_no_code_get_no_copy_text():
    blocks = copy_texts(
        """
        ```python
        >>> x = 1
        ```

        ```pycon
        tensor([0.3333, 0.3333, 0.3333])
        ```
        """
    )
    assert blocks == [("python", None), ("pycon", None)]


def test_sessions_inside_an_admonition_get_their_copy_text():
    assert copy_texts(
        """
        !!! tip "Fix"

            ```pycon
            >>> x = 1
            >>> x
            1
            ```
        """
    ) == [("pycon", "x = 1\nx\n")]


def test_a_malformed_prompt_fails_the_build_naming_the_page():
    with pytest.raises(PluginError, match=r"page\.md: .*lacks blank after >>>"):
        rendered("```pycon\n>>>x = 1\n```\n")
