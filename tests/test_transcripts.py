"""Every transcript checked as Python prints it, or refused at its line (tests/cases/transcripts/,
the inputs of the issue "Every transcript as Python prints it"; its README says what each did
before and must do now).

The pages run together, in one pytest process over one scratch site with the real site's
Markdown settings (each page is its own process there, so none changes another's verdict); each
test reads its page's part of the report. The inputs that rewrite a page or build the site run
on their own.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from support import SMALL_PAGES, Site, build_site, load_hook, once_per_session, small_project

CASES = Path(__file__).resolve().parent / "cases" / "transcripts"
PAGES = sorted(path.name for path in CASES.glob("*.md") if path.name != "README.md")


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    """Every input page run once on cpu, once per session (the xdist workers share it): each
    fence's result, and the run's report, which each test reads its page's part of."""

    def make(directory: Path) -> dict:
        site = Site.at(directory)
        shutil.copy(CASES / "hr04-session.txt", site.root / "snippets")
        (site.root / "docs").mkdir()
        for name in PAGES:  # byte for byte (Site.write dedents, which would empty a line of spaces)
            shutil.copy(CASES / name, site.root / "docs" / name)
        record = site.root / "run.json"
        result = site.run("--devices=cpu", "--continue-on-collection-errors", f"--fence-record={record}")
        results = {entry["id"]: entry["result"] for entry in json.loads(record.read_text())["entries"]}
        return {"results": results, "report": result.stdout.str()}

    _, done = once_per_session(tmp_path_factory, "transcripts", make)
    return SimpleNamespace(**done)


def outcomes(run, page: str) -> list[str]:
    """The page's fence results, in order."""
    return [result for fence, result in sorted(run.results.items(), key=lambda item: _number(item[0])) if fence.startswith(f"docs/{page}::")]


def _number(fence_id: str) -> int:
    return int(re.search(r"CodeFence#(\d+)", fence_id)[1])


def section(run, page: str) -> str:
    """What the report says about the page: its failures and its collection error."""
    parts = re.split(r"\n_{3,} (?:ERROR collecting )?(.*?) _{3,}\n", run.report)
    found = [
        text
        for heading, text in zip(parts[1::2], parts[2::2])
        if page in heading or text.lstrip().startswith(f"docs/{page}") or f"pytest 'docs/{page}::" in text
    ]
    return "\n".join(text.split("=" * 10)[0] for text in found)


def refusal(run, page: str) -> str:
    """The page's collection error: its first line."""
    match = re.search(rf"^(docs/{re.escape(page)}:\d+: .*)$", section(run, page), re.MULTILINE)
    assert match, f"{page} was not refused at a line:\n{section(run, page)}"
    return match[1]


# Outputs and tracebacks as Python prints them.


def test_a_chained_traceback_pasted_as_python_prints_it_passes(run):
    assert outcomes(run, "06-chained-traceback.md") == ["passed"]


def test_a_chain_shown_without_its_cause_fails_showing_the_missing_lines(run):
    assert outcomes(run, "06b-chained-traceback-fake-cause.md") == ["failed"]
    report = section(run, "06b-chained-traceback-fake-cause.md")
    assert "after docs/06b-chained-traceback-fake-cause.md:8\n    expected: (no line)\n    actual:   IndexError: Dimension out of range" in report
    assert "actual:   The above exception was the direct cause of the following exception:" in report


def test_an_exception_with_notes_is_compared_by_its_exception_line_and_notes(run):
    assert outcomes(run, "p02-note-full.md") == ["passed"]
    assert outcomes(run, "p24-syntax-error-note.md") == ["passed"]
    assert outcomes(run, "p03-note-only.md") == ["failed"]
    assert "after docs/p03-note-only.md:10\n    expected: (no line)\n    actual:   KeyError: 'x'" in section(run, "p03-note-only.md")


def test_output_printed_before_an_exception_is_checked(run):
    assert outcomes(run, "p16-printed-then-raised.md") == ["failed"]
    assert "after docs/p16-printed-then-raised.md:4\n    expected: (no line)\n    actual:   partial" in section(run, "p16-printed-then-raised.md")


def test_written_out_traceback_frames_are_refused_at_their_line(run):
    assert refusal(run, "p07-invented-frames.md").startswith(
        "docs/p07-invented-frames.md:7: a traceback frame is written out ('File \"/usr/lib/python3/torch/functional.py\", line 42, in sqrt');"
    )
    assert "write them as the one line '  ...'" in refusal(run, "p07-invented-frames.md")


def test_print_without_a_final_newline_passes_as_in_doctest(run):
    assert outcomes(run, "10-print-no-newline.md") == ["passed"]


def test_a_future_import_holds_for_the_rest_of_the_page(run):
    assert outcomes(run, "p05-future-two-fences.md") == ["passed", "passed"]


# What a python fence prints is never discarded; an assert that cannot fail fails.


def test_output_comments_in_a_python_fence_are_refused_at_their_line(run):
    assert refusal(run, "11-print-output-comments.md").startswith(
        "docs/11-print-output-comments.md:10: '#> tensor([0., 0., 1.])' is written as an output, which nothing checks in a python fence;"
    )


def test_a_python_fence_that_prints_fails_at_the_line_that_printed(site):
    text = (CASES / "11-print-output-comments.md").read_text("utf-8")
    site.write("docs/page.md", "\n".join(line.partition("  #>")[0] for line in text.split("\n") if not line.startswith("#>")))
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["docs/page.md:9: this python fence printed something, which the reader does not see and nothing checks (on cpu); show it as a pycon session*",
         "Printed:", "    tensor([0.3333, 0.3333, 0.3334])", "    tensor(2)", ">    9 | print(t)"]
    )


def test_an_assert_that_cannot_fail_fails_the_fence_at_its_line(run):
    assert outcomes(run, "21-hostile-tuple-assert.md") == ["failed"]
    assert "docs/21-hostile-tuple-assert.md:9: this fence raised SyntaxError: this assert can never fail (a non-empty tuple is always true)" in section(
        run, "21-hostile-tuple-assert.md"
    )


@pytest.mark.parametrize("test", ['"message"', "[t.sum() == 1]", 'f"t = {t}"', "lambda: False", "1"])
def test_every_assert_that_cannot_fail_is_refused(site, test):
    site.write("docs/page.md", f"# Page\n\n```python\nimport torch\nt = torch.ones(2)\nassert {test}\n```\n\n```pycon\n>>> assert {test}\n```\n")
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["docs/page.md:6: this fence raised SyntaxError: this assert can never fail*"])
    result.stdout.fnmatch_lines(["docs/page.md:10: this fence raised SyntaxError: this assert can never fail*"])


# Reports that show what differs, at the right line.


def test_colour_codes_are_shown_escaped_and_never_written_into_the_page(run, site):
    report = section(run, "08-ansi-colour.md")
    assert "\x1b" not in report
    assert "    actual:   '\\x1b[32mconverged\\x1b[0m to 1/n'\n    (column 1: expected nothing; actual U+001B ESCAPE, '[', '3', '2', 'm')" in report
    path = site.write("docs/page.md", (CASES / "08-ansi-colour.md").read_text("utf-8"))
    before = path.read_bytes()
    result = site.run("--update-outputs")
    assert result.ret != 0 and path.read_bytes() == before
    result.stdout.fnmatch_lines(["NOT UPDATED docs/page.md:4: the new output holds U+001B ESCAPE, which update never writes into a page*"])


def test_a_control_character_written_into_a_fence_is_refused_at_its_line(site):
    site.write("docs/page.md", "# Page\n\n```pycon\n>>> print('a')\n\x1b[32ma\n```\n")
    result = site.run("--devices=cpu")
    result.stdout.fnmatch_lines(["docs/page.md:5: this line holds U+001B ESCAPE, a control character that the page cannot show*"])


def test_invisible_and_decomposed_characters_are_named(run):
    report = section(run, "09-unicode.md")
    assert "docs/09-unicode.md:7 (the same text with its accents composed otherwise, Unicode NFC and NFD; shown escaped)" in report
    assert "expected: 'cafe\\u0301'" in report and "U+0301 COMBINING ACUTE ACCENT" in report
    assert "actual:   '均匀\\u200b分布'\n    (column 3: expected nothing; actual U+200B ZERO WIDTH SPACE)" in report
    assert "(column 2: expected U+0020 SPACE; actual U+2009 THIN SPACE)" in report
    assert "docs/09-unicode.md:4:" not in report  # x\u1d63 prints the character the page shows


def test_extra_lines_are_named_after_the_last_line_the_page_shows(run):
    report = section(run, "p27-report-after-lines.md")
    assert report.count("after docs/p27-report-after-lines.md:5\n") == 2
    assert "p27-report-after-lines.md:6" not in report


def test_a_listing_is_headed_by_the_file_whose_lines_it_shows(run):
    report = section(run, "04-snippet-in-fence-in-details.md")
    assert "snippets/hr04-session.txt, included in the fence opened at docs/04-snippet-in-fence-in-details.md:4:\n     1 | >>> import torch" in report


@pytest.mark.parametrize(
    ("page", "line", "listing"),
    [("07-top-level-await.md", 10, ">   10 | result = await passes(10)"), ("m-syntax-error-line.md", 5, ">    5 | y = (2,")],
)
def test_a_syntax_error_is_named_and_marked_at_its_line(run, page, line, listing):
    report = section(run, page)
    assert f"docs/{page}:{line}: this fence raised SyntaxError: " in report
    assert listing in report


# Prompts that run nothing.


@pytest.mark.parametrize("page", ["m-comment-after-blank.md", "p12-comment-prompt.md", "p13-bare-prompt.md"])
def test_a_prompt_with_only_a_comment_or_nothing_is_accepted(run, page):
    assert outcomes(run, page) == ["passed"]


def test_an_output_under_a_comment_prompt_is_refused_saying_what_it_is(run):
    assert refusal(run, "p14-comment-prompt-with-output.md") == (
        "docs/p14-comment-prompt-with-output.md:5: this line is an output under a prompt with nothing to run ('>>> # the answer', line 4), "
        "so doctest would never check it; put the output under the code that prints it, and a comment on that code's line or in the prose"
    )


# Pages read as MkDocs reads them.


def test_front_matter_is_stripped_as_mkdocs_strips_it(run):
    assert outcomes(run, "14-front-matter-fence.md") == ["failed"]
    assert "docs/14-front-matter-fence.md:12\n    expected: tensor([0., 0., 1.])" in section(run, "14-front-matter-fence.md")
    assert outcomes(run, "14b-front-matter-hides-a-fence.md") == ["failed"]
    assert "docs/14b-front-matter-hides-a-fence.md:17\n    expected: tensor([0., 0., 1.])" in section(run, "14b-front-matter-hides-a-fence.md")


def test_titles_and_line_numbers_are_read_as_pygments_renders_them(run):
    assert outcomes(run, "13-title-linenums-hl.md") == ["passed", "passed", "failed"]
    assert "docs/13-title-linenums-hl.md:16: this fence raised AssertionError: this block must run" in section(run, "13-title-linenums-hl.md")
    assert outcomes(run, "13b-notest-documented-form.md") == ["passed"]


def test_a_fence_after_an_html_line_is_refused_at_its_line(run):
    assert refusal(run, "17-fence-in-html-details.md").startswith(
        "docs/17-fence-in-html-details.md:14: MkDocs shows this as a code block, but the tests do not read it as a fence"
    )


def test_a_missing_snippet_is_named_at_the_line_that_includes_it(run):
    assert refusal(run, "18-deleted-snippet.md") == "docs/18-deleted-snippet.md:5: Snippet at path 'hr18-was-deleted.md' could not be found; this line includes it"


def test_a_whitespace_only_line_is_refused_at_its_line_saying_why(run):
    assert refusal(run, "m-whitespace-only-line.md") == (
        "docs/m-whitespace-only-line.md:5: MkDocs does not show this line of the block as the tests read it: "
        "this line holds only spaces, which MkDocs shows as an empty line: make it empty"
    )


def test_every_input_is_tested():
    tested = Path(__file__).read_text("utf-8")
    assert [name for name in PAGES if name not in tested] == []


# The build: the documented forms build, a refused page is an error at its line, never a traceback.


# The verification page as far as its hook is concerned: where the CUDA status goes.
VERIFICATION_PAGE = "# Verification\n\n<!-- cuda-status -->\n"


def test_the_documented_forms_build_and_the_reader_sees_what_runs(tmp_path):
    """On a small copy of the project (support.small_project) with pages of the inputs in its
    navigation, beside a home page and the verification page."""
    added = ["13-title-linenums-hl.md", "13b-notest-documented-form.md", "14b-front-matter-hides-a-fence.md"]
    pages = {**SMALL_PAGES, **{name: (CASES / name).read_text("utf-8") for name in added}, "verification.md": VERIFICATION_PAGE}
    project = small_project(tmp_path / "project", pages)
    config = project / "mkdocs.yml"
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    from documents.regions import code_blocks, page_fences

    for name in added:
        built = (tmp_path / "site" / name.removesuffix(".md") / "index.html").read_text("utf-8")
        shown = [block for block in code_blocks(built) if block.language in ("python", "pycon")]
        run_fences = [fence.content.strip("\n") for fence in page_fences(project / "docs" / name, str(config))]
        assert [b.text.strip("\n") for b in shown if not (b.title or "").startswith("Not run:")] == run_fences, name
    # The fence front matter used to hide is on the verification page, pending on CUDA.
    verification = (tmp_path / "site" / "verification" / "index.html").read_text("utf-8")
    assert "14b-front-matter-hides-a-fence.md::[CodeFence#1][line:11][cuda]" in verification


def test_a_page_the_tests_refuse_is_a_build_error_at_its_line(tmp_path):
    hook = load_hook("verification")
    site = Site.at(tmp_path)
    page = site.write("docs/page.md", (CASES / "17-fence-in-html-details.md").read_text("utf-8"))
    files = SimpleNamespace(documentation_pages=lambda: [SimpleNamespace(abs_src_path=str(page), src_uri="page.md")])
    config = SimpleNamespace(config_file_path=str(site.root / "mkdocs.yml"))
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match=r"page\.md:14: MkDocs shows this as a code block"):
        hook._current_cuda(config, files)


# Other members of the kinds above.


@pytest.mark.parametrize(
    ("code", "want", "shown", "note"),
    [
        ('print("p\\u0430ss")', "pass", "    actual:   'pаss'", "(column 2: expected 'a'; actual U+0430 CYRILLIC SMALL LETTER A)"),
        ('print("a\\rb")', "a", "    actual:   'a\\rb'", "(column 2: expected nothing; actual U+000D CARRIAGE RETURN, 'b')"),
        ('print("a\\x0cb")', "a", "    actual:   'a\\x0cb'", "(column 2: expected nothing; actual U+000C FORM FEED, 'b')"),
    ],
    ids=["look-alike-letter", "carriage-return", "form-feed"],
)
def test_a_look_alike_or_a_line_break_other_than_a_newline_is_named(site, code, want, shown, note):
    site.write("docs/page.md", f"# Page\n\n```pycon\n>>> {code}\n{want}\n```\n")
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["  docs/page.md:5 (shown escaped)", "    expected: *", shown, f"    {note}"])


def test_every_syntax_warning_of_a_fence_is_an_error_at_its_line(site):
    site.write("docs/page.md", "# Page\n\n```python\nx = 1\nassert x is 1\n```\n")
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['docs/page.md:5: this fence raised SyntaxError: "is" with a literal*'])


def test_the_code_a_session_defines_reads_back_as_it_was_compiled(site):
    """Compiled under the Markdown file, an example's code reads back from it without its
    prompts, as from doctest's own examples (inspect.getsource, a traceback's caret)."""
    site.write("snippets/defines.md", "```pycon\n>>> def g(x):\n...     return x * 2\n```\n")
    site.write(
        "docs/page.md",
        "# Page\n\n!!! note\n    ```pycon\n    >>> import inspect\n    >>> def f(x):\n    ...     return x + 1\n"
        "    >>> print(inspect.getsource(f), end='')\n    def f(x):\n        return x + 1\n    ```\n\n"
        '--8<-- "defines.md"\n\n```pycon\n>>> print(inspect.getsource(g), end="")\ndef g(x):\n    return x * 2\n```\n',
    )
    site.run("--devices=cpu").assert_outcomes(passed=3)


# Found by this round's own review (an adversarial reader of the harness).


def test_update_never_writes_what_would_change_how_the_page_reads(site):
    page = site.write(
        "docs/page.md",
        '# Page\n\n```pycon\n>>> print("```")\nx\n>>> print("--8<-- \\"other.md\\"")\ny\n'
        '>>> print("\\ue000")\nz\n>>> print("a\\ud800b")\nw\n>>> 1 + 1\n3\n```\n',
    )
    before = page.read_bytes()
    result = site.run("--update-outputs")
    assert result.ret != 0 and page.read_bytes() == before.replace(b">>> 1 + 1\n3\n", b">>> 1 + 1\n2\n")  # only the valid edit
    result.stdout.fnmatch_lines(["NOT UPDATED docs/page.md:4: a line of the new output would close the fence (```)*"])
    result.stdout.fnmatch_lines(["NOT UPDATED docs/page.md:6: the new output line '--8<-- \"other.md\"' would be read as an include*"])
    result.stdout.fnmatch_lines(["NOT UPDATED docs/page.md:8: the new output holds U+E000*"])
    result.stdout.fnmatch_lines(["NOT UPDATED docs/page.md:10: the new output holds U+D800*"])
    assert "INTERNALERROR" not in result.stdout.str()


def test_a_language_written_with_a_dot_is_read_as_superfences_reads_it(site):
    site.write("docs/page.md", "# Page\n\n```.pycon\n>>> 1 + 1\n3\n```\n")
    site.run("--devices=cpu").assert_outcomes(failed=1)
    site.write("docs/page.md", "# Page\n\n```.py3\nx = 1\n```\n")
    site.run("--devices=cpu").stdout.fnmatch_lines(["docs/page.md:3: ```py3 is highlighted as Python on the page but would never run*"])


def test_the_sites_own_refusal_is_never_an_output_a_session_can_expect(site):
    site.write(
        "docs/page.md",
        '# Page\n\n```pycon\n>>> x = 1\n>>> x is 1\nTraceback (most recent call last):\n  ...\nSyntaxError: "is" with a literal. Did you mean "=="?\n```\n',
    )
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['docs/page.md:5: this fence raised SyntaxError: "is" with a literal*(a SyntaxWarning, which the site*'])


@pytest.mark.parametrize(("want", "outcome"), [("", "failed"), ("hidden\n", "passed")])
def test_what_a_session_writes_to_stderr_shows_as_in_the_repl(site, want, outcome):
    site.write("docs/page.md", f"# Page\n\n```pycon\n>>> import sys\n>>> print('hidden', file=sys.stderr)\n{want}```\n")
    site.run("--devices=cpu").assert_outcomes(**{outcome: 1})


@pytest.mark.parametrize("test", ["(x > 0 for x in t)", "-1", "(1.5, -2)"])
def test_more_asserts_that_cannot_fail_are_refused(site, test):
    site.write("docs/page.md", f"# Page\n\n```python\nt = [1]\nassert {test}\n```\n")
    site.run("--devices=cpu").stdout.fnmatch_lines(["docs/page.md:5: this fence raised SyntaxError: *"])


def test_an_assert_with_a_starred_list_is_a_real_check(site):
    site.write("docs/page.md", '# Page\n\n```python\nitems = []\nassert [*items], "no items"\n```\n')
    site.run("--devices=cpu").stdout.fnmatch_lines(["docs/page.md:5: this fence raised AssertionError: no items*"])


def test_asserts_run_whatever_pythonoptimize_says(site, monkeypatch):
    monkeypatch.setenv("PYTHONOPTIMIZE", "1")  # for a pytest process started with it
    site.write("docs/page.md", '# Page\n\n```python\nassert 1 == 2, "wrong"\n```\n')
    site.run_isolated("--devices=cpu").assert_outcomes(failed=1)


def test_an_ellipsis_does_not_stand_for_a_chain_nor_a_group_for_its_sub_exceptions(site):
    site.write(
        "docs/page.md",
        "# Page\n\n```pycon\n>>> try:\n...     {}['k']\n... except KeyError:\n...     raise ValueError('bad')  # doctest: +ELLIPSIS\n"
        "Traceback (most recent call last):\n  ...\nValueError: bad\n```\n\n"
        "```pycon\n>>> raise ExceptionGroup('eg', [ValueError('a')])\nTraceback (most recent call last):\n  ...\nExceptionGroup: eg (1 sub-exception)\n```\n",
    )
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["docs/page.md:14: this fence raised ExceptionGroup: eg (1 sub-exception): an exception group, whose sub-exceptions*"])


def test_lines_an_ellipsis_accepts_are_not_reported_as_differing(site):
    site.write(
        "docs/page.md",
        "# Page\n\n```pycon\n>>> for k in range(3): print(object(), k)  # doctest: +ELLIPSIS\n"
        "<object object at 0x...> 0\n<object object at 0x...> 1\n<object object at 0x...> 3\n```\n",
    )
    result = site.run("--devices=cpu")
    result.stdout.fnmatch_lines(["Lines that differ:", "  docs/page.md:7", "    expected: <object object at 0x...> 3", "    actual:   <object object at 0x*> 2", ""])
    assert "docs/page.md:5\n" not in result.stdout.str() and "docs/page.md:6\n" not in result.stdout.str()


def test_a_fence_in_a_blockquote_runs_and_a_raw_html_block_is_no_concern(site):
    site.write("docs/page.md", "# Page\n\n> ```pycon\n> >>> 4 + 4\n> 8\n> ```\n\n<pre><code>ascii art</code></pre>\n")
    site.run("--devices=cpu").assert_outcomes(passed=1)


def test_a_notest_title_of_blanks_is_no_reason(site):
    site.write("docs/page.md", '# Page\n\n```{.python notest title=" "}\nx = 1\n```\n')
    site.run("--devices=cpu").stdout.fnmatch_lines(["docs/page.md:3: a `notest` fence shows the reader why it is not run*"])


def test_a_reserved_character_is_refused_at_its_line(site):
    site.write("docs/page.md", "# Page\n\nSome \ue000 prose.\n")
    site.run("--devices=cpu").stdout.fnmatch_lines(["docs/page.md:3: this line holds U+E000 or U+E001, which the include expander reserves*"])


@pytest.mark.parametrize(
    "patch",
    ["doctest._ellipsis_match = lambda want, got: True", "contextlib.redirect_stdout = contextlib.nullcontext"],
    ids=["doctest-ellipsis", "contextlib"],
)
def test_a_page_may_not_patch_what_captures_or_compares_its_output(site, patch):
    site.write(
        "docs/page.md",
        f"# Page\n\n```python\nimport contextlib, doctest\n{patch}\n```\n\n```pycon\n>>> 1 + 1  # doctest: +ELLIPSIS\n3...\n```\n",
    )
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["docs/page.md:3: this fence changes the code that checks the examples*"])


def test_a_missing_include_inside_an_include_is_named_at_its_own_line(site):
    site.write("snippets/outer.md", "Outer text.\n\n--8<-- \"gone.md\"\n")
    site.write("docs/page.md", '# Page\n\n--8<-- "outer.md"\n')
    site.run("--devices=cpu").stdout.fnmatch_lines(
        ["snippets/outer.md:3: Snippet at path 'gone.md' could not be found; this line includes it (included in docs/page.md)"]
    )
