"""MkDocs hook: math written as $...$ or $$...$$ is rendered to MathML at build time.

pymdownx.arithmatex (generic mode) marks the TeX; this hook replaces each marked formula with
MathML from latex2mathml. Browsers render MathML natively, so the site loads no math script,
no math font and nothing from a CDN, and screen readers read the formulas. Both editions show the
same formulas, and a serve rebuild the same again: each is converted once per process.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import per_process  # noqa: E402

_FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
_DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)")


class _Unrenderable(Exception):
    pass


@per_process(maxsize=4096)  # latex2mathml's answer depends on the formula alone
def _mathml(tag: str, tex: str) -> str:
    try:
        mathml = convert(tex, display="block" if tag == "div" else "inline")
    except Exception as error:  # latex2mathml raises plain exceptions for TeX it cannot read
        raise _Unrenderable(f"cannot render the formula {tex!r}: {error!r}") from error
    if unknown := _UNKNOWN_COMMAND.search(mathml):
        # latex2mathml passes a command it does not know through as text: the reader would see it.
        raise _Unrenderable(f"the formula {tex!r} uses {unknown.group(1)}, which latex2mathml cannot render")
    # In HTML a <math> element is MathML without it: the namespace on each formula is bytes only.
    mathml = mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)
    if tag == "div":
        return f'<div class="math-block">{mathml}</div>'  # wide formulas scroll, not the page
    return mathml


def _render(match: re.Match, page) -> str:
    tag, body = match.group(1), html.unescape(match.group(2)).strip()
    opening, closing = _DELIMITERS[tag]
    tex = body.removeprefix(opening).removesuffix(closing).strip()
    try:
        return _mathml(tag, tex)
    except _Unrenderable as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error.__cause__


def on_page_content(html_text: str, page, config, files) -> str:
    return _FORMULA.sub(lambda match: _render(match, page), html_text)
