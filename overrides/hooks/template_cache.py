"""MkDocs hook: Jinja compiles each of the theme's templates once, not at every build.

MkDocs makes a new Jinja environment for every build, and the i18n plugin runs one build per
edition, so Jinja parsed and compiled Material's 44 templates and ours twice a build (half a
second) and again at every serve rebuild. Jinja's own bytecode cache (`FileSystemBytecodeCache`,
its documented answer to this) keeps each compiled template under .cache/jinja/, keyed by the
template's name and file, and uses it only while the template's source has the checksum it was
compiled from. What else the compiled code depends on, the environment's settings (delimiters,
whitespace handling, extensions, autoescaping, finalize) and the Jinja and Python versions, names
the cache's directory: environments that compile differently never share one.
"""

from __future__ import annotations

import json
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


@event_priority(-200)  # after the plugins that add extensions (the i18n plugin's loopcontrols)
def on_env(env, config, files):
    env.bytecode_cache = FileSystemBytecodeCache(str(_ensure(directory(config, "jinja") / fingerprint(env))), "%s.cache")
    return env


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
