"""Run the pages' `pycon` fences with nothing but the standard library's doctest, on CPU.

An independent second opinion on the harness: the fences are the same (documents/regions.py:
what the reader sees), but they run with doctest's own parser, runner and plain OutputChecker:
no normalisation, no harness code. `python` fences are executed so that later sessions see what
they define. Each page runs in a process of its own, forked from this one (which imports torch
and what documents/start.py preloads, reads the pages, and runs nothing of theirs), in a scratch
directory, from the starting state of documents/start.py: no page can change doctest, torch or
anything else for another.

    python tests/stdlib_doctest.py docs/index.md ...

prints {"docs/index.md": {"1": [failure, ...], ...}}: each page's `pycon` fences, numbered as the
harness numbers them (`[CodeFence#N]`), each with the examples plain doctest fails, as
{"line": "docs/index.md:12", "want": ..., "got": ...}.

`disagreements` compares that with the harness's verdicts. The rule both apply is the one in
tests/fences/checker.py and CONTRIBUTING.md: plain doctest, plus a float written with fewer
digits than printed (rounded correctly) and the CUDA device suffix. So the two may disagree only
where that rule accepts what plain doctest does not, and each such example is named.
"""

from __future__ import annotations

import doctest
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

import torch  # noqa: F401  # once, in the process every page's process is forked from

sys.path.insert(0, str(Path(__file__).resolve().parent))
from documents import includes, start  # noqa: E402
from documents.regions import page_fences  # noqa: E402
from support import ROOT  # noqa: E402

CONFIG = str(ROOT / "mkdocs.yml")


class _Collecting(doctest.DocTestRunner):
    def __init__(self) -> None:
        super().__init__(verbose=False)
        self.found: list[tuple[doctest.Example, str]] = []

    def report_failure(self, out, test, example, got):
        self.found.append((example, got))

    def report_unexpected_exception(self, out, test, example, exc_info):
        self.found.append((example, "".join(doctest.traceback.format_exception_only(*exc_info[:2]))))


def run_pages(pages: list[Path], config: str = CONFIG) -> dict[str, dict[str, list[dict]]]:
    """Each page's failures, each page run in a fresh process forked from this one."""
    fences = {str(page): page_fences(page.resolve(), config) for page in pages}  # read here: an error names the page
    return {page: _forked(page_fences_) for page, page_fences_ in fences.items()}


def _forked(fences: list) -> dict[str, list[dict]]:
    """`run_page(fences)` in a child forked for it, in a scratch directory."""
    return in_child(lambda: run_page(fences), f"{fences[0].page.path if fences else 'a page'}")


def in_child(run, what: str):
    """What `run()` returns (as JSON), run in a child forked for it, in a scratch directory, paths
    shown from here. This process has run no tensor operation, so torch's thread pool survives
    the fork."""
    shown_from = os.getcwd()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_end)
            includes.show_paths_from(shown_from)
            with tempfile.TemporaryDirectory(prefix="stdlib-doctest-") as scratch:
                os.chdir(scratch)
                found = run()
            with os.fdopen(write_end, "w") as out:
                json.dump(found, out)
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as child:
        printed = child.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not printed:
        raise RuntimeError(f"{what}: its process ended with status {status} before reporting")
    return json.loads(printed)


def run_page(fences: list) -> dict[str, list[dict]]:
    """A page's `pycon` failures, its fences run from the starting state in this process."""
    start.apply()
    namespace: dict = {"__name__": "__main__"}
    failures: dict[str, list[dict]] = {}
    for fence in fences:
        page = fence.page.path
        if fence.kind == "python":
            exec(compile(fence.content, str(page), "exec"), namespace)
            continue
        test = doctest.DocTestParser().get_doctest(fence.content, {}, f"{page}#{fence.index + 1}", str(page), 0)
        test.globs = namespace
        runner = _Collecting()
        runner.run(test, out=lambda text: None, clear_globs=False)
        failures[str(fence.index + 1)] = [
            {"line": str(fence.page.origin(fence.first_line + example.lineno)), "want": example.want, "got": got}
            for example, got in runner.found
        ]
    return failures


def disagreements(suite: dict[str, str], stdlib: dict[str, dict[str, list[dict]]]) -> tuple[list[str], list[str]]:
    """Where the harness (`suite`: cpu fence id to result) and plain doctest disagree: the
    disagreements the rule cannot explain (errors), and the examples it explains (notes)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fences.checker import TorchOutputChecker

    errors, notes = [], []
    for page, fences in stdlib.items():
        for number, failed in fences.items():
            [fence_id] = [i for i in suite if i.startswith(f"{page}::[CodeFence#{number}]") and i.endswith("[cpu]")]
            if suite[fence_id] != "passed":
                if not failed:
                    errors.append(f"{fence_id}: the harness says {suite[fence_id]}, plain doctest passes it (see the harness's report)")
                continue
            for example in failed:
                if TorchOutputChecker().check_output(example["want"], example["got"], 0):
                    notes.append(
                        f"{example['line']}: plain doctest fails it, the harness passes it by the rounding rule "
                        f"(the page shows {example['want'].strip()!r}, Python prints {example['got'].strip()!r})"
                    )
                else:
                    errors.append(
                        f"{example['line']}: plain doctest fails it (expected {example['want']!r}, got {example['got']!r}) "
                        "and no rule of the harness accepts that, yet the harness passed the fence"
                    )
    return errors, notes


if __name__ == "__main__":
    start.preload()  # as the harness's page processes start (tests/fences/zygote.py)
    json.dump(run_pages([Path(page) for page in sys.argv[1:]]), sys.stdout, indent=1)
