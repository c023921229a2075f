"""Chinese forms of dates, counts and amounts as official documents write them. Pure Python."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

_DIGITS = "〇一二三四五六七八九"
_UPPER = "零壹贰叁肆伍陆柒捌玖"


def date_numeric(day: dt.date | None) -> str:
    """2026年11月22日 (the body text form; GB/T 9704-2012 writes dates with Arabic numerals)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def date_chinese(day: dt.date | None) -> str:
    """二〇二六年十一月二十二日 (the traditional form of the date under the seal)."""
    if not day:
        return ""
    year = "".join(_DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{count(day.month)}月{count(day.day)}日"


def count(n: int) -> str:
    """A whole number below 10,000 in Chinese numerals: 5 → 五, 15 → 十五, 60 → 六十, 105 → 一百零五."""
    if not 0 <= n < 10000:
        raise ValueError(f"{n} 超出范围")
    if n == 0:
        return "零"
    if 10 <= n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


def _section(n: int) -> str:
    """Digits 0-9999 in capital numerals (壹仟零伍拾), no trailing zero."""
    out, zero = "", False
    for value, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + _UPPER[digit] + unit
            zero = False
        else:
            zero = True
    return out


def amount_upper(amount: Decimal | None) -> str:
    """人民币大写 of an amount in yuan: 5000 → 伍仟元整, 1234.5 → 壹仟贰佰叁拾肆元伍角."""
    if amount is None:
        return ""
    cents = int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    parts, prev_gap = [], False
    for value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = yuan // value % 10**4 if value < 10**8 else yuan // value
        if chunk:
            text = _section(chunk) if value < 10**8 else _section(chunk % 10**4)
            if parts and (prev_gap or chunk < 1000):
                text = "零" + text
            parts.append(text + unit)
            prev_gap = False
        elif parts:
            prev_gap = True
    head = "".join(parts) or "零"
    if not jiao and not fen:
        return head + "元整"
    tail = (_UPPER[jiao] + "角" if jiao else "零") + (_UPPER[fen] + "分" if fen else "")
    return head + "元" + tail


def money(amount: Decimal | None) -> str:
    """5,000.00 (with thousands separators), "" for no amount."""
    return f"{amount:,.2f}" if amount is not None else ""
