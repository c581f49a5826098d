"""The pages' fences as the tests read them (tests/documents/), read once and kept.

Two hooks read every page's fences: unclosed_fences.py, that each is closed in the file that opens
it, on every page of both editions; verification.py, the key of every fence of the original pages,
for each edition's verification page. Each used to expand the page's includes and parse it again,
and verification.py rendered every page once more to compare its code blocks; it took a second of
every build and of every serve rebuild. Here each result is kept (site_build/cache.py): by the
page's path and the digest of its text, and by what reading any page depends on besides, its
`sources`: the digests of mkdocs.yml, of every file the snippets can come from (pymdownx.snippets
includes only from its base path, snippets/) and of the reading code (tests/documents/), and the
versions of the Markdown packages. A page whose text changed, or a snippet, is read again; an
unchanged one is not, in the next serve rebuild or the next build. A page the tests refuse is
never kept: its error is raised again at every build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .cache import MISSING, Cache, digest, directory, named, version

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests"))
import documents  # noqa: E402
from documents.includes import ExpandedPage, expand_page, preprocessors  # noqa: E402
from documents.record import keys_of  # noqa: E402
from documents.regions import check_closed, fences_of, relative  # noqa: E402
from documents.syntax import fence_parser  # noqa: E402

# The packages that read a page (distribution, module).
PACKAGES = (("markdown", "markdown"), ("pymdown-extensions", "pymdownx"), ("markdown-it-py", "markdown_it"),
            ("mdit-py-plugins", "mdit_py_plugins"), ("pygments", "pygments"), ("mkdocs", "mkdocs"), ("pyyaml", "yaml"))
FORMAT = 1
cache = named("pages")  # kept from one serve rebuild to the next (site_build/cache.py)
_parser = fence_parser()
_expanded: dict[str, tuple[str, ExpandedPage]] = {}  # path -> (key, the page expanded), this process only
_sources: tuple[object, dict] | None = None  # (the configuration, its sources), the latest build's


def _tree(paths) -> str:
    """The digest of every file below `paths`, with its path."""
    files = sorted({file for path in paths for file in ([path] if path.is_file() else path.rglob("*")) if file.is_file()})
    return digest("".join(f"{file}\0{digest(file.read_bytes())}\0" for file in files))


def sources(config) -> dict:
    """What reading a page depends on besides the page: computed once per build (MkDocs makes a
    configuration per build, which the i18n plugin's editions share; `mkdocs serve` a new one at
    each rebuild)."""
    global _sources
    if _sources is None or _sources[0] is not config:
        config_file = config.config_file_path
        plain, _ = preprocessors(config_file)
        code = Path(documents.__file__).parent
        _sources = (config, {
            "format": FORMAT,
            "config": digest(Path(config_file).read_bytes()),
            "snippets": _tree([Path(p) for p in plain.base_path]),
            "documents": _tree(sorted(code.glob("*.py"))),
            "hook": digest(Path(__file__).read_bytes()),
            **{name: version(name, module) for name, module in PACKAGES},
        })
    return _sources[1]


def _made_from(path: Path, config, kind: str, **more) -> tuple[str, dict]:
    name = relative(Path(path), Path(config.config_file_path).parent)
    made_from = {**sources(config), "kind": kind, "page": name, "text": digest(Path(path).read_bytes()), **more}
    return f"{kind}.{name.replace('/', '-')}", made_from


def expanded(path: Path, config) -> ExpandedPage:
    """The page at `path` with its includes expanded (documents/includes.py), kept in memory."""
    _, made_from = _made_from(path, config, "expanded")
    name = digest(repr(sorted(made_from.items())))
    kept = _expanded.get(str(path))
    if kept is None or kept[0] != name:
        kept = (name, expand_page(Path(path), config.config_file_path))
        _expanded[str(path)] = kept
    return kept[1]


def check_closed_fences(path: Path, config) -> None:
    """Every fence of the page is closed in the file that opens it (documents/regions.py's
    check_closed; raises FenceError or IncludeError)."""
    slot, made_from = _made_from(path, config, "closed")
    where = directory(config, "pages")
    if cache.get(where, slot, made_from) is MISSING:
        check_closed(expanded(path, config), _parser)
        cache.put(where, slot, made_from, True)


def fence_keys(path: Path, config, device: str) -> dict[str, str]:
    """Each fence of the page by its id on `device`, to its key (documents/record.py; raises
    FenceError or IncludeError for a page the tests refuse)."""
    root = Path(config.config_file_path).parent
    slot, made_from = _made_from(path, config, "keys", device=device, root=str(root))
    where = directory(config, "pages")
    keys = cache.get(where, slot, made_from)
    if keys is MISSING:
        keys = keys_of(fences_of(expanded(path, config), _parser), device, root)
        cache.put(where, slot, made_from, keys)
    return keys
