"""MkDocs hook: math written as $...$ or $$...$$ is rendered to MathML at build time.

pymdownx.arithmatex (generic mode) marks the TeX; this hook replaces each marked formula with
MathML from latex2mathml. Browsers render MathML natively, so the site loads no math script,
no math font and nothing from a CDN, and screen readers read the formulas. Both editions show the
same formulas, and a serve rebuild the same again: each is converted once per process.

An operator that opens a row (the minus of "−x", a sum, a bracket) has `form="prefix"` written
on its <mo> (`with_forms`), the form MathML Core infers for it from the whole formula. Left to
the browser, Chromium infers the form from the siblings the operator has when the formula is
first laid out and does not infer it again when the HTML parser adds the rest: a page whose
bytes arrive with a pause just after such an operator (a slow network, a busy machine) showed
"− x" for "−x", the minus spaced as between two terms (tests/test_browser_math.py). Only the
prefix form is written: a written form is looked up in the operator dictionary without the
fallback an inferred one gets, and every operator the site opens a row with has a prefix entry,
which the every-page sweep checks by laying out every formula both ways. (An operator between
two terms can be laid out as the row's last and keep a postfix form too; of the site's operators
only "|" is then spaced otherwise, and writing "infix" on all would need the dictionary's entries.)
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

# MathML Core, "Embellished operators" and "Dictionary-based attributes" (the form's inference):
# https://www.w3.org/TR/mathml-core/#embellished-operators
_TAG = re.compile(r"<(/?)([a-z]+)\b([^>]*?)(/?)>")
_SCRIPTED = {"msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts", "mfrac", "semantics"}
_GROUPING = {"mrow", "mstyle", "mphantom", "mpadded"}
_ROW = _GROUPING | {"math", "msqrt", "menclose", "merror", "mtd", "maction"}  # an mrow, or one inferred
_SPACE = {"mtext", "mspace"}


class _Node:
    def __init__(self, tag: str, parent: "_Node | None", at: int) -> None:
        self.tag, self.parent, self.at = tag, parent, at  # `at`: where its start tag is
        self.children: list[_Node] = []

    def space_like(self) -> bool:
        return self.tag in _SPACE or (self.tag in _GROUPING and all(c.space_like() for c in self.children))

    def in_flow(self) -> list["_Node"]:
        return [child for child in self.children if not child.space_like()]


def _form(operator: _Node) -> str:
    """The form MathML Core infers for an <mo> without one, from the whole formula it is in."""
    outer = operator  # the outermost embellished operator whose core is this <mo>
    while (parent := outer.parent) is not None and (
        (parent.tag in _SCRIPTED and parent.children[0] is outer) or (parent.tag in _GROUPING and parent.in_flow() == [outer])
    ):
        outer = parent
    if parent is not None and parent.tag in _ROW and len(siblings := parent.in_flow()) > 1:
        if siblings[0] is outer:
            return "prefix"
        if siblings[-1] is outer:
            return "postfix"
    return "infix"


def with_forms(mathml: str) -> str:
    """The MathML with `form="prefix"` written on each <mo> that has no form and opens a row
    (latex2mathml writes well-formed MathML without comments, so a tag reader suffices)."""
    operators, parent = [], None
    for tag in _TAG.finditer(mathml):
        closing, name, attributes, empty = tag.groups()
        if closing:
            parent = parent.parent
            continue
        node = _Node(name, parent, tag.start())
        if parent is not None:
            parent.children.append(node)
        if name == "mo" and not re.search(r"\bform=", attributes):
            operators.append(node)
        if not empty:
            parent = node
    out, last = [], 0
    for operator in operators:
        if _form(operator) == "prefix":
            cut = operator.at + len("<mo")
            out += [mathml[last:cut], ' form="prefix"']
            last = cut
    return "".join(out) + mathml[last:]


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
    mathml = with_forms(mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1))
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
