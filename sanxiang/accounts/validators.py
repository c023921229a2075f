"""Check-digit validators for Chinese identifiers.

* 统一社会信用代码 (USCC): GB 32100-2015, 18 characters, the last a check character computed
  over the first 17 with weights 3^i mod 31 in the code alphabet (no I, O, S, V, Z).
* 居民身份证号码: GB 11643-1999, 18 characters, ISO 7064 MOD 11-2 check digit (0-9 or X).
"""

import datetime
import re

from django.core.exceptions import ValidationError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a USCC."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(value: str) -> str | None:
    """Why ``value`` is not a valid USCC, in Chinese, or None when it is valid."""
    if len(value) != 18:
        return f"统一社会信用代码应为18位，实际为{len(value)}位"
    if not _USCC_RE.match(value):
        return "统一社会信用代码含有不允许的字符（只允许数字和除I、O、S、V、Z外的大写字母）"
    if uscc_check_char(value[:17]) != value[17]:
        return f"统一社会信用代码校验位错误（应为{uscc_check_char(value[:17])}）"
    return None


def validate_uscc(value: str) -> None:
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(problem, code="uscc")


def id_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of a 身份证 number."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit 居民身份证号码, or None."""
    value = value.upper()
    if not _ID_RE.match(value):
        return "身份证号码应为18位，前17位为数字，最后一位为数字或X"
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效"
    if id_check_char(value[:17]) != value[17]:
        return "身份证号码校验位错误"
    return None


def validate_id_number(value: str) -> None:
    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="id_number")


_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


def validate_phone(value: str) -> None:
    if not _PHONE_RE.match(value.replace(" ", "")):
        raise ValidationError("电话号码格式不正确（手机号11位，或区号-号码）", code="phone")
