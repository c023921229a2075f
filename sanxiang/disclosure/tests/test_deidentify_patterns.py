"""Each pattern on its own: check characters, numbers in their written forms, plates, e-mail,
property certificates, addresses, and what must stay (USCCs, amounts, dates, document numbers)."""

from __future__ import annotations

import random

import pytest

from sanxiang.disclosure.deidentify import deidentify
from sanxiang.disclosure.deidentify.checks import (
    has_id_structure,
    id_check_char,
    is_valid_id18,
    is_valid_uscc,
    luhn_ok,
    uscc_check_char,
)
from sanxiang.disclosure.tests.deidentify_corpus import FORMS, bank_card, id_number, uscc

ID = id_number("510107", "19900101", 123)
MOBILE = "13800138000"
RNG = random.Random(7)
CARD16 = bank_card(RNG, 16)
CARD19 = bank_card(RNG, 19)
USCC = uscc(RNG, "510107")


def kinds(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(r.kind, r.original) for r in deidentify(text, **kwargs).replacements]


# --- check characters -----------------------------------------------------------------------------


def test_gb_11643_check_character():
    assert is_valid_id18("11010519491231002X")  # the example of GB 11643-1999
    assert is_valid_id18("11010519491231002x")
    assert not is_valid_id18("110105194912310021")
    for position in range(17):  # MOD 11-2 catches every single wrong digit
        digit = str((int(ID[position]) + 1) % 10)
        assert not is_valid_id18(ID[:position] + digit + ID[position + 1 :])
    assert id_check_char(ID[:17]) == ID[17]


def test_id_structure_needs_a_region_and_a_real_birth_date():
    assert has_id_structure("510107199001011230")  # wrong check character, but laid out like an ID
    assert has_id_structure("510107900101123")  # the old 15-digit form
    assert not has_id_structure("510107199013011230")  # month 13
    assert not has_id_structure("910107199001011230")  # no region starts with 9
    assert not has_id_structure("123456789012345678")


def test_gb_32100_check_character():
    assert is_valid_uscc(USCC)
    assert uscc_check_char(USCC[:17]) == USCC[17]
    wrong = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    assert not is_valid_uscc(wrong)
    assert not is_valid_uscc("91510107MA6CX0I0OX")  # I and O are not in the alphabet


def test_luhn():
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")
    assert luhn_ok(CARD16) and luhn_ok(CARD19)


# --- ID numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["", "sp", "dash", "fw", "sp+fw"])
def test_id_numbers_in_every_written_form(form):
    written = ID
    for name in filter(None, form.split("+")):
        written = FORMS[name](written)
    text = f"当事人身份证号码：{written}，其余略。"
    assert kinds(text) == [("id_number", written)]
    assert deidentify(text).text == "当事人身份证号码：【身份证号码】，其余略。"


def test_an_id_number_ending_in_x_in_either_case():
    first17 = next(
        f"51010719900101{n:03d}" for n in range(1000) if id_check_char(f"51010719900101{n:03d}") == "X"
    )
    for written in (first17 + "X", first17 + "x", FORMS["fw"](first17 + "X")):
        assert kinds(f"公民身份号码{written}。") == [("id_number", written)]


def test_old_15_digit_and_wrong_check_character_ids_are_still_redacted():
    old = "510107900101123"
    assert kinds(f"身份证：{old}") == [("id_number", old)]
    assert kinds(f"其号码为{old}。") == [("id_number", old)]  # laid out like one: region, birth date
    typo = ID[:17] + ("0" if ID[17] != "0" else "1")
    assert kinds(f"身份证号{typo}，") == [("id_number", typo)]
    assert kinds(f"号码{typo}，") == [("id_number", typo)]


def test_numbers_that_are_not_ids_stay():
    text = "订单号999999999999999999，罚款50000元，2024年5月20日（2024-05-20），武市监处罚〔2024〕112号。"
    assert kinds(text) == []


# --- phones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        MOBILE,
        "138 0013 8000",
        "138-0013-8000",
        "１３８００１３８０００",
        "１３８ ００１３ ８０００",
        "+86 13800138000",
        "+8613800138000",
        "028-85123456",
        "(028)85123456",
        "（028）8512 3456",
        "0755-12345678转801",
        "028-85123456-8012",
    ],
)
def test_phones_in_every_written_form(written):
    result = deidentify(f"当事人联系：{written}。")
    assert [r.kind for r in result.replacements] == ["phone"]
    assert result.text == "当事人联系：【电话号码】。"


def test_a_local_number_needs_a_phone_cue():
    assert kinds("联系电话：85123456。") == [("phone", "85123456")]
    assert kinds("编号85123456。") == []


# --- bank cards and accounts ------------------------------------------------------------------------


def test_bank_cards_by_luhn_and_accounts_by_cue():
    assert kinds(f"转账至{CARD16}。") == [("bank_account", CARD16)]
    spaced = " ".join(CARD19[i : i + 4] for i in range(0, 19, 4))
    assert kinds(f"转账至{spaced}。") == [("bank_account", spaced)]
    assert kinds("开户银行：中国农业银行，账号：22-800104040003001。") == [
        ("bank_account", "22-800104040003001")
    ]
    not_luhn = CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10)
    assert kinds(f"编号{not_luhn}。") == []


# --- organisations ----------------------------------------------------------------------------------


def test_usccs_stay():
    assert kinds(f"统一社会信用代码：{USCC}。") == []
    assert kinds(f"（{USCC}）") == []
    assert kinds("统一社会信用代码：91510107MA6CX0000X（校验位不符）") == []


def test_an_all_digit_code_that_is_both_an_id_and_a_uscc():
    both = next(
        code
        for n in range(100000)
        if is_valid_uscc(code := id_number("510107", f"19{n % 80 + 20:02d}0101", n % 1000))
    )
    assert kinds(f"号码{both}。") == [("id_number", both)]  # privacy first
    assert kinds(f"统一社会信用代码：{both}。") == []
    assert kinds(f"号码{both}。", organisations=[{"name": "某公司", "uscc": both}]) == []


# --- plates, e-mail, property certificates -------------------------------------------------------------


@pytest.mark.parametrize(
    "plate", ["川A12345", "川A·12345", "川A-12345", "川AD12345", "粤B12345D", "川Ａ１２３４５", "苏E1B234"]
)
def test_vehicle_plates(plate):
    assert kinds(f"驾驶{plate}号车辆。") == [("plate", plate)]


def test_words_that_look_a_little_like_plates_stay():
    assert kinds("新A级景区，川A区域。") == []


def test_emails_but_not_agency_mailboxes():
    assert kinds("邮箱：zhang.san_1990@qq.com，举报邮箱：12315@scjg.chengdu.gov.cn。") == [
        ("email", "zhang.san_1990@qq.com")
    ]


@pytest.mark.parametrize(
    "certificate",
    ["川(2019)成都市不动产权第0012345号", "川（2019）成都市不动产权第0012345号", "成房权证监证字第1234567号"],
)
def test_property_certificates(certificate):
    assert kinds(f"持有{certificate}，") == [("property_certificate", certificate)]
    assert kinds("不动产权证号：510107001234，") == [("property_certificate", "510107001234")]


# --- addresses --------------------------------------------------------------------------------------


def test_an_address_keeps_its_province_city_and_county():
    text = "张三，男，住四川省成都市武侯区簇桥街道锦城苑3栋2单元501室，电话略。"
    assert deidentify(text).text == "张某，男，住四川省成都市武侯区【详细地址】，电话略。"


@pytest.mark.parametrize(
    "written, published",
    [
        ("住址：成都市锦江区春熙路街道红星路二段18号附5号。", "住址：成都市锦江区【详细地址】。"),
        ("家住重庆市渝中区解放碑街道八一路177号2-5。", "家住重庆市渝中区【详细地址】。"),
        ("，现住陕西省西安市雁塔区曲江银座5号楼1单元2301，", "，现住陕西省西安市雁塔区【详细地址】，"),
        ("户籍地：四川省彭州市致和镇石门村3组15号。", "户籍地：四川省彭州市【详细地址】。"),
        ("联系地址：锦城苑3栋2单元501室。", "联系地址：【详细地址】。"),
        (
            "在其位于北京市朝阳区望京西园三区312号楼4单元602的家中。",
            "在其位于北京市朝阳区【详细地址】的家中。",
        ),
    ],
)
def test_addresses_by_cue_and_by_shape(written, published):
    result = deidentify(written)
    assert result.text == published
    assert [r.kind for r in result.replacements] == ["address"]


def test_an_organisations_address_and_name_stay():
    text = (
        "当事人：成都好味道餐饮有限公司，住所：成都市武侯区人民南路四段12号。\n"
        "当事人：成都市武侯区人民南路餐饮店，经营者：张三。"
    )
    result = deidentify(text)
    assert "住所：成都市武侯区人民南路四段12号" in result.text
    assert "成都市武侯区人民南路餐饮店" in result.text
    assert [r.kind for r in result.replacements] == ["name"]


def test_a_known_address_is_found_when_written_in_part():
    person = {"name": "刘建华", "address": "四川省成都市武侯区簇桥街道锦城苑3栋2单元501室"}
    text = "经查，当事人在锦城苑3栋2单元501室内加工食品，其住处（3栋2单元501室）无证照。"
    result = deidentify(text, people=[person])
    assert "501" not in result.text and "锦城苑" not in result.text
