"""Canonical JSON of ledger entries and snapshots. No database."""

import datetime as dt
import hashlib
import json
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.ledger.canonical import canonical_bytes, canonical_text, snapshot_hash


def test_sorted_keys_no_whitespace_utf8():
    entry = {"摘要": "罚款 1000 元", "agency": 7, "actor": {"role": "officer", "user": 3}, "files": []}
    assert (
        canonical_text(entry)
        == '{"actor":{"role":"officer","user":3},"agency":7,"files":[],"摘要":"罚款 1000 元"}'
    )
    assert canonical_bytes(entry) == canonical_text(entry).encode("utf-8")


def test_key_order_is_utf16_as_in_rfc8785():
    # RFC 8785 §3.2.3's sorting example: UTF-16 code units, so the emoji sorts before U+FB33.
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    text = canonical_text({key: n for n, key in enumerate(keys)})
    assert text == '{"\\r":1,"1":3,"\u0080":5,"\u00f6":6,"\u20ac":0,"\U0001f600":4,"\ufb33":2}'


def test_string_escapes():
    assert canonical_text('a"b\\c\n\t\x01\x7f/é') == '"a\\"b\\\\c\\n\\t\\u0001\x7f/é"'


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (4.5, "4.5"),
        (0.002, "0.002"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e23, "1e+23"),
        (333333333.33333329, "333333333.3333333"),
        (-1.5e-10, "-1.5e-10"),
        (9007199254740992.0, "9007199254740992"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
    ],
)
def test_floats_follow_ecmascript(value, text):
    assert canonical_text(value) == text


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), -float("inf"), Decimal("NaN"), Decimal("Infinity")]
)
def test_non_finite_numbers_are_rejected(bad):
    with pytest.raises(ValueError):
        canonical_bytes({"amount": bad})


def test_integers_are_exact():
    assert (
        canonical_text([0, -3, 2**70, True, False, None]) == "[0,-3,1180591620717411303424,true,false,null]"
    )


def test_decimal_date_datetime_uuid():
    moment = dt.datetime(2026, 11, 21, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    value = {
        "amount": Decimal("1000.00"),
        "big": Decimal("1E+3"),
        "day": dt.date(2026, 11, 21),
        "at": moment,
        "at_us": moment.replace(microsecond=5),
        "clock": dt.time(8, 30),
        "id": UUID("12345678-1234-5678-1234-567812345678"),
    }
    assert json.loads(canonical_text(value)) == {
        "amount": "1000.00",
        "big": "1000",
        "day": "2026-11-21",
        "at": "2026-11-21T00:30:00+00:00",
        "at_us": "2026-11-21T00:30:00.000005+00:00",
        "clock": "08:30:00",
        "id": "12345678-1234-5678-1234-567812345678",
    }
    # The same instant in another zone is the same canonical value.
    assert canonical_bytes(moment) == canonical_bytes(moment.astimezone(dt.UTC))


class Status(StrEnum):
    OPEN = "open"


@pytest.mark.parametrize(
    "bad", [b"bytes", {1, 2}, {1: "int key"}, dt.datetime(2026, 1, 1), object(), "\ud800"]
)
def test_unsupported_values_raise(bad):
    with pytest.raises((TypeError, ValueError)):
        canonical_bytes({"x": bad})


def test_str_subclasses_and_tuples():
    assert canonical_text({"s": Status.OPEN, "t": (1, "a")}) == '{"s":"open","t":[1,"a"]}'


def test_snapshot_hash():
    obj = {"b": 1, "a": "甲"}
    assert snapshot_hash(obj) == hashlib.sha256('{"a":"甲","b":1}'.encode()).hexdigest()
    assert snapshot_hash(obj, "sm3") == hashlib.new("sm3", '{"a":"甲","b":1}'.encode()).hexdigest()
    assert snapshot_hash({"a": "甲", "b": 1}) == snapshot_hash(obj)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_round_trips_through_json_and_is_a_fixed_point(value):
    text = canonical_text(value)
    assert "\n" not in text  # one entry per line in a JSON Lines export
    parsed = json.loads(text)
    assert canonical_text(parsed) == text
