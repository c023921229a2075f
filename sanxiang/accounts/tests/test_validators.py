"""USCC (GB 32100) and 身份证 (GB 11643) check digits, on real-format samples."""

import random

import pytest
from django.core.exceptions import ValidationError

from sanxiang.accounts.validators import (
    id_number_problem,
    uscc_check_char,
    uscc_problem,
    validate_phone,
    validate_uscc,
)
from sanxiang.testing import make_id_number, make_uscc

# Codes in the real format whose check characters appear in published examples of GB 32100.
KNOWN_USCC = ["91350100M000100Y43", "91110000100006485K", "11100000000013127D"]


@pytest.mark.parametrize("code", KNOWN_USCC)
def test_known_uscc_pass(code: str) -> None:
    assert uscc_problem(code) is None


def test_weights_match_the_standard() -> None:
    from sanxiang.accounts.validators import _USCC_WEIGHTS

    assert _USCC_WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@pytest.mark.parametrize("code", KNOWN_USCC)
def test_every_single_character_change_is_caught(code: str) -> None:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(18):
        for replacement in alphabet:
            if replacement == code[position]:
                continue
            altered = code[:position] + replacement + code[position + 1 :]
            assert uscc_problem(altered) is not None, altered


def test_uscc_messages_are_chinese_and_specific() -> None:
    assert "18位" in uscc_problem("9135010")
    assert "不允许的字符" in uscc_problem("91350100M000100I43")
    wrong = "91350100M000100Y44"
    assert "校验位错误（应为3）" in uscc_problem(wrong)
    with pytest.raises(ValidationError):
        validate_uscc(wrong)


def test_generated_uscc_are_valid() -> None:
    rng = random.Random(7)
    for _ in range(500):
        code = make_uscc(rng)
        assert uscc_problem(code) is None
        assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "110105194912310029"])
def test_known_id_numbers(number: str) -> None:
    # 11010519491231002X is GB 11643's own example; the others are format samples.
    expected_valid = number != "110105194912310029"
    assert (id_number_problem(number) is None) is expected_valid


def test_id_number_rejects_bad_birth_date_and_length() -> None:
    assert "出生日期" in id_number_problem("110105194902300021")
    assert "18位" in id_number_problem("11010519491231002")
    assert id_number_problem("11010519491231002x") is None  # lower-case x accepted


def test_generated_id_numbers_are_valid() -> None:
    rng = random.Random(3)
    assert all(id_number_problem(make_id_number(rng)) is None for _ in range(200))


@pytest.mark.parametrize("phone", ["13812345678", "0576-85123456", "010-12345678", "85123456"])
def test_phone_accepts(phone: str) -> None:
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["1381234567", "12812345678", "abc"])
def test_phone_rejects(phone: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(phone)
