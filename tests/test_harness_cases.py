"""The harness on the transcripts contributors really paste (tests/cases/harness/, one file per
input of the issue "Harness v2"): each is handled, or refused naming its file and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import stdlib_doctest
from support import ROOT, build_site

CASES = Path(__file__).resolve().parent / "cases" / "harness"


def write_case(site, name: str, to: str = "docs/page.md", changes: tuple[tuple[str, str], ...] = ()) -> Path:
    text = (CASES / name).read_text("utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return site.write(to, text)


def differs_then_updates(site, path: Path, line: int, expected: str, actual: str, ending: str) -> None:
    """The run fails naming `line` with the two values, update mode fixes just that, and the
    page then passes."""
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["Lines that differ:", f"  docs/page.md:{line}", f"    expected: {expected}", f"    actual:   {actual}"])
    assert site.run("--update-outputs").ret == 0
    assert path.read_text().endswith(ending)
    site.run("--devices=cpu").assert_outcomes(passed=1)


def unchanged_after_update(site, path: Path) -> pytest.RunResult:
    before = path.read_bytes()
    result = site.run("--update-outputs")
    assert result.ret != 0
    assert path.read_bytes() == before
    return result


# 1. A blank line inside an output is written <BLANKLINE>, as doctest writes it.


def test_a_real_blank_line_inside_an_output_is_refused_naming_the_line(site):
    path = write_case(site, "01-blank-line-output.md")
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert "docs/page.md:10: this line belongs to no example: 'p[1] = 0.7312'; " in result.stdout.str()
    assert "write a blank line inside an output as <BLANKLINE>" in result.stdout.str()
    unchanged_after_update(site, path)


def test_blankline_output_is_checked_and_updated_line_by_line(site):
    path = write_case(site, "01-blank-line-output.md", changes=(("0.2689\n\np[1]", "0.2689\n<BLANKLINE>\np[1]"),))
    differs_then_updates(site, path, 10, "p[1] = 0.7312", "p[1] = 0.7311", "p[0] = 0.2689\n<BLANKLINE>\np[1] = 0.7311\n```\n")


# 2. Every line of a pycon fence belongs to an example.


def test_text_after_a_blank_line_in_a_session_is_refused(site):
    path = write_case(site, "02-text-after-blank.md")
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert "docs/page.md:9: this line belongs to no example: 'tensor([0.9999, 0.0001])'; " in result.stdout.str()
    unchanged_after_update(site, path)


def test_text_before_the_first_example_is_refused(site):
    site.write("docs/page.md", "# Page\n\n```pycon\nSome words\n>>> 1 + 1\n2\n```\n")
    result = site.run("--devices=cpu")
    result.stdout.fnmatch_lines(["docs/page.md:4: this line belongs to no example: 'Some words'; *"])


# 3. Doctest directives: +ELLIPSIS only.


@pytest.mark.parametrize(
    "line, directive",
    [(5, "+SKIP"), (7, "+NORMALIZE_WHITESPACE")],
)
def test_directives_other_than_ellipsis_are_refused(site, line, directive):
    text = (CASES / "03-directives.md").read_text()
    if directive != "+SKIP":
        text = text.replace("  # doctest: +SKIP", "").replace("0.5\n", "0.3333333333333333\n")
    site.write("docs/page.md", text)
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines([f"docs/page.md:{line}: the doctest directive {directive} is not used on this site*"])


def test_ellipsis_stands_for_what_differs_from_run_to_run(site):
    site.write("docs/page.md", "# Page\n\n```pycon\n>>> object()  # doctest: +ELLIPSIS\n<object object at 0x...>\n```\n")
    site.run("--devices=cpu").assert_outcomes(passed=1)
    site.write("docs/page.md", "# Page\n\n```pycon\n>>> object()  # doctest: +ELLIPSIS\n<list object at 0x...>\n```\n")
    site.run("--devices=cpu").assert_outcomes(failed=1)


# 4. `notest` in the syntax that MkDocs renders.


def test_notest_written_without_braces_is_refused_with_the_form_that_renders(site):
    write_case(site, "04-notest.md")
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(['docs/page.md:6: a `notest` fence shows the reader why it is not run: write it as ```{.python notest title="Not run: <why>"}'])


def test_notest_in_braces_builds_with_its_reason_and_the_next_fence_intact(site, tmp_path):
    write_case(site, "04-notest.md", changes=(("```python notest", '```{.python notest title="Not run: it needs a GPU cluster"}'),))
    site.run("--devices=cpu").assert_outcomes(passed=1)
    built = build_site(site.root, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "site" / "page" / "index.html").read_text()
    assert '<span class="filename">Not run: it needs a GPU cluster</span>' in html
    assert html.count("<code>") >= 2 and "```pycon" not in html


# 5. An unclosed fence, in the tests and in the build.


def test_an_unclosed_fence_in_a_snippet_fails_naming_the_snippet_line(site, tmp_path):
    site.write("snippets/unclosed.md", (CASES / "05-unclosed-snippet.md").read_text())
    site.write("docs/page.md", '# Page\n\n--8<-- "unclosed.md"\n\nSome prose.\n\n```python\nraise RuntimeError("never run")\n```\n')
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["snippets/unclosed.md:2: this fence is not closed in the file that opens it*"])
    built = build_site(site.root, tmp_path / "site")
    assert built.returncode != 0
    assert "snippets/unclosed.md:2: this fence is not closed in the file that opens it" in built.stderr


def test_an_unclosed_fence_in_a_page_fails(site):
    site.write("docs/page.md", "# Page\n\n```pycon\n>>> 1 + 1\n2\n")
    result = site.run("--devices=cpu")
    result.stdout.fnmatch_lines(["docs/page.md:3: this fence is never closed*"])


# 6. What is highlighted as Python runs.


@pytest.mark.parametrize("spelling", ["py3", "Python", "PYCON", "python-console"])
def test_a_fence_highlighted_as_python_but_spelled_otherwise_is_refused(site, spelling):
    site.write("docs/page.md", f'# Page\n\n```{spelling}\nraise RuntimeError("never run")\n```\n')
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines([f"docs/page.md:3: ```{spelling} is highlighted as Python on the page but would never run*"])


def test_the_issue_page_with_two_spellings_names_the_first(site):
    write_case(site, "06-fence-spellings.md")
    site.run("--devices=cpu").stdout.fnmatch_lines(["docs/page.md:4: ```py3 is highlighted as Python*"])


# 7. A bare `...` line, as the REPL prints it.


def test_a_bare_continuation_line_keeps_line_numbers_exact_and_updates(site):
    path = write_case(site, "07-bare-continuation.md")
    differs_then_updates(site, path, 10, "1.5", "1.0", "...\n0.0\n0.5\n1.0\n```\n")


# 8. A summarised tensor; update changes only the lines that fail.


def test_a_summarised_tensor_and_the_example_before_it_are_both_updated(site):
    path = write_case(site, "08-summarised-tensor.md")
    before = path.read_text().splitlines()
    assert site.run("--update-outputs").ret == 0
    after = path.read_text().splitlines()
    changed = [number for number, (a, b) in enumerate(zip(before, after), 1) if a != b]
    assert changed == [7, 15] and len(before) == len(after)
    assert after[6] == "tensor([0.2689, 0.7311])" and after[14].endswith("0.0250, 0.0250, 0.0250]])")
    site.run("--devices=cpu").assert_outcomes(passed=1)


def test_only_the_example_that_would_not_read_back_is_refused(site):
    text = "# Page\n\n```pycon\n>>> print(2)\n3\n>>> print('...done')\nx\n```\n"
    path = site.write("docs/page.md", text)
    result = site.run("--update-outputs")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*NOT UPDATED docs/page.md:6: written into the page, the new output would*"])
    assert path.read_text() == text.replace(">>> print(2)\n3\n", ">>> print(2)\n2\n")


def test_update_keeps_passing_lines_rounded_as_contributing_allows(site):
    text = "# Page\n\n```pycon\n>>> for x in (0.09000000357627869, 2):\n...     print(x)\n0.0900\n3\n```\n"
    path = site.write("docs/page.md", text)
    assert site.run("--update-outputs").ret == 0
    assert path.read_text() == text.replace("0.0900\n3\n", "0.0900\n2\n")


# 9. An expected traceback, reported as Python shows it, the difference lined up.


def test_a_different_exception_message_is_lined_up_without_doctest_frames(site):
    write_case(site, "09-traceback.md")
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "docs/page.md:6: this example raised another exception than the page shows (on cpu)",
            "Lines that differ:",
            "  docs/page.md:9",
            "    expected: IndexError: Dimension out of range (expected to be in range of [[]-1, 0[]], but got 3)",
            "    actual:   IndexError: Dimension out of range (expected to be in range of [[]-1, 0[]], but got 2)",
            "Traceback (most recent call last):",
            '  File "docs/page.md", line 6, in <module>',
            "    torch.tensor([[]1., 2.[]]).softmax(dim=2)",  # the code as compiled, without its prompt
        ]
    )
    assert "doctest.py" not in result.stdout.str()


# 10. Invisible differences made visible.


def test_a_trailing_space_is_shown(site):
    write_case(site, "10-trailing-space.md")
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "  docs/page.md:6 (the two differ only in characters that print as blank; shown escaped)",
            "    expected: 'loss: 0.5'",
            "    actual:   'loss: 0.5 '",
        ]
    )


# 11. One rule for rounded outputs, and the cross-check says which examples it explains.


def test_a_rounded_output_passes_both_checks_and_the_cross_check_names_the_rule(site, tmp_path):
    write_case(site, "11-rounded-output.md")
    record = tmp_path / "cpu.json"
    site.run("--devices=cpu", f"--fence-record={record}").assert_outcomes(passed=1)
    suite = {entry["id"]: entry["result"] for entry in json.loads(record.read_text())["entries"]}
    stdlib = json.loads(
        subprocess.run(
            [sys.executable, str(ROOT / "tests" / "stdlib_doctest.py"), "docs/page.md"], cwd=site.root, capture_output=True, text=True, check=True
        ).stdout
    )
    errors, notes = stdlib_doctest.disagreements(suite, stdlib)
    assert errors == []
    assert len(notes) == 1 and notes[0].startswith("docs/page.md:6: plain doctest fails it, the harness passes it by the rounding rule")


def test_the_cross_check_names_a_pass_that_no_rule_explains(site):
    stdlib = {"docs/page.md": {"1": [{"line": "docs/page.md:6", "want": "0.3334\n", "got": "0.3333333432674408\n"}]}}
    errors, notes = stdlib_doctest.disagreements({"docs/page.md::[CodeFence#1][line:4][cpu]": "passed"}, stdlib)
    assert notes == [] and errors[0].startswith("docs/page.md:6: plain doctest fails it")


# 12. A warning is reported at the Markdown line; no unknown-mark warning without xdist.


def test_a_warning_names_the_markdown_line(site):
    write_case(site, "12-warning.md")
    result = site.run("--devices=cpu", "-p", "no:xdist")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*docs/page.md:6: UserWarning: Implicit dimension choice for softmax*"])
    assert "<doctest" not in result.stdout.str()
    assert "PytestUnknownMarkWarning" not in result.stdout.str()


def test_a_warning_from_an_included_python_fence_names_the_snippet_line(site):
    site.write("snippets/warns.md", '```python\nimport warnings\nwarnings.warn("from the snippet")\n```\n')
    site.write("docs/page.md", '# Page\n\nText.\n\n--8<-- "warns.md"\n')
    result = site.run("--devices=cpu", "-p", "no:xdist")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*snippets/warns.md:3: UserWarning: from the snippet*"])


def test_a_syntax_error_in_a_session_names_its_markdown_line(site):
    site.write("docs/page.md", "# Page\n\n```pycon\n>>> x = 1\n>>> y = (2\n```\n")
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:5: this example raised an exception (on cpu)", '  File "docs/page.md", line 5', "    y = (2", "*^", "SyntaxError: *"])


def test_a_tab_in_a_fence_is_refused_as_mkdocs_shows_spaces(site):
    site.write("docs/page.md", '# Page\n\n```python\nif True:\n\tx = 1\n```\n')
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["docs/page.md:5: MkDocs does not show this line of the block as the tests read it: MkDocs shows its tabs as spaces*"])


@pytest.mark.parametrize("invisible", ["\t", "\u00a0"], ids=["tab", "no-break-space"])
def test_other_invisible_differences_are_shown_escaped(site, invisible):
    site.write("docs/page.md", f'# Page\n\n```pycon\n>>> print("a" + chr({ord(invisible)}) + "b")\na b\n```\n')
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["    expected: 'a b'", f"    actual:   {ascii('a' + invisible + 'b')}"])
