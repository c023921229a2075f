"""Replacements, the de-identified result, and re-applying an edited list of replacements.

Convention (one for the whole platform): a natural person's name becomes a pseudonym that keeps the
surname (张某, 张某甲 …, 法释〔2016〕19号 第十一条); every other deleted item becomes a label in
【】 that says what was there (``【身份证号码】``, ``住四川省成都市武侯区【详细地址】``), so a reader
sees that something was removed and what kind of thing it was, and no digit of it survives.

Offsets are Python string indices (code points) into the ORIGINAL text; ``end`` is exclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

KIND_LABELS = {
    "name": "姓名",
    "id_number": "身份证号码",
    "phone": "电话号码",
    "bank_account": "银行账号",
    "plate": "车牌号码",
    "email": "电子邮箱",
    "address": "详细地址",
    "property_certificate": "不动产权证号",
    "manual": "已隐去",
}

# How a replacement was found; the publisher's page shows the less certain ones first.
SOURCES = ("known", "pattern", "context", "segmenter", "manual")


def label(kind: str) -> str:
    """The text that replaces a deleted item of ``kind`` (``【电话号码】``)."""
    return f"【{KIND_LABELS.get(kind, KIND_LABELS['manual'])}】"


@dataclass(frozen=True, order=True)
class Replacement:
    """One replaced span: ``original == source_text[start:end]`` becomes ``replacement``."""

    start: int
    end: int
    original: str
    kind: str
    replacement: str
    source: str = "pattern"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Replacement:
        """Rebuild one from ``to_dict()`` output (e.g. JSON sent back by the publisher's page)."""
        try:
            return cls(
                start=int(data["start"]),
                end=int(data["end"]),
                original=str(data["original"]),
                kind=str(data["kind"]),
                replacement=str(data["replacement"]),
                source=str(data.get("source", "manual")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"替换项格式错误：{data!r}") from error


@dataclass(frozen=True)
class Segment:
    """A piece of the text for the side-by-side view: unchanged (``replacement`` None) or replaced."""

    original: str
    text: str
    replacement: Replacement | None = None


@dataclass(frozen=True)
class Deidentified:
    """The result: ``text`` is ``original`` with ``replacements`` (sorted, disjoint) applied."""

    original: str
    text: str
    replacements: tuple[Replacement, ...] = field(default_factory=tuple)

    def segments(self) -> list[Segment]:
        """The text cut at every replacement, for showing original and redacted side by side."""
        pieces: list[Segment] = []
        position = 0
        for item in self.replacements:
            if item.start > position:
                unchanged = self.original[position : item.start]
                pieces.append(Segment(unchanged, unchanged))
            pieces.append(Segment(item.original, item.replacement, item))
            position = item.end
        if position < len(self.original):
            rest = self.original[position:]
            pieces.append(Segment(rest, rest))
        return pieces

    def to_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "text": self.text,
            "replacements": [item.to_dict() for item in self.replacements],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Deidentified:
        """Rebuild (and re-check) a result stored as ``to_dict()``: the text is recomputed."""
        return apply(str(data["original"]), [Replacement.from_dict(r) for r in data["replacements"]])


def apply(original: str, replacements: Iterable[Replacement | Mapping[str, Any]]) -> Deidentified:
    """Apply ``replacements`` to ``original``; every one must match its span, none may overlap.

    Accepts ``Replacement`` objects or their dicts. Undoing one is applying the list without it.
    Raises ``ValueError`` (in Chinese) for a span outside the text, a stale ``original`` or overlaps.
    """
    items = sorted(_as_replacement(item) for item in replacements)
    parts: list[str] = []
    position = 0
    for item in items:
        _check_span(original, item)
        if item.start < position:
            raise ValueError(f"替换项重叠：第 {item.start}–{item.end} 字与前一项重叠")
        parts.append(original[position : item.start])
        parts.append(item.replacement)
        position = item.end
    parts.append(original[position:])
    return Deidentified(original, "".join(parts), tuple(items))


def undo(result: Deidentified, replacement: Replacement | Mapping[str, Any]) -> Deidentified:
    """``result`` without ``replacement`` (the publisher decided that span may be published)."""
    target = _as_replacement(replacement)
    remaining = [item for item in result.replacements if item != target]
    if len(remaining) == len(result.replacements):
        raise ValueError(f"没有这一替换项：第 {target.start}–{target.end} 字「{target.original}」")
    return apply(result.original, remaining)


def add(
    result: Deidentified, start: int, end: int, kind: str = "manual", replacement: str | None = None
) -> Deidentified:
    """``result`` with ``original[start:end]`` replaced too (a span the publisher selected).

    Replacements the new span overlaps are merged into it. Without ``replacement``, a name gets the
    pseudonym already used for the same name in this text, or a new one; anything else its label.
    """
    original = result.original
    if not 0 <= start < end <= len(original):
        raise ValueError(f"所选范围无效：第 {start}–{end} 字（全文共 {len(original)} 字）")
    overlapping = [r for r in result.replacements if r.start < end and start < r.end]
    start = min([start, *(r.start for r in overlapping)])
    end = max([end, *(r.end for r in overlapping)])
    kept = [r for r in result.replacements if r not in overlapping]
    text = original[start:end]
    if replacement is None:
        replacement = _pseudonym_in(kept, text) if kind == "name" else label(kind)
    return apply(original, [*kept, Replacement(start, end, text, kind, replacement, "manual")])


def _pseudonym_in(replacements: list[Replacement], name: str) -> str:
    from .names import pseudonym_for_new  # a leaf import: names is the heavier module

    return pseudonym_for_new(name, replacements)


def _as_replacement(item: Replacement | Mapping[str, Any]) -> Replacement:
    return item if isinstance(item, Replacement) else Replacement.from_dict(item)


def _check_span(original: str, item: Replacement) -> None:
    if not 0 <= item.start < item.end <= len(original):
        raise ValueError(f"替换项超出原文范围：第 {item.start}–{item.end} 字（全文共 {len(original)} 字）")
    if original[item.start : item.end] != item.original:
        raise ValueError(
            f"替换项与原文不符：第 {item.start}–{item.end} 字是「{original[item.start : item.end]}」，"
            f"而不是「{item.original}」"
        )
