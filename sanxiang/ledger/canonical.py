"""Canonical JSON for ledger entries and object snapshots (RFC 8785 style). Pure Python, no Django.

The same value always gives the same bytes, so its hash can be recomputed anywhere:

* objects: keys sorted by their UTF-16 code units (RFC 8785 §3.2.3), no whitespace at all;
* strings: UTF-8, only ``"``, ``\\`` and control characters escaped (``\\n``-style or ``\\u00xx``);
* integers: written exactly (no 2**53 limit, unlike RFC 8785: our counters and amounts are exact);
* finite floats: ECMAScript's shortest form as RFC 8785 asks (``1.0`` → ``1``, ``1e21`` → ``1e+21``);
  NaN and infinities are rejected. Prefer ``Decimal`` for money;
* ``Decimal`` → string in plain notation, keeping its scale: ``Decimal("1000.00")`` → ``"1000.00"``;
* ``date`` → ``"2026-11-21"``; ``time`` → ``"08:30:00"``; ``datetime`` must be timezone-aware and is
  written in UTC with its offset, ``"2026-11-21T00:30:00+00:00"`` (microseconds only when non-zero),
  so a row read back through any connection time zone hashes the same;
* ``UUID`` → its canonical string; tuples are lists; ``str`` subclasses (Django choices) are
  their string value.

Anything else (bytes, sets, naive datetimes, non-string keys, lone surrogates) raises
``TypeError`` / ``ValueError`` instead of being guessed at.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any
from uuid import UUID

from . import merkle


def canonical_bytes(obj: Any) -> bytes:
    """The canonical UTF-8 JSON encoding of ``obj`` (see the module docstring for the rules)."""
    parts: list[str] = []
    _encode(obj, parts)
    # strict UTF-8: a lone surrogate in a string raises UnicodeEncodeError (a ValueError).
    return "".join(parts).encode("utf-8")


def canonical_text(obj: Any) -> str:
    """``canonical_bytes(obj)`` as text (what a receipt or an export line carries)."""
    return canonical_bytes(obj).decode("utf-8")


def snapshot_hash(obj: Any, algorithm: str = merkle.DEFAULT_ALGORITHM) -> str:
    """Lower-case hex digest of the canonical bytes of ``obj`` under ``algorithm`` (sha256 or sm3)."""
    return str(merkle.hasher(algorithm)(canonical_bytes(obj)).hexdigest())


def _encode(obj: Any, out: list[str]) -> None:
    if obj is None or obj is True or obj is False:
        out.append({None: "null", True: "true", False: "false"}[obj])
    elif isinstance(obj, str):
        out.append(json.dumps(str.__str__(obj), ensure_ascii=False))
    elif isinstance(obj, int):
        out.append(int.__repr__(obj))
    elif isinstance(obj, float):
        out.append(_float(obj))
    elif isinstance(obj, dict):
        _object(obj, out)
    elif isinstance(obj, (list, tuple)):
        _array(obj, out)
    else:
        out.append(json.dumps(_scalar_text(obj), ensure_ascii=False))


def _object(obj: dict[Any, Any], out: list[str]) -> None:
    for key in obj:
        if not isinstance(key, str):
            raise TypeError(f"JSON 对象的键必须是字符串，而不是 {type(key).__name__}：{key!r}")
    out.append("{")
    for n, key in enumerate(sorted(obj, key=lambda k: k.encode("utf-16-be"))):
        if n:
            out.append(",")
        out.append(json.dumps(str.__str__(key), ensure_ascii=False))
        out.append(":")
        _encode(obj[key], out)
    out.append("}")


def _array(items: list[Any] | tuple[Any, ...], out: list[str]) -> None:
    out.append("[")
    for n, item in enumerate(items):
        if n:
            out.append(",")
        _encode(item, out)
    out.append("]")


def _scalar_text(obj: Any) -> str:
    """Values written as JSON strings: Decimal, datetime, date, time, UUID."""
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"金额等数值不能是 {obj}")
        return format(obj, "f")
    if isinstance(obj, dt.datetime):  # before date: a datetime is also a date
        if obj.tzinfo is None or obj.utcoffset() is None:
            raise ValueError(f"时间必须带时区：{obj.isoformat()}")
        return obj.astimezone(dt.UTC).isoformat()
    if isinstance(obj, (dt.date, dt.time)):
        return obj.isoformat()
    if isinstance(obj, UUID):
        return str(obj)
    raise TypeError(f"无法规范化为 JSON 的类型：{type(obj).__name__}")


def _float(value: float) -> str:
    """ECMAScript Number::toString of a finite double, as RFC 8785 §3.2.2.3 requires."""
    if not math.isfinite(value):
        raise ValueError(f"JSON 不能表示 {value}")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that round-trip, the same digits ECMAScript picks.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = int(exponent) + k  # the value is 0.digits × 10**n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        text = f"{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return sign + text
