"""Every repository path that the guides or a comment names exists.

A comment that names a file which was moved or removed sends the reader to nothing. What is read
(`prose`):

- the guides, whole: every README.md, CONTRIBUTING.md, CONTRIBUTING.zh.md, tests/ARCHITECTURE.md;
- the comments and docstrings of every Python file;
- the `#` comments of the YAML files, the Makefile, .ci/run, pytest.ini and requirements.txt;
- the HTML comments (`<!-- ... -->`) of every other Markdown file and of the theme's templates,
  the templates' Jinja comments (`{# ... #}`), the `/* ... */` comments of the stylesheets and
  scripts and the scripts' `//` comments, and package.json's description.

What counts as a repository path (`named_paths`):

- a token that starts with one of the repository's top-level folders (TOP_FOLDERS: `tests/`,
  `docs/`, `snippets/`, `overrides/`, `.ci/`, `.github/`, and any other git tracks a file in)
  and is not part of a
  longer path or address (`/zh/docs/...`, `https://.../tests/x.py` are not): it ends at the first
  character that cannot be in a path, and a trailing `.`, a line (`:12`), a test (`::test_x`)
  or an anchor (`#id`) is not part of it;
- the name of a top-level file as projects conventionally name them (`README.md`,
  `mkdocs.yml`, ...: TOP_LEVEL_NAMES) written on its own: it must be at the top of the
  repository.

A path may be a pattern: `*`, `**` and `?` as in a glob, and the placeholders of PLACEHOLDERS
(the guides write `docs/NAME.md` for any page), each standing for any name. A pattern must
match at least one file. The paths of the scratch sites the tests write are code strings, which
are not read; in prose an example path is written with a placeholder (`docs/PAGE.md`).
"""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

from support import ROOT

PLACEHOLDERS = ("NAME", "PAGE", "LOCALE", "SCRATCH", "FIRST", "SECOND")
TOP_LEVEL_NAMES = {
    "README.md", "CONTRIBUTING.md", "CONTRIBUTING.zh.md", "LICENSE", "CITATION.cff", "Makefile", "mkdocs.yml",
    "pytest.ini", "requirements.txt", "package.json", "package-lock.json", "pyproject.toml", "setup.py",
    "setup.cfg", "tox.ini", ".gitignore",
}  # fmt: skip
GUIDES = ("CONTRIBUTING.md", "CONTRIBUTING.zh.md", "tests/ARCHITECTURE.md")
HASH_COMMENTED = ("Makefile", "pytest.ini", "requirements.txt")


def tracked(root: Path) -> list[str]:
    """The files git tracks, or, outside a git checkout, every file but those git would ignore."""
    listed = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True)
    if listed.returncode == 0 and listed.stdout:
        return [name for name in listed.stdout.splitlines() if (root / name).exists()]
    ignored = (".git", ".venv", "node_modules", "site", ".cache", "__pycache__", ".pytest_cache", "wheelhouse")
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and not set(p.relative_to(root).parts) & set(ignored)]


def python_prose(text: str) -> list[tuple[int, str]]:
    """The comments and docstrings of Python code, each with its line."""
    found = [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and (doc := ast.get_docstring(node, clean=False)):
            found.append((node.body[0].lineno, doc))
    return found


def hash_comments(text: str) -> list[tuple[int, str]]:
    """`#` comments, on a line of their own or after code (a `#` after a space, or first)."""
    return [(n, m.group(1)) for n, line in enumerate(text.splitlines(), 1) if (m := re.search(r"(?:^|\s)(#.*)$", line))]


def delimited(text: str, opening: str, closing: str) -> list[tuple[int, str]]:
    """The comments between `opening` and `closing`, over lines too, each with its first line."""
    pattern = re.escape(opening) + ".*?" + re.escape(closing)
    return [(text.count("\n", 0, m.start()) + 1, m.group(0)) for m in re.finditer(pattern, text, re.DOTALL)]


def html_comments(text: str) -> list[tuple[int, str]]:
    return delimited(text, "<!--", "-->")


def line_comments(text: str) -> list[tuple[int, str]]:
    """JavaScript's `//` comments, on a line of their own or after code (not an address's `//`)."""
    return [(n, m.group(1)) for n, line in enumerate(text.splitlines(), 1) if (m := re.search(r"(?:^|\s)(//.*)$", line))]


def prose(root: Path, name: str) -> list[tuple[int, str]]:
    """What of the file `name` is read for paths, by line (the module docstring)."""
    text = (root / name).read_text("utf-8")
    if name in GUIDES or name.rsplit("/", 1)[-1] == "README.md":
        return [(1, text)]
    if name.endswith(".py"):
        return python_prose(text)
    if name.endswith((".yml", ".yaml")) or name in HASH_COMMENTED or name.startswith(".ci/"):
        return hash_comments(text)
    if name.endswith(".md"):
        return html_comments(text)
    if name.endswith(".html"):
        return html_comments(text) + delimited(text, "{#", "#}")
    if name.endswith(".css"):
        return delimited(text, "/*", "*/")
    if name.endswith(".js"):
        return delimited(text, "/*", "*/") + line_comments(text)
    if name == "package.json":
        return [(1, json.loads(text).get("description", ""))]
    return []


# The repository's top-level folders, whether or not they still hold a file; and any other that does.
TOP_FOLDERS = ("tests", "docs", "snippets", "overrides", ".ci", ".github")


def folders(files: list[str]) -> list[str]:
    return sorted(set(TOP_FOLDERS) | {name.split("/")[0] for name in files if "/" in name})


def named_paths(text: str, top_folders: list[str]) -> list[str]:
    """The repository paths a text names (the module docstring), as written but for a line, a
    test or an anchor after them."""
    start = "|".join(re.escape(folder) for folder in top_folders)
    paths = re.findall(rf"(?<![\w./@~-])((?:{start})/[\w./*?-]*[\w*?/])", text)
    paths = [re.sub(r"(::.*|:\d.*|#.*)$", "", path) for path in paths]
    names = "|".join(re.escape(name) for name in sorted(TOP_LEVEL_NAMES))
    paths += re.findall(rf"(?<![\w./@~-])({names})(?![\w/-]|\.\w)", text)
    return paths


def exists(path: str, files: set[str], top_folders: list[str]) -> bool:
    """Whether a named path is a tracked file, a folder of them, or a pattern matching one."""
    if "/" not in path:  # a top-level file's name
        return path in files
    path = path.rstrip("/")
    words = "|".join(PLACEHOLDERS)
    pattern = re.sub(rf"(?<![A-Za-z])(?:{words})(?![A-Za-z])", "*", path)
    if pattern == path and not set(path) & set("*?"):
        return path in files or any(name.startswith(path + "/") for name in files)
    regex = re.escape(pattern).replace(r"\*\*/", "(.*/)?").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    regex = re.compile(regex + "(/.*)?")
    return any(regex.fullmatch(name) for name in files)


def missing_paths(root: Path) -> list[str]:
    files = tracked(root)
    known, top = set(files), folders(files)
    missing = []
    for name in files:
        if not name.endswith((".py", ".md", ".yml", ".yaml", ".html", ".css", ".js")) and name not in HASH_COMMENTED + ("package.json",) and not name.startswith(".ci/"):
            continue
        for line, text in prose(root, name):
            for path in named_paths(text, top):
                if not exists(path, known, top):
                    at = line + text.count("\n", 0, text.find(path))
                    missing.append(f"{name}:{at}: {path}")
    return missing


def test_every_repository_path_the_guides_and_comments_name_exists():
    missing = missing_paths(ROOT)
    assert not missing, "paths named that are not in the repository (moved or removed?):\n" + "\n".join(missing)


SCRATCH_FILES = {
    "README.md": "# R\n\nSee `tests/support.py`, `docs/NAME.md`, `tests/test_*.py` and CONTRIBUTING.md.\n",
    "CONTRIBUTING.md": "# C\n",
    "tests/support.py": '"""Helpers; the notes are in tests/gone.md."""\n\nX = "tests/a-code-string.py"  # see docs/index.md#top\n',
    "tests/test_x.py": '"""The tests of `docs/**/*.md` and of tests/support.py::X, at docs/index.md:3."""\n',
    "overrides/hooks/mathml.py": "# math as MathML (mkdocs.yml names no such file: a top-level name)\n",
    "docs/index.md": "# Home\n\n<!-- drawn by snippets/figures/NAME.py; not snippets/NAME.txt -->\nText naming tests/not-in-a-comment.py.\n",
    "snippets/figures/convergence.py": "def compute():  # its data, drawn by overrides/hooks/figures.py\n    return 1\n",
    "Makefile": "# the docs are in docs/, the config in pyproject.toml\ntest:\n\tpytest\n",
    ".ci/run": "#!/bin/sh\n# runs tests/support.py and tests/old_runner.py\n",
    "overrides/main.html": '{#- the index (overrides/hooks/gone.py) -#}\n<!-- see tests/support.py -->\n<a href="https://x.org/tests/no.py">\n',
    "docs/javascripts/a.js": "/* drawn as overrides/main.html says */\nlet u = 'https://x.org/tests/no.py'; // tests/old.js\n",
    "docs/stylesheets/a.css": "a { color: red } /* from\n   overrides/old.css */\n",
}


@pytest.mark.parametrize("removed", [None, "docs/index.md", "CONTRIBUTING.md"])
def test_the_check_names_each_missing_path_and_accepts_the_rest(tmp_path, removed):
    """The check itself, on a scratch repository (not a git checkout: its files are read)."""
    for name, text in SCRATCH_FILES.items():
        if name != removed:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text, "utf-8")
    expected = [
        "tests/support.py:1: tests/gone.md",  # a docstring
        "Makefile:1: pyproject.toml",  # a top-level file by its conventional name
        ".ci/run:2: tests/old_runner.py",
        "snippets/figures/convergence.py:1: overrides/hooks/figures.py",
        "overrides/hooks/mathml.py:1: mkdocs.yml",
        "overrides/main.html:1: overrides/hooks/gone.py",  # a Jinja comment
        "docs/javascripts/a.js:2: tests/old.js",  # a script's line comment, not its address
        "docs/stylesheets/a.css:2: overrides/old.css",  # a stylesheet's comment, its second line
    ]
    if removed != "docs/index.md":  # a placeholder that no file matches, in an HTML comment
        expected.append("docs/index.md:3: snippets/NAME.txt")
    if removed == "docs/index.md":  # every name of it, and the patterns only it matched
        expected += ["tests/support.py:3: docs/index.md", "tests/test_x.py:1: docs/index.md", "tests/test_x.py:1: docs/**/*.md", "README.md:3: docs/NAME.md"]
    if removed == "CONTRIBUTING.md":
        expected.append("README.md:3: CONTRIBUTING.md")
    assert sorted(missing_paths(tmp_path)) == sorted(expected)


def root_definitions(root: Path) -> list[str]:
    """Where a module of tests/ or overrides/ gives a value to a name ROOT, but tests/support.py
    (the one definition of the repository's root) and the build hooks' cache, whose ROOT is the
    cache's own folder (overrides/hooks/site_build/cache.py)."""
    found = []
    for name in tracked(root):
        if not name.endswith(".py") or not name.startswith(("tests/", "overrides/")):
            continue
        if name in ("tests/support.py", "overrides/hooks/site_build/cache.py"):
            continue
        for node in ast.walk(ast.parse((root / name).read_text("utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            if any(isinstance(t, ast.Name) and t.id == "ROOT" for t in targets):
                found.append(f"{name}:{node.lineno}")
    return found


def test_root_is_defined_once():
    """Every module finds the repository's root as tests/support.py says (`from support import
    ROOT`), so a move of tests/ changes one line."""
    again = root_definitions(ROOT)
    assert not again, "ROOT defined again (import it: from support import ROOT):\n" + "\n".join(again)


def test_a_second_root_is_found(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "support.py").write_text("ROOT = 1\n", "utf-8")
    (tmp_path / "tests" / "a.py").write_text("from support import ROOT\n\n\ndef f():\n    ROOT: int = 2\n", "utf-8")
    assert root_definitions(tmp_path) == ["tests/a.py:5"]
