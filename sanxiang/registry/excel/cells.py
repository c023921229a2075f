"""Turning one spreadsheet cell into a Python value, with a Chinese reason when it cannot be done.

Every parser takes the raw value openpyxl gives (str, int, float, datetime, bool or None) and
returns the value to store, or raises :class:`CellError`. Blank cells never reach a parser: the
importer handles them (required → error, optional → the field's default).
"""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from sanxiang.accounts.validators import uscc_problem

DATE_FORMAT_HINT = "YYYY-MM-DD"
LIST_SEPARATOR = "、"
# People type lists with whichever separator their input method gives them; 、 is the documented one.
_LIST_SPLIT = re.compile(r"[、，,；;\n]+")
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
TRUE_LABEL, FALSE_LABEL = "是", "否"


class CellError(ValueError):
    """The cell holds a value we cannot use; ``args[0]`` is the Chinese reason."""


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def as_text(raw: object) -> str:
    """The cell as text. Numbers typed into a text column (a certificate number Excel turned into
    a number) come back without a trailing ".0"."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def parse_text(raw: object, max_length: int | None = None) -> str:
    text = as_text(raw)
    if max_length is not None and len(text) > max_length:
        raise CellError(f"内容过长：最多{max_length}个字符，实际{len(text)}个")
    return text


def parse_date(raw: object) -> datetime.date:
    """A date cell, or text strictly in YYYY-MM-DD form."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    match = _DATE_RE.match(as_text(raw))
    if not match:
        raise CellError(f"日期格式不正确：“{as_text(raw)}”，应为{DATE_FORMAT_HINT}，如2024-03-01")
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(f"日期不存在：“{as_text(raw)}”") from None


def parse_choice(raw: object, labels: dict[str, str]) -> str:
    """A Chinese label (e.g. 有效) to its stored code; ``labels`` maps label → code."""
    text = as_text(raw)
    try:
        return labels[text]
    except KeyError:
        allowed = LIST_SEPARATOR.join(_canonical(labels))
        raise CellError(f"“{text}”不是允许的值，应为：{allowed}") from None


def parse_choice_list(raw: object, labels: dict[str, str]) -> list[str]:
    """Labels separated by 、 to a list of codes, without duplicates, in the order given."""
    codes: list[str] = []
    for part in _LIST_SPLIT.split(as_text(raw)):
        part = part.strip()
        if part:
            code = parse_choice(part, labels)
            if code not in codes:
                codes.append(code)
    return codes


def parse_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = as_text(raw)
    if text in {TRUE_LABEL, "1", "Y", "y", "TRUE", "True", "true"}:
        return True
    if text in {FALSE_LABEL, "0", "N", "n", "FALSE", "False", "false"}:
        return False
    raise CellError(f"“{text}”不是允许的值，应为：{TRUE_LABEL}、{FALSE_LABEL}")


def parse_decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise CellError("应为数字")
    if isinstance(raw, int | float):
        # str() first so 0.1 stays 0.1 rather than the binary float's long expansion.
        return Decimal(str(raw))
    text = as_text(raw).replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{text}”不是有效的数字") from None
    if not value.is_finite():
        raise CellError(f"“{text}”不是有效的数字")
    return value


def parse_uscc(raw: object) -> str:
    value = as_text(raw).upper()
    problem = uscc_problem(value)
    if problem:
        raise CellError(problem)
    return value


def label_map(choices: Iterable[tuple[str, object]], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """label → code for a Django ``choices`` list, plus optional extra spellings."""
    mapping = {str(label): str(code) for code, label in choices}
    mapping.update(aliases or {})
    return mapping


def _canonical(labels: dict[str, str]) -> list[str]:
    """The first label of each code: the spelling we document and export."""
    seen: dict[str, str] = {}
    for label, code in labels.items():
        seen.setdefault(code, label)
    return list(seen.values())


def bool_label(value: bool) -> str:
    return TRUE_LABEL if value else FALSE_LABEL


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int:
    """第X条's X: 五十一 → 51, 一百零二 → 102, 十 → 10, also Arabic digits. ValueError otherwise."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            # 十 alone at the start means 一十.
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            raise ValueError(text)
    if not text:
        raise ValueError(text)
    return total + (digit or 0)
