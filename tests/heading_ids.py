"""The section ids the built site publishes, against the list of them that is committed
(tests/heading-ids.txt): forums and other sites link to a section by its heading's id, so no
id that was ever published may go. A renamed section keeps its old id as an alias, an empty element with
that id inside the heading (`## <span id="old"></span>New title {#new}`), which lands the
reader on the section; the list records it as `/page/#old -> #new`.

Addresses are as a reader sees them below the site's root: `/questions/#masking`,
`/zh/questions/#masking`, `/#question` for the home page. tests/test_heading_ids.py runs the
checks on the built site; they are functions of a built site and a list, so that they can be
tried on small ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

LIST = Path(__file__).resolve().parent / "heading-ids.txt"

# Sections: h2 to h6. A page's title (h1) is its top, where a link whose id has gone still
# lands (a browser opens the page at its top), and its id is made from the title's words.
_HEADING = re.compile(r"h[2-6]")
# `/page/#id` or `/page/#old -> #new`; a page is `/`, `/name/`, `/zh/name/`, `/404.html`.
_LINE = re.compile(r"(?P<page>/(?:[\w.-]+/)*(?:[\w-]+\.html)?)#(?P<id>[^\s#]+)(?:\s*->\s*#(?P<target>[^\s#]+))?")


@dataclass(frozen=True)
class Listed:
    """A line of the list: the page, the id, and for an alias the heading id it lands on."""

    page: str
    id: str
    target: str | None = None
    line: int = 0

    def text(self) -> str:
        return f"{self.page}#{self.id}" + (f" -> #{self.target}" if self.target else "")


def read_list(text: str) -> list[Listed]:
    """The list's lines; `#` at a line's start begins a comment. A line that is neither fails,
    naming its number."""
    listed = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if not match:
            raise ValueError(f"{LIST.name}:{number}: {line!r} is not `/page/#id` or `/page/#old-id -> #id`")
        listed.append(Listed(match["page"], match["id"], match["target"], number))
    return listed


class _Ids(HTMLParser):
    """A page's heading ids, and each alias: an element with an id inside a heading that has one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.aliases: dict[str, str] = {}  # alias id -> heading id
        self._open: list[str] = []  # the headings open now: their ids ("" without one)

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id") or ""
        if _HEADING.fullmatch(tag):
            self._open.append(element_id)
            if element_id:
                self.headings.append(element_id)
        elif element_id and self._open and self._open[-1]:
            self.aliases[element_id] = self._open[-1]

    def handle_endtag(self, tag):
        if _HEADING.fullmatch(tag) and self._open:
            self._open.pop()


@dataclass
class Page:
    headings: list[str]
    aliases: dict[str, str]


def published(site: Path) -> dict[str, Page]:
    """Each page of the built site at `site` (by its address) with its heading ids and aliases."""
    pages = {}
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site)
        if "assets" in relative.parts:
            continue
        parser = _Ids()
        parser.feed(html.read_text("utf-8"))
        pages["/" + relative.as_posix().removesuffix("index.html")] = Page(parser.headings, parser.aliases)
    return pages


def _alias_how(old: str) -> str:
    return f'`<span id="{old}"></span>` at the start of the heading that now has its content, in both editions'


def gone(listed: list[Listed], pages: dict[str, Page], where) -> list[str]:
    """What the list names that the site no longer has, each said with what to do. `where(page)`
    names the page for a reader of the message (its edition and source file)."""
    problems = []
    for entry in listed:
        page = pages.get(entry.page)
        if page is None:
            problems.append(f"{entry.text()}: the page {where(entry.page)} is gone, and forums link to its sections: keep the page")
        elif entry.target is None and entry.id not in page.headings:
            if entry.id in page.aliases:
                problems.append(f"{entry.text()}: `{entry.id}` is now an alias on {where(entry.page)}: change its line to `{entry.page}#{entry.id} -> #{page.aliases[entry.id]}`")
            else:
                problems.append(
                    f"{entry.text()}: no heading of {where(entry.page)} has the id `{entry.id}` any more. Forums link to it: "
                    f"if the section was renamed, moved or merged, keep `{entry.id}` as an alias, {_alias_how(entry.id)}, "
                    f"and change this line to `{entry.page}#{entry.id} -> #NEW-ID` (CONTRIBUTING: renaming a section)"
                )
        elif entry.target is not None:
            if entry.target not in page.headings:
                problems.append(f"{entry.text()}: {where(entry.page)} has no heading `{entry.target}` for the alias to land on")
            elif page.aliases.get(entry.id) != entry.target:
                found = f"it is inside the heading `{page.aliases[entry.id]}`" if entry.id in page.aliases else "it is in no heading"
                problems.append(f"{entry.text()}: the alias `{entry.id}` must be inside the heading `{entry.target}` of {where(entry.page)}, {_alias_how(entry.id)}; {found}")
    return problems


def unlisted(listed: list[Listed], pages: dict[str, Page]) -> list[str]:
    """The lines the list lacks: a heading id or an alias the site publishes and the list does
    not name, as the exact line to add."""
    have = {(entry.page, entry.id, entry.target) for entry in listed}
    lines = []
    for address, page in pages.items():
        lines += [f"{address}#{heading}" for heading in page.headings if (address, heading, None) not in have]
        lines += [f"{address}#{alias} -> #{heading}" for alias, heading in page.aliases.items() if (address, alias, heading) not in have]
    return lines
