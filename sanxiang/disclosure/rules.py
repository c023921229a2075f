"""Publication rules (行政执法公示) as data, each with its source. Pure Python: no Django imports.

Two profiles (:class:`sanxiang.disclosure.choices.Profile`):

* ``national`` — 国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见
  (国办发〔2018〕118号): 行政许可、行政处罚的执法决定信息 within 7 working days of the decision,
  other enforcement decisions within 20 working days; random-inspection results within 20 working
  days (国发〔2019〕5号).
* ``market`` — 市场监督管理行政处罚信息公示规定 (国家市场监督管理总局令第45号, 2021): only
  decisions made under the normal procedure are published, within 20 working days; a decision
  whose only penalty is a warning is not; the period ends 3 months after publication for 通报批评
  or a low fine, 3 years otherwise. (The rule's text is not in /work/shared/data/laws; the wording
  below is as the platform's reviewers read it and must be checked against the official text.)

Decisions on the platform's own choices are marked 本平台规则 with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

NATIONAL, MARKET = "national", "market"
GUIDANCE_118 = "国办发〔2018〕118号"
MARKET_RULE = "《市场监督管理行政处罚信息公示规定》（2021）"

# 7 working days for 许可 and 处罚, 20 for every other kind of decision.
_NATIONAL_DEADLINES = {
    "license": (7, f"{GUIDANCE_118}：行政许可、行政处罚的执法决定信息要在执法决定作出之日起7个工作日内公开"),
    "penalty": (7, f"{GUIDANCE_118}：行政许可、行政处罚的执法决定信息要在执法决定作出之日起7个工作日内公开"),
    "coercion": (20, f"{GUIDANCE_118}：其他行政执法决定信息要在执法决定作出之日起20个工作日内公开"),
    "levy": (20, f"{GUIDANCE_118}：其他行政执法决定信息要在执法决定作出之日起20个工作日内公开"),
    "fee": (20, f"{GUIDANCE_118}：其他行政执法决定信息要在执法决定作出之日起20个工作日内公开"),
    "inspection": (20, f"{GUIDANCE_118}：其他行政执法决定信息要在执法决定作出之日起20个工作日内公开"),
    "inspection_result": (20, "国发〔2019〕5号：抽查检查结果要在20个工作日内通过国家企业信用信息公示系统等向社会公示"),
}


@dataclass(frozen=True)
class LowFine:
    """What counts as a 较低数额罚款 (a short publication period): at most these amounts (元)."""

    natural_person: Decimal
    organisation: Decimal
    source: str


@dataclass(frozen=True)
class ProfileRules:
    profile: str
    label: str
    deadlines: dict[str, tuple[int, str]]
    normal_procedure_only: str = ""  # the source, when only 普通程序 decisions are published
    warning_alone_excluded: str = ""  # the source, when a decision of a warning alone is not published
    no_penalty_published: bool = False
    no_penalty_source: str = ""
    low_fine: LowFine | None = None
    short_months: int = 3
    long_years: int = 3
    period_source: str = ""
    legal_representative_published: bool = True
    legal_representative_source: str = ""

    def deadline(self, category: str) -> tuple[int, str]:
        """(working days from the decision, source) for ``category``."""
        return self.deadlines.get(category) or _NATIONAL_DEADLINES[category]


# 较低数额罚款: 规定第十四条 leaves the amount to the provincial 市场监督管理部门. Until the province's
# figure is entered, the platform takes the simple-procedure ceilings of 行政处罚法 art. 51 (二百元 for a
# citizen, 三千元 for an organisation): a fine the law itself treats as small.
_LOW_FINE = LowFine(
    Decimal("200"), Decimal("3000"),
    f"{MARKET_RULE}第十四条：较低数额罚款由省级市场监督管理部门规定；省级规定录入前，本平台规则按《行政处罚法》"
    "第五十一条简易程序的罚款上限（公民二百元、法人或者其他组织三千元）认定",
)
_PERIOD_SOURCE = (f"{MARKET_RULE}第十四条：仅受到通报批评或者较低数额罚款的行政处罚信息自公示之日起届满三个月的，"
                  "停止公示；其他行政处罚信息自公示之日起届满三年的，停止公示")
_NO_PENALTY = ("本平台规则：不予行政处罚决定不是行政处罚决定，不属于应当主动公开的行政处罚信息"
               f"（《行政处罚法》第四十八条、{GUIDANCE_118}），记录为不予公示")
_LEGAL_REPRESENTATIVE = ("本平台规则：当事人为法人或者其他组织的，公示其法定代表人（负责人）姓名，"
                         "该姓名取自案件登记的当事人信息，正文中的其他自然人信息仍作去标识化处理")

PROFILES: dict[str, ProfileRules] = {
    NATIONAL: ProfileRules(
        NATIONAL, f"一般规定（{GUIDANCE_118}）", _NATIONAL_DEADLINES,
        no_penalty_source=_NO_PENALTY, low_fine=_LOW_FINE,
        period_source=f"{GUIDANCE_118}未规定公示期限，本平台规则参照{MARKET_RULE}第十四条：通报批评或者较低数额罚款"
                      "三个月，其他三年",
        legal_representative_source=_LEGAL_REPRESENTATIVE,
    ),
    MARKET: ProfileRules(
        MARKET, MARKET_RULE,
        {**_NATIONAL_DEADLINES,
         "penalty": (20, f"{MARKET_RULE}：市场监督管理部门应当自作出行政处罚决定之日起二十个工作日内公示")},
        normal_procedure_only=f"{MARKET_RULE}：对适用普通程序作出行政处罚决定的相关信息予以公示；简易程序作出的不予公示",
        warning_alone_excluded=f"{MARKET_RULE}：仅受到警告行政处罚的不予公示",
        no_penalty_source=_NO_PENALTY, low_fine=_LOW_FINE, period_source=_PERIOD_SOURCE,
        legal_representative_source=_LEGAL_REPRESENTATIVE,
    ),
}


def rules_for(profile: str) -> ProfileRules:
    return PROFILES.get(profile) or PROFILES[NATIONAL]


def exclusion(profile: str, category: str, *, procedure: str, penalties: list[str], decision_type: str) -> str:
    """Why a decision is not published under ``profile`` ("" when it is published)."""
    rules = rules_for(profile)
    if decision_type == "no_penalty" and not rules.no_penalty_published:
        return rules.no_penalty_source
    if category != "penalty":
        return ""
    if rules.normal_procedure_only and procedure == "simple":
        return rules.normal_procedure_only
    if rules.warning_alone_excluded and set(penalties) == {"warning"}:
        return rules.warning_alone_excluded
    return ""


def is_short_period(profile: str, *, penalties: list[str], fine: Decimal | None, natural_person: bool) -> bool:
    """Whether the decision is published for the short period (通报批评 or a low fine only)."""
    low = rules_for(profile).low_fine
    kinds = set(penalties) - {"warning"}  # a warning beside them does not lengthen the period
    if kinds == {"criticism"}:
        return True
    if kinds in ({"fine"}, {"fine", "criticism"}) and fine is not None and low is not None:
        return fine <= (low.natural_person if natural_person else low.organisation)
    return False


def period_end(profile: str, published_on: dt.date, *, short: bool) -> dt.date:
    """The last day of the publication period, counted from the day of publication."""
    rules = rules_for(profile)
    months = rules.short_months if short else rules.long_years * 12
    return add_months(published_on, months)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st of a shorter month becomes its last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
