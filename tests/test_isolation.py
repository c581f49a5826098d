"""A page's verdict never depends on what ran before it (tests/cases/isolation/, the inputs of
the issue "The proof holds on any machine and in any order"): page B gives the same verdict,
with the same report, alone and after page A, and no page writes into the checkout."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from documents import start
from support import ROOT

CASES = Path(__file__).resolve().parent / "cases" / "isolation"


def add_case(site, name: str) -> str:
    site.write(f"docs/{name}", (CASES / name).read_text("utf-8"))
    return f"docs/{name}"


def verdicts(site, *pages: str) -> tuple[dict[str, str], str]:
    """Each fence's result on cpu when `pages` run in this order in one pytest process, and the
    report of the run."""
    record = site.root / "run.json"
    result = site.run("--devices=cpu", f"--fence-record={record}", *pages)
    entries = json.loads(record.read_text())["entries"]
    record.unlink()
    return {entry["id"]: entry["result"] for entry in entries}, result.stdout.str()


def report_of(page: str, report: str) -> str:
    """The failure sections of `page`'s fences, without pytest's timing line."""
    sections = re.split(r"\n_{5,} .* _{5,}\n", report.split("= FAILURES =")[-1])
    return "\n".join(s.split("Run this fence again")[0] for s in sections if s.lstrip().startswith(page))


def same_alone_and_after(site, first: str, second: str) -> tuple[dict[str, str], str]:
    """`second`'s verdict and report alone, which must be those it gets after `first`."""
    a, b = add_case(site, first), add_case(site, second)
    alone, alone_report = verdicts(site, b)
    after, after_report = verdicts(site, a, b)
    assert {i: r for i, r in after.items() if i.startswith(b)} == alone
    assert report_of(b, after_report) == report_of(b, alone_report)
    return alone, alone_report


def files_outside(site) -> set[str]:
    """The files in the project, apart from pytester's own record of each run's output."""
    return {str(p.relative_to(site.root)) for p in site.root.rglob("*") if p.is_file()} - {"stdout", "stderr"}


def test_flush_denormal_on_one_page_does_not_reach_the_next(site):
    results, report = same_alone_and_after(site, "16a-flush-denormal.md", "16b-subnormal.md")
    # The subnormal prints as itself: what fails is only the file that is not in a page's
    # scratch directory, at the line that opens it.
    assert "tensor(0.)" not in report_of("docs/16b-subnormal.md", report)
    assert "docs/16b-subnormal.md:7: this example raised an exception" in report
    assert "FileNotFoundError: [Errno 2] No such file or directory: 'mkdocs.yml'" in report
    assert list(results.values()) == ["failed"]


def test_a_page_that_changes_directory_changes_nothing_for_the_next(site):
    results, report = same_alone_and_after(site, "15b-changes-cwd.md", "16b-subnormal.md")
    after, after_report = verdicts(site, "docs/15b-changes-cwd.md", "docs/16b-subnormal.md")
    # Reports still name the page as the contributor typed it, not by an absolute path.
    assert "docs/15b-changes-cwd.md:10" in after_report and str(site.root) + "/docs" not in after_report.split("= FAILURES =")[-1]


def test_a_page_writes_files_in_a_scratch_directory_of_its_own(site):
    page = add_case(site, "15-writes-files.md")
    before = files_outside(site)
    for _ in range(2):  # the second run passes too: the log it appends to starts empty each time
        results, report = verdicts(site, page)
        assert set(results.values()) == {"passed"}, report
    assert files_outside(site) == before


def test_a_page_that_patches_the_checker_fails_and_fools_no_later_page(site):
    results, report = same_alone_and_after(site, "20-hostile-patch-checker.md", "20b-victim-page.md")
    assert list(results.values()) == ["failed"]
    hostile, hostile_report = verdicts(site, "docs/20-hostile-patch-checker.md")
    # It does not fool itself either: the fence that patches fails, naming what it replaced,
    # and its one-hot claim is checked by the real checker.
    assert list(hostile.values()) == ["failed", "failed"]
    assert "changes the code that checks the examples (doctest.OutputChecker.check_output)" in hostile_report
    assert "expected: tensor([0., 0., 1.])" in hostile_report and "actual:   tensor([0.0900, 0.2447, 0.6652])" in hostile_report


def test_underscore_from_one_page_is_not_defined_on_the_next(site):
    results, report = same_alone_and_after(site, "p21-underscore-a.md", "p22-underscore-b.md")
    assert set(results.values()) == {"passed"}, report


def test_the_stdlib_cross_check_runs_each_page_in_a_process_of_its_own(site):
    """Plain doctest, as a second opinion, is not fooled by a page that patches doctest either."""
    pages = [add_case(site, "20-hostile-patch-checker.md"), add_case(site, "20b-victim-page.md")]
    printed = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "stdlib_doctest.py"), *pages], cwd=site.root, capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(printed)
    assert [failure["want"] for failure in found["docs/20b-victim-page.md"]["1"]] == ["tensor([0., 0., 1.])\n"]


def test_the_starting_state_is_the_one_contributing_shows():
    for name in ("CONTRIBUTING.md", "CONTRIBUTING.zh.md"):
        assert f"```python\n{start.CODE}```" in (ROOT / name).read_text("utf-8"), f"{name} does not show documents/start.py's CODE"


def test_the_starting_state_defines_nothing_a_page_sees(site):
    site.write("docs/page.md", "# Page\n\n```pycon\n>>> 'torch' in dir(), 'random' in dir()\n(False, False)\n```\n")
    site.run("--devices=cpu").assert_outcomes(passed=1)


def test_a_page_starts_with_what_torch_imports_lazily_already_imported(site):
    """tests/fences/zygote.py imports torch._dynamo before it forks a page's child (an optimizer
    imports it at its first use): every page, alone or after others, starts with it imported."""
    site.write("docs/page.md", "# Page\n\n```pycon\n>>> import sys\n>>> 'torch._dynamo' in sys.modules\nTrue\n```\n")
    site.run("--devices=cpu").assert_outcomes(passed=1)


@pytest.mark.parametrize("changes", ["torch", "interpreter"])
def test_what_a_page_changes_is_not_seen_by_the_tests_after_it(site, changes):
    """pytest's own process never runs a page's code: a test after the page sees nothing of it."""
    code = {
        "torch": "import torch\ntorch.set_default_dtype(torch.float64)\ntorch.set_printoptions(precision=8)\n"
        "torch.set_grad_enabled(False)\ntorch.set_flush_denormal(True)\ntorch.set_num_threads(1)\n",
        "interpreter": "import os, sys, warnings\nos.environ['PAGE_WAS_HERE'] = '1'\nwarnings.simplefilter('error')\n"
        "sys.modules['json'].dumps = None\nos.chdir('/')\n",
    }[changes]
    site.write("docs/page.md", f"# Page\n\n```python\n{code}```\n")
    site.write(
        "tests/test_after.py",
        "import json, os, warnings, torch\n\n"
        "def test_after():\n"
        "    assert torch.get_default_dtype() == torch.float32 and torch.is_grad_enabled()\n"
        "    assert torch._tensor_str.PRINT_OPTS.precision == 4 and torch.tensor(1e-45).item() != 0\n"
        "    assert torch.get_num_threads() == THREADS\n"
        "    assert 'PAGE_WAS_HERE' not in os.environ and json.dumps(1) == '1'\n"
        "    assert os.getcwd() == CWD\n".replace("THREADS", str(_threads())).replace("CWD", repr(str(site.root))),
    )
    # In a process of its own: what is checked is pytest's process, which a page must not reach.
    site.run_isolated("--devices=cpu", "docs/page.md", "tests/test_after.py").assert_outcomes(passed=2)


def _threads() -> int:
    import torch

    return torch.get_num_threads()
