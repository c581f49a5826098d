"""The browser of tests/chromium.py is open only while the tests that need it run: in a pytest
process, no Chromium is left running during the tests that come after them, and a browser
test after those gets a browser again. (An idle Chromium left open through a run kept
processes alive beside every other test of each xdist worker.)"""

from __future__ import annotations

import os
import shutil

import pytest

from support import CHROMIUM_INSTALL, TESTS, skip_or_fail

# Runs in a pytest process of its own: each test reports the Chromium processes below it.
TESTS_OF_A_RUN = '''
import os
from support import chromium_processes

def test_1_uses_the_browser(browser):
    browser.new_context().close()
    assert chromium_processes(os.getpid()), "the control: a browser test sees its Chromium"

def test_2_needs_none():
    assert chromium_processes(os.getpid()) == [], "Chromium outlived the browser tests"

def test_3_uses_it_again(browser):
    page = browser.new_page()
    page.set_content("<p>again</p>")
    assert page.inner_text("p") == "again"
    page.close()

def test_4_last_needs_none():
    assert chromium_processes(os.getpid()) == [], "Chromium outlived the browser tests"
'''


def test_no_chromium_runs_while_tests_that_need_none_run(pytester: pytest.Pytester):
    if shutil.which("chromium") is None:
        skip_or_fail(f"the browser's lifetime is checked with Debian's Chromium: {CHROMIUM_INSTALL}")
    pytester.makeini(f"[pytest]\npythonpath = {TESTS}\n")
    pytester.makeconftest("from chromium import browser, pytest_runtest_teardown, pytest_unconfigure  # noqa: F401\n")
    pytester.makepyfile(test_run=TESTS_OF_A_RUN)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly")
    result.assert_outcomes(passed=4)


def test_the_process_scan_finds_a_grandchild_named_chromium(tmp_path):
    """The control of the scan itself: a process named chromium two levels below this one."""
    import subprocess
    import sys

    from support import chromium_processes

    fake = tmp_path / "chromium"
    fake.symlink_to(shutil.which("sleep"))  # a process is named after the file it runs
    starts = f"import subprocess; p = subprocess.Popen([{str(fake)!r}, '600']); print(p.pid, flush=True); p.wait()"
    parent = subprocess.Popen([sys.executable, "-c", starts], stdout=subprocess.PIPE, text=True)
    try:
        grandchild = int(parent.stdout.readline())  # started: no waiting on a clock
        assert chromium_processes(os.getpid()) == [grandchild]
    finally:
        subprocess.run(["pkill", "-P", str(parent.pid)])  # the grandchild, by its parent's id
        parent.kill()
        parent.wait()
