"""The corpus of doctest transcripts (tests/cases/corpus/): the harness and the standard
library's doctest agree on every fence, but where the corpus's README says why they differ.

tests/cases/corpus/README.md has one row per page: what it shows, plain doctest's verdict on each
of its fences, the harness's, and, where the two differ, the documented reason. Both sides are
run here and compared with that table:

- plain doctest: each page's fences read by a reader of this module's own (not the harness's),
  each `pycon` fence run by doctest's own parser, runner and checker, the `python` fences
  executed, all in one namespace per page, from documents/start.py's state, each page in a
  process forked for it (in a child process of this test: tests/test_stdlib_doctest.py's way);
- the harness: every page copied into one scratch site and run by one pytest subprocess; a
  fence's result comes from its `--fence-record`, a page the harness refuses is a collection
  error in its `--junitxml` report, whose message must start with `docs/NAME.md:LINE:`.

A fence on which plain doctest's verdict is not the table's is a page that does not show what
its row says; one on which the harness's is not the table's is a change of the harness's
behaviour. Either fails the test, each named.

    python tests/test_doctest_corpus.py PAGE.md ...

prints plain doctest's verdicts, {"NAME.md": ["pass", "fail", ...], ...}.
"""

from __future__ import annotations

import doctest
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "cases" / "corpus"
README = CORPUS / "README.md"

# A fence as this corpus writes it: ```pycon or ```python at the start of a line, closed by ```.
_OPEN = re.compile(r"```(pycon|python)[ \t]*")
_PROMPT = re.compile(r"[ ]*>>>")


def corpus_pages() -> list[Path]:
    return sorted(path for path in CORPUS.glob("*.md") if path != README)


def read_fences(text: str) -> list[tuple[str, str]]:
    """The page's fences that run, in order: (kind, content)."""
    fences, lines, index = [], text.split("\n"), 0
    while index < len(lines):
        opened = _OPEN.fullmatch(lines[index])
        index += 1
        if opened:
            start = index
            while lines[index] != "```":
                index += 1
            fences.append((opened[1], "".join(line + "\n" for line in lines[start:index])))
            index += 1
    return fences


def count_examples(fences: list[tuple[str, str]]) -> int:
    """The `>>>` prompts of a page's sessions: each starts an example (a comment or a bare
    prompt included, which doctest then skips)."""
    return sum(1 for kind, content in fences if kind == "pycon" for line in content.splitlines() if _PROMPT.match(line))


# ---------------------------------------------------------------------------- plain doctest


def plain_doctest_page(name: str, text: str) -> list[str]:
    """Plain doctest's verdict on each fence of a page, run in this process: "pass", "fail", or
    "error" (doctest's parser refuses the fence: ValueError). A `python` fence passes if it runs."""
    from documents import start

    start.apply()
    namespace: dict = {"__name__": "__main__"}
    verdicts = []
    for number, (kind, content) in enumerate(read_fences(text), 1):
        if kind == "python":
            try:
                exec(compile(content, f"{name}#{number}", "exec"), namespace)
            except Exception:
                verdicts.append("fail")
            else:
                verdicts.append("pass")
            continue
        try:
            test = doctest.DocTestParser().get_doctest(content, {}, f"{name}#{number}", name, 0)
        except ValueError:
            verdicts.append("error")
            continue
        test.globs = namespace  # the page's one namespace (a DocTest would run in a copy of it)
        runner = doctest.DocTestRunner(verbose=False)
        runner.run(test, out=lambda text: None, clear_globs=False)
        verdicts.append("fail" if runner.failures else "pass")
    return verdicts


def plain_doctest(paths: list[Path]) -> dict[str, list[str]]:
    """Each page's verdicts, each page run in a child forked for it, in a scratch directory."""
    from stdlib_doctest import in_child

    return {path.name: in_child(lambda path=path: plain_doctest_page(path.name, path.read_text("utf-8")), path.name) for path in paths}


# ---------------------------------------------------------------------------- the harness


def harness_verdicts(site, pages: list[Path], tmp_path: Path) -> tuple[dict[str, list[str]], dict[str, str], str]:
    """The harness's cpu verdict per fence of each page (from one pytest run over all pages),
    each refusal's message by page, and the run's output."""
    (site.root / "docs").mkdir(exist_ok=True)
    for path in pages:
        shutil.copyfile(path, site.root / "docs" / path.name)
    record, report = tmp_path / "record.json", tmp_path / "junit.xml"
    result = site.run("--devices=cpu", "-p", "no:xdist", "--continue-on-collection-errors", f"--fence-record={record}", f"--junitxml={report}")
    fences: dict[str, dict[int, str]] = {}
    for entry in json.loads(record.read_text())["entries"]:
        found = re.fullmatch(r"docs/(.+\.md)::\[CodeFence#(\d+)\]\[line:\d+\]\[cpu\]", entry["id"])
        assert found, entry["id"]
        fences.setdefault(found[1], {})[int(found[2])] = {"passed": "pass", "failed": "fail"}.get(entry["result"], entry["result"])
    verdicts = {page: [by_number[n] for n in sorted(by_number)] for page, by_number in fences.items()}
    refusals = {}
    for case in ElementTree.parse(report).iter("testcase"):
        for error in case.iter("error"):
            if error.get("message") == "collection failure":
                message = (error.text or "").strip()
                name = re.match(r"docs/([^:]+\.md):", message)
                refusals[name[1] if name else f"<{case.get('classname')}.{case.get('name')}>"] = message
    return verdicts, refusals, result.stdout.str()


# ---------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Row:
    page: str
    doctest: list[str]  # per fence: pass, fail, error
    harness: list[str]  # per fence: pass, fail; empty when the page is refused
    refused_at: int | None  # the line the harness refuses the page at
    reason: str  # why the two differ

    @property
    def agree(self) -> bool:
        """doctest's parser refusing every fence (error) agrees with the harness refusing the page."""
        if self.refused_at is not None:
            return all(verdict == "error" for verdict in self.doctest)
        return self.doctest == self.harness

    def harness_text(self) -> str:
        return f"refused at line {self.refused_at}" if self.refused_at is not None else ", ".join(self.harness)


_ROW = re.compile(r"\|\s*\[`?([\w.-]+\.md)`?\]\([^)]*\)\s*\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|\s*")
_REFUSED = re.compile(r"refused at line (\d+)")
_SIZE = re.compile(r"(\d+) pages, (\d+) fences, (\d+) examples")


def read_table() -> dict[str, Row]:
    rows = {}
    for line in README.read_text("utf-8").splitlines():
        if found := _ROW.fullmatch(line):
            page, _shows, plain, harness, reason = (cell.strip() for cell in found.groups())
            refused = _REFUSED.fullmatch(harness)
            verdicts = [] if refused else [v.strip() for v in harness.split(",")]
            assert page not in rows, f"README.md lists {page} twice"
            rows[page] = Row(page, [v.strip() for v in plain.split(",")], verdicts, int(refused[1]) if refused else None, reason)
    return rows


def test_the_corpus_is_as_the_readme_describes_it():
    """Every page has its row, with a verdict for each of its fences; every difference has its
    reason; the corpus is at least as large as the README says."""
    table = read_table()
    pages = {path.name: read_fences(path.read_text("utf-8")) for path in corpus_pages()}
    assert sorted(table) == sorted(pages), "pages without a row, or rows without a page"
    problems = []
    for name, fences in pages.items():
        row = table[name]
        if len(row.doctest) != len(fences) or (row.refused_at is None and len(row.harness) != len(fences)):
            problems.append(f"{name}: {len(fences)} fences, but its row gives {len(row.doctest)} and {len(row.harness)} verdicts")
        if not row.agree and not row.reason:
            problems.append(f"{name}: plain doctest says {', '.join(row.doctest)}, the harness {row.harness_text()}: the row gives no reason")
        if not set(row.doctest) <= {"pass", "fail", "error"} or not set(row.harness) <= {"pass", "fail"}:
            problems.append(f"{name}: a verdict is pass, fail, error (plain doctest) or refused at line N (the harness)")
    assert not problems, "\n".join(problems)
    size = _SIZE.search(README.read_text("utf-8"))
    assert size, "README.md states the corpus's size as 'N pages, N fences, N examples'"
    counted = {"pages": len(pages), "fences": sum(map(len, pages.values())), "examples": sum(map(count_examples, pages.values()))}
    stated = dict(zip(counted, map(int, size.groups())))
    assert all(counted[what] >= stated[what] for what in counted), f"the corpus has {counted}, README.md states {stated}"


def test_the_harness_and_plain_doctest_agree_on_the_corpus(site, tmp_path):
    """Both sides' verdicts are the table's, fence by fence, and each refusal names its page and line."""
    table, pages = read_table(), corpus_pages()
    # plain doctest in a process of its own (it forks one per page), meanwhile the harness's run
    plain_run = subprocess.Popen([sys.executable, __file__, *map(str, pages)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    harness, refusals, output = harness_verdicts(site, pages, tmp_path)
    printed, errors = plain_run.communicate(timeout=120)
    assert plain_run.returncode == 0, errors
    plain = json.loads(printed)

    problems = []
    for path in pages:
        name = path.name
        row = table[name]
        if plain[name] != row.doctest:
            problems.append(f"{name}: plain doctest says {', '.join(plain[name])}, its row {', '.join(row.doctest)}: the page does not show what its row says")
        refusal = refusals.pop(name, None)
        if refusal is not None:
            first = refusal.splitlines()[0]
            if row.refused_at is None:
                problems.append(f"{name}: the harness refuses it ({first}); its row says {row.harness_text()}")
            elif not first.startswith(f"docs/{name}:{row.refused_at}: "):
                problems.append(f"{name}: the harness refuses it, but not naming line {row.refused_at} of the page: {first}")
        elif row.refused_at is not None:
            problems.append(f"{name}: the harness says {', '.join(harness.get(name, ['nothing']))}; its row says it refuses the page at line {row.refused_at}")
        elif harness.get(name) != row.harness:
            problems.append(f"{name}: the harness says {', '.join(harness.get(name, ['nothing']))}, its row {row.harness_text()}")
    problems += [f"a refusal that names no page of the corpus: {message}" for message in refusals.values()]
    assert not problems, "\n".join(problems) + "\n\nThe harness's run:\n" + output[-3000:]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import torch  # noqa: F401  # once, before the forks

    json.dump(plain_doctest([Path(p) for p in sys.argv[1:]]), sys.stdout, indent=1)
