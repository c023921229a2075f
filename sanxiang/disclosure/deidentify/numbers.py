"""Numbers: 公民身份号码, phones, bank cards and accounts; 统一社会信用代码 found to be protected.

A "run" is a group of digits with single spaces or dashes inside (``138 0013 8000``,
``6222-0212-3456-7890-128``, ``510106 19900101 123X``), read in the normalised text so full-width
digits count. A run is classified by its digits, its shape and the nearest cue word before it
(身份证/银行/电话/信用代码 …). Choices (documented in the package docstring):

* an 18-digit number whose GB 11643 check character fails is still redacted as a 身份证 number when
  a 身份证 cue precedes it or it is laid out like one (region code, real birth date): a typo in an ID
  number still identifies the person;
* an all-digit 18-character code that is both a valid ID and a valid USCC is an ID unless a USCC cue
  precedes it or the caller named it as an organisation's USCC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .candidates import Candidate, Protected
from .checks import has_id_structure, is_valid_id18, is_valid_uscc, luhn_ok

_RUN = re.compile(r"(?<![0-9A-Za-z])\d+(?:[ \-]{1,2}\d+)*(?:[ \-]?[Xx])?(?![0-9A-Za-z])")
_GROUP = re.compile(r"\d+|[Xx]")
_USCC = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])")

_CUES = re.compile(
    r"(?P<id>公民身份号码|身份证号码|身份证号|身份证件|身份证|身份号码|证件号码|证件号)"
    r"|(?P<uscc>统一社会信用代码|社会信用代码|信用代码|注册号|营业执照号|纳税人识别号|税号)"
    r"|(?P<bank>银行卡号|银行账号|银行账户|银行卡|开户行|开户银行|开户|卡号|账号|帐号|账户|帐户|银行)"
    r"|(?P<phone>联系电话|电话号码|手机号码|手机号|手机|电话|联系方式|联系号码|座机|传真|微信号|tel|TEL|Tel)"
    r"|(?P<keep>执法证号|执法证|证件编号|案号|文号|编号|单号|票据号|缴款码|流水号|订单号|批号|批准文号|许可证号)"
)
_CUE_WINDOW = 16
_AREA_CODE_BEFORE = re.compile(r"\(0\d{2,3}\)\s?$")
_EXTENSION_AFTER = re.compile(r"^\s?(?:转|分机|ext\.?|EXT\.?)\s?\d{1,6}")


def cue_before(norm: str, start: int, window: int = _CUE_WINDOW) -> str | None:
    """The kind of the cue word nearest before ``start`` (id/uscc/bank/phone/keep), or None."""
    text = norm[max(0, start - window) : start]
    last = None
    for match in _CUES.finditer(text):
        last = match
    return last.lastgroup if last else None


def find_numbers(norm: str) -> Iterator[Candidate]:
    """ID numbers, phones and bank numbers in the normalised text, as candidates."""
    for match in _RUN.finditer(norm):
        groups = _GROUP.findall(match.group())
        offsets = [m.start() + match.start() for m in _GROUP.finditer(match.group())]
        yield from _classify_run(norm, groups, offsets)


def _classify_run(norm: str, groups: list[str], offsets: list[int]) -> Iterator[Candidate]:
    # The whole run first; otherwise the longest sub-runs that classify, left to right.
    i = 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            start, end = offsets[i], offsets[j - 1] + len(groups[j - 1])
            kind = classify("".join(groups[i:j]).upper(), groups[i:j], cue_before(norm, start))
            kind = kind or _landline_after_area_code(norm, start, groups[i:j])
            if kind:
                yield Candidate(*_widen(norm, start, end, kind), kind, "pattern")
                i = j
                break
        else:
            i += 1


def classify(digits: str, groups: list[str], cue: str | None) -> str | None:
    """The kind of a number (``id_number``, ``phone``, ``bank_account``) or None to leave it."""
    n = len(digits)
    if cue == "uscc":
        return None
    if n == 18 and is_valid_id18(digits):
        return "id_number"
    if not digits.isdigit():
        return "id_number" if n == 18 and cue == "id" else None
    if _is_mobile(digits) or (digits[0] == "0" and _is_landline(digits, groups)):
        return "phone"
    if cue == "keep":
        return None
    return _by_cue(digits, cue) or _by_shape(digits)


def _by_cue(digits: str, cue: str | None) -> str | None:
    n = len(digits)
    if cue == "bank" and 10 <= n <= 25:
        return "bank_account"
    if cue == "id" and n in (15, 18):
        return "id_number"
    if cue == "phone" and 7 <= n <= 12:
        return "phone"
    return None


def _by_shape(digits: str) -> str | None:
    if len(digits) in (15, 18) and has_id_structure(digits):
        return "id_number"
    if 16 <= len(digits) <= 19 and luhn_ok(digits):
        return "bank_account"
    return None


def _is_mobile(digits: str) -> bool:
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _is_landline(digits: str, groups: list[str]) -> bool:
    if 10 <= len(digits) <= 12:
        return True
    # 028-85123456-801: area code, 7–8 digit number, extension
    if len(groups) >= 3 and 3 <= len(groups[0]) <= 4 and len(groups[-1]) <= 6:
        return 7 <= len("".join(groups[1:-1])) <= 8
    return False


def _landline_after_area_code(norm: str, start: int, groups: list[str]) -> str | None:
    digits = "".join(groups)
    if (
        digits.isdigit()
        and 7 <= len(digits) <= 8
        and _AREA_CODE_BEFORE.search(norm[max(0, start - 8) : start])
    ):
        return "phone"
    return None


def _widen(norm: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """A phone's span with its parenthesised area code, ``+86`` prefix and extension."""
    if kind != "phone":
        return start, end
    area = _AREA_CODE_BEFORE.search(norm[max(0, start - 8) : start])
    if area:
        start -= len(area.group())
    elif norm[start - 1 : start] == "+":  # +86 138…: the run already holds the 86
        start -= 1
    extension = _EXTENSION_AFTER.match(norm[end : end + 12])
    if extension:
        end += len(extension.group())
    return start, end


def find_usccs(norm: str) -> Iterator[Protected]:
    """统一社会信用代码 to protect: a valid GB 32100 check character, or any 18 characters after a
    USCC cue. An all-digit code that is also a valid ID number needs the cue (see module docstring)."""
    for match in _USCC.finditer(norm):
        code = match.group().upper()
        cued = cue_before(norm, match.start()) == "uscc"
        if code.isdigit() and is_valid_id18(code) and not cued:
            continue
        if cued or is_valid_uscc(code):
            yield Protected(match.start(), match.end())
