"""Update mode (`--update-outputs`) rewrites expected outputs in place, and nothing else."""

from __future__ import annotations

import os
import subprocess

import pytest

from fences import update

CORRECT = """\
# Softmax of two values

Some prose before the example.

```pycon
>>> import torch
>>> torch.tensor([1., 2.]).softmax(dim=0)
tensor([0.2689, 0.7311])
>>> for k in range(3):
...     print(k)
0
1
2
```

Prose after it.
"""


def write_bytes(site, relative: str, text: str, newline: str = "\n") -> None:
    path = site.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))


@pytest.mark.parametrize(
    "broken",
    [
        CORRECT.replace("0.7311", "0.7312"),  # a changed digit
        CORRECT.replace("1\n2\n", "1\n"),  # an output line missing
        CORRECT.replace("1\n2\n", "1\n2\n3\n"),  # an output line too many
        CORRECT.replace("tensor([0.2689, 0.7311])\n", ""),  # the whole output missing
    ],
    ids=["digit", "missing-line", "extra-line", "missing-output"],
)
def test_update_restores_the_page_byte_for_byte(site, broken):
    write_bytes(site, "docs/page.md", broken)
    site.run("--devices=cpu").assert_outcomes(failed=1)
    result = site.run("--update-outputs")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*updated outputs*", "rewrote docs/page.md:*"])
    assert (site.root / "docs/page.md").read_bytes() == CORRECT.encode()
    site.run("--devices=cpu").assert_outcomes(passed=1)


def test_update_on_a_green_tree_writes_nothing(site):
    write_bytes(site, "docs/page.md", CORRECT)
    page = site.root / "docs/page.md"
    before = page.stat().st_mtime_ns
    result = site.run("--update-outputs")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["every output already matches; nothing was written"])
    assert page.read_bytes() == CORRECT.encode() and page.stat().st_mtime_ns == before


def test_update_is_idempotent(site):
    write_bytes(site, "docs/page.md", CORRECT.replace("0.7311", "0.9"))
    site.run("--update-outputs")
    once = (site.root / "docs/page.md").read_bytes()
    site.run("--update-outputs").stdout.fnmatch_lines(["every output already matches; nothing was written"])
    assert (site.root / "docs/page.md").read_bytes() == once == CORRECT.encode()


def test_update_rewrites_the_snippet_not_the_pages_that_include_it(site):
    fence = CORRECT[CORRECT.index("```pycon") : CORRECT.index("Prose after")]
    write_bytes(site, "snippets/example.md", fence.replace("0.7311", "0.6"))
    for name in ("one", "two"):  # two pages include it: the snippet is rewritten once
        write_bytes(site, f"docs/{name}.md", f"# {name}\n\n--8<-- \"example.md\"\n")
    site.run("--devices=cpu").assert_outcomes(failed=2)
    result = site.run("--update-outputs")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["rewrote snippets/example.md:4"])
    assert (site.root / "snippets/example.md").read_text() == fence
    assert (site.root / "docs/one.md").read_text() == '# one\n\n--8<-- "example.md"\n'
    site.run("--devices=cpu").assert_outcomes(passed=2)


def test_update_keeps_the_indentation_of_admonitions_and_content_tabs(site):
    correct = """\
        # Page

        !!! note "Inside an admonition"

            ```pycon
            >>> print("a\\n\\nb")
            a
            <BLANKLINE>
            b
            ```

        === "Inside a content tab"

            ```pycon
            >>> 6 * 7
            42
            ```
        """
    import textwrap

    correct = textwrap.dedent(correct)
    write_bytes(site, "docs/page.md", correct.replace("    42\n", "    41\n").replace("    b\n", "    c\n"))
    site.run("--update-outputs")
    assert (site.root / "docs/page.md").read_text() == correct


def test_update_keeps_crlf_line_endings_and_a_missing_final_newline(site):
    text = CORRECT.rstrip("\n")  # no newline at the end of the file
    write_bytes(site, "docs/page.md", text.replace("0.7311", "0.1"), newline="\r\n")
    site.run("--update-outputs")
    assert (site.root / "docs/page.md").read_bytes() == text.replace("\n", "\r\n").encode()


def test_update_keeps_a_chinese_page_intact(site):
    chinese = CORRECT.replace("# Softmax of two values", "# 两个值的 softmax").replace(
        "Some prose before the example.", "反复应用 softmax 会收敛到均匀分布。"
    )
    write_bytes(site, "docs/page.zh.md", "\ufeff" + chinese.replace("0.2689", "0.5"))  # with a byte-order mark
    site.run("--update-outputs")
    assert (site.root / "docs/page.zh.md").read_bytes() == ("\ufeff" + chinese).encode("utf-8")


def test_update_refuses_an_example_whose_code_raises_and_updates_those_above_it(site):
    broken = CORRECT.replace("0.7311", "0.6").replace(">>> for k in range(3):", ">>> for k in range(undefined):")
    write_bytes(site, "docs/page.md", broken + "\n```pycon\n>>> print(1)\n1\n```\n")
    result = site.run("--update-outputs")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["Not updated:", "  docs/page.md:9: the example raises NameError*", "NOT UPDATED docs/page.md:9: the example raises NameError*"]
    )
    assert "every output already matches" not in result.stdout.str()
    assert (site.root / "docs/page.md").read_text() == broken.replace("0.6", "0.7311") + "\n```pycon\n>>> print(1)\n1\n```\n"


def test_update_refuses_what_follows_an_example_that_raises(site):
    text = "# Page\n\n```pycon\n>>> x = undefined\n>>> print(2)\n3\n```\n"
    write_bytes(site, "docs/page.md", text)
    result = site.run("--update-outputs")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["NOT UPDATED docs/page.md:5: an example above it raised; fix that one first"])
    assert (site.root / "docs/page.md").read_text() == text


def test_update_works_only_on_cpu(site):
    write_bytes(site, "docs/page.md", CORRECT)
    result = site.run("--update-outputs", "--devices=cpu,cuda")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_an_interrupted_write_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_text("a\nold\nb\n")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        update.apply([update.Edit(page, 2, 3, ("new",))])
    assert page.read_text() == "a\nold\nb\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temporary file left behind


def test_changed_digit_fails_once_per_page_then_update_restores_it_and_git_sees_no_change(site):
    """The contributor's loop, end to end, on a snippet included by two pages."""
    fence = CORRECT[CORRECT.index("```pycon") : CORRECT.index("Prose after")]
    write_bytes(site, "snippets/example.md", "Intro.\n\n" + fence)
    for name in ("one", "two"):
        write_bytes(site, f"docs/{name}.md", f"# {name}\n\n--8<-- \"example.md\"\n")
    git = lambda *args: subprocess.run(["git", *args], cwd=site.root, check=True, capture_output=True, text=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "site", "--allow-empty")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "pages")

    snippet = site.root / "snippets/example.md"
    snippet.write_text(snippet.read_text().replace("0.7311", "0.7312"))
    result = site.run("--devices=cpu")
    result.assert_outcomes(failed=2)  # one per page that includes it
    for name in ("one", "two"):
        result.stdout.fnmatch_lines(
            [
                f"snippets/example.md:5: this example printed something other than the page shows (on cpu, included from docs/{name}.md:3)",
                "Lines that differ:",
                "  snippets/example.md:6",
                "    expected: tensor([0.2689, 0.7312])",
                "    actual:   tensor([0.2689, 0.7311])",
                "If the new output is right, write it into the page: make update-outputs",
            ]
        )
    assert site.run("--update-outputs").ret == 0
    site.run("--devices=cpu").assert_outcomes(passed=2)
    assert git("diff", "--stat").stdout == ""  # the tracked files are exactly as committed
