"""jieba, loaded once and only when a text needs it (~1 s: its dictionary ships in the wheel).

Only plain segmentation (with jieba's HMM for words outside the dictionary, which is how unknown
names come out as one word) and the dictionary's part-of-speech tags are used: jieba's own
part-of-speech tagger is ~15× slower and no better on names.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _tokenizer() -> tuple[Any, dict[str, str]]:
    if "tokenizer" not in _state:
        with _lock:
            if "tokenizer" not in _state:
                import jieba
                import jieba.posseg

                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()  # the shared default tokenizer: search uses the same one
                _state["tags"] = jieba.posseg.dt.word_tag_tab
                _state["tokenizer"] = jieba.dt
    return _state["tokenizer"], _state["tags"]


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """``(word, start, end)`` for every word of ``text``."""
    tokenizer, _ = _tokenizer()
    return tokenizer.tokenize(text, HMM=True)


def words(text: str) -> list[str]:
    tokenizer, _ = _tokenizer()
    return list(tokenizer.cut(text, HMM=True))


def in_dictionary(word: str) -> bool:
    tokenizer, _ = _tokenizer()
    return tokenizer.FREQ.get(word, 0) > 0


def frequency(word: str) -> int:
    tokenizer, _ = _tokenizer()
    return int(tokenizer.FREQ.get(word, 0))


def dictionary_tag(word: str) -> str | None:
    """The dictionary's part of speech of ``word`` (``nr`` for a person's name), None if not in it."""
    tokenizer, tags = _tokenizer()
    if tokenizer.FREQ.get(word, 0) <= 0:
        return None
    return tags.get(word, "x")
