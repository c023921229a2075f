"""Vehicle plates, e-mail addresses and property-certificate numbers (read in the normalised text)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .candidates import Candidate

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# GA 36: province, issuing-office letter, optional separator, 5 characters (6 for new-energy plates:
# D/F and 5 digits, or 5 digits and D/F), optional 挂/学/警/港/澳.
_PLATE = re.compile(
    rf"[{_PROVINCES}][A-Za-z][·.\- ]?[A-HJ-NP-Za-hj-np-z0-9]{{5,6}}[挂学警港澳]?(?![A-Za-z0-9])"
)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Agencies' own mailboxes (…@….gov.cn) are public contact points, not personal data.
_PUBLIC_MAIL = re.compile(r"\.gov\.cn$", re.IGNORECASE)

_CJK = r"\u4e00-\u9fff"
_PROPERTY = re.compile(
    # 川(2019)成都市不动产权第0123456号, 不动产证明第…号
    rf"(?:[{_PROVINCES}]\s?)?\(\s?\d{{4}}\s?\)\s?[{_CJK}]{{0,12}}?不动产(?:权|证明)\s?第\s?[0-9A-Za-z\-]+\s?号"
    # 成房权证监证字第1234567号, 房权证…字第…号, 国用(2010)第…号
    rf"|[{_CJK}]?房(?:屋所有)?权证[{_CJK}]{{0,6}}字?\s?第\s?[0-9A-Za-z\-]+\s?号"
    rf"|[{_CJK}]{{0,2}}(?:国用|集用)\s?\(\s?\d{{4}}\s?\)\s?[{_CJK}]{{0,4}}第\s?[0-9A-Za-z\-]+\s?号"
    # 不动产权证号：510107001234, 房产证号：…
    rf"|(?<=不动产权证号:)\s?[0-9A-Za-z\-]{{6,30}}"
    rf"|(?<=不动产权证书号:)\s?[0-9A-Za-z\-]{{6,30}}"
    rf"|(?<=房产证号:)\s?[0-9A-Za-z\-]{{6,30}}"
    rf"|(?<=产权证号:)\s?[0-9A-Za-z\-]{{6,30}}"
)


def find_plates(norm: str) -> Iterator[Candidate]:
    for match in _PLATE.finditer(norm):
        tail = match.group()[2:]
        if sum(char.isdigit() for char in tail) >= 3:
            yield Candidate(match.start(), match.end(), "plate", "pattern")


def find_emails(norm: str) -> Iterator[Candidate]:
    for match in _EMAIL.finditer(norm):
        if not _PUBLIC_MAIL.search(match.group()):
            yield Candidate(match.start(), match.end(), "email", "pattern")


def find_property_certificates(norm: str) -> Iterator[Candidate]:
    for match in _PROPERTY.finditer(norm):
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        yield Candidate(start, match.end(), "property_certificate", "pattern")
