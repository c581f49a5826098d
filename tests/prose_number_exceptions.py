"""The one place for prose numbers that no fence, figure code or citation needs to back.

Keyed by page (path from the repository root), then by the number exactly as the page writes
it, with the reason. See tests/prose_numbers.py for the rule; keep this list short: a number
that states a fact about softmax belongs in a fence, not here.
"""

_TRY_IT_SYNTAX = "an example of how to type a number, in a message of the try-it box; not a claim"
_TRY_IT_LIMIT = (
    "float64's largest value, in a message of the try-it box (JavaScript, not PyTorch); "
    "tests/test_browser_try_it.py checks that 1e309 gets this message"
)
_SECTION = "a section number of the book cited in the same item (Kreyszig), not a measurement"

EXCEPTIONS: dict[str, dict[str, str]] = {
    "docs/index.md": {"1e-3": _TRY_IT_SYNTAX, "1.8e308": _TRY_IT_LIMIT},
    "docs/index.zh.md": {"1e-3": _TRY_IT_SYNTAX, "1.8e308": _TRY_IT_LIMIT},
    "docs/references.md": {"5.1": _SECTION},
    "docs/references.zh.md": {"5.1": _SECTION},
}
