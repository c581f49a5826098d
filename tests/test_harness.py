"""The fence runner's own tests: each runs a small Markdown fixture through pytest's pytester."""

from __future__ import annotations

import re
import textwrap

import pytest

SOFTMAX_OF_1_2 = """\
```pycon
>>> import torch
>>> torch.tensor([1., 2.]).softmax(dim=0)
tensor([{first}, {second}])
```
"""


def page(body: str, **values: str) -> str:
    """A page: a title line, a blank line, then `body` (dedented, and filled in with `values`)."""
    body = textwrap.dedent(body)
    return "# Page\n\n" + (body.format(**values) if values else body)


def test_correct_output_passes(site):
    site.write("docs/page.md", page(SOFTMAX_OF_1_2, first="0.2689", second="0.7311"))
    site.run("--devices=cpu").assert_outcomes(passed=1)


def test_wrong_digit_fails_naming_file_line_expected_and_actual(site):
    site.write("docs/page.md", page(SOFTMAX_OF_1_2, first="0.2689", second="0.7312"))
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "docs/page.md:5: this example printed something other than the page shows (on cpu)",
            "Expected:",
            "    tensor([0.2689, 0.7312])",
            "Got:",
            "    tensor([0.2689, 0.7311])",
        ]
    )


def test_missing_output_line_fails(site):
    site.write(
        "docs/page.md",
        page(
            """\
            ```pycon
            >>> for k in range(3):
            ...     print(k)
            0
            1
            ```
            """
        ),
    )
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["Got:", "    0", "    1", "    2"])


def test_extra_output_line_fails(site):
    site.write(
        "docs/page.md",
        page(
            """\
            ```pycon
            >>> print("only line")
            only line
            another line
            ```
            """
        ),
    )
    site.run("--devices=cpu").assert_outcomes(failed=1)


def test_expected_output_for_a_silent_example_fails(site):
    site.write(
        "docs/page.md",
        page(
            """\
            ```pycon
            >>> x = 1
            1
            ```
            """
        ),
    )
    site.run("--devices=cpu").assert_outcomes(failed=1)


def test_raising_python_fence_fails_and_names_its_line(site):
    site.write(
        "docs/page.md",
        page(
            """\
            Some prose.

            ```python
            values = [1, 2]
            assert sum(values) == 4, "the sum is wrong"
            ```
            """
        ),
    )
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "docs/page.md:7: this fence raised AssertionError: the sum is wrong (on cpu)",
            '  File "docs/page.md", line 7, in <module>',
        ]
    )


def test_raising_pycon_example_fails_and_names_its_line(site):
    site.write(
        "docs/page.md",
        page(
            """\
            ```pycon
            >>> import torch
            >>> torch.ones(2) @ torch.ones(3)
            tensor(2.)
            ```
            """
        ),
    )
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:5: this example raised an exception (on cpu)", "*RuntimeError*"])


def test_hanging_fence_times_out_naming_the_fence(site):
    site.write(
        "docs/page.md",
        page(
            """\
            ```python
            while True: pass
            ```
            """
        ),
    )
    result = site.run("--devices=cpu", "-o", "fence_timeout=1")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:4: Timeout (>1s): the fence ran longer than fence_timeout and was stopped (on cpu)"])


def test_missing_include_fails_the_run(site):
    site.write("docs/page.md", page('--8<-- "not-there.md"\n'))
    result = site.run("--devices=cpu")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["docs/page.md:3: Snippet at path 'not-there.md' could not be found; this line includes it"])


def test_missing_include_section_fails_the_run(site):
    site.write("snippets/part.md", "# nothing marked here\n")
    site.write("docs/page.md", page('--8<-- "part.md:absent"\n'))
    result = site.run("--devices=cpu")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*Snippet section 'absent' could not be located*"])


def test_included_fence_is_reported_at_the_snippet_line_with_the_including_page(site):
    site.write("snippets/example.md", "Intro line.\n\n" + SOFTMAX_OF_1_2.format(first="0.2689", second="0.7000"))
    site.write("docs/page.md", page('Before.\n\n--8<-- "example.md"\n'))
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*[[]CodeFence#1[]][[]snippets/example.md:3[]][[]cpu[]]*",
            "snippets/example.md:5: this example printed something other than the page shows"
            " (on cpu, included from docs/page.md:5)",
        ]
    )


def test_line_range_section_and_block_includes_run_what_they_select(site):
    # Outside the selected lines and section, every example would fail.
    site.write(
        "snippets/parts.md",
        """\
        ```pycon
        >>> 1 + 1
        3
        ```

        --8<-- [start:good]
        ```pycon
        >>> 2 + 2
        4
        ```
        --8<-- [end:good]

        ```pycon
        >>> 3 + 3
        6
        ```
        """,
    )
    site.write(
        "docs/page.md",
        page(
            """\
            --8<-- "parts.md:good"

            --8<-- "parts.md:13:16"

            -8<-
            parts.md:good
            -8<-
            """
        ),
    )
    result = site.run("--devices=cpu", "-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*[[]snippets/parts.md:7[]]*", "*[[]snippets/parts.md:13[]]*", "*[[]snippets/parts.md:7[]]*"])


def test_default_dtype_set_on_one_page_does_not_reach_the_next(site):
    site.write(
        "docs/a.md",
        page(
            """\
            ```pycon
            >>> import torch
            >>> torch.set_default_dtype(torch.float64)
            >>> torch.tensor([0.5]).dtype
            torch.float64
            ```
            """
        ),
    )
    site.write(
        "docs/b.md",
        page(
            """\
            ```pycon
            >>> import torch
            >>> torch.tensor([0.5]).dtype
            torch.float32
            ```
            """
        ),
    )
    result = site.run("--devices=cpu", "docs/a.md", "docs/b.md")
    result.assert_outcomes(passed=2)


def test_seed_is_fixed_per_page_whatever_ran_before(site):
    draw = """\
        ```pycon
        >>> import torch
        >>> torch.randint(1000, (4,))
        {values}
        ```
        """
    import torch

    values = repr(torch.randint(1000, (4,), generator=torch.Generator().manual_seed(0)))
    site.write("docs/a.md", page(draw, values=values) + "\n```pycon\n>>> _ = torch.rand(100)\n```\n")
    site.write("docs/b.md", page(draw, values=values))
    site.run("--devices=cpu").assert_outcomes(passed=3)


def test_fences_of_a_page_share_one_namespace_and_one_runs_alone(site):
    site.write(
        "docs/page.md",
        page(
            """\
            ```python
            def double(v):
                return 2 * helper(v)
            ```

            ```python
            def helper(v):
                return v + 1
            ```

            ```pycon
            >>> double(3)
            8
            ```
            """
        ),
    )
    site.run("--devices=cpu").assert_outcomes(passed=3)
    # Run alone, the last fence still sees what the fences above it defined.
    site.run("docs/page.md::[CodeFence#3][line:13][cpu]").assert_outcomes(passed=1)


def test_cuda_repr_matches_cpu_output_but_a_different_value_does_not(site):
    site.write(
        "docs/page.md",
        page(
            """\
            ```pycon
            >>> print("tensor([0.2689, 0.7311], device='cuda:0')")
            tensor([0.2689, 0.7311])
            ```

            ```pycon
            >>> print("tensor([0.2689, 0.7312], device='cuda:0')")
            tensor([0.2689, 0.7311])
            ```
            """
        ),
    )
    result = site.run("--devices=cpu")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*docs/page.md:9: this example printed something other than the page shows*"])


def test_cuda_items_are_skipped_not_passed_without_a_gpu(site, monkeypatch):
    site.write("docs/page.md", page(SOFTMAX_OF_1_2, first="0.2689", second="0.7311"))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # hide any GPU from the run (a process of its own)
    result = site.run_isolated("-v")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*[[]cpu[]] PASSED*",
            "*[[]cuda[]] SKIPPED*",
            "*fences per device*",
            "cpu, fences: 1 passed",
            "cuda, fences: 1 skipped",
            "*short test summary info*",
            "SKIPPED [[]1[]] docs/page.md: cuda: no CUDA device (torch.cuda.is_available() is False)*",
        ]
    )


def test_asking_for_cuda_without_a_gpu_is_an_error(site, monkeypatch):
    site.write("docs/page.md", page(SOFTMAX_OF_1_2, first="0.2689", second="0.7311"))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # for a process of its own
    result = site.run_isolated("--devices=cuda")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--devices asks for cuda, but there is no CUDA device*"])


def test_pycon_fences_in_admonitions_tabs_and_lists_are_collected_and_checked(site):
    site.write(
        "docs/page.md",
        page(
            """\
            !!! note "In an admonition"

                ```pycon
                >>> 1 + 1
                2
                ```

            ??? tip "In a collapsible block"

                ```pycon
                >>> 2 + 2
                4
                ```

            === "In a content tab"

                ```pycon
                >>> 3 + 3
                7
                ```

            1. In a list item:

                ```pycon
                >>> 4 + 4
                8
                ```
            """
        ),
    )
    result = site.run("--devices=cpu", "-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*[[]CodeFence#1[]][[]line:5[]][[]cpu[]] PASSED*",
            "*[[]CodeFence#2[]][[]line:12[]][[]cpu[]] PASSED*",
            "*[[]CodeFence#3[]][[]line:19[]][[]cpu[]] FAILED*",
            "*[[]CodeFence#4[]][[]line:26[]][[]cpu[]] PASSED*",
        ]
    )


def test_notest_fence_with_its_reason_is_shown_and_not_run(site):
    site.write("docs/page.md", page('```{.python notest title="Not run: it ends the process"}\nraise SystemExit("shown, never run")\n```\n'))
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_notest_fence_without_a_reason_is_refused(site):
    site.write("docs/page.md", page("```{.python notest}\nraise SystemExit('shown, never run')\n```\n"))
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["docs/page.md:3: a `notest` fence shows the reader why it is not run*"])


def test_options_outside_braces_are_refused_as_mkdocs_shows_them_as_text(site):
    site.write("docs/page.md", page("```python skip\nx = 1\n```\n"))
    result = site.run("--devices=cpu")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert "docs/page.md:3: MkDocs does not show this block as the tests read it: pymdownx.superfences renders ```python skip as text; options go in braces, ```{.python skip}" in result.stdout.str()


@pytest.mark.parametrize("option", ["continuation", "retry:2", "fixture:capsys", "runner:Mine"])
def test_options_that_would_hide_problems_are_refused(site, option):
    site.write("docs/page.md", page(f"```python {option}\nx = 1\n```\n"))
    result = site.run("--devices=cpu")
    assert result.ret != 0
    result.stdout.fnmatch_lines([f"*fence option '{option}' is not used on this site*"])


def test_a_fence_raising_type_error_runs_once(site):
    # pytest-markdown-docs retries a runner that raises TypeError; ours must not run a fence twice.
    site.write(
        "docs/page.md",
        page(
            """\
            ```python
            import builtins
            builtins.fence_runs = getattr(builtins, "fence_runs", 0) + 1
            assert builtins.fence_runs == 1, f"ran {builtins.fence_runs} times"
            len(5)
            ```
            """
        ),
    )
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*this fence raised TypeError: object of type 'int' has no len()*"])


def test_with_xdist_loadgroup_each_pages_fences_run_in_one_worker(site):
    """`make test`'s `--dist loadgroup` (fences/groups.py: on pytest 9.2 pytest-xdist alone
    scatters a group's tests over the workers, and each worker ran the fences above its share)."""
    fences = "".join(f"```python\nx{n} = {n}\n```\n\n" for n in range(6))
    for name in ("a", "b", "c"):
        site.write(f"docs/{name}.md", page(fences))
    # A process of its own: the workers pytest-xdist starts are processes anyway.
    result = site.run_isolated("--devices=cpu", "-n", "2", "--dist", "loadgroup", "-v")
    result.assert_outcomes(passed=18)
    workers: dict[str, set[str]] = {}
    for line in result.stdout.lines:
        if found := re.match(r"\[(gw\d+)\] .*PASSED (docs/\w+\.md)::", line):
            workers.setdefault(found[2], set()).add(found[1])
    assert workers.keys() == {"docs/a.md", "docs/b.md", "docs/c.md"} and all(len(w) == 1 for w in workers.values()), workers


def test_every_fence_has_a_timeout_by_default():
    import configparser

    from support import ROOT

    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini")
    assert 0 < float(ini["pytest"]["fence_timeout"]) <= 120


EDITIONS = """\
plugins:
  - i18n:
      languages:
        - locale: en
          default: true
        - locale: zh
"""


def editions_site(site, original: str, translation: str):
    """The tiny site in two editions (its page, page.md, and the translation, page.zh.md), with
    the snippets a.md and b.md to include: a run of it on cpu."""
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins: []\n", EDITIONS))
    site.write("snippets/a.md", "```pycon\n>>> 1 + 1\n2\n```\n")
    site.write("snippets/b.md", "```pycon\n>>> 2 + 2\n4\n```\n")
    site.write("docs/page.md", original)
    site.write("docs/page.zh.md", translation)
    return site.run("--devices=cpu", "-v")


@pytest.mark.parametrize(
    "translation, problem",
    [
        ('# 页面\n\n--8<-- "a.md"\n\n--8<-- "b.md"\n', None),
        ('# 页面\n\n--8<-- "b.md"\n\n--8<-- "a.md"\n', "the editions include different snippets, or in another order:"),
        ('# 页面\n\n--8<-- "a.md"\n', "docs/page.md shows 2 examples, docs/page.zh.md 1"),
        ('# 页面\n\n--8<-- "a.md"\n\n```pycon\n>>> 2 + 2\n4\n```\n', "docs/page.zh.md:5: this example is written in the page itself*"),
    ],
    ids=["same", "order", "missing", "written-in-the-page"],
)
def test_a_translation_must_show_its_originals_examples(site, translation, problem):
    result = editions_site(site, '# Page\n\n--8<-- "a.md"\n\n--8<-- "b.md"\n', translation)
    if problem is None:
        result.assert_outcomes(passed=3)
        return
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*docs/page.zh.md::[[]same examples as docs/page.md[]] FAILED*"])
    result.stdout.fnmatch_lines(["docs/page.zh.md: the examples differ from its original's", problem.replace("[", "[[]")], consecutive=False)


@pytest.mark.parametrize(
    "translation, problem",
    [
        ('# 页面\n\n--8<-- "a.md"\n\n--8<-- "missing.md"\n', "docs/page.zh.md:5:*missing.md*"),
        ('# 页面\n\n--8<-- "a.md"\n\n```pycon\n>>> 2 + 2\n', "docs/page.zh.md:5: this fence is never closed*"),
    ],
    ids=["missing-snippet", "unclosed-fence"],
)
def test_a_translation_that_cannot_be_read_fails_its_own_item_only(site, translation, problem):
    """The collector reads a translation ahead (while the page server starts), but what it
    cannot read is the translation's item's failure, not a collection error that would stop
    the run before the original's examples ran."""
    result = editions_site(site, '# Page\n\n--8<-- "a.md"\n', translation)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*docs/page.zh.md::[[]same examples as docs/page.md[]] FAILED*"])
    result.stdout.fnmatch_lines([problem])
