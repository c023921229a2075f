"""Legal rules of case handling as data: defaults from the law, each with its source.

An agency may set a stricter value (:class:`sanxiang.cases.models.AgencyRule`). For most rules a
smaller number is stricter (a shorter period, a lower ceiling for the simple procedure, a lower
threshold above which a hearing must be offered); for the reminder window a larger one is (an
earlier warning). An override may only move a default in its stricter direction.
Pure Python: no Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    YUAN = "yuan"


UNIT_LABELS = {Unit.WORKING_DAYS: "个工作日", Unit.DAYS: "日", Unit.YUAN: "元"}


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    value: int
    unit: Unit
    source: str
    stricter_is_higher: bool = False

    @property
    def working(self) -> bool:
        return self.unit == Unit.WORKING_DAYS

    def describe(self, value: int | None = None) -> str:
        return f"{self.label}：{self.value if value is None else value}{UNIT_LABELS[self.unit]}"


_RULES = [
    Rule("decision", "自立案之日起作出行政处罚决定的期限", 90, Unit.DAYS,
         "《行政处罚法》第六十条：行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定"),
    Rule("decision_extension", "经机关负责人批准可延长的办案期限", 30, Unit.DAYS,
         "《行政处罚法》第六十条“法律、法规、规章另有规定的，从其规定”；"
         "《市场监督管理行政处罚程序规定》第六十四条：经负责人批准可以延长三十日"),
    Rule("statement", "当事人陈述、申辩的期限（自事先告知送达之日起）", 5, Unit.WORKING_DAYS,
         "《行政处罚法》第四十四条、第四十五条（期限由机关在告知书中载明，默认与听证申请期限一致）"),
    Rule("hearing_request", "当事人要求听证的期限（自告知书送达之日起）", 5, Unit.WORKING_DAYS,
         "《行政处罚法》第六十四条第一项：当事人要求听证的，应当在行政机关告知后五日内提出"),
    Rule("hearing_notice", "举行听证前通知当事人的最短提前期", 7, Unit.WORKING_DAYS,
         "《行政处罚法》第六十四条第二项：行政机关应当在举行听证的七日前，通知当事人及有关人员"),
    Rule("service", "决定书未当场交付时的送达期限", 7, Unit.WORKING_DAYS,
         "《行政处罚法》第六十一条：当事人不在场的，行政机关应当在七日内依照民事诉讼法的有关规定送达"),
    Rule("payment", "当事人缴纳罚款的期限（自收到决定书之日起）", 15, Unit.DAYS,
         "《行政处罚法》第六十七条：当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款"),
    Rule("preservation", "先行登记保存后作出处理决定的期限", 7, Unit.WORKING_DAYS,
         "《行政处罚法》第五十六条：应当在七日内及时作出处理决定"),
    Rule("simple_fine_person", "简易程序（当场处罚）对公民的罚款上限", 200, Unit.YUAN,
         "《行政处罚法》第五十一条：对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告"),
    Rule("simple_fine_organisation", "简易程序（当场处罚）对法人或其他组织的罚款上限", 3000, Unit.YUAN,
         "《行政处罚法》第五十一条"),
    Rule("hearing_fine_person", "应告知听证权利的“较大数额罚款”（公民）", 10000, Unit.YUAN,
         "《行政处罚法》第六十三条第一款第一项；具体数额由省级规定，此为常见默认值，机关应按本地规定调低"),
    Rule("hearing_fine_organisation", "应告知听证权利的“较大数额罚款”（法人或其他组织）", 100000, Unit.YUAN,
         "《行政处罚法》第六十三条第一款第一项；具体数额由省级规定，此为常见默认值"),
    Rule("hearing_confiscation", "应告知听证权利的“没收较大数额违法所得、没收较大价值非法财物”", 100000, Unit.YUAN,
         "《行政处罚法》第六十三条第一款第二项"),
    Rule("legal_review", "法制审核的期限（自送审之日起）", 5, Unit.WORKING_DAYS,
         "各地“三项制度”实施方案要求明确审核时限（如国办发〔2018〕118号：明确审核时限）；默认五个工作日，"
         "机关可在本机关重大执法决定法制审核办法中规定更短期限"),
    Rule("legal_review_extension", "情况复杂的，法制审核期限可延长一次的天数", 5, Unit.WORKING_DAYS,
         "各地重大执法决定法制审核办法的常见规定：经批准可延长一次，不超过五个工作日"),
    Rule("due_soon", "临期提醒：到期前若干工作日内标为“即将到期”", 3, Unit.WORKING_DAYS,
         "平台设置（issue 4：到期前三个工作日提醒承办人、承办机构负责人和监督人员）", stricter_is_higher=True),
]

DEFAULT_RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}

# Penalty kinds that always carry the right to a hearing (行政处罚法 art. 63 (1) items 3-5).
HEARING_PENALTY_KINDS = frozenset({"downgrade", "revoke_license", "stop_business", "close_down",
                                   "restrict_business", "restrict_practice"})
# Penalty kinds the simple procedure allows besides a fine (art. 51: 警告).
SIMPLE_PENALTY_KINDS = frozenset({"warning", "fine"})


class RuleBook:
    """The rules in force for one agency: defaults with its stricter overrides applied."""

    def __init__(self, overrides: dict[str, int] | None = None) -> None:
        self.overrides = dict(overrides or {})
        for code, value in self.overrides.items():
            check_override(code, value)

    def value(self, code: str) -> int:
        return self.overrides.get(code, DEFAULT_RULES[code].value)

    def amount(self, code: str) -> Decimal:
        return Decimal(self.value(code))

    def rule(self, code: str) -> Rule:
        return DEFAULT_RULES[code]


def check_override(code: str, value: int) -> None:
    """Raise ValueError unless ``value`` is a valid, not looser, setting for rule ``code``."""
    rule = DEFAULT_RULES.get(code)
    if rule is None:
        raise ValueError(f"未知的规则：{code}")
    if value < 0:
        raise ValueError(f"{rule.label}不能为负数")
    looser = value < rule.value if rule.stricter_is_higher else value > rule.value
    if looser:
        raise ValueError(f"{rule.label}只能比法定默认值（{rule.value}{UNIT_LABELS[rule.unit]}）更严格，"
                         f"不能设为{value}{UNIT_LABELS[rule.unit]}（依据：{rule.source}）")
