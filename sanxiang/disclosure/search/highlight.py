"""Highlighting: the query's words marked with <mark> in text that is HTML-escaped around them.

Every index word is a piece of the original text, so the query's words are found in the public
fields as written (ASCII compared without case).
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 90


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in alternatives), re.IGNORECASE)


def mark(text: str, words: list[str]) -> SafeString:
    """``text`` escaped, each occurrence of a word wrapped in ``<mark>``."""
    pattern = _pattern(words)
    if pattern is None:
        return mark_safe(escape(text))
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, words: list[str], size: int = SNIPPET_CHARS) -> SafeString:
    """About ``size`` characters of ``text`` around its first matched word, marked, with … where cut."""
    text = " ".join(text.split())
    pattern = _pattern(words)
    found = pattern.search(text) if pattern else None
    start = max(0, (found.start() if found else 0) - size // 3)
    end = min(len(text), start + size)
    start = max(0, min(start, end - size))
    piece = mark(text[start:end], words)
    return mark_safe(("…" if start > 0 else "") + piece + ("…" if end < len(text) else ""))
