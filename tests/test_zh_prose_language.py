"""No English sentence is left for a Chinese reader: the built zh pages' prose and interface.

Read on every built page under zh/ (and the Chinese half of the root 404 page): the text outside
code (`pre`, `code`, the notebook's copy text), maths and inline SVG, and the attributes a reader
or a screen reader meets (`title`, `aria-label`, `alt`, `placeholder`) and the page's description.
A run of two or more Latin-script words, at least one of them an ordinary English word (not an
identifier, a dtype, an acronym, a number, nor one of TERMS), is English left untranslated. Allowed,
as a Chinese technical text writes them: the names and titles of cited works (in a link to the
source, and a reference's citation up to its "："), and an English gloss in full-width parentheses
right after a Chinese term or a quoted phrase (“在数值上不稳定”（numerically unstable）). Code
comments, printed labels and figures are checked elsewhere (tests/test_notebook.py and the
snippets' own tests).
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction

SKIP_TAGS = {"pre", "code", "kbd", "samp", "math", "svg", "script", "style", "template"}
SKIP_CLASSES = {"clipboard-copy-txt"}  # mkdocs-jupyter's hidden copy of a cell's code
ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
META = {"description", "og:title", "og:description", "og:site_name", "twitter:title", "twitter:description"}
# Terms a Chinese technical text keeps in English.
TERMS = {"softmax", "logits", "logit", "one-hot", "dtype", "argmax", "sparsemax", "entmax", "autograd",
         "notebook", "beta", "max", "min", "padding", "log"}
# Names of another program's interface, which Chinese readers meet in English.
NAMES = {"Run All"}  # Jupyter's menu command, named as its default interface shows it
RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’.-]*(?:[ \u00a0]+[A-Za-z][A-Za-z0-9'’.-]*)+")
# An ordinary English word: lower case, two letters or more (names, titles' capitalised words,
# abbreviations such as "J. Math. Phys." and single-letter symbols are not).
PLAIN = re.compile(r"[a-z]{2,}(?:[-'’][a-z]+)*")
BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "dt", "dd", "summary", "title", "label", "button", "option"}
QUOTED = re.compile(r'"[^"]*"')  # a title quoted verbatim: the Chinese prose's own quotes are “”
GLOSSED = re.compile(r"[\u3400-\u9fff”]")


def is_phrase(run: str) -> bool:
    words = run.split()
    return len(words) >= 2 and run not in NAMES and any(
        PLAIN.fullmatch(word) and word.rstrip(".").lower() not in TERMS for word in words)


def phrases(text: str) -> list[str]:
    found = []
    for match in RUN.finditer(text):
        start, end = match.span()
        glossed = (start >= 2 and text[start - 1] == "（" and end < len(text) and text[end] == "）"
                   and GLOSSED.match(text[start - 2]))
        if not glossed and is_phrase(match[0]):
            found.append(match[0])
    return found


def _skipped(element) -> bool:
    for parent in [element, *element.parents]:
        if getattr(parent, "name", None) in SKIP_TAGS or SKIP_CLASSES & set(parent.get("class", []) if hasattr(parent, "get") else []):
            return True
        if getattr(parent, "name", None) == "a" and str(parent.get("href", "")).startswith(("http://", "https://")):
            return True  # a cited source's name or title, or a product's
        if getattr(parent, "name", None) == "nav" and "md-nav--secondary" in parent.get("class", []):
            return True  # the table of contents: a copy of the page's headings, checked in place
        if getattr(parent, "name", None) in {"em", "cite"} and not GLOSSED.search(parent.get_text()):
            return True  # a work's title in italics
    return False


def english_in(html: str, page: str) -> list[str]:
    """The English phrases of a page's prose and interface, each with where it was found."""
    soup = BeautifulSoup(html, "html.parser")
    references = page.startswith("zh/references/")
    found = []
    blocks: dict[int, tuple[object, list[str]]] = {}  # each block element's text, without what is skipped
    for string in soup.find_all(string=True):
        if isinstance(string, (Comment, Doctype, Declaration, ProcessingInstruction)) or _skipped(string):
            continue
        block = next((parent for parent in string.parents if parent.name in BLOCKS), string.parent)
        blocks.setdefault(id(block), (block, []))[1].append(str(string))
    for block, pieces in blocks.values():
        text = QUOTED.sub(" ", "".join(pieces))
        if references and block.name == "li" and "：" in text:
            text = text.split("：", 1)[1]  # a reference's citation: authors, title, venue
        found += [f"{page}: text {phrase!r}" for phrase in phrases(text)]
    for tag in soup.find_all(True):
        if _skipped(tag):
            continue
        for attribute in ATTRIBUTES:
            if isinstance(value := tag.get(attribute), str):
                found += [f"{page}: {tag.name}[{attribute}] {phrase!r}" for phrase in phrases(value)]
        if tag.name == "meta" and (tag.get("name") or tag.get("property")) in META:
            found += [f"{page}: meta {phrase!r}" for phrase in phrases(tag.get("content", ""))]
    return found


def zh_pages(site: Path) -> dict[str, str]:
    pages = {str(path.relative_to(site).as_posix()): path.read_text("utf-8") for path in sorted((site / "zh").rglob("*.html"))}
    # The root 404 page, served for a mistyped /zh/ address too: its Chinese part.
    soup = BeautifulSoup((site / "404.html").read_text("utf-8"), "html.parser")
    pages["404.html [lang=zh]"] = "".join(str(part) for part in soup.select('[lang="zh"]') if part.name != "html")
    return pages


def test_no_english_phrase_in_the_zh_edition(built_site):
    found = [entry for page, html in zh_pages(built_site).items() for entry in english_in(html, page)]
    assert not found, "\n".join(found)


# The English interface strings of the theme and plugins that zh pages used to show: one word
# ("Copied!") is no phrase to the check above, so each is looked for as it is written.
INTERFACE = ("Permanent link", "Copy to Clipboard", ">Copied!<", "Made with")


def test_no_english_interface_string_on_zh_pages(built_site):
    found = [f"{page}: {string!r}" for page, html in zh_pages(built_site).items() for string in INTERFACE if string in html]
    assert not found, "\n".join(found)


def test_the_404_page_speaks_both_languages(built_site):
    soup = BeautifulSoup((built_site / "404.html").read_text("utf-8"), "html.parser")
    chinese = soup.select_one('article [lang="zh"], .md-content [lang="zh"]')
    english = soup.select_one('article [lang="en"], .md-content [lang="en"]')
    assert chinese and english, "the 404 page has no Chinese or no English part"
    assert re.search(r"[\u4e00-\u9fff]", chinese.get_text()) and "Not found" in english.get_text()
    prefix = re.sub(r"^https?://[^/]+", "", soup.find("link", rel="icon")["href"]).split("assets/")[0]
    assert chinese.find("a", href=f"{prefix}zh/"), "the Chinese part does not link to the Chinese home page"
    assert english.find("a", href=prefix), "the English part does not link to the English home page"


def test_a_phrase_is_found_and_a_term_or_gloss_is_not():
    assert phrases("复制 Copy to Clipboard 按钮") == ["Copy to Clipboard"]
    assert phrases("永久链接 Permanent link") == ["Permanent link"]
    assert phrases("float32 logits 和 x86 CPU 上的 one-hot 向量") == []
    assert phrases("“在数值上不稳定”（numerically unstable）") == []
    assert phrases("旋节点（spinodal point）") == []
    assert phrases("见 (spinodal point)") == ["spinodal point"]


# A space after full-width punctuation, which carries its own space: "区间。 设", as a bold
# run-in head written `**……。** 设` shows.
_AFTER_FULL_STOP = re.compile(r"[。，；：！？](?:</?(?:strong|em|b|i|a)\b[^>]*>)*[ \u00a0]+(?=\S)")


def test_no_space_after_full_width_punctuation(built_site):
    found = []
    for page, html in zh_pages(built_site).items():
        for part in re.split(r'<pre\b.*?</pre>|<code\b.*?</code>|<math\b.*?</math>|<div class="clipboard-copy-txt".*?</div>', html, flags=re.DOTALL):
            found += [f"{page}: {part[max(0, m.start() - 12):m.end() + 4]!r}" for m in _AFTER_FULL_STOP.finditer(part)]
    assert not found, "\n".join(found)
