"""A CSS rule's selector list, as tinycss2 reads it."""

from __future__ import annotations


def selector_list(prelude) -> list[list]:
    """A qualified rule's prelude (tinycss2 tokens) split at its top-level commas: the tokens of
    each selector, whitespace included. A comma inside a function or a block (`:is(a, b)`,
    `[title="a,b"]`) is part of one token there, so it splits nothing."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts
