"""How catalog rules and staffing read on pages and in the API (one wording for both)."""

from __future__ import annotations

from sanxiang.accounts.choices import EnforcementKind
from sanxiang.accounts.models import Agency
from sanxiang.cases.choices import PenaltyKind
from sanxiang.review import catalog
from sanxiang.review.choices import RuleKind
from sanxiang.review.models import CatalogRule
from sanxiang.review.staffing import Staffing

KIND_LABELS = dict(RuleKind.choices)
PENALTY_LABELS = dict(PenaltyKind.choices)
ITEM_KIND_LABELS = dict(EnforcementKind.choices)


def value_labels(rule: catalog.Rule) -> list[str]:
    names = {RuleKind.PENALTY_KINDS: PENALTY_LABELS, RuleKind.ITEM_KINDS: ITEM_KIND_LABELS}.get(rule.kind, {})
    return [str(names.get(v, v)) for v in rule.values]


def rule_dict(rule: catalog.Rule) -> dict:
    return {"code": rule.code, "label": rule.label, "kind": rule.kind, "kind_label": str(KIND_LABELS[rule.kind]),
            "amount": rule.amount, "amount_text": f"{rule.amount:,.0f}" if rule.amount is not None else "",
            "values": list(rule.values), "value_labels": value_labels(rule),
            "source": rule.source, "mandatory": rule.mandatory, "enabled": rule.enabled}


def catalog_dict(agency: Agency) -> dict:
    """The agency's catalog as it applies now: its own rows, else the defaults."""
    return {"agency": agency, "customised": CatalogRule.objects.filter(agency=agency).exists(),
            "full_coverage": catalog.full_coverage(agency.pk),
            "rules": [rule_dict(r) for r in catalog.rules_for(agency.pk)]}


def staffing_dict(s: Staffing) -> dict:
    return {"agency": s.agency, "officers": s.officers, "reviewers": s.reviewers,
            "registry_reviewers": s.registry_reviewers, "role_reviewers": s.role_reviewers, "qualified": s.qualified,
            "required": s.required, "share": s.share, "short": s.short, "warning": s.warning}
