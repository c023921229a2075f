"""Chinese word segmentation for search, the same at index time and at query time (jieba).

The index holds jieba's *search mode* words (a long dictionary word also yields its shorter
dictionary words: 中华人民共和国 → 中华, 人民, 共和国, …), so a query for part of a long word finds
it. Words jieba does not know (mostly names, put together by its HMM) also yield every
two-character piece: when a name is glued to its neighbour (张三在), the index still holds 张三.
A query is cut in jieba's precise mode and every word must match (AND).

jieba is loaded once, lazily (~1 s), with a small user dictionary of legal terms so that terms
such as 责令改正 stay whole words. It is the same tokenizer the de-identification uses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

# Terms of enforcement decisions that jieba's general dictionary splits or misses; a high
# frequency keeps them whole (search mode still emits their parts, e.g. 虚假 and 宣传).
LEGAL_TERMS = (
    "虚假宣传", "责令改正", "责令停产停业", "违法所得", "没收违法所得", "非法财物", "从轻处罚", "减轻处罚",
    "从重处罚", "不予处罚", "行政处罚", "行政许可", "行政强制", "行政检查", "行政征收", "行政收费",
    "随机抽查", "双随机", "统一社会信用代码", "法定代表人", "处罚决定书", "听证", "陈述申辩",
    "罚款", "警告", "通报批评", "吊销许可证", "暂扣许可证", "降低资质等级", "限制开展生产经营活动",
    "责令关闭", "限制从业", "行政拘留", "查封", "扣押", "冻结", "过期食品", "超过保质期",
    "无证经营", "未取得许可", "食品经营许可证", "营业执照",
)

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _tokenizer() -> Any:
    if "tokenizer" not in _state:
        with _lock:
            if "tokenizer" not in _state:
                from sanxiang.disclosure.deidentify.segmenter import _tokenizer as shared

                tokenizer = shared()[0]
                for term in LEGAL_TERMS:
                    if tokenizer.FREQ.get(term, 0) < 2000:
                        tokenizer.add_word(term, freq=2000)
                _state["tokenizer"] = tokenizer
    return _state["tokenizer"]


def _is_word(token: str) -> bool:
    """Letters, digits or CJK: punctuation and spaces are not indexed (FTS5 and PostgreSQL drop them)."""
    return any(ch.isalnum() for ch in token)


def index_words(text: str) -> list[str]:
    """The words under which ``text`` is indexed, in order (with repeats)."""
    tokenizer = _tokenizer()
    words: list[str] = []
    for word in tokenizer.cut_for_search(text or "", HMM=True):
        word = word.strip()
        if not _is_word(word):
            continue
        words.append(word)
        if len(word) > 2 and not word.isascii():
            words.extend(_pieces(word, tokenizer.FREQ))
    return words


def _pieces(word: str, freq: dict[str, int]) -> list[str]:
    """What search mode leaves out: every two characters of an unknown word, and the dictionary
    words of four or more characters inside a longer one (没收违法所得 → 违法所得)."""
    if freq.get(word, 0) <= 0:
        return [word[i:i + 2] for i in range(len(word) - 1)]
    return [word[i:i + n] for n in range(4, len(word)) for i in range(len(word) - n + 1)
            if freq.get(word[i:i + n], 0) > 0]


def segment(text: str) -> str:
    """``text`` as the index stores it: its words separated by spaces (PublicEntry.search_text)."""
    return " ".join(index_words(text))


def segment_fields(values: Iterable[str | None]) -> str:
    """:func:`segment` of several public fields (title, party, facts, basis, content, …)."""
    return " ".join(filter(None, (segment(value or "") for value in values)))


def query_words(query: str) -> list[str]:
    """The words a query must all match: jieba's precise mode, punctuation dropped, no repeats."""
    tokenizer = _tokenizer()
    seen: dict[str, None] = {}
    for word in tokenizer.cut((query or "").strip(), HMM=True):
        word = word.strip().lower()
        if _is_word(word):
            seen.setdefault(word, None)
    return list(seen)
