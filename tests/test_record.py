"""What a record vouches for: each fence is matched by its key, what its result depends on (its
page's fences up to and including it), not by its position, so that the verification page
counts as verified exactly what ran as it is now.

Each edit is made to a copy of the site (`project_copy`) against a record of that copy as a run
would write it: every entry passed, under the key the run gives it."""

from __future__ import annotations

from pathlib import Path

from documents import record
from documents.editions import originals
from documents.regions import Fence, page_fences
from support import FIXTURE_MKDOCS

ROOT = Path(__file__).resolve().parent.parent
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
    are renumbered by line (`[snippets/x.md:1]` becomes `:3`), and run the same code."""
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
    (tmp_path / "mkdocs.yml").write_text(FIXTURE_MKDOCS.format(hooks=ROOT / "overrides" / "hooks"))
    for name in ("a.md", "b.md"):
        (tmp_path / "docs" / name).write_text("# Page\n\n```python\nx = 1\n```\n")
    [a], [b] = fences(tmp_path, "docs/a.md"), fences(tmp_path, "docs/b.md")
    assert a.chain == b.chain and a.key("cuda", tmp_path) != b.key("cuda", tmp_path)
    assert a.key("cuda", tmp_path) != a.key("cpu", tmp_path)
