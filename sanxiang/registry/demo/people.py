"""Synthetic officers (执法人员) and the demo logins, generated deterministically.

Names are random combinations of common surnames and given-name characters; certificate
numbers follow the common provincial pattern "行政区划代码 + 发证年份 + 顺序号"
(e.g. 99010020230007). The sequence number runs per region and never repeats, so numbers
stay unique even if the demo is seeded in a later year.
"""

import datetime
import random
from dataclasses import dataclass

from sanxiang.accounts.choices import Role
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.demo.places import AGENCIES, AgencySpec

DEMO_PASSWORD = "Sanxiang-2026"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红玲芬燕彬鹏辉宇浩凯健俊帆旭宁龙林欣晨博文斌"
         "志远思雨涵睿轩琪嘉怡铭哲瑶婷颖晓立建新春海清云峰琳")
POSITIONS = ("科员", "一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "副科长", "科长",
             "执法大队中队长", "执法大队副大队长")


@dataclass(frozen=True)
class OfficerPlan:
    agency: str  # AgencySpec.key
    name: str
    position: str
    certificate_number: str
    categories: tuple[str, ...]
    issued_on: datetime.date
    expires_on: datetime.date
    status: str
    is_legal_reviewer: bool
    has_legal_qualification: bool


@dataclass(frozen=True)
class LoginPlan:
    username: str
    agency: str
    roles: tuple[str, ...]
    full_name: str
    officer: str | None  # certificate number of the linked Officer record


# Which generated officer (by index within its agency) holds each demo login. Index 3 of the
# 市场监督管理局 is a legal reviewer (see _REVIEWERS) so the reviewer login can review.
_LINKED = {("scjg", 0): ("officer", Role.OFFICER), ("scjg", 1): ("unit_head", Role.UNIT_HEAD),
           ("scjg", 3): ("reviewer", Role.REVIEWER), ("scjg", 2): ("agency_head", Role.AGENCY_HEAD),
           ("jbwl", 0): ("jb_officer", Role.OFFICER)}
# (agency, index) → holds 法律职业资格. At least 5 % of each agency's officers review.
_REVIEWERS = {("scjg", 3): True, ("scjg", 4): True, ("whly", 2): True, ("wjw", 2): True,
              ("wjw", 3): False, ("jbwl", 2): True}
_POSITIONS = {("scjg", 1): "执法稽查科科长", ("scjg", 2): "副局长", ("scjg", 3): "法规科副科长",
              ("whly", 0): "文化市场综合执法支队副支队长"}
_EXPIRED = {("scjg", 12), ("wjw", 6), ("jbwl", 7)}
_STATUS = {("wjw", 5): CredentialStatus.SUSPENDED, ("whly", 7): CredentialStatus.REVOKED}
_UNLINKED_LOGINS = (("publisher", "scjg", Role.PUBLISHER), ("admin", "scjg", Role.ADMIN),
                    ("supervisor", "sfj", Role.SUPERVISOR), ("whly_admin", "whly", Role.ADMIN),
                    ("wjw_admin", "wjw", Role.ADMIN), ("jbwl_admin", "jbwl", Role.ADMIN))


def plan_people(today: datetime.date, seed: int = 2026) -> tuple[list[OfficerPlan], list[LoginPlan]]:
    """All demo officers and logins. Same ``seed`` → same names, numbers and flags; the dates
    are relative to ``today`` so a fresh demo always has mostly valid certificates."""
    rng = random.Random(seed)
    names = _NameSource(rng)
    sequences: dict[str, int] = {}
    officers: list[OfficerPlan] = []
    for agency in AGENCIES:
        officers += [_officer(agency, i, rng, names, sequences, today) for i in range(agency.officers)]
    return officers, _logins(officers, names)


def _officer(agency: AgencySpec, index: int, rng: random.Random, names: "_NameSource",
             sequences: dict[str, int], today: datetime.date) -> OfficerPlan:
    key = (agency.key, index)
    issued = today - datetime.timedelta(days=rng.randrange(90, 4 * 365))
    expires = _add_years(issued, 5)
    if key in _EXPIRED:
        expires = today - datetime.timedelta(days=rng.randrange(5, 200))
        issued = _add_years(expires, -5)
    sequences[agency.jurisdiction] = sequences.get(agency.jurisdiction, 0) + 1
    number = f"{agency.jurisdiction}{issued.year}{sequences[agency.jurisdiction]:04d}"
    categories = tuple(k for k in agency.enforcement_kinds if k != "license" or rng.random() < 0.5)
    reviewer = key in _REVIEWERS
    qualified = _REVIEWERS.get(key, rng.random() < 0.1)
    position = _POSITIONS.get(key) or rng.choice(POSITIONS)
    return OfficerPlan(agency.key, names.next(), position, number, categories, issued, expires,
                       _STATUS.get(key, CredentialStatus.VALID), reviewer, qualified)


def _logins(officers: list[OfficerPlan], names: "_NameSource") -> list[LoginPlan]:
    logins: list[LoginPlan] = []
    counters: dict[str, int] = {}
    for officer in officers:
        index = counters.get(officer.agency, 0)
        counters[officer.agency] = index + 1
        linked = _LINKED.get((officer.agency, index))
        if linked:
            logins.append(LoginPlan(linked[0], officer.agency, (linked[1],), officer.name,
                                    officer.certificate_number))
    logins += [LoginPlan(username, agency, (role,), names.next(), None)
               for username, agency, role in _UNLINKED_LOGINS]
    # The table printed at the end lists the 市场监督管理局's roles in the order a case flows.
    order = ["officer", "unit_head", "reviewer", "agency_head", "publisher", "admin", "supervisor",
             "jb_officer"]
    return sorted(logins, key=lambda p: order.index(p.username) if p.username in order else len(order))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _NameSource:
    """Unique synthetic Chinese names: a surname and one or two given-name characters."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set[str]()

    def next(self) -> str:
        while True:
            given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name
