"""Language editions: `docs/NAME.zh.md` is the Chinese edition of `docs/NAME.md`.

The i18n plugin in mkdocs.yml names the languages. A translated page includes the same snippets
as its original, in the same order, so its examples are the original's: the harness runs them
once, on the original, and checks for each translation that it shows exactly the same examples,
all of them included from snippets/ (a fence written into a page would need a second copy).
"""

from __future__ import annotations

import functools
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from .includes import ExpandedPage, display_path
from .regions import Fence


class _PluginSettings(base.Config):
    """The plugins list of mkdocs.yml, as written (loading it as MkDocs does imports every plugin)."""

    plugins = c.Type(list, default=[])


@functools.cache
def translation_locales(config_file: str) -> frozenset[str]:
    """The locales of the i18n plugin's languages other than the default one."""
    config = _PluginSettings(config_file_path=config_file)
    with open(config_file, "rb") as file:
        config.load_dict(yaml_load(file, get_yaml_loader(config=config)))
    config.validate()
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            languages = plugin["i18n"].get("languages", [])
            return frozenset(lang["locale"] for lang in languages if not lang.get("default"))
    return frozenset()


def original_of(path: Path, config_file: str) -> Path | None:
    """`docs/NAME.md` for a translation `docs/NAME.LOCALE.md`; None for a page that is no translation."""
    path = Path(path)
    suffixes = path.suffixes
    if len(suffixes) >= 2 and suffixes[-2][1:] in translation_locales(config_file):
        return path.with_name(path.name.removesuffix(suffixes[-2] + suffixes[-1]) + suffixes[-1])
    return None


def included_snippets(page: ExpandedPage) -> list[str]:
    """The files a page includes, in order (a file included twice in a row counts once)."""
    included: list[str] = []
    itself = display_path(page.path)
    for origin in page.origins:
        if origin is not None and (name := display_path(origin.path)) != itself:
            if not included or included[-1] != name:
                included.append(name)
    return included


def differences(original: list[Fence], translation: list[Fence], pages: tuple[ExpandedPage, ExpandedPage]) -> list[str]:
    """How the examples of a translation differ from those of its original; empty when the same.
    `pages` are the two expanded pages, `original` and `translation` their fences."""
    problems = []
    for page, fences in zip(pages, (original, translation)):
        for fence in fences:
            if fence.origin.path.resolve() == page.path.resolve():
                problems.append(
                    f"{fence.origin}: this example is written in the page itself; a page with another "
                    "edition takes its examples from snippets/, included in both editions"
                )
    included = [included_snippets(page) for page in pages]
    if included[0] != included[1]:
        problems.append(
            f"the editions include different snippets, or in another order:\n"
            f"  {display_path(pages[0].path)}: {', '.join(included[0]) or 'none'}\n"
            f"  {display_path(pages[1].path)}: {', '.join(included[1]) or 'none'}"
        )
    for index, (a, b) in enumerate(zip(original, translation)):
        if (a.origin, a.content) != (b.origin, b.content):
            problems.append(f"example {index + 1} differs: {a.origin} in the original, {b.origin} in the translation")
            break
    if len(original) != len(translation):
        problems.append(f"{display_path(pages[0].path)} shows {len(original)} examples, {display_path(pages[1].path)} {len(translation)}")
    return problems


def originals(pages, config_file: str) -> list[Path]:
    """The pages whose examples run: each translation stands for its original."""
    return sorted({original_of(page, config_file) or Path(page) for page in pages})
