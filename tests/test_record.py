"""What a record vouches for: each fence is matched by its key, what its result depends on (its
page's fences up to and including it), not by its position, so that the verification page
counts as verified exactly what ran as it is now. And the committed record's conversion from
format 1, re-run from the history.

Each edit is made to a copy of the site (`project_copy`) against a record of that copy as a run
would write it: every entry passed, under the key the run gives it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from documents import conversion, record
from documents.editions import originals
from documents.regions import Fence, page_fences
from support import ROOT, fixture_mkdocs

RECORD = "docs/cuda-record.json"
PINNED = record.pinned_torch(ROOT / "requirements.txt")
PAGE, OTHER = "docs/caveats.md", "docs/convergence.md"  # two pages with many fences each


def current(root: Path) -> dict[str, str]:
    """Everything the site at `root` shows that a run checks, by its id on cuda, to its key."""
    config_file = str(root / "mkdocs.yml")
    return record.current_keys(originals((root / "docs").rglob("*.md"), config_file), config_file, "cuda", root)


def as_run(keys: dict[str, str]) -> dict:
    """A record of a run in which everything in `keys` passed with the pinned torch."""
    return {"entries": [{"id": entry_id, "key": key, "result": "passed", "torch": PINNED} for entry_id, key in keys.items()]}


def fences(root: Path, page: str) -> list[Fence]:
    return page_fences(root / page, str(root / "mkdocs.yml"))


def ids(root: Path, page: str) -> list[str]:
    return [fence.fence_id("cuda", root) for fence in fences(root, page)]


def status_after(root: Path, edit) -> tuple[record.Status, dict[str, str]]:
    """The status of the site at `root` after `edit(root)`, against a run before it."""
    before = as_run(current(root))
    edit(root)
    now = current(root)
    return record.compare(before, now, PINNED), now


def edit_lines(path: Path, at: int, insert: list[str] = (), remove: int = 0) -> None:
    """Replace `remove` lines of `path` from its line `at` (0-based) by `insert`."""
    lines = path.read_text("utf-8").split("\n")
    lines[at : at + remove] = list(insert)
    path.write_text("\n".join(lines), "utf-8")


def only_on(root: Path, fence: Fence, page: str) -> None:
    """The fence's snippet is included by `page` alone among the originals, so that editing it
    edits that page only (a precondition, not what is tested)."""
    assert fence.origin.path.resolve().is_relative_to(root.resolve())  # the copy's, never the site's
    name = fence.origin.path.name
    config_file = str(root / "mkdocs.yml")
    users = [p for p in originals((root / "docs").rglob("*.md"), config_file) if f'"{name}"' in p.read_text("utf-8")]
    assert [p.relative_to(root).as_posix() for p in users] == [page], name


def test_a_fence_added_at_the_top_of_a_page_marks_that_page_pending_and_no_other(project_copy):
    def add_a_fence(root):
        lines = (root / PAGE).read_text("utf-8").split("\n")
        title = next(n for n, line in enumerate(lines) if line.startswith("# "))
        edit_lines(root / PAGE, title + 1, ["", "```python", "added_at_the_top = 1", "```"])

    status, now = status_after(project_copy, add_a_fence)
    on_page = ids(project_copy, PAGE)
    assert len(on_page) > 2 and set(on_page) <= set(now)
    assert status.pending == on_page  # the new fence and every one after it: all renumbered
    assert len(status.verified) == len(now) - len(on_page)


def test_prose_alone_marks_nothing_pending(project_copy):
    """A paragraph inserted on the page and one in a snippet above its fence: the fences below
    are renumbered by line (`[snippets/NAME.md:1]` becomes `:3`), and run the same code."""
    first, second, *_ = fences(project_copy, PAGE)
    only_on(project_copy, second, PAGE)

    def add_prose(root):
        edit_lines(second.origin.path, second.origin.line - 1, ["A paragraph added above the fence.", ""])
        page = root / PAGE
        edit_lines(page, len(page.read_text("utf-8").split("\n")) - 1, ["", "A paragraph added at the end.", ""])
        title = next(n for n, line in enumerate(page.read_text("utf-8").split("\n")) if line.startswith("# "))
        edit_lines(page, title + 1, ["", "A paragraph added below the title.", ""])

    status, now = status_after(project_copy, add_prose)
    assert ids(project_copy, PAGE)[1] != second.fence_id("cuda", project_copy)  # renumbered by line
    assert status.pending == [] and len(status.verified) == len(now)


def test_a_changed_fence_marks_it_and_the_fences_below_it_on_its_page_pending(project_copy):
    on_page = fences(project_copy, PAGE)
    k = 3  # the third fence: two above it, many below
    changed = on_page[k - 1]
    only_on(project_copy, changed, PAGE)
    line = "pass  # changed" if changed.kind == "python" else ">>> pass  # changed"

    status, now = status_after(project_copy, lambda root: edit_lines(changed.origin.path, changed.origin.line, [line]))
    page_ids = ids(project_copy, PAGE)
    assert status.pending == page_ids[k - 1 :]  # #3 and every one after it
    assert set(page_ids[: k - 1]) <= set(status.verified)  # #1 and #2 ran on what they run on now
    assert len(status.verified) == len(now) - len(page_ids) + k - 1


def test_a_fence_removed_on_another_page_leaves_the_first_page_verified(project_copy):
    other = fences(project_copy, OTHER)
    k = 4
    removed = other[k - 1]
    only_on(project_copy, removed, OTHER)
    length = removed.content.count("\n") + 2  # its lines, and the two fence lines

    status, now = status_after(project_copy, lambda root: edit_lines(removed.origin.path, removed.origin.line - 1, remove=length))
    other_ids = ids(project_copy, OTHER)
    assert len(other_ids) == len(other) - 1
    assert set(ids(project_copy, PAGE)) <= set(status.verified)
    assert set(other_ids[: k - 1]) <= set(status.verified)
    assert status.pending == other_ids[k - 1 :]  # they now run without the removed fence


def test_two_pages_that_begin_alike_are_two_fences(tmp_path):
    """The page is part of the key: one page's result does not vouch for another's."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets").mkdir()
    (tmp_path / "mkdocs.yml").write_text(fixture_mkdocs())
    for name in ("a.md", "b.md"):
        (tmp_path / "docs" / name).write_text("# Page\n\n```python\nx = 1\n```\n")
    [a], [b] = fences(tmp_path, "docs/a.md"), fences(tmp_path, "docs/b.md")
    assert a.chain == b.chain and a.key("cuda", tmp_path) != b.key("cuda", tmp_path)
    assert a.key("cuda", tmp_path) != a.key("cpu", tmp_path)


# --- The committed record's conversion ----------------------------------------------------------


def committed() -> dict:
    return json.loads((ROOT / RECORD).read_text("utf-8"))


def needs_a_converted_record() -> dict:
    if subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True).stdout.strip() != "false":
        pytest.skip("needs the repository's history (a full clone), to read the record and pages it was converted from")
    data = committed()
    if "converted" not in data:
        pytest.skip(f"{RECORD} was written by a run, not converted")
    return data


def test_the_committed_record_is_its_conversion_rerun_from_the_history():
    data = needs_a_converted_record()
    assert data["converted"]["by"] == conversion.COMMAND
    assert conversion.convert_from_history(ROOT, RECORD, data["converted"]["commit"]) == data


def test_the_conversion_copied_every_result_as_the_run_wrote_it():
    """Read from the history, not from the conversion: each entry, in order, with the id, digest
    and result the original holds, on its device and torch."""
    data = needs_a_converted_record()
    original = conversion.record_at(ROOT, data["converted"]["commit"], RECORD)
    assert original["format"] == data["converted"]["from_format"] == 1
    assert [(e["id"], e["sha256"], e["result"]) for e in data["entries"]] == [(e["id"], e["sha256"], e["result"]) for e in original["fences"]]
    assert {(e["kind"], e["device"], e["torch"]) for e in data["entries"]} == {("fence", *original["devices"], original["environment"]["torch"])}
    assert {name: data[name] for name in ("written", "devices", "environment")} == {name: original[name] for name in ("written", "devices", "environment")}
    assert data["summary"] == {original["devices"][0]: original["summary"]}


def format_1(root: Path, pages: list[str]) -> dict:
    """A format 1 record of `pages` at `root`, as a run on cuda would have written it."""
    fences_ = [{"id": f.fence_id("cuda", root), "sha256": f.digest, "result": "passed"} for page in pages for f in fences(root, page)]
    env = {"torch": "2.11.0+cu130"}
    return {"format": 1, "written": "2026-01-02T03:04:05+00:00", "devices": ["cuda"], "environment": env, "summary": {"passed": len(fences_)}, "fences": fences_}


def test_a_conversion_keys_each_fence_as_a_run_now_would():
    old = format_1(ROOT, [PAGE, OTHER])
    new = conversion.convert(old, ROOT, "0" * 40)
    config_file = str(ROOT / "mkdocs.yml")
    assert {e["id"]: e["key"] for e in new["entries"]} == record.fence_keys([ROOT / PAGE, ROOT / OTHER], config_file, "cuda", ROOT)
    assert new["converted"] == {"from_format": 1, "commit": "0" * 40, "by": conversion.COMMAND}


@pytest.mark.parametrize("fault", ["digest", "missing above", "no such fence"])
def test_a_conversion_refuses_what_the_pages_do_not_show(fault):
    old = format_1(ROOT, [PAGE])
    if fault == "digest":  # the fence at that id is not the one that ran
        old["fences"][2]["sha256"] = "0" * 64
    elif fault == "missing above":  # what #3 ran after is not known
        del old["fences"][1]
        old["summary"]["passed"] -= 1
    else:
        old["fences"][2]["id"] = old["fences"][2]["id"].replace("[CodeFence#3]", "[CodeFence#99]")
    with pytest.raises(conversion.ConversionError):
        conversion.convert(old, ROOT, "0" * 40)


def test_the_command_leaves_a_record_of_the_current_format_alone():
    """`--convert-record` on a record already in format 3 writes nothing and says so."""
    if committed()["format"] != record.FORMAT:
        pytest.skip(f"{RECORD} is not in format {record.FORMAT}")
    # The command converts only a record in the repository (it reads the pages' history), so
    # it runs on the committed one, which is put back whatever it did.
    before = (ROOT / RECORD).read_bytes()
    try:
        result = subprocess.run([sys.executable, str(ROOT / "tests" / "cuda_pass.py"), "--convert-record"], cwd=ROOT, capture_output=True, text=True)
    finally:
        after = (ROOT / RECORD).read_bytes()
        if after != before:  # never rewritten otherwise: other workers read it
            (ROOT / RECORD).write_bytes(before)
    assert result.returncode == 0 and "nothing to convert" in result.stdout, result.stdout + result.stderr
    assert after == before, f"--convert-record rewrote {RECORD}, which was already in format {record.FORMAT}"
