"""Which edition is being built: the one definition the hooks use.

The i18n plugin (mkdocs-static-i18n) builds the default language's site, then each other
language's into its own directory (`zh/`), one build after another on the same configuration,
and says which through its `current_language`. Every hook that does something per edition asks
here, never the plugin itself. A site without the plugin (the tests' tiny sites) is one edition,
in its theme's language.
"""

from __future__ import annotations


def _i18n(config):
    return config.plugins.get("i18n")


def language(config) -> str:
    """The locale of the edition being built: "en", "zh"."""
    i18n = _i18n(config)
    return i18n.current_language if i18n else config.theme["language"]


def default_language(config) -> str:
    i18n = _i18n(config)
    return i18n.default_language if i18n else config.theme["language"]


def is_default(config) -> bool:
    """Whether the edition being built is the default language's, at the site's root."""
    return language(config) == default_language(config)


def prefix_of(config, locale: str) -> str:
    """The directory of `locale`'s edition below the site's root, with its slash: "" or "zh/"."""
    return "" if locale == default_language(config) else f"{locale}/"


def prefix(config) -> str:
    """The directory of the edition being built: "" for the default language, "zh/" for Chinese."""
    return prefix_of(config, language(config))


def locales(config) -> list[str]:
    """Every edition's locale, the default language's first, in the order they are built."""
    i18n = _i18n(config)
    return list(i18n.build_languages) if i18n else [language(config)]


def nested(config) -> bool:
    """Whether this is the build of an edition that the i18n plugin runs from inside the default
    edition's (from its `on_post_build`): the whole site is done only when the outer one ends."""
    i18n = _i18n(config)
    return bool(i18n and i18n.building)


def home_alternates(config) -> dict:
    """The language links as the i18n plugin first configured them: each edition's home page."""
    return _i18n(config).extra_alternate
