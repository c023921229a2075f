"""Views of a text in which detectors search, each mapping back to offsets in the original.

``normalise`` folds full-width forms (１３８, Ｘ, ：, （）), the ideographic space, dash and middle-dot
variants to one ASCII character each, one character for one, so an offset in the normalised text is
the same offset in the original. ``TextView.compact`` also drops spaces, dashes and middle dots
(``１３８ 0013-8000`` → ``13800138000``, ``张  三`` → ``张三``; line breaks stay) and keeps a map back to the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property

_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: ord(" "), 0x00A0: ord(" "), 0x2002: ord(" "), 0x2003: ord(" "), 0x2009: ord(" ")})
_FOLD.update(dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63), ord("-")))
_FOLD.update(dict.fromkeys((0x2022, 0x2027, 0x30FB, 0xFF65, 0x2219), ord("·")))

# Dropped in the compact view: they appear inside numbers and names without changing them. Line
# breaks stay: they end a name or an address.
_FILLER = frozenset(" \t\r-·")


def normalise(text: str) -> str:
    """``text`` with full-width and variant characters folded; always the same length as ``text``."""
    return text.translate(_FOLD)


class TextView:
    """The original text, its normalised form and its compact form, with offsets back."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.norm = normalise(original)

    @cached_property
    def _compact(self) -> tuple[str, list[int]]:
        chars: list[str] = []
        where: list[int] = []
        for index, char in enumerate(self.norm):
            if char not in _FILLER:
                chars.append(char.upper() if char == "x" else char)
                where.append(index)
        return "".join(chars), where

    @property
    def compact(self) -> str:
        """The normalised text without spaces, dashes and middle dots (``x`` upper-cased)."""
        return self._compact[0]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the compact span ``[start, end)`` came from."""
        where = self._compact[1]
        return where[start], where[end - 1] + 1

    def find_compact(self, needle: str, *, digit_bounded: bool = False) -> Iterator[tuple[int, int]]:
        """Original spans of every occurrence of the compacted ``needle`` (see ``compact_value``).

        ``digit_bounded`` skips occurrences inside a longer run of digits or letters (a phone number
        inside a longer number is not that phone number).
        """
        needle = compact_value(needle)
        if not needle:
            return
        haystack = self.compact
        for match in re.finditer(re.escape(needle), haystack):
            start, end = match.span()
            if digit_bounded and (_alnum_at(haystack, start - 1) or _alnum_at(haystack, end)):
                continue
            yield self.original_span(start, end)


def compact_value(value: str) -> str:
    """A known value as the compact view writes it (``"510106 1990-0101 123x"`` → ``"5101061990...X"``)."""
    return "".join(c for c in normalise(value) if c not in _FILLER).replace("x", "X")


def _alnum_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()
