"""No section id that the site published ever goes (tests/heading_ids.py, tests/heading-ids.txt):
each listed id is still a heading's id on its page, each alias is still inside the heading it
lands on, and every section id of the built site is listed, so that a new one is protected
from the day it is published. The checks are tried on small built sites too, broken on purpose."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from documents.editions import original_of, translation_locales
from heading_ids import LIST, Listed, gone, published, read_list, unlisted
from support import ROOT, page_address

CONFIG = str(ROOT / "mkdocs.yml")


def where(address: str) -> str:
    """A page, for a message: its address, its edition and its source, e.g. `/zh/ (the zh
    edition, docs/index.zh.md)`."""
    locales = translation_locales(CONFIG)
    for source in sorted((ROOT / "docs").rglob("*")):
        if source.suffix not in (".md", ".ipynb"):
            continue
        original = original_of(source, CONFIG)
        locale = source.suffixes[-2][1:] if original else "en"
        if address == "/" + (f"{locale}/" if locale in locales else "") + page_address(original or source):
            return f"{address} (the {locale} edition, {source.relative_to(ROOT).as_posix()})"
    return f"{address} (a page with no source in docs/)"


def listed() -> list[Listed]:
    return read_list(LIST.read_text("utf-8"))


# --- The site as built ---------------------------------------------------------------------------


def test_no_listed_section_id_is_gone(built_site):
    problems = gone(listed(), published(built_site), where)
    assert problems == [], "published section ids that no longer land on their section:\n" + "\n".join(problems)


def test_every_section_id_of_the_site_is_listed(built_site):
    missing = unlisted(listed(), published(built_site))
    assert missing == [], (
        f"section ids the site publishes that {LIST.relative_to(ROOT)} does not list. A published id must never "
        "change (a forum may link to it); add these lines to the list, so that they are protected:\n" + "\n".join(missing)
    )


def test_the_list_names_each_id_once_and_each_edition_alike():
    entries = listed()
    texts = [entry.text() for entry in entries]
    assert sorted(t for t in set(texts) if texts.count(t) > 1) == []
    # The editions share their ids (tests/test_editions.py): a line for one is a line for each.
    by_edition: dict[str, set[str]] = {}
    for entry in entries:
        edition = next((locale for locale in translation_locales(CONFIG) if entry.page.startswith(f"/{locale}/")), "")
        by_edition.setdefault(edition, set()).add(entry.text().removeprefix(f"/{edition}" if edition else ""))
    english = by_edition.pop("")
    assert {edition: sorted(english ^ lines) for edition, lines in by_edition.items()} == {edition: [] for edition in by_edition}


def test_each_alias_in_the_list_lands_inside_the_heading_it_names(built_site):
    pages = published(built_site)
    aliases = [entry for entry in listed() if entry.target]
    wrong = [entry.text() for entry in aliases if entry.page not in pages or pages[entry.page].aliases.get(entry.id) != entry.target]
    assert wrong == [], wrong
    # An alias is no heading of its own page (it would not land on the section it names).
    assert [entry.text() for entry in aliases if entry.id in pages[entry.page].headings] == []


def test_an_alias_is_in_no_table_of_contents_and_no_search_index(built_site):
    import json

    aliases = [entry for entry in listed() if entry.target]
    locations = {doc["location"] for index in built_site.rglob("search_index.json") for doc in json.loads(index.read_text("utf-8"))["docs"]}
    in_search = [entry.text() for entry in aliases if f"{entry.page.removeprefix('/')}#{entry.id}" in locations]
    in_toc = [entry.text() for entry in aliases if f'href="#{entry.id}"' in (built_site / entry.page.removeprefix("/") / "index.html").read_text("utf-8")]
    assert (in_search, in_toc) == ([], [])
    assert all(f"{entry.page.removeprefix('/')}#{entry.target}" in locations for entry in aliases)  # the section is searched


# --- The alias syntax, as MkDocs' Markdown renders it ---------------------------------------------


ALIASED = "# Title\n\n## <span id=\"question\"></span>The question {#the-question}\n\nText.\n"


def test_an_alias_renders_inside_its_heading_and_adds_no_toc_entry(tmp_path):
    from documents.includes import _markdown, render

    page = tmp_path / "page.md"
    page.write_text(ALIASED, encoding="utf-8")
    html = render(page, CONFIG)
    assert '<h2 id="the-question"><span id="question"></span>The question' in html
    parser_pages = _site(tmp_path / "site", {"index.html": html})
    assert parser_pages["/"].aliases == {"question": "the-question"}
    toc = _markdown(CONFIG, lexed=False).toc_tokens  # of the page just rendered (render uses that one)
    sections = [(t["id"], t["name"]) for t in toc[0]["children"]]
    assert sections == [("the-question", "The question")]


def test_the_editions_check_reads_an_aliased_heading_by_its_own_id(tmp_path):
    from test_editions import heading_ids

    page = tmp_path / "page.md"
    page.write_text(ALIASED, encoding="utf-8")
    assert heading_ids(page) == [(2, "the-question")]


# --- The checks, on small sites broken on purpose --------------------------------------------------


def _site(root: Path, pages: dict[str, str]) -> dict:
    for name, html in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(html, encoding="utf-8")
    return published(root)


HOME = '<h1 id="title">T</h1><h2 id="question">The question<a class="headerlink" href="#question">¶</a></h2><h2 id="answer">A</h2>'
RENAMED = HOME.replace('id="question"', 'id="the-question"')
ALIAS_KEPT = RENAMED.replace('<h2 id="the-question">', '<h2 id="the-question"><span id="question"></span>')
LIST_BEFORE = "# a comment\n/#question\n/#answer\n/zh/#question\n/zh/#answer\n"
LIST_AFTER = "/#question -> #the-question\n/#the-question\n/#answer\n/zh/#question -> #the-question\n/zh/#the-question\n/zh/#answer\n"


def _editions(tmp_path, english: str, chinese: str) -> dict:
    return _site(tmp_path, {"index.html": english, "zh/index.html": chinese})


def test_a_renamed_id_is_reported_with_its_page_and_edition_and_what_to_do(tmp_path):
    pages = _editions(tmp_path, RENAMED, RENAMED)
    problems = gone(read_list(LIST_BEFORE), pages, where)
    assert len(problems) == 2
    assert problems[0].startswith("/#question: no heading of / (the en edition, docs/index.md) has the id `question` any more")
    assert problems[1].startswith("/zh/#question: no heading of /zh/ (the zh edition, docs/index.zh.md) has the id `question`")
    assert '<span id="question"></span>' in problems[0] and "`/#question -> #NEW-ID`" in problems[0]


def test_a_renamed_id_kept_as_an_alias_passes_once_the_list_says_so(tmp_path):
    pages = _editions(tmp_path, ALIAS_KEPT, ALIAS_KEPT)
    assert gone(read_list(LIST_AFTER), pages, where) == []
    assert unlisted(read_list(LIST_AFTER), pages) == []
    # With the list as it was: the line to change, and the lines to add.
    assert gone(read_list(LIST_BEFORE), pages, where)[0] == (
        "/#question: `question` is now an alias on / (the en edition, docs/index.md): change its line to `/#question -> #the-question`"
    )
    assert unlisted(read_list(LIST_BEFORE), pages) == [
        "/#the-question",
        "/#question -> #the-question",
        "/zh/#the-question",
        "/zh/#question -> #the-question",
    ]


def test_an_alias_outside_its_heading_or_with_no_heading_to_land_on_is_reported(tmp_path):
    outside = RENAMED.replace('<h2 id="answer">', '<p><span id="question"></span></p><h2 id="answer">')
    other = RENAMED.replace('<h2 id="answer">A', '<h2 id="answer"><span id="question"></span>A')
    pages = _editions(tmp_path, outside, other)
    problems = gone(read_list(LIST_AFTER), pages, where)
    assert [p.split(":")[0] for p in problems] == ["/#question -> #the-question", "/zh/#question -> #the-question"]
    assert "it is in no heading" in problems[0] and "it is inside the heading `answer`" in problems[1]
    pages = _editions(tmp_path / "no-target", HOME.replace("question", "elsewhere"), ALIAS_KEPT)
    assert "has no heading `the-question` for the alias to land on" in gone(read_list(LIST_AFTER), pages, where)[0]


def test_a_new_id_fails_with_the_line_to_add(tmp_path):
    pages = _editions(tmp_path, HOME + '<h3 id="new-one">N</h3>', HOME)
    assert unlisted(read_list(LIST_BEFORE), pages) == ["/#new-one"]


def test_a_gone_page_is_reported(tmp_path):
    pages = _site(tmp_path, {"index.html": HOME})
    assert gone(read_list(LIST_BEFORE), pages, where)[0] == (
        "/zh/#question: the page /zh/ (the zh edition, docs/index.zh.md) is gone, and forums link to its sections: keep the page"
    )


@pytest.mark.parametrize("line", ["question", "/#", "/ #question", "/#a -> b", "questions/#masking"])
def test_a_line_that_is_no_address_fails_naming_it(line):
    with pytest.raises(ValueError, match=rf"heading-ids.txt:2: {line!r}"):
        read_list(textwrap.dedent(f"# comment\n{line}\n"))
