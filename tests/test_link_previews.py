"""A link to any page, pasted into a forum or a chat, previews properly: each page has its own
one-sentence description, Open Graph and Twitter card tags with its edition's preview image
(overrides/hooks/previews.py), a canonical URL under site_url, and a place in the sitemap, in
both editions."""

from __future__ import annotations

import re
import struct
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.config import load_config

from support import ROOT, SMALL_PAGES, build_site, load_hook, small_project

SITE_URL = load_config(str(ROOT / "mkdocs.yml"))["site_url"]


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta[attrs.get("name") or attrs.get("property")] = attrs.get("content") or ""
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def pages(site: Path) -> list[Path]:
    """Every page of the built site but the 404 page."""
    return sorted(p for p in site.rglob("index.html") if p.parent.name != "assets")


def head(page: Path) -> _Head:
    parsed = _Head()
    parsed.feed(page.read_text("utf-8"))
    return parsed


def test_site_url_is_set_once_and_used(built_site):
    assert SITE_URL.startswith("https://") and SITE_URL.endswith("/")
    # Every page in the nav, in both editions: a page left out of the sitemap or the nav
    # would have no preview checked below.
    nav_pages = len(load_config(str(ROOT / "mkdocs.yml"))["nav"])
    assert len(pages(built_site)) == 2 * nav_pages


def test_every_page_has_its_own_one_sentence_description(built_site):
    site_description = load_config(str(ROOT / "mkdocs.yml"))["site_description"]
    seen = {}
    for page in pages(built_site):
        description = head(page).meta.get("description", "")
        where = page.relative_to(built_site)
        assert description and description != site_description.strip(), where
        # One sentence: it ends with a full stop and has no other sentence end before it.
        assert re.fullmatch(r"[^。]*[^.]\.|[^。]*。", description) and ". " not in description, (where, description)
        assert len(description) <= 300, where
        assert description not in seen, (where, seen.get(description))
        seen[description] = where


def test_every_page_has_open_graph_and_twitter_tags_and_a_canonical_url(built_site):
    for page in pages(built_site):
        parsed, where = head(page), page.relative_to(built_site)
        path = where.parent.as_posix()
        expected = SITE_URL + ("" if path == "." else path + "/")
        assert parsed.canonical == expected, where
        meta = parsed.meta
        assert meta["og:url"] == expected, where
        assert meta["og:title"] == meta["twitter:title"] == parsed.title.strip(), where
        assert meta["og:description"] == meta["twitter:description"] == meta["description"], where
        assert meta["og:locale"] == ("zh_CN" if path.startswith("zh") else "en_US"), where
        assert meta["twitter:card"] == "summary_large_image" and meta["og:type"] in ("website", "article"), where
        # The edition's own preview image, drawn at build time and served by the site itself.
        image = SITE_URL + ("zh/" if path.startswith("zh") else "") + "preview.png"
        assert meta["og:image"] == meta["twitter:image"] == image, where
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630"), where
        chinese_alt = re.search(r"[\u4e00-\u9fff]", meta["og:image:alt"]) is not None
        assert chinese_alt == path.startswith("zh") and "softmax" in meta["og:image:alt"], (where, meta["og:image:alt"])


@pytest.mark.parametrize("language", ["en", "zh"])
def test_each_preview_image_is_a_png_of_the_stated_size_drawn_the_same_on_every_build(built_site, language, monkeypatch):
    png = (built_site / ("zh/" if language == "zh" else "") / "preview.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (1200, 630)
    assert b"Software" not in png and b"Date" not in png  # nothing in it that changes between builds
    # The build ran in another process: a fresh drawing here is the same bytes (with a cache
    # of its own: the hook's cache lasts for the process, site_build/cache.named).
    previews = load_hook("previews")
    monkeypatch.setattr(previews, "cache", previews.Cache())
    site_name = head(built_site / ("zh/" if language == "zh" else "") / "index.html").meta["og:site_name"]
    assert previews.draw(language, site_name) == png


def test_without_the_chinese_font_the_build_stops_and_says_what_to_install(monkeypatch):
    from matplotlib import font_manager
    from mkdocs.exceptions import PluginError

    previews = load_hook("previews")
    real = font_manager.findfont

    def findfont(properties, *args, **kwargs):
        if "CJK" in str(properties.get_family()):
            raise ValueError("not found")
        return real(properties, *args, **kwargs)

    monkeypatch.setattr(font_manager, "findfont", findfont)
    with pytest.raises(PluginError, match="fonts-noto-cjk"):
        previews.draw("zh", "反复 softmax：原理与验证")
    assert previews.draw("en", "Repeated softmax")[:4] == b"\x89PNG"  # English needs matplotlib's own font only


def test_the_sitemap_lists_every_page_with_its_other_edition(built_site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(built_site / "sitemap.xml")
    listed = {}
    for url in tree.getroot().findall("s:url", namespace):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", namespace)}
        listed[url.find("s:loc", namespace).text] = alternates
    assert set(listed) == {head(page).canonical for page in pages(built_site)}
    for loc, alternates in listed.items():
        english = loc.replace(SITE_URL + "zh/", SITE_URL, 1)
        assert alternates == {"en": english, "zh": english.replace(SITE_URL, SITE_URL + "zh/", 1)}, loc
    # The pairs live here, not in <link rel="alternate"> tags: Material's script would fetch
    # a sitemap beside each such link on every page load.
    for page in pages(built_site):
        assert '<link rel="alternate" href=' not in page.read_text("utf-8"), page


@pytest.mark.parametrize("bad", ['"quoted" & <tagged>'])
def test_descriptions_are_escaped_in_attributes(tmp_path, bad):
    """A description with quotes or markup cannot break out of its attribute (on a small copy of
    the project, support.small_project: the site's configuration and templates)."""
    page = re.sub(r"^description: .*$", f"description: '{bad}'", SMALL_PAGES["index.md"], count=1, flags=re.M)
    assert page != SMALL_PAGES["index.md"]
    result = build_site(small_project(tmp_path / "project", {**SMALL_PAGES, "index.md": page}), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert head(tmp_path / "site" / "index.html").meta["og:description"] == bad


def test_a_preview_is_drawn_once_and_again_when_what_it_shows_changes(tmp_path, monkeypatch):
    previews = load_hook("previews")
    # The hook's cache lasts for the process (site_build/cache.named): one of its own here.
    monkeypatch.setattr(previews, "cache", previews.Cache())
    drawn = previews.draw("en", "Repeated softmax", tmp_path)
    assert len(list(tmp_path.iterdir())) == 1
    # A new process reads it back from disk and draws nothing (pyplot is not even imported).
    monkeypatch.setattr(previews, "cache", previews.Cache())
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)  # an import of it would fail
    assert previews.draw("en", "Repeated softmax", tmp_path) == drawn
    monkeypatch.undo()
    monkeypatch.setattr(previews, "cache", previews.Cache())
    # Another title (the site's name changed): drawn anew.
    other = previews.draw("en", "Repeated softmax, again", tmp_path)
    assert other != drawn and other[:4] == b"\x89PNG" and len(list(tmp_path.iterdir())) == 2  # the latest few kept
