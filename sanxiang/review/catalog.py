"""The 重大执法决定法制审核目录清单 as data, and the evaluation of a case against it.

Defaults come from 行政处罚法 art. 58 and the seeds (执法类别、涉案金额、社会影响). An agency edits
its own copy (:class:`~sanxiang.review.models.CatalogRule`): amounts may only go down and kinds may
only be added for the rules from the law, which cannot be switched off; its own rules may be added
and removed. Matters the catalog cannot see (major public interest, complexity, other laws: art.
58 (1), (4), (5)) are marked by the handler or unit head with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sanxiang.cases.choices import PenaltyKind, Procedure
from sanxiang.cases.models import Case
from sanxiang.review.choices import RuleKind
from sanxiang.review.models import CatalogRule, ReviewSettings

PENALTY_LABELS = dict(PenaltyKind.choices)
ART_58 = "《行政处罚法》第五十八条第一款"


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    kind: str
    source: str
    amount: Decimal | None = None
    values: tuple[str, ...] = ()
    mandatory: bool = False
    enabled: bool = True
    position: int = 0

    @classmethod
    def of(cls, row: CatalogRule) -> Rule:
        return cls(row.code, row.label, row.kind, row.source, row.amount, tuple(row.values or ()), row.mandatory,
                   row.enabled, row.position)


DEFAULTS: tuple[Rule, ...] = (
    Rule("fine_person", "对公民处以较大数额罚款", RuleKind.FINE_PERSON,
         f"{ART_58}第二项（直接关系当事人重大权益）；数额与听证标准一致（第六十三条），机关可按本地规定调低",
         amount=Decimal("10000"), mandatory=True),
    Rule("fine_organisation", "对法人或其他组织处以较大数额罚款", RuleKind.FINE_ORGANISATION,
         f"{ART_58}第二项；数额与听证标准一致（第六十三条），机关可按本地规定调低",
         amount=Decimal("100000"), mandatory=True),
    Rule("confiscation", "没收较大数额违法所得或较大价值非法财物", RuleKind.CONFISCATION,
         f"{ART_58}第二项；涉案金额（各地“三项制度”实施方案）", amount=Decimal("100000"), mandatory=True),
    Rule("licence", "降低资质等级、吊销许可证件", RuleKind.PENALTY_KINDS, f"{ART_58}第二项；第六十三条第一款第三项",
         values=("downgrade", "revoke_license"), mandatory=True),
    Rule("business", "责令停产停业、责令关闭、限制开展生产经营活动、限制从业", RuleKind.PENALTY_KINDS,
         f"{ART_58}第二项；第六十三条第一款第四项",
         values=("stop_business", "close_down", "restrict_business", "restrict_practice"), mandatory=True),
    Rule("liberty", "限制人身自由的行政处罚", RuleKind.PENALTY_KINDS, f"{ART_58}第二项（重大权益）",
         values=("detention",), mandatory=True),
    Rule("coercion", "行政强制措施和行政强制执行", RuleKind.ITEM_KINDS,
         "各地“三项制度”实施方案（按执法类别确定审核范围）；《行政强制法》", values=("coercion",)),
    Rule("hearing", "经过听证程序作出的决定", RuleKind.HEARING, f"{ART_58}第三项", mandatory=True),
)
DEFAULT_CODES = {rule.code for rule in DEFAULTS}
AMOUNT_KINDS = {RuleKind.FINE_PERSON, RuleKind.FINE_ORGANISATION, RuleKind.CONFISCATION}
FULL_COVERAGE_SOURCE = "机关开启“全覆盖审核”：普通程序作出的决定一律法制审核"


@dataclass(frozen=True)
class Match:
    code: str
    label: str
    source: str
    detail: str = ""


@dataclass
class Determination:
    """What the catalog says about a case now."""

    matches: list[Match] = field(default_factory=list)

    @property
    def major(self) -> bool:
        return bool(self.matches)

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.matches]

    def summary(self) -> str:
        return "；".join(m.label + (f"（{m.detail}）" if m.detail else "") for m in self.matches) or "未命中目录事项"


def rules_for(agency_id: int) -> list[Rule]:
    """The agency's catalog in order: its own rows, else the defaults."""
    rows = [Rule.of(r) for r in CatalogRule.objects.filter(agency_id=agency_id)]
    return rows or list(DEFAULTS)


def full_coverage(agency_id: int) -> bool:
    return ReviewSettings.objects.filter(agency_id=agency_id, full_coverage=True).exists()


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.0f}元"


def _amount_match(rule: Rule, case: Case, natural_person: bool) -> str:
    if rule.kind == RuleKind.CONFISCATION:
        value = case.proposed_confiscation
    elif (rule.kind == RuleKind.FINE_PERSON) != natural_person:
        return ""
    else:
        value = case.proposed_fine
    if value is None or rule.amount is None or value < rule.amount:
        return ""
    return f"拟{_yuan(value)}，标准{_yuan(rule.amount)}"


def matches(rule: Rule, case: Case, natural_person: bool) -> str | None:
    """The detail text when ``rule`` matches ``case`` (may be empty), else None."""
    if not rule.enabled:
        return None
    if rule.kind in AMOUNT_KINDS:
        return _amount_match(rule, case, natural_person) or None
    if rule.kind == RuleKind.PENALTY_KINDS:
        found = set(case.proposed_penalties or ()) & set(rule.values)
        return "、".join(str(PENALTY_LABELS.get(k, k)) for k in sorted(found)) if found else None
    if rule.kind == RuleKind.ITEM_KINDS:
        return "" if case.item_id and case.item.kind in rule.values else None
    if rule.kind == RuleKind.ITEMS:
        return "" if case.item_id and case.item.code in rule.values else None
    if rule.kind == RuleKind.HEARING:
        return "" if case.hearing_requested_on else None
    return None


def evaluate(case: Case, rules: list[Rule] | None = None, coverage: bool | None = None) -> Determination:
    """Which catalog rules the case's current proposal (and hearing) matches.

    The party counts as a natural person only when every party of the case is one (a fine on an
    organisation is measured against the organisation's, higher, standard).
    """
    rules = rules_for(case.agency_id) if rules is None else rules
    parties = list(case.parties.all())
    natural_person = bool(parties) and all(p.is_natural_person for p in parties)
    found = []
    for rule in rules:
        detail = matches(rule, case, natural_person)
        if detail is not None:
            found.append(Match(rule.code, rule.label, rule.source, detail))
    coverage = full_coverage(case.agency_id) if coverage is None else coverage
    if coverage and case.procedure == Procedure.NORMAL and case.proposed_type:
        found.append(Match("full_coverage", "全覆盖审核", FULL_COVERAGE_SOURCE))
    return Determination(found)


def check_change(default: Rule, amount: Decimal | None, values: list[str], enabled: bool) -> None:
    """Raise ValueError when an agency's change would loosen a rule from the law."""
    if not default.mandatory:
        return
    if not enabled:
        raise ValueError(f"“{default.label}”是法定审核事项（{default.source}），不能停用")
    if default.amount is not None and (amount is None or amount > default.amount):
        raise ValueError(f"“{default.label}”的数额标准只能调低，不能高于{_yuan(default.amount)}（{default.source}）")
    missing = set(default.values) - set(values)
    if missing:
        raise ValueError(f"“{default.label}”不能去掉法定的处罚种类")
