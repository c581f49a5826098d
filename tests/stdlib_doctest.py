"""Run the pages' `pycon` fences with nothing but the standard library's doctest, on CPU.

An independent second opinion on the harness: includes are expanded the same way (that is what
the reader sees), but the fences run with doctest's own parser, runner and plain OutputChecker:
no normalisation, no harness code. `python` fences are executed so that later sessions see what
they define. Each page starts as the design says: seed 0, float32, default print options.

    python tests/stdlib_doctest.py docs/index.md ...   # prints {"docs/index.md": {"1": 0, ...}}

The output maps each page to {fence number: failed examples} for its `pycon` fences, numbered
like the harness numbers them (`[CodeFence#N]`).
"""

from __future__ import annotations

import doctest
import json
import random
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fences.includes import expand_page  # noqa: E402
from fences.parser import PYCON_LANGS, PYTHON_LANGS, fence_parser  # noqa: E402
from pytest_markdown_docs.plugin import parse_superfences_block_info  # noqa: E402

CONFIG = str(Path(__file__).resolve().parent.parent / "mkdocs.yml")


def run_page(page: Path) -> dict[str, int]:
    torch.manual_seed(0)
    random.seed(0)
    torch.set_default_dtype(torch.float32)
    torch.set_printoptions(profile="default")
    namespace: dict = {"__name__": "__main__"}
    failures: dict[str, int] = {}
    number = 0
    for token in fence_parser(route=False).parse(expand_page(page, CONFIG).text):
        if token.type != "fence":
            continue
        lang, *options = parse_superfences_block_info(token.info) or [""]
        if lang not in PYTHON_LANGS | PYCON_LANGS or "notest" in options:
            continue
        number += 1
        if lang in PYCON_LANGS:
            test = doctest.DocTestParser().get_doctest(token.content, {}, f"{page}#{number}", str(page), 0)
            test.globs = namespace
            runner = doctest.DocTestRunner(verbose=False)
            failures[str(number)] = runner.run(test, out=lambda text: None, clear_globs=False).failed
        else:
            exec(compile(token.content, str(page), "exec"), namespace)
    return failures


if __name__ == "__main__":
    json.dump({page: run_page(Path(page)) for page in sys.argv[1:]}, sys.stdout, indent=1)
