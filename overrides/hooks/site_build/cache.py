"""Results kept by the digest of what they are made from.

A hook that computes something costly and deterministic (a figure's data and drawings, a notebook
page's trimmed CSS) keeps the result here under a key: the digest of `made_from`, a small JSON
object that names every input of the result (digests of the files and texts it reads, the
versions of the packages that compute it, the digest of the hook's own code). Change any input
and the key changes, so a stale result is never read; nothing is keyed by a file's time.

Results are kept in memory, for the rebuilds of one `mkdocs serve` (`named`), and on disk under
the project's `.cache/NAME/` (git-ignored), for the next build.
An entry on disk holds its `made_from` and is used only when that equals the one asked for (a
damaged, renamed or half-written file is a miss); it is written to a temporary file and renamed,
so a reader never sees half of one. Each result has a slot (a figure and its kind, a page), which
keeps its latest few entries (KEEP): the cache stays small, and what `mkdocs build` and `mkdocs
serve` (which renders every page with another address) make of one page are both kept.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path

ROOT = Path(".cache")  # below the project's root, the directory of mkdocs.yml; git-ignored
# Entries kept per slot: a page built by `mkdocs build` and by `mkdocs serve` (another site_url)
# is two entries, and switching branches leaves others worth keeping.
KEEP = 4
MISSING = object()


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def version(distribution: str, module: str | None = None) -> str:
    """The version of a package as this process runs it: the imported module's own once it is
    imported (an upgrade on disk does not change the running code), else the installed one's."""
    imported = sys.modules.get(module or distribution)
    if imported is not None and hasattr(imported, "__version__"):
        return str(imported.__version__)
    return _installed(distribution)


_found: dict[str, tuple[Path, str]] = {}  # distribution -> (its .dist-info directory, its version)


def _installed(distribution: str) -> str:
    """importlib.metadata's version of `distribution`, without its search of sys.path while the
    .dist-info directory it was found in is still there (pip names that directory after the
    version and removes it when it installs another)."""
    kept = _found.get(distribution)
    if kept is not None and kept[0].is_dir():
        return kept[1]
    found = importlib.metadata.distribution(distribution)
    path = getattr(found, "_path", None)
    if path is not None and Path(path).name.endswith(".dist-info"):
        _found[distribution] = (Path(path), found.version)
    return found.version


def key(made_from: dict) -> str:
    return digest(json.dumps(made_from, sort_keys=True, ensure_ascii=False))


def directory(config, name: str) -> Path:
    """The directory of the cache `name` of the project that `config` builds."""
    return Path(config.config_file_path).parent / ROOT / name


class Cache:
    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._memory: dict[str, dict[str, object]] = {}  # slot -> {key: value}, the latest last

    def get(self, where: Path | None, slot: str, made_from: dict):
        """The value made from `made_from`, or MISSING; `where` is the directory on disk (None:
        memory only)."""
        name = key(made_from)
        kept = self._memory.get(slot, {})
        if name in kept:
            return kept[name]
        if where is None:
            return MISSING
        try:
            entry = json.loads(_file(where, slot, name).read_text("utf-8"))
        except (OSError, ValueError):
            return MISSING
        if not isinstance(entry, dict) or entry.get("made_from") != made_from or "value" not in entry:
            return MISSING
        try:
            os.utime(_file(where, slot, name))  # used now: the last of its slot's entries to go
        except OSError:
            pass
        self._remember(slot, name, entry["value"])
        return entry["value"]

    def put(self, where: Path | None, slot: str, made_from: dict, value) -> None:
        """Keep `value` (JSON: it must read back as itself) as made from `made_from`, with the
        slot's latest other entries (`keep` in all)."""
        name = key(made_from)
        self._remember(slot, name, value)
        if where is None:
            return
        where.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".entry.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"made_from": made_from, "value": value}, out, ensure_ascii=False, allow_nan=False)
            target = _file(where, slot, name)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        others = [p for p in where.glob(_file(where, slot, "*").name)
                  if p != target and p.name.removesuffix(".json").rsplit(".", 1)[0] == slot]
        for stale in sorted(others, key=_age)[self.keep - 1:]:  # the least recently used go
            stale.unlink(missing_ok=True)

    def _remember(self, slot: str, name: str, value) -> None:
        kept = self._memory.setdefault(slot, {})
        kept.pop(name, None)
        kept[name] = value
        while len(kept) > self.keep:
            del kept[next(iter(kept))]

    def forget(self) -> None:
        """Drop what is kept in memory (as a new process would start)."""
        self._memory.clear()


_named: dict[str, object] = {}


def named(name: str, make=None):
    """The process's one cache (or other keeper, made by `make`) called `name`.

    `mkdocs serve` loads the configuration again for each rebuild, and with it runs each hook's
    module again (MkDocs imports a hook from its path, every time), so what a hook's module
    keeps itself starts empty on every rebuild. This module is imported once per process, so
    what it holds lasts from one rebuild to the next. A keeper that holds code of the hook
    (an instance of one of its classes) is named after the digest of that code."""
    if name not in _named:
        _named[name] = (make or Cache)()
    return _named[name]


def per_process(maxsize: int = 64):
    """functools.lru_cache for a function of a hook whose answers are kept once per process (by
    `named`), so that the next `mkdocs serve` rebuild still knows them: a decorator. The answers
    are named after the function and the digest of its file (an edit of the hook starts anew);
    a miss calls the function of the module that runs now, so what it raises is that module's."""

    def decorate(function):
        source = digest(Path(function.__code__.co_filename).read_bytes())
        answers = named(f"per_process {function.__code__.co_filename} {function.__qualname__} {source}", OrderedDict)

        @functools.wraps(function)
        def kept(*arguments):
            if arguments in answers:
                answers.move_to_end(arguments)
                return answers[arguments]
            answer = answers[arguments] = function(*arguments)
            while len(answers) > maxsize:
                answers.popitem(last=False)
            return answer

        kept.cache_clear = answers.clear
        return kept

    return decorate


def _age(path: Path) -> float:
    """How long ago `path` was last written or read (to choose what goes; never what is read)."""
    try:
        return -path.stat().st_mtime
    except OSError:
        return 0.0


def _file(where: Path, slot: str, name: str) -> Path:
    return where / f"{slot}.{name}.json"
