"""Detailed addresses: the part below the county is deleted, the 省/市/县(区) part stays.

法释〔2016〕19号 deletes a natural person's home address below the county. Found three ways:

* after a cue word (住址：, 家住, 现住, 户籍地, 联系地址, ，住… and, for a natural person's line,
  住所/地址/经营场所); the same cue words on an organisation's line (公司, 店, 统一社会信用代码 …) mark
  an address to keep;
* without a cue: an administrative prefix followed by a street, village or estate and a number
  (``成都市武侯区人民南路四段12号``, ``某某村3组``) — over-redacting a shop's address is accepted;
* the known addresses of the people of the case (see ``known_address_details``).
"""

from __future__ import annotations

import re

from .candidates import Candidate, Protected

_CJK = r"\u4e00-\u9fff"
# Characters that never occur in a place name but often right after one (的, 在, 向 …): a place
# component may not run through them, which keeps an address from swallowing the sentence after it.
_PLACE_CHAR = rf"(?:[{_CJK}0-9](?<![的在向对将被从与及其了是系并且但该此等已未不也就把让给称因]))"
_PROV = rf"(?:{_PLACE_CHAR}{{2,6}}?(?:省|自治区|特别行政区)|北京市|天津市|上海市|重庆市)"
_CITY = rf"(?:{_PLACE_CHAR}{{1,6}}?(?:市|自治州|地区|盟))"
_COUNTY = rf"(?:{_PLACE_CHAR}{{1,6}}?(?<![小社园景校街片营厂矿])(?:区|县|市|旗))"
ADMIN = re.compile(rf"{_PROV}?{_CITY}?{_COUNTY}?")

_NUM = r"[0-9一二三四五六七八九十百零〇A-Za-z]{1,6}"
_UNIT = rf"{_NUM}(?:-{_NUM})?\s?(?:号楼|号院|号|栋|幢|座|单元|楼|层|室|组|户|队|附{_NUM}号)"
_PLACE = (
    rf"{_PLACE_CHAR}{{1,10}}?(?:街道|镇|乡|村|社区|大道|路|街|巷|弄|胡同|里|小区|花园|公寓|大厦|家园|新村"
    rf"|广场|苑|园|庭|府|湾|居委会|村委会|工业区|开发区|段)"
)
# 1单元2301, 3栋2-301: a bare room number may close an address after a unit.
_DETAIL = rf"(?:{_PLACE}|{_PLACE_CHAR}{{0,8}}?{_UNIT})+(?:(?<=[号楼栋幢座单元层室组])[0-9]{{1,5}}(?:-[0-9]{{1,5}})?(?![0-9]))?"
_DETAIL_RE = re.compile(_DETAIL)
# Without a cue, only an address that reaches a number, a village or an estate is taken as one.
_UNCUED = re.compile(
    rf"(?P<admin>{_PROV}{_CITY}?{_COUNTY}?|{_CITY}{_COUNTY}?|{_COUNTY})(?P<detail>{_DETAIL})"
)
_RESIDENTIAL = re.compile(rf"{_UNIT}|村|组|小区|社区|花园|公寓|家园|新村|苑")

_PERSON_CUES = (
    "家庭住址|家庭地址|现住址|现住所|现住|家住|暂住|居住地|居住于|户籍地址|户籍所在地|户籍地|身份证地址|"
    "身份证住址|联系地址|送达地址|经常居住地|住址"
)
_SHARED_CUES = "住所地|住所|经营场所|经营地址|注册地址|营业场所|地址|住"
_CUE = re.compile(rf"(?P<cue>{_PERSON_CUES}|{_SHARED_CUES})\s?(?P<colon>:)?\s?")
_UNTIL_DELIMITER = re.compile(r"[^,;。\n()、!?]{2,60}")
_ORGANISATION_LINE = re.compile(
    r"公司|店|厂|中心|医院|诊所|合作社|超市|酒店|宾馆|餐厅|学校|幼儿园|药房|商行|经营部|工作室|信用代码|单位|"
    r"机构|集团|门市|会所|俱乐部|协会|银行|机关|局|政府|委员会|法院|个体工商户|名称"
)
_ORGANISATION_CUES = frozenset("住所地 住所 经营场所 经营地址 注册地址 营业场所 地址".split())


def admin_prefix_length(address: str) -> int:
    """How many leading characters of ``address`` are its 省/市/县(区) part (kept)."""
    match = ADMIN.match(address)
    return match.end() if match else 0


def find_addresses(norm: str) -> tuple[list[Candidate], list[Protected]]:
    """Detailed parts of addresses to delete, and organisations' addresses to keep."""
    candidates: list[Candidate] = []
    protected: list[Protected] = []
    for match in _CUE.finditer(norm):
        found = _after_cue(norm, match)
        if found is None:
            continue
        start, end = found
        if match.group("cue") in _ORGANISATION_CUES and _on_organisation_line(norm, match.start()):
            protected.append(Protected(start, end, hard=False))
            continue
        detail = start + admin_prefix_length(norm[start:end])
        if detail < end:
            candidates.append(Candidate(detail, end, "address", "context"))
    for match in _UNCUED.finditer(norm):
        if _RESIDENTIAL.search(match.group("detail")) and not _continues_as_name(norm, match):
            candidates.append(Candidate(match.start("detail"), match.end(), "address", "pattern"))
    return candidates, protected


def _after_cue(norm: str, cue: re.Match[str]) -> tuple[int, int] | None:
    start = cue.end()
    if cue.group("cue") == "住" and not _bare_live_cue(norm, cue.start()):
        return None
    structured = re.compile(rf"(?:{ADMIN.pattern}){_DETAIL}").match(norm, start)
    if structured and structured.end() > start and _DETAIL_RE.search(structured.group()):
        end = structured.end()
        if cue.group("colon") or cue.group("cue") not in _ORGANISATION_CUES:
            # a labelled field or a home address runs to its delimiter (住曲江银座5号楼1单元2301，)
            end = max(end, _field_end(norm, start))
        return start, end
    if cue.group("colon"):
        end = _field_end(norm, start)
        return (start, end) if end > start else None
    return None


def _field_end(norm: str, start: int) -> int:
    match = _UNTIL_DELIMITER.match(norm, start)
    return match.end() if match else start


def _bare_live_cue(norm: str, index: int) -> bool:
    """``住`` alone is a cue only after a delimiter (``张三，男，住成都市…``), not in 居住/住宿."""
    return index == 0 or norm[index - 1] in ",;。\n :(、"


def _on_organisation_line(norm: str, index: int) -> bool:
    line_start = max(norm.rfind("\n", 0, index), norm.rfind("。", 0, index)) + 1
    return bool(_ORGANISATION_LINE.search(norm, line_start, index))


def _continues_as_name(norm: str, match: re.Match[str]) -> bool:
    """``成都市武侯区人民南路餐饮店``: a street followed by more words is an organisation's name."""
    if match.group("detail")[-1:].isdigit() or re.search(rf"{_UNIT}$", match.group("detail")):
        return False
    following = norm[match.end() : match.end() + 1]
    return bool(re.match(rf"[{_CJK}]", following)) and following not in "的内处附旁一等"


def known_address_details(address: str) -> list[str]:
    """The strings that give a known address away: its detailed part and the tails of it that still
    hold a number or an estate (``锦城苑3栋2单元501室``, ``3栋2单元501室``)."""
    detail = address[admin_prefix_length(address) :].strip()
    if not detail:
        return []
    tails = [detail]
    pieces = list(re.finditer(rf"{_PLACE}|{_UNIT}", detail))
    for index in range(1, len(pieces) - 1):
        tail = detail[pieces[index].start() :]
        if len(tail) >= 4 and _RESIDENTIAL.search(tail):
            tails.append(tail)
    return tails
