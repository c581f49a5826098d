"""No English left in what a Chinese reader sees of the examples and the figures.

The examples are written once and both editions show them. Their comments and docstrings are
translated on the Chinese pages (tests/documents/comments.py); what they print is the same in
both editions, so it must be language-neutral: identifiers of the code, symbols, numbers. The
figures' text is symbols only (CONTRIBUTING: "Figure text is symbols only, the same in both").

On every built zh page, in every Python code block's comments, docstrings and printed output,
and in the text of every figure (the SVG's text, which matplotlib keeps as a comment beside the
glyph paths), each word must be one of:

- a name that appears in the code of the page (an identifier the reader can see: `gap`, `k`);
- a name of Python's builtins or of the torch, torch.Tensor, torch.nn, torch.nn.functional
  and math namespaces (dtype names, `tensor`, `softmax`, exception names);
- `True`, `False`, `None` (what reprs print; other Python keywords are English words that a
  label could hide behind: `pass`, `from`, `in`);
- a symbol: a letter with digits, or such parts joined by `_` (`p_i`, `J_k`, `r0`), and
  autograd's node names (`SoftmaxBackward0`);
- a number, `nan`, `inf`, doctest's `<BLANKLINE>`, an object's repr (`<... object at 0x...>`),
  and a name that the code writes as a string (`return "passed"`);
- one of `TERMS` below: the Latin terms the Chinese prose itself uses.

Words after `Traceback (most recent call last):` in an output are Python's and PyTorch's
messages, quoted verbatim on purpose, and so are the lines an example prints from a caught
warning's `.message`, and a caught warning printed as `UserWarning: ...` (a built-in warning
category, then its message). Prose and the interface are checked elsewhere; the notebook has its own
edition (tests/test_notebook.py).
"""

from __future__ import annotations

import builtins
import doctest
import math
import re
import tokenize
import io
from pathlib import Path

import pytest
import torch

from documents.comments import TABLE, TranslationError, load_table, prose_of, translated
from documents.regions import code_blocks
from support import ROOT


API = set(dir(builtins)) | set(dir(torch)) | set(dir(torch.Tensor)) | set(dir(torch.nn)) | set(dir(torch.nn.functional)) | set(dir(math))
API |= {"True", "False", "None", "nan", "inf"}
# PyTorch's own parameter names, which an example prints from `named_parameters()`.
API |= {part for name, _ in torch.nn.MultiheadAttention(2, 1).named_parameters() for part in (name, *name.split("."))}
_WORD = re.compile(r"0[xX][0-9a-fA-F]+|\d[\d.]*(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*")
_SYMBOL = re.compile(r"[A-Za-z]?\d*")
_BACKWARD = re.compile(r"\w+Backward\d*")
_TEX = re.compile(r"\\[A-Za-z]+")
# The few Latin terms that the Chinese edition itself writes in its prose (CONTRIBUTING's terms:
# one-hot, kept beside 独热; top-k and top-p; NLL), device and hardware names, the proper names
# of three mathematicians' objects, and the natural logarithm's symbol.
TERMS = {"one-hot", "top-k", "top-p", "NLL", "KL", "CPU", "GPU", "CUDA", "Frobenius", "Gumbel", "Potts", "ln"}
_PHRASES = re.compile("|".join(re.escape(term) for term in TERMS if "-" in term))


# Python's own text in an output: doctest's marker of an empty line, and an object's repr.
_PYTHON_TEXT = re.compile(r"<BLANKLINE>|<[\w.]+ object at 0x[0-9a-fA-F.]+>")


def english_words(text: str, allowed: set[str]) -> list[str]:
    """The words of `text` that are none of the allowed kinds (module docstring)."""
    found = []
    text = _PYTHON_TEXT.sub(" ", text)
    for word in _WORD.findall(_PHRASES.sub(" ", _TEX.sub(" ", text))):
        if word[0].isdigit() or word in TERMS or word in allowed or word in API or _BACKWARD.fullmatch(word):
            continue
        parts = [part for part in word.split("_") if part]
        if parts and all(part in allowed or part in API or _SYMBOL.fullmatch(part) for part in parts):
            continue
        found.append(word)
    return found


def _code_names(block_text: str, language: str) -> set[str]:
    code = block_text
    if language == "pycon":
        code = "".join(example.source for example in doctest.DocTestParser().get_examples(block_text))
    names = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.NAME:
                names.add(token.string)
            elif token.type == tokenize.STRING and re.fullmatch(r"""(['"])[A-Za-z_][A-Za-z0-9_]*\1""", token.string):
                names.add(token.string[1:-1])  # a name the code writes as a string: "passed"
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    import keyword

    return names - (set(keyword.kwlist) - {"True", "False", "None"})


_WARNING = re.compile(r"(?:%s): " % "|".join(
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, Warning)))


def _outputs(block_text: str) -> list[str]:
    """The output lines of a session that the project wrote (module docstring)."""
    lines = []
    for example in doctest.DocTestParser().get_examples(block_text):
        if ".message" in example.source:
            continue  # a caught warning's message, quoted
        for line in example.want.splitlines():
            if line.startswith("Traceback (most recent call last):"):
                break
            if _WARNING.match(line):
                continue  # a caught warning, printed with its category: PyTorch's text
            lines.append(line)
    return lines


def violations(site: Path) -> list[str]:
    """Every English word of the zh pages' code blocks and of the figures, one line each."""
    found = []
    for html_file in sorted((site / "zh").rglob("index.html")):
        if html_file.parent.name == "explore":
            continue  # the notebook: its own edition and test
        page = html_file.relative_to(site).parent.as_posix()
        blocks = [b for b in code_blocks(html_file.read_text("utf-8")) if b.language in ("python", "pycon", "py", "python3")]
        allowed = set().union(*(_code_names(b.text, b.language if b.language == "pycon" else "python") for b in blocks)) if blocks else set()
        for number, block in enumerate(blocks, 1):
            language = "pycon" if block.language == "pycon" else "python"
            lines = block.text.split("\n")
            for prose in prose_of(block.text, language):
                if words := english_words(prose.text, allowed):
                    found.append(f"{page}: code block {number}, line {prose.line + 1}, {prose.kind} {prose.text!r}: {', '.join(words)}")
            if language == "pycon":
                for line in _outputs(block.text):
                    if words := english_words(line, allowed):
                        where = next((i + 1 for i, l in enumerate(lines) if l == line), "?")
                        found.append(f"{page}: code block {number}, line {where}, output {line!r}: {', '.join(words)}")
    for svg in sorted((site / "figures").glob("*.svg")):
        for text in re.findall(r"<!-- (.*?) -->", svg.read_text("utf-8")):
            if words := english_words(text, set()):
                found.append(f"figures/{svg.name}: text {text!r}: {', '.join(words)}")
    return found


def test_no_english_in_the_examples_and_figures_of_zh_pages(built_site):
    found = violations(built_site)
    assert not found, f"{len(found)} English words a Chinese reader would see:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "text, english",
    [
        ("largest distance from 1/3: 1.9e-05", ["largest", "distance", "from"]),
        ("gap=1.9e-05 k=3 J_k p_i r0 tensor([nan, inf], dtype=torch.float16)", []),
        ("pass  1: tensor([0.3333])", ["pass"]),
        ("<SoftmaxBackward0> True None", []),
        (r"$\max_i\,|p_i - 1/n|$", []),
    ],
)
def test_the_word_check_tells_english_from_symbols(text, english):
    assert english_words(text, {"gap", "k"}) == english


def _snippet_prose():
    """Every comment and docstring of the snippets, with the file and line that wrote it."""
    fence = re.compile(r"^```\{?\.?(pycon|python|py|python3)\b[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
    for path in sorted((ROOT / "snippets").glob("*.md")):
        text = path.read_text("utf-8")
        for match in fence.finditer(text):
            first = text[: match.start(2)].count("\n") + 1
            language = "pycon" if match.group(1) == "pycon" else "python"
            for prose in prose_of(match.group(2), language):
                yield f"snippets/{path.name}:{first + prose.line}", prose


def test_every_comment_has_its_chinese_text_and_every_entry_is_used():
    table = load_table(ROOT)
    used, missing = set(), []
    for where, prose in _snippet_prose():
        used.add(prose.key)
        if prose.key not in table:
            missing.append(f"{where}: {prose.text!r}")
    assert not missing, f"no Chinese text in {TABLE} for:\n" + "\n".join(missing)
    unused = sorted(set(table) - used)
    assert not unused, f"entries of {TABLE} that no example uses any more (remove them):\n" + "\n".join(unused)


def test_a_comment_missing_from_the_table_is_an_error_naming_its_line():
    with pytest.raises(TranslationError, match=r"line 2 of the block: '# not in the table' has no Chinese text"):
        translated(">>> x = 1\n>>> x  # not in the table\n1\n", "pycon", {})
    assert translated(">>> x  # one\n1\n", "pycon", {"one": "一"}) == ">>> x  # 一\n1\n"


def test_a_comment_without_its_chinese_text_fails_the_build_at_its_line(small_site, tmp_path):
    """On a small copy of the project (support.small_project), whose pages include the snippet in
    both editions and build cleanly (`small_site`)."""
    from support import SMALL_PAGES, build_site, small_project

    assert all('--8<-- "ten-passes.md"' in page for page in SMALL_PAGES.values())
    project = small_project(tmp_path / "project", SMALL_PAGES)
    snippet = project / "snippets" / "ten-passes.md"
    text = snippet.read_text("utf-8")
    assert ">>> import torch\n" in text
    snippet.write_text(text.replace(">>> import torch\n", ">>> import torch  # a comment nobody translated\n", 1), "utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0
    assert "snippets/ten-passes.md:2: '# a comment nobody translated'" in result.stderr, result.stderr[-2000:]
