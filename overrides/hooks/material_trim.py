"""MkDocs hook: Material's stylesheets keep only the rules that can apply to this site.

Material's main stylesheet (137 KB) styles every component Material has: blogs, tabs, grids,
cards, tooltips, the admonition types, keyboard keys, right-to-left pages, ... Every page loads
it, and it was a third of a page's first load (tests/test_browser_pages.py's budget); a phone
also matches every rule of it against the page as it lays the page out. After the whole build,
this hook reads every page the build wrote, both editions and the 404 page, and serves
Material's stylesheets (the main one and the palettes, after overrides/hooks/palette_switch.py)
without the rules that can match no element of any of them, at load or later.

"Later" is what Material's script does to a page: it adds elements (the code blocks' copy
buttons, search results, tooltips, the dialog, table wrappers, search-highlight marks), classes
(`md-nav__link--active`, `focus-visible`, ...) and attributes (`hidden`, `data-md-state`,
`data-md-color-*`, ...). What it can add is read from its bundle: the classes and tags of the
elements it creates (`x("nav",{class:"md-code__nav"})`, `createElement("span")`, `<mark`), the
classes it adds to others (`classList.add(...)`, `className=`), the class prefixes it completes
at run time (`md-tag--${...}`); the site's own scripts may use any word they contain, and a
search result shows the tags of the search index's text. A selector is then judged this way,
part by part (a compound selector, between combinators):

- a part that Material's script or the site's could create (its tag and classes are all among
  theirs) is left out of the test, and so are the classes that a script may add, any attribute
  test, any pseudo-class and pseudo-element: each of these may hold at some time;
- what remains must hold on an element the build wrote, with `>` and `+` read as ` ` and `~`
  (a wrapper or a button may be put between two elements): soupsieve matches it against each
  page, as overrides/hooks/notebook_trim.py does for the notebook's stylesheet (whose functions
  are used here), where an attribute the scripts never write (`dir`) or only copy from the page
  (`data-md-color-*`, from the palette toggle) must have one of the values the pages have for it.

So `[dir=rtl] .md-typeset ol` (no page is right-to-left), `.md-typeset kbd`, `.md-typeset
.admonition.example` and the tabs' rules go, and `.md-typeset mark`, `.md-search-result__item`,
`.md-code__button` and `.md-dialog--active` stay. A selector soupsieve cannot read is kept, and
so is every at-rule but `@media`/`@supports` (judged by the rules inside) and `@keyframes` (kept
when a kept rule names it); of the custom properties, those something uses stay (notebook_trim).
tests/test_browser_css_trim.py checks it in Chromium: every rule of Material's whole stylesheet
that matches an element on the site's pages, after the reader's actions too (search, copying,
the drawer, the palette toggle), is still served, and the pages look the same.

Judging the selectors takes seconds, so the result is kept (site_build/cache.py) under two keys:
the digest of every page's whole text (a build of an unchanged site reads no page), and the
digest of what the judging reads of the pages, their skeleton (a prose edit, which changes no
tag, class, id or attribute, reuses the result). Each page's skeleton is kept by its text, so a
`mkdocs serve` rebuild parses the edited page only.

Each trimmed stylesheet is served under a name with its own hash (Material's names hash the
whole one), so that a browser never keeps a trimmed version that an edited page needs more of.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import tinycss2
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
from site_build.cache import MISSING, Cache, digest, directory, named  # noqa: E402


def _sibling(name: str):
    """Another hook of this folder, imported by its path (as MkDocs imports hooks)."""
    spec = importlib.util.spec_from_file_location(f"_material_trim_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_trim = _sibling("notebook_trim")

STYLESHEETS = re.compile(r"assets/stylesheets/(main|palette)\.([0-9a-f]+)\.min\.css")
# Attributes whose values at run time are values the pages already have: no script writes `dir`
# (checked, `Runtime.static_attribute`), and Material's palette toggle copies `data-md-color-*`
# from its inputs to the body (`_check_palette`). Any other attribute may hold at some time.
STATIC_ATTRIBUTES = re.compile(r"dir")
COPIED_ATTRIBUTES = re.compile(r"data-md-color-(scheme|primary|accent|media)")
_LITERAL = re.compile(r"""(?s)"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`""")
_CREATED_TAG = re.compile(r"""\bx\(\s*["'](\w+)["']|createElement(?:NS)?\((?:[^,()]*,\s*)?["'](\w+)["']\)""")
_CLASS_PROP = re.compile(r"""[{,]\s*["']?class["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([A-Za-z_$][\w$]*))""")
_CLASS_CALL = re.compile(r"""classList\.(?:add|toggle|replace)\(([^()]*)\)|className\s*\+?=\s*("[^"]*"|'[^']*'|`[^`]*`)""")
_UNREAD = re.compile(r"""classList\.(?:add|toggle|replace)\(\s*[^"'`\s]|className\s*\+?=\s*[^"'`\s=]|setAttribute\(\s*["'`]class\b""")
_PREFIX = re.compile(r"([A-Za-z_][\w-]*)\$\{")  # `md-tag--${...}`: any class that starts so
_TAG_IN_TEXT = re.compile(r"<([A-Za-z][\w-]*)")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# Where a script may write an attribute: by name, as an element's property (`.dir=`), through
# `dataset`, as a key of an object (the props of Material's `x("button",{title:...})`), in HTML.
_ATTRIBUTE_CALL = re.compile(r"""(?:set|toggle|remove)Attribute\(\s*["'`]([\w:-]+)|setAttributeNS\([^,()]*,\s*["'`]([\w:-]+)""")
_PROPERTY = re.compile(r"""\.([A-Za-z_]\w*)\s*(?:=(?!=)|\+=)""")
_DATASET = re.compile(r"""dataset\.([A-Za-z_]\w*)\s*=(?!=)|dataset\[\s*["'`]([\w-]+)""")
_KEY = re.compile(r"""[{,]\s*["']?([A-Za-z_][\w-]*)["']?\s*:""")
_ATTRIBUTE_IN_TEXT = re.compile(r"<[A-Za-z][\w-]*\s[^<>]*?\b([\w-]+)=")
_REFLECTED = {"htmlfor": "for", "classname": "class"}
# Written by the browser as the reader acts (a <details> opened), or through .style.
_BROWSER_WRITES = {"open", "style"}


class Runtime:
    """What scripts can put into a page after it loads: the tags of the elements they create,
    the classes on those elements, the classes they add to others. Read from Material's bundle
    and from the site's own scripts (files and inline), as they are written: a tag or class named
    in them (`x("nav",{class:"md-code__nav"})`, `createElement("span")`, `"<mark ..."`,
    `classList.add("md-dialog--active")`, `className="hll"`), a class prefix completed at run
    time (`md-tag--${...}`), any word of a template literal (`class:t` with `t=`tabbed-control
    ...``); for the site's scripts, any one-word string too (`cell("td", ...)`). A script that
    sets a class in a way not read here (`classList.add(name)`) stops the build, saying where."""

    def __init__(self, bundle: str, scripts: list[str], search_texts: list[str]) -> None:
        self.tags: set[str] = set()
        self.created: set[str] = set()
        self.added: set[str] = set()
        self.written: set[str] = set(_BROWSER_WRITES)  # attributes
        self.words: set[str] = set()  # in any string
        prefixes: set[str] = set()
        for own, code in [(False, bundle), *((True, script) for script in scripts)]:
            literals = ["".join(match) for match in _LITERAL.findall(code)]
            templates = [m.group(3) for m in _LITERAL.finditer(code) if m.group(3) is not None]
            self.tags |= {t.lower() for match in _CREATED_TAG.findall(code) for t in match if t}
            self.tags |= {t.lower() for literal in literals for t in _TAG_IN_TEXT.findall(literal)}
            for match in _CLASS_PROP.finditer(code):
                *texts, variable = match.groups()
                if variable and not re.search(rf"\b{re.escape(variable)}\s*=\s*`", code):
                    raise PluginError(f"material_trim: a script sets `class:{variable}`, not from a template literal: {code[match.start() - 80:match.end() + 40]!r}")
                self.created |= {c for text in texts if text for c in _WORD.findall(text)}
            for match in _CLASS_CALL.finditer(code):
                self.added |= {c for literal in _LITERAL.findall(" ".join(g for g in match.groups() if g)) for part in literal for c in part.split()}
            if unread := _UNREAD.search(code):
                raise PluginError(f"material_trim: a script sets a class in a way this hook does not read: {code[unread.start() - 80:unread.end() + 40]!r}")
            self.created |= {c for template in templates for c in _WORD.findall(template)}
            prefixes |= set(_PREFIX.findall(code))
            self.words |= {w for literal in literals for w in _WORD.findall(literal)}
            self.written |= {name.lower() for match in _ATTRIBUTE_CALL.findall(code) for name in match if name}
            self.written |= {name.lower() for name in _KEY.findall(code)}
            self.written |= {_REFLECTED.get(name.lower(), name.lower()) for name in _PROPERTY.findall(code)}
            self.written |= {"data-" + (a or re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), b)) for b, a in _DATASET.findall(code)}
            self.written |= {name.lower() for literal in literals for name in _ATTRIBUTE_IN_TEXT.findall(literal)}
            if own:
                self.tags |= {literal.lower() for literal in literals if _WORD.fullmatch(literal)}
        self.tags |= {t.lower() for text in search_texts for t in _TAG_IN_TEXT.findall(text)}
        self.prefixes = tuple(sorted(prefixes))
        self.added |= self.created

    def static_attribute(self, name: str) -> bool:
        """Only ever has the values the pages give it."""
        name = name.lower()
        if COPIED_ATTRIBUTES.fullmatch(name):
            return True
        if STATIC_ATTRIBUTES.fullmatch(name):
            if name in self.written:
                raise PluginError(f"material_trim: a script now writes the attribute {name}; take it out of STATIC_ATTRIBUTES")
            return True
        return False

    def created_id(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)

    def created_class(self, name: str) -> bool:
        """On an element a script creates."""
        return name in self.created or name.startswith(self.prefixes)

    def added_class(self, name: str) -> bool:
        """On any element, at some time."""
        return name in self.added or name.startswith(self.prefixes)


def _check_palette(bundle: str) -> None:
    """Stop the build if Material's palette toggle may no longer copy its inputs' values."""
    if "data-md-color-${" not in bundle:
        raise PluginError("material_trim: Material's palette no longer writes data-md-color-${key} from its inputs; review COPIED_ATTRIBUTES")


class _Compound:
    """One compound selector: its tag, classes, ids and attribute tests (what else it has, its
    pseudo-classes and pseudo-elements, may hold at some time), and the combinator after it."""

    def __init__(self) -> None:
        self.tag: str | None = None
        self.classes: list[str] = []
        self.ids: list[str] = []
        self.attributes: list[str] = []  # the text inside [...]
        self.any = False  # `*`, or a pseudo-class: a compound even without the above
        self.sibling = False  # followed by `+` or `~`

    def __bool__(self) -> bool:
        return bool(self.tag or self.classes or self.ids or self.attributes or self.any)


def _compounds(selector: str) -> list[_Compound] | None:
    """A selector's compounds; None for what this reader does not know (kept, then)."""
    parts = [_Compound()]
    tokens = [t for t in tinycss2.parse_component_value_list(selector) if t.type != "comment"]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "whitespace" or (token.type == "literal" and token.value in (">", "+", "~")):
            if token.type == "literal" and token.value in "+~":
                parts[-1].sibling = True
            if parts[-1]:
                parts.append(_Compound())
        elif token.type == "literal" and token.value == "." and i + 1 < len(tokens) and tokens[i + 1].type == "ident":
            parts[-1].classes.append(tokens[i + 1].value)
            i += 1
        elif token.type == "literal" and token.value == ":":
            while i + 1 < len(tokens) and tokens[i + 1].type == "literal" and tokens[i + 1].value == ":":
                i += 1
            if i + 1 < len(tokens) and tokens[i + 1].type in ("ident", "function"):
                i += 1
            parts[-1].any = True
        elif token.type == "hash":
            parts[-1].ids.append(token.value)
        elif token.type == "[] block":
            parts[-1].attributes.append(tinycss2.serialize(token.content).strip())
        elif token.type == "ident" and parts[-1].tag is None and not parts[-1]:
            parts[-1].tag = token.value.lower()
        elif token.type == "literal" and token.value == "*" and not parts[-1]:
            parts[-1].any = True
        else:
            return None  # a namespace, an escape, anything else
        i += 1
    return [p for p in parts if p]


class _Skeleton(HTMLParser):
    """The pages as one tree of what a trimmed selector can test: each element's tag, classes
    and id, the children of equal elements merged (so a page's thousands of code tokens are a
    few nodes). Every path from the root of it is a path of some page, and every path of a page
    is in it: a selector made of descendant combinators matches it exactly when it matches a
    page. Also collected: the classes, ids and the values of each attribute, and the text of
    the pages' scripts."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict = {}
        self.stack = [("", self.root)]
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.values: dict[str, set[str]] = {}
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = tuple(sorted(set((attributes.get("class") or "").split())))
        key = (tag, classes, attributes.get("id") or "")
        self.classes.update(classes)
        if key[2]:
            self.ids.add(key[2])
        for name, value in attributes.items():
            self.values.setdefault(name, set()).add(value or "")
        node = self.stack[-1][1].setdefault(key, {})
        self._script = tag == "script"
        if tag not in self.VOID:
            self.stack.append((tag, node))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        self._script = False
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if self._script:
            self.scripts.append(data)

    def page(self) -> str:
        def write(children: dict) -> str:
            out = []
            for (tag, classes, id_), grandchildren in children.items():
                attributes = (f' class="{" ".join(classes)}"' if classes else "") + (f' id="{html.escape(id_)}"' if id_ else "")
                out.append(f"<{tag}{attributes}>" + ("" if tag in self.VOID else write(grandchildren) + f"</{tag}>"))
            return "".join(out)

        return write(self.root)


class Site:
    """Every page the build wrote, to judge selectors against (the `page` of notebook_trim)."""

    def __init__(self, skeleton: _Skeleton, runtime: Runtime) -> None:
        self.skeleton = _trim._Page(skeleton.page(), [])
        self.classes, self.ids, self.runtime = skeleton.classes, skeleton.ids, runtime
        values = "".join(f'<i {name}="{html.escape(value)}"></i>' for name, vs in skeleton.values.items() for value in vs)
        self.values = BeautifulSoup(values, "html.parser")
        self._cache: dict[str, bool] = {}

    def uses(self, selector: str) -> bool:
        if selector not in self._cache:
            self._cache[selector] = self._judge(selector)
        return self._cache[selector]

    def _attribute_holds(self, test: str) -> bool:
        try:
            return _trim.soupsieve.select_one(f"[{test}]", self.values) is not None
        except Exception:  # noqa: BLE001  # a test soupsieve cannot read: may hold
            return True

    def _judge(self, selector: str) -> bool:
        parts = _compounds(selector)
        if parts is None:
            return True
        runtime = self.runtime
        chains, chain = [], []  # descendant chains that must each match
        for part in parts:
            created = (part.tag is None or part.tag in runtime.tags) and all(runtime.created_class(c) for c in part.classes) and all(runtime.created_id(i) for i in part.ids)
            if created and (part.tag or part.classes):
                continue  # an element a script may create, anywhere
            static = [c for c in part.classes if not runtime.added_class(c)]
            ids = [i for i in part.ids if not runtime.created_id(i)]
            if any(c not in self.classes for c in static) or any(i not in self.ids for i in ids):
                return False
            for test in part.attributes:
                name = re.match(r"[\w:-]+", test)
                if name and runtime.static_attribute(name.group(0)) and not self._attribute_holds(test):
                    return False
            text = (part.tag or "") + "".join(f".{c}" for c in static) + "".join(f"#{i}" for i in ids)
            if not text:
                continue
            if part.sibling:  # its later siblings have its ancestors, not it
                chains.append([*chain, text])
            else:
                chain.append(text)
        chains.append(chain)
        return all(not c or self.skeleton.uses(" ".join(c)) for c in chains)


def trimmed(sheets: list[str], site: Site, used_elsewhere: set[str]) -> list[str]:
    """Each of `sheets` (stylesheets' texts, which may use each other's custom properties)
    without the rules that `site` cannot use."""
    return [css + "\n" for css in _trim.used_css(sheets, site, used_elsewhere)]




def _merge(into: dict, tree: dict) -> None:
    """Add the paths of the skeleton tree `tree` to `into`."""
    for node, children in tree.items():
        _merge(into.setdefault(node, {}), children)


class _Pages:
    """Every page's skeleton, read once per page text: a `mkdocs serve` rebuild after an edit
    parses the edited page only (parsing all of them takes over a second)."""

    def __init__(self) -> None:
        self._read: dict[str, _Skeleton] = {}  # digest of a page's text -> its skeleton

    def skeleton(self, texts: list[str]) -> tuple[_Skeleton, set[str]]:
        """One skeleton of all `texts`, and the custom properties their inline styles use."""
        read, whole, uses = {}, _Skeleton(), set()
        for text in texts:
            name = digest(text)
            page = read[name] = self._read.get(name) or read.get(name) or self._parse(text)
            _merge(whole.root, page.root)
            whole.classes |= page.classes
            whole.ids |= page.ids
            for attribute, values in page.values.items():
                whole.values.setdefault(attribute, set()).update(values)
            whole.scripts += page.scripts
            uses |= page.uses
        self._read = read  # only the pages of this build are kept
        return whole, uses

    @staticmethod
    def _parse(text: str) -> _Skeleton:
        page = _Skeleton()
        page.feed(text)
        page.close()
        page.uses = set(_trim._VAR_USE.findall(text))  # inline styles and <style>s
        return page


# What the trimmed stylesheets are made from besides the site: this hook's code, and what
# notebook_trim's result is made from (its code and packages), whose functions it runs, with
# site_build/css.py's.
_CODE = {**_trim._CODE, "notebook_trim": _trim._CODE["hook"], "hook": digest(Path(__file__).read_bytes()),
         "css": digest(Path(__file__).with_name("site_build").joinpath("css.py").read_bytes())}  # fmt: skip


cache = named("material-trim")  # kept from one serve rebuild to the next (site_build/cache.py)
_pages = named(f"material-trim-pages-{_CODE['hook'][:16]}", _Pages)  # parsed by this very code


def _trimmed_sheets(config, site_dir: Path, sheets: list[Path]) -> list[str]:
    """The trimmed texts of `sheets`, from the cache when the site is as before.

    Two keys: the digest of every page's whole text (a build of an unchanged site reads no page),
    then the digest of what the trim reads of the pages, their skeleton (so a prose edit, which
    changes no tag, class, id or attribute, finds the result of the last build)."""
    where = directory(config, "material-trim")
    (bundle_path,) = [p for p in (site_dir / "assets" / "javascripts").glob("bundle.*.min.js")]
    bundle = bundle_path.read_text("utf-8")
    _check_palette(bundle)
    sheet_texts = [sheet.read_text("utf-8") for sheet in sheets]
    texts = [path.read_text("utf-8") for path in sorted(site_dir.rglob("*.html"))]
    scripts = [p.read_text("utf-8") for p in sorted((site_dir / "javascripts").glob("*.js"))]
    indexes = [p.read_text("utf-8") for p in sorted(site_dir.rglob("search_index.json"))]
    others = [p.read_text("utf-8") for p in sorted(site_dir.rglob("*.css")) if p not in sheets]
    inputs = {**_CODE, "sheets": [digest(t) for t in sheet_texts], "bundle": digest(bundle), "scripts": [digest(t) for t in scripts], "others": [digest(t) for t in others]}
    whole = {**inputs, "pages": digest("\0".join(texts)), "indexes": digest("\0".join(indexes))}
    if (kept := cache.get(where, "site", whole)) is not MISSING:
        return kept
    skeleton, uses = _pages.skeleton(texts)
    own = scripts + skeleton.scripts
    # A search result shows the tags of the index's text: only those tags are read of it.
    tags = sorted({t.lower() for index in indexes for doc in json.loads(index)["docs"] for t in _TAG_IN_TEXT.findall(doc.get("text", "") + doc.get("title", ""))})
    # Custom properties: those that another stylesheet, a page or a script names stay.
    uses |= set(_trim._VAR_USE.findall("\n".join(others + own))) | set(re.findall(r"--[\w-]+", bundle))
    page = skeleton.page()
    read = {**inputs, "skeleton": digest(page), "classes": sorted(skeleton.classes), "ids": sorted(skeleton.ids),
            "values": digest(json.dumps({name: sorted(v) for name, v in sorted(skeleton.values.items())})),
            "inline": [digest(t) for t in skeleton.scripts], "tags": tags, "uses": sorted(uses)}  # fmt: skip
    if (result := cache.get(where, "skeleton", read)) is MISSING:
        site = Site(skeleton, Runtime(bundle, own, ["".join(f"<{t}" for t in tags)]))
        result = trimmed(sheet_texts, site, uses)
        cache.put(where, "skeleton", read, result)
    cache.put(where, "site", whole, result)
    return result


@event_priority(-300)  # after every edition is built (the i18n plugin, -100) and its index split (-200)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:  # an edition built inside the i18n plugin's run: not the last
        return
    site_dir = Path(config.site_dir)
    sheets = sorted(p for p in (site_dir / "assets" / "stylesheets").glob("*.min.css") if STYLESHEETS.fullmatch(p.relative_to(site_dir).as_posix()))
    renames = {}
    for sheet, css in zip(sheets, _trimmed_sheets(config, site_dir, sheets)):
        kind = STYLESHEETS.fullmatch(sheet.relative_to(site_dir).as_posix()).group(1)
        name = f"{kind}.{hashlib.sha256(css.encode()).hexdigest()[:8]}.min.css"
        sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)  # it maps the whole stylesheet
        sheet.unlink()
        (sheet.parent / name).write_text(css, "utf-8")
        renames[sheet.name] = name
    for path in site_dir.rglob("*.html"):
        text = path.read_text("utf-8")
        new = re.sub(r"assets/stylesheets/(main|palette)\.[0-9a-f]+\.min\.css", lambda m: "assets/stylesheets/" + renames.get(m.group(0).rsplit("/", 1)[1], m.group(0).rsplit("/", 1)[1]), text)
        if new != text:
            path.write_text(new, "utf-8")
