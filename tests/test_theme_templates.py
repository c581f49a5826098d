"""overrides/hooks/theme_templates.py: Jinja's compiled templates kept, for environments that
compile alike only, and used only for the source they were compiled from."""

from __future__ import annotations

import jinja2
from jinja2.ext import loopcontrols

from support import load_hook

hook = load_hook("theme_templates")


def _env(templates, tmp_path, **settings):
    """An environment as the theme's `get_env`, given the hook's cache, makes it."""
    make = lambda: jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), **settings)  # noqa: E731
    return hook._quicker(make, tmp_path / ".cache" / "jinja")()


def test_a_template_is_compiled_once_and_again_when_its_source_changes(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{% for i in range(3) %}{{ i }}{% endfor %}", "utf-8")
    assert _env(templates, tmp_path).get_template("page.html").render() == "012"
    assert len(list((tmp_path / ".cache" / "jinja").glob("*/*.cache"))) == 1

    # The next build's environment loads the bytecode and compiles nothing.
    env = _env(templates, tmp_path)
    monkeypatch.setattr(env, "compile", lambda *args, **kwargs: (_ for _ in ()).throw(AssertionError("compiled again")))
    assert env.get_template("page.html").render() == "012"
    monkeypatch.undo()

    # The source changed: compiled again, the new source rendered.
    (templates / "page.html").write_text("{% for i in range(2) %}{{ i }}{% endfor %}", "utf-8")
    assert _env(templates, tmp_path).get_template("page.html").render() == "01"


def test_environments_that_compile_otherwise_do_not_share_a_cache(tmp_path):
    plain = jinja2.Environment()
    assert hook.fingerprint(plain) == hook.fingerprint(jinja2.Environment())
    others = [jinja2.Environment(extensions=[loopcontrols]), jinja2.Environment(trim_blocks=True),
              jinja2.Environment(autoescape=True), jinja2.Environment(variable_start_string="[[", variable_end_string="]]"),
              jinja2.Environment(finalize=str)]
    assert len({hook.fingerprint(env) for env in others} | {hook.fingerprint(plain)}) == len(others) + 1


def test_mkdocs_finds_the_same_theme_files_with_the_loader_that_skips_dot_directories():
    import os

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from support import ROOT

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(ROOT / "mkdocs.yml"))
    found = {}
    for name, make in {"jinja": lambda loader: loader, "hook": hook.ThemeLoader.like}.items():
        env = config.theme.get_env()
        env.loader = make(env.loader)
        files = Files([])
        files.add_files_from_theme(env, config)
        found[name] = sorted((f.src_uri, f.abs_src_path) for f in files)
    assert found["hook"] == found["jinja"] and len(found["jinja"]) > 10
    # It lists far less: Material's icons are not walked.
    env = config.theme.get_env()
    assert len(hook.ThemeLoader.like(env.loader).list_templates()) < len(env.loader.list_templates()) / 10
    # The build's environment has it from the start: MkDocs lists the theme right after making it.
    hook.on_config(config)
    hook.on_config(config)  # (each edition's build configures the theme again)
    assert type(config.theme.get_env().loader) is hook.ThemeLoader


def test_an_extension_added_after_the_environment_is_made_compiles_into_a_cache_of_its_own(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{% for i in range(3) %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}", "utf-8")
    env = _env(templates, tmp_path)
    env.add_extension(loopcontrols)  # as the i18n plugin does in on_env
    assert env.get_template("page.html").render() == "02"
    assert [p.name for p in (tmp_path / ".cache" / "jinja").iterdir()] == [hook.fingerprint(env)]
