"""MkDocs hook: a page's HTML without bytes that change nothing a reader sees or copies.

The long articles were 200 KB of HTML each, the largest part of their first load
(tests/test_browser_pages.py's budget), and every element of it is styled and laid out on a
phone. Three kinds of bytes go:

- Code tokens drawn alike, one after the other, share one span. Pygments wraps each token in a
  `<span class="...">`: in `x) = f(y,` the `)`, `=`, `(` and `,` are four spans, 23 bytes each
  for one character, though Material draws punctuation, operators, comments and a session's
  prompts and output all in one colour (`--md-default-fg-color--light`, or extra.css's darker
  shade of it), as it draws the kinds of strings alike, the kinds of numbers, and so on
  (SAME_LOOK). Tokens of one such group, with nothing but spaces between them, become one span
  with the first one's class: the text, and so what the copy button copies, is unchanged.
  tests/test_browser_code_blocks.py checks in Chromium, in both palettes, that every class of a
  group looks like the group's first, so that a Material release that colours one of them apart
  fails the tests instead of changing the page.
- A formula's characters are written as themselves instead of as character references
  (latex2mathml writes `&#x003B2;` for β, `&#x0002B;` for +): nine bytes each, hundreds per page.
  Characters that do not show as themselves (controls, format characters such as the invisible
  times, spaces, combining marks) and those HTML reserves keep their references.
- The indentation of Material's templates: a line's leading spaces and empty lines, outside
  <pre>, <code>, <textarea>, <script>, <style> and tags (an attribute may hold lines: a `pycon`
  block's `data-copy`, what its copy button copies), where a line break already is; a browser
  collapses such a run of white space to one space, which the line break still is. The
  notebook pages are left as the renderer wrote them.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import per_process  # noqa: E402

# Classes Material's stylesheet draws the same (`.highlight .o, .highlight .ow {color:
# var(--md-code-hl-operator-color)}`, ...), each group's custom properties equal in both palettes
# (extra.css sets the light palette's to one colour too).
SAME_LOOK = [
    "p o ow c c1 ch cm cs sd ge gh go gp gr gs gt gu na nv vc vg vi".split(),
    "s s1 s2 sb sc si ss cpf l".split(),
    "se sh sr sx cp".split(),
    "m mb mf mh mi mo il".split(),
    "k kd kn kp kr kt nd ni nl nt".split(),
    "nb bp no".split(),
    "nf nc ne nn".split(),
]
_GROUP = {name: index for index, group in enumerate(SAME_LOOK) for name in group}

# A Material code block's <code>, as overrides/hooks/code_spans.py finds it (imported by path,
# as MkDocs imports hooks).
_spec = importlib.util.spec_from_file_location("_lean_html_code_spans", Path(__file__).with_name("code_spans.py"))
_code_spans = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_code_spans)
_BLOCK = _code_spans._BLOCK
_RUN = re.compile(r'<span class="(\w+)">([^<]*)</span>((?: *<span class="\w+">[^<]*</span>)+)')
_SPAN = re.compile(r'( *)<span class="(\w+)">([^<]*)</span>')


def _merged(match: re.Match) -> str:
    first, text, rest = match.group(1), match.group(2), match.group(3)
    out, current = [], [first, text]
    for spaces, name, token in _SPAN.findall(rest):
        if name in _GROUP and _GROUP.get(current[0]) == _GROUP[name]:
            current[1] += spaces + token
        else:
            out.append(f'<span class="{current[0]}">{current[1]}</span>{spaces}')
            current = [name, token]
    out.append(f'<span class="{current[0]}">{current[1]}</span>')
    return "".join(out)


def merged_spans(code: str) -> str:
    """A code block's HTML with each run of same-looking token spans as one span."""
    return _RUN.sub(_merged, code)


_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_REFERENCE = re.compile(r"&#x([0-9A-Fa-f]+);|&#([0-9]+);")


def _character(match: re.Match) -> str:
    character = chr(int(match.group(1), 16) if match.group(1) else int(match.group(2)))
    if character in "<>&\"'" or unicodedata.category(character)[0] in "CZM":
        return match.group(0)
    return character


def plain_characters(formula: str) -> str:
    """A formula's MathML with its character references written as the characters, but for
    those that do not show as themselves and those HTML reserves."""
    return _REFERENCE.sub(_character, formula)


# Where white space is the reader's: kept as written. So is every tag, whose attributes may hold
# lines (a `pycon` block's `data-copy`, the code its copy button copies).
_KEPT = re.compile(r"<(pre|code|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def _text_without_indentation(part: str) -> str:
    out, end = [], 0
    for tag in _TAG.finditer(part):
        out += [_INDENT.sub("\n", part[end : tag.start()]), tag.group(0)]
        end = tag.end()
    out.append(_INDENT.sub("\n", part[end:]))
    return "".join(out)


def without_indentation(page: str) -> str:
    """`page` without the spaces after the line breaks of its text and its empty lines, outside
    _KEPT and inside no tag."""
    out, end = [], 0
    for kept in _KEPT.finditer(page):
        out += [_text_without_indentation(page[end : kept.start()]), kept.group(0)]
        end = kept.end()
    out.append(_text_without_indentation(page[end:]))
    return "".join(out)


# Both are functions of the page's HTML alone (and of code_spans.py's pattern, given as an
# argument so that it is part of the key): unchanged pages of a serve rebuild, again
# (site_build/cache.py).
@per_process(maxsize=64)
def _lean_content(html_text: str, block: str) -> str:
    html_text = re.sub(block, lambda m: m.group(1) + merged_spans(m.group(2)) + m.group(3), html_text, flags=_BLOCK.flags)
    return _MATH.sub(lambda m: plain_characters(m.group(0)), html_text)


@per_process(maxsize=64)
def _lean_output(output: str) -> str:
    return without_indentation(output)


def on_page_content(html_text: str, page, config, files) -> str:
    return _lean_content(html_text, _BLOCK.pattern)


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        return output
    return _lean_output(output)

