"""How much the harness costs: the fence suite against the floor of running the same code bare.

    python tests/benchmark.py [--repeat 3]

Prints, from one run on this machine (each figure the median of --repeat runs, wall clock):
  (a) the fence suite on cpu: `pytest docs --devices=cpu`, a fresh process;
  (b) the floor: one plain Python process that imports torch and executes the same fences'
      code in the same order (each `>>>` example as the REPL would), without pytest or the harness;
  (c) the ratio a/b;
  (d) `mkdocs build` of the whole site;
  (e) what isolating the pages costs: the floor again, each page in a process forked for it
      (as the harness runs each page, tests/fences/zygote.py), less the floor, in all and per page;
  (f) the try-it box's slowest answer in a browser, next to its bar (the tests only wait for it);
  (g) `mkdocs serve`'s rebuild after a one-word prose edit of one page (tests/serve_rebuild.py);
  (h) `make test`'s pytest, the whole suite on every core, once (--no-suite leaves it out);
  (i) the heaviest first load of any page, every byte the browser counts (the every-page sweep
      of tests/test_browser_pages.py records each page's bytes; its budget is the bar).
Each figure is printed next to its bar. The bars are measured here, never asserted in a timed
test: a loaded machine makes any of them slower.
"""

from __future__ import annotations

import argparse
import ast
import doctest
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from documents.editions import originals  # noqa: E402
from documents.regions import page_fences  # noqa: E402
from documents.start import PRELOADED  # noqa: E402
from support import ROOT  # noqa: E402

CONFIG = str(ROOT / "mkdocs.yml")


def pages() -> list[Path]:
    return list(originals((ROOT / "docs").rglob("*.md"), CONFIG))  # the pages whose fences run


def floor_program(forked: bool = False) -> str:
    """A standalone program executing every page's fences in order, each page in a fresh
    namespace; `forked`: each page in a child process of its own, forked from the program."""
    # Forked, the program first imports what the harness's page processes are forked with
    # (documents/start.py's PRELOADED), as tests/fences/zygote.py does.
    lines = ["import contextlib, io, os", "import " + (", ".join(PRELOADED) if forked else "torch"), "sink = io.StringIO()"]
    for page in pages():
        chunks = []
        for fence in page_fences(page, CONFIG):
            if fence.kind == "pycon":
                examples = doctest.DocTestParser().get_examples(fence.content)
                chunks += [(example.source, "single", example.exc_msg is not None) for example in examples]
            else:
                chunks.append((fence.content, "exec", False))
        body = [
            f"namespace = {{'__name__': '__main__'}}  # {page.relative_to(ROOT)}",
            "with contextlib.redirect_stdout(sink):",
            f"    for source, mode, raises in {chunks!r}:",
            "        try:",
            f"            exec(compile(source, {str(page)!r}, mode), namespace)",
            "        except Exception:",
            "            if not raises:",
            "                raise",
        ]
        if forked:
            body = ["if (pid := os.fork()) == 0:", "    try:", *("        " + line for line in body), "    finally:", "        os._exit(0)", "os.waitpid(pid, 0)"]
        lines += body
    return "\n".join(lines) + "\n"


def wall(command: list[str], repeat: int, env: dict | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# The slowest answer the try-it box may give, once tests/test_browser_try_it.py asserted it.
TRY_IT_BAR = 2.0


def try_it_answer(repeat: int) -> tuple[float, str]:
    """The try-it box's slowest answer, in seconds, and its input: for each input of the box's
    tests (results and errors), the median of `repeat` runs of the time from its button's
    click to the next frame drawn with the answer, measured by the page (performance.now) in
    Debian's Chromium on the site built and served as the tests serve it. A measurement, not a
    test: a loaded machine makes it slower, and the tests only wait for the answer."""
    import functools
    import shutil
    import threading

    from support import _QuietServer, _UnderPath, build_site, site_url_path
    from test_browser_try_it import BAD_INPUTS, FORM, INPUTS

    executable = shutil.which("chromium")
    if executable is None:
        return float("nan"), "not measured: needs Debian's Chromium (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    timed = """async form => {
        const started = performance.now();
        document.querySelector(form + " button[type=submit]").click();  // answered in the handler
        await new Promise(drawn => requestAnimationFrame(() => setTimeout(drawn)));
        return (performance.now() - started) / 1000;
    }"""
    inputs = {name: case[:3] for name, case in {**INPUTS, **BAD_INPUTS}.items()}
    with tempfile.TemporaryDirectory() as scratch:
        assert build_site(ROOT, Path(scratch)).returncode == 0, "the site does not build"
        server = _QuietServer(("127.0.0.1", 0), functools.partial(_UnderPath, directory=scratch, prefix=site_url_path()))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"] if os.geteuid() == 0 else [])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}{site_url_path()}")
            medians = {}
            for name, (vector, beta, passes) in inputs.items():
                runs = []
                for _ in range(repeat):
                    page.fill("#try-it-vector", vector)
                    page.fill("#try-it-beta", beta)
                    page.fill("#try-it-passes", passes)
                    runs.append(page.evaluate(timed, FORM))
                medians[name] = statistics.median(runs)
            browser.close()
        server.shutdown()
    slowest = max(medians, key=medians.get)
    return medians[slowest], slowest


# The bars of issue 22, on a 2-core machine: what a contributor and a phone wait for.
RATIO_BAR = 1.2
BUILD_BAR = 5.0
REBUILD_BAR = 2.0
SUITE_BAR = 240.0


def suite_seconds() -> float:
    """The wall time of `make test`'s pytest command on this checkout, run once."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "auto", "--dist", "loadgroup", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        print(result.stdout[-3000:], file=sys.stderr)
        raise SystemExit(f"the suite failed (exit {result.returncode}): its time would not be the suite's")
    return seconds


def heaviest_page() -> tuple[int, str, int]:
    """The heaviest first load of any page (bytes, address and palette) as the browser sweep
    counts it, and the sweep's budget: the sweep records each page's bytes as a property."""
    import xml.etree.ElementTree as ET

    from test_browser_pages import BUDGET

    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", "tests/test_browser_pages.py", "-k", "test_every_page", "-q", "-p", "no:xdist",
             "-p", "no:cacheprovider", f"--junitxml={report}", "-o", "junit_family=xunit1"],
            cwd=ROOT, capture_output=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        )
        loads = []
        for case in ET.parse(report).iter("testcase"):
            for prop in case.iter("property"):
                if prop.get("name") == "bytes_by_type":
                    loads.append((sum(ast.literal_eval(prop.get("value")).values()), case.get("name")))
    if not loads:
        return 0, "not measured: the browser sweep recorded no page (Chromium missing?)", BUDGET
    size, name = max(loads)
    return size, name.removeprefix("test_every_page_loads_cleanly_fits_a_phone_and_passes_axe"), BUDGET


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-suite", action="store_true", help="leave out (h), the whole suite")
    arguments = parser.parse_args()
    repeat = arguments.repeat
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        floor_file = Path(scratch) / "floor.py"
        floor_file.write_text(floor_program())
        forked_file = Path(scratch) / "forked.py"
        forked_file.write_text(floor_program(forked=True))
        suite = wall([python, "-m", "pytest", "docs", "--devices=cpu", "-q", "-p", "no:cacheprovider"], repeat)
        floor = wall([python, str(floor_file)], repeat)
        forked = wall([python, str(forked_file)], repeat)
        build = wall(
            [python, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(Path(scratch) / "site")],
            repeat,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        )
    import torch

    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, torch {torch.__version__}; median of {repeat}")
    print(f"(a) fence suite on cpu      {suite:6.2f} s")
    print(f"(b) floor, bare Python      {floor:6.2f} s")
    print(f"(c) ratio a/b               {suite / floor:6.2f}    (bar: {RATIO_BAR})")
    print(f"(d) mkdocs build            {build:6.2f} s  (bar: {BUILD_BAR:.0f} s)")
    count = len(pages())
    print(f"(e) isolation, {count} pages      {forked - floor:6.2f} s  ({(forked - floor) / count * 1000:.0f} ms a page; floor forked {forked:.2f} s)")
    print("(f) try-it box, slowest    {:6.2f} s  (bar: {bar:.0f} s; input: {})".format(*try_it_answer(repeat), bar=TRY_IT_BAR))
    from serve_rebuild import rebuild_seconds

    rebuilds = rebuild_seconds(edits=repeat)
    print(f"(g) serve rebuild           {statistics.median(rebuilds):6.2f} s  (bar: {REBUILD_BAR:.0f} s; each: {', '.join(f'{r:.2f}' for r in rebuilds)})")
    if arguments.no_suite:
        print("(h) make test's pytest       not run (--no-suite)")
    else:
        print(f"(h) make test's pytest      {suite_seconds():6.0f} s  (bar: {SUITE_BAR:.0f} s; once)")
    size, where, budget = heaviest_page()
    print(f"(i) heaviest first load     {size / 1000:6.1f} KB (bar: {budget / 1000:.0f} KB; {where})")


if __name__ == "__main__":
    main()
