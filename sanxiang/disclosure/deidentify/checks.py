"""Check characters of the identifiers the detectors recognise.

* 公民身份号码 (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character (0–9 or X);
  the 15-digit numbers issued before 1999 carry no check character.
* 统一社会信用代码 (GB 32100-2015): 17 characters and a MOD 31 check character.
* Bank cards (ISO/IEC 7812): the Luhn check digit.
"""

from __future__ import annotations

import datetime as dt

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a 公民身份号码."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id18(number: str) -> bool:
    """True for 17 digits followed by their GB 11643 check character (``x`` accepted for ``X``)."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    return id_check_char(number[:17]) == number[17]


def has_id_structure(number: str) -> bool:
    """An 18- or 15-digit number laid out like a 公民身份号码: a region code and a real birth date.

    Used for numbers whose check character fails (a typo still identifies a person) and for the old
    15-digit numbers, which have none.
    """
    number = number.upper()
    if len(number) == 18 and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X"):
        birth = number[6:14]
    elif len(number) == 15 and number.isdigit():
        birth = "19" + number[6:12]
    else:
        return False
    return number[0] in "12345678" and _plausible_birth_date(birth)


def _plausible_birth_date(yyyymmdd: str) -> bool:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a 统一社会信用代码."""
    total = sum(
        USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """True for an 18-character 统一社会信用代码 whose GB 32100 check character matches."""
    code = code.upper()
    if len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def luhn_ok(digits: str) -> bool:
    """True when a string of digits passes the Luhn check (bank card numbers)."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
