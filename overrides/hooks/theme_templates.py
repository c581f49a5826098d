"""MkDocs hook: the theme's Jinja environment, quicker to make at every build.

Compiled once. MkDocs makes a new Jinja environment for every build, and the i18n plugin runs one
build per edition, so Jinja parsed and compiled Material's 44 templates and ours twice a build
(half a second) and again at every serve rebuild, and Material's search plugin compiled its
translations in an environment of its own as often. Jinja's own bytecode cache (`FileSystemBytecodeCache`,
its documented answer to this) keeps each compiled template under .cache/jinja/, keyed by the
template's name and file, and uses it only while the template's source has the checksum it was
compiled from. What else the compiled code depends on, the environment's settings (delimiters,
whitespace handling, extensions, autoescaping, finalize) and the Jinja and Python versions, names
the cache's directory, read as each template is compiled (the i18n plugin adds an extension to
the build's environment after MkDocs makes it): environments that compile differently never share
one. Every environment the theme makes (`config.theme.get_env()`) gets the cache.

Listed without its icons. To find the theme's static files, MkDocs lists every file of the theme's
directories (`env.list_templates()`) and drops, among others, every file below a directory whose
name starts with a dot (its patterns `.*` and `*/.*`). Material keeps its 14,000 icons in
`.icons/`: listing and then dropping them took 0.2 s of each edition's build. The theme's
environment (`config.theme.get_env()`) gets a loader that does not descend into such directories
when it lists; templates are found as before
(`{% include ".icons/..." %}` reads the file by its name). tests/test_theme_templates.py checks
that MkDocs finds the same static files with this loader as with Jinja's own.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import FileSystemBytecodeCache
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build.cache import digest, directory  # noqa: E402


def _name(value) -> str | None:
    return None if value is None else f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def fingerprint(env: jinja2.Environment) -> str:
    """What Jinja's compiled code of a template depends on besides its source."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else _name(env.autoescape)
    settings = {
        "jinja2": jinja2.__version__, "python": [platform.python_implementation(), platform.python_version()],
        "syntax": [env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
                   env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix],
        "whitespace": [env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline],
        "extensions": sorted(env.extensions), "autoescape": autoescape, "finalize": _name(env.finalize),
        "optimized": env.optimized, "async": env.is_async, "code_generator": _name(env.code_generator_class),
    }
    return digest(json.dumps(settings, sort_keys=True))[:16]


class ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's file system loader, listing no file below a directory whose name starts with a dot."""

    @classmethod
    def like(cls, loader: jinja2.FileSystemLoader) -> ThemeLoader:
        return cls(loader.searchpath, encoding=loader.encoding, followlinks=loader.followlinks)

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [name for name in dirnames if not name.startswith(".")]
                for filename in filenames:
                    template = os.path.join(dirpath, filename)[len(searchpath):].strip(os.path.sep).replace(os.path.sep, "/")
                    found.add(template[2:] if template[:2] == "./" else template)
        return sorted(found)


class ThemeBytecodeCache(jinja2.BytecodeCache):
    """Jinja's FileSystemBytecodeCache, in a directory named after the fingerprint of the
    environment that compiles (read as it compiles: plugins add extensions to an environment after
    it is made)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _files(self, environment) -> FileSystemBytecodeCache:
        where = self.root / fingerprint(environment)
        where.mkdir(parents=True, exist_ok=True)
        return FileSystemBytecodeCache(str(where), "%s.cache")

    def load_bytecode(self, bucket) -> None:
        self._files(bucket.environment).load_bytecode(bucket)

    def dump_bytecode(self, bucket) -> None:
        self._files(bucket.environment).dump_bytecode(bucket)


def _quicker(get_env, root: Path):
    """The theme's `get_env`, giving each environment it makes a ThemeLoader and the bytecode
    cache: MkDocs lists the theme's files right after it makes the build's environment, before
    any event, and Material's search plugin makes one of its own for its translations."""
    if getattr(get_env, "quicker", False):
        return get_env

    def quicker_get_env():
        env = get_env()
        if type(env.loader) is jinja2.FileSystemLoader:  # as mkdocs.theme.Theme.get_env makes it
            env.loader = ThemeLoader.like(env.loader)
        env.bytecode_cache = ThemeBytecodeCache(root)
        return env

    quicker_get_env.quicker = True
    return quicker_get_env


@event_priority(100)  # before Material's search plugin makes its environment (0)
def on_config(config):
    config.theme.get_env = _quicker(config.theme.get_env, directory(config, "jinja"))
    return config
