"""What the build hooks of overrides/hooks/ share; none of these modules is a hook itself.

- `editions`: which edition the i18n plugin is building, the one definition every hook uses.
- `css`: a CSS rule's selector list, split as notebook_trim.py and palette_switch.py read it.
- `cache`: results kept by the digest of what they are made from, in memory for the rebuilds of
  one `mkdocs serve` and on disk under `.cache/` (git-ignored) for the next build.
- `pages`: each page's includes expanded and its fences read once per build, for
  unclosed_fences.py and verification.py, and kept across rebuilds while their sources are unchanged.

A hook imports them as it imports tests/documents/: it puts its own directory on sys.path
(MkDocs does too while it loads a hook; the tests load hooks by path and do not).
"""
