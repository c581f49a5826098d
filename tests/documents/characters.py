"""Characters that do not show as themselves, and how reports and refusals name them.

A report puts expected and actual side by side; when they differ only in characters that a
terminal or a page draws alike, or not at all, the reader must still see the difference. Those
characters: control characters (an ANSI colour code's ESC), format characters (U+200B ZERO
WIDTH SPACE, a direction mark), every space other than U+0020 (a thin or non-breaking space),
line and paragraph separators, combining marks (the accent of a decomposed `é`, NFD), private
use, surrogates and unassigned code points.
"""

from __future__ import annotations

import unicodedata

# Unicode gives control characters no names; these are the ones a transcript meets.
_CONTROL_NAMES = {
    "\x00": "NULL",
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Mn", "Me", "Mc", "Co", "Cs", "Cn"}


def code_point(character: str) -> str:
    """`U+001B ESCAPE`: a character as a report names it."""
    name = _CONTROL_NAMES.get(character) or unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" {name}" if name else "")


def hidden(character: str) -> bool:
    """Whether the character may not show as itself, or not at all."""
    category = unicodedata.category(character)
    return category in _HIDDEN or (category == "Zs" and character != " ")


def control(character: str) -> bool:
    """A control or format character (a tab aside): one a Markdown page cannot show."""
    return character != "\t" and unicodedata.category(character) in {"Cc", "Cf", "Zl", "Zp"}


def unwritable(character: str) -> bool:
    """A character a Markdown page cannot hold as text: a control or format character (a tab
    and a line feed aside), or a lone surrogate, which UTF-8 cannot encode."""
    return (control(character) and character != "\n") or unicodedata.category(character) == "Cs"


def escaped(line: str) -> str:
    """The line with each hidden character written as a Python escape (`\\x1b`, `\\u200b`)."""
    return "".join(_escape(c) if hidden(c) else c for c in line)


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(character: str) -> str:
    if character in _SHORT:
        return _SHORT[character]
    number = ord(character)
    if number < 0x100:
        return f"\\x{number:02x}"
    return f"\\u{number:04x}" if number < 0x10000 else f"\\U{number:08x}"


def names(line: str) -> list[str]:
    """The hidden characters of a line, each named once, in order."""
    seen: list[str] = []
    for character in line:
        if hidden(character) and code_point(character) not in seen:
            seen.append(code_point(character))
    return seen
