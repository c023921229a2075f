"""Changing an agency's 重大执法决定法制审核目录清单 and its 全覆盖 setting: the only writers of
:class:`CatalogRule` and :class:`ReviewSettings` (the review workflow's writers are in
:mod:`sanxiang.review.services`).

Only the agency's admin changes them, for their own agency. The first change copies the defaults
(:data:`sanxiang.review.catalog.DEFAULTS`), so the agency's list is complete from then on. A rule
from the law (``mandatory``) may be made stricter, never loosened (:func:`catalog.check_change`).
Every change writes one ledger entry in the same transaction.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from sanxiang.accounts.access import Action, can
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import Agency, User
from sanxiang.accounts.services import ServiceError
from sanxiang.ledger.services import record_change
from sanxiang.review import catalog
from sanxiang.review.choices import RuleKind
from sanxiang.review.models import CatalogRule, ReviewSettings

DEFAULTS = {rule.code: rule for rule in catalog.DEFAULTS}
KIND_LABELS = dict(RuleKind.choices)
LIST_KINDS = {RuleKind.PENALTY_KINDS, RuleKind.ITEM_KINDS, RuleKind.ITEMS}


def _admin_agency(user: User) -> Agency:
    if not can(user, Action.CHANGE, CatalogRule):
        raise PermissionDenied("只有本机关的系统管理员可以修改法制审核目录清单")
    return Agency.objects.select_for_update().get(pk=user.agency_id)


def _copy_defaults(agency: Agency) -> bool:
    """Give ``agency`` its own copy of the defaults; False when it already has rows."""
    if CatalogRule.objects.filter(agency=agency).exists():
        return False
    CatalogRule.objects.bulk_create([
        CatalogRule(agency=agency, code=r.code, label=r.label, kind=r.kind, amount=r.amount, values=list(r.values),
                    source=r.source, mandatory=r.mandatory, enabled=r.enabled, position=i * 10)
        for i, r in enumerate(catalog.DEFAULTS)])
    return True


def _record(user: User, agency: Agency, rule: CatalogRule, event: str, summary: str, **changes: object) -> None:
    record_change(event_type=f"review.catalog_{event}", actor=user, obj=rule, agency=agency, role=Role.ADMIN,
                  summary=summary, changes=changes or None)


def _check_values(kind: str, values: list[str]) -> list[str]:
    clean = [v.strip() for v in values if v and v.strip()]
    if kind in LIST_KINDS and not clean:
        raise ServiceError("请至少填写一个取值（处罚种类、执法类别或执法事项编码）")
    return clean


def _check_amount(kind: str, amount: Decimal | None) -> Decimal | None:
    if kind in catalog.AMOUNT_KINDS and (amount is None or amount < 0):
        raise ServiceError("数额类事项须填写不小于0的数额标准（元）")
    return amount if kind in catalog.AMOUNT_KINDS else None


@transaction.atomic
def change_rule(user: User, code: str, *, amount: Decimal | None, values: list[str], enabled: bool,
                label: str | None = None) -> CatalogRule:
    """Change one rule of the agency's catalog (copying the defaults first)."""
    agency = _admin_agency(user)
    copied = _copy_defaults(agency)
    rule = CatalogRule.objects.filter(agency=agency, code=code).first()
    if rule is None:
        raise ServiceError("本机关目录中没有该事项")
    values = _check_values(rule.kind, values)
    amount = _check_amount(rule.kind, amount)
    default = DEFAULTS.get(code)
    if default is not None or rule.mandatory:
        try:
            catalog.check_change(default or catalog.Rule.of(rule), amount, values, enabled)
        except ValueError as error:
            raise ServiceError(str(error)) from None
    before = {"amount": str(rule.amount) if rule.amount is not None else None, "values": rule.values,
              "enabled": rule.enabled, "label": rule.label}
    rule.amount, rule.values, rule.enabled = amount, values, enabled
    if label and label.strip():
        rule.label = label.strip()[:200]
    rule.save()
    after = {"amount": str(amount) if amount is not None else None, "values": values, "enabled": enabled,
             "label": rule.label}
    _record(user, agency, rule, "changed", f"修改法制审核目录事项：{rule.label}", before=before, after=after,
            copied_defaults=copied)
    return rule


def _new_code(agency: Agency, label: str) -> str:
    base = "own"
    taken = set(CatalogRule.objects.filter(agency=agency).values_list("code", flat=True))
    n = 1
    while f"{base}-{n}" in taken:
        n += 1
    return re.sub(r"[^a-z0-9_-]", "", f"{base}-{n}")


@transaction.atomic
def add_rule(user: User, *, label: str, kind: str, source: str, amount: Decimal | None = None,
             values: list[str] | None = None) -> CatalogRule:
    """Add an agency's own rule (not from the law: it may later be changed or deleted)."""
    agency = _admin_agency(user)
    copied = _copy_defaults(agency)
    label, source = (label or "").strip(), (source or "").strip()
    if not label or not source:
        raise ServiceError("须填写审核事项和依据（法律条款或本机关规定）")
    if kind not in KIND_LABELS:
        raise ServiceError("判断依据无效")
    values = _check_values(kind, values or [])
    amount = _check_amount(kind, amount)
    last = CatalogRule.objects.filter(agency=agency).aggregate(m=Max("position"))["m"] or 0
    rule = CatalogRule.objects.create(agency=agency, code=_new_code(agency, label), label=label[:200], kind=kind,
                                      amount=amount, values=values, source=source[:300], position=last + 10)
    _record(user, agency, rule, "added", f"新增法制审核目录事项：{rule.label}", code=rule.code, kind=kind,
            amount=str(amount) if amount is not None else None, values=values, source=rule.source,
            copied_defaults=copied)
    return rule


@transaction.atomic
def delete_rule(user: User, code: str) -> None:
    """Delete one of the agency's own rules; the rules of the defaults can only be changed."""
    agency = _admin_agency(user)
    rule = CatalogRule.objects.filter(agency=agency, code=code).first()
    if rule is None:
        raise ServiceError("本机关目录中没有该事项")
    if code in DEFAULTS or rule.mandatory:
        raise ServiceError(f"“{rule.label}”是默认目录事项，不能删除（可停用非法定事项）")
    _record(user, agency, rule, "deleted", f"删除本机关自定的法制审核目录事项：{rule.label}", code=code,
            label=rule.label, source=rule.source)
    rule.delete()


@transaction.atomic
def set_full_coverage(user: User, on: bool) -> ReviewSettings:
    """Switch 全覆盖审核 (every normal-procedure decision reviewed) on or off."""
    agency = _admin_agency(user)
    row, _ = ReviewSettings.objects.get_or_create(agency=agency)
    if row.full_coverage == on:
        return row
    row.full_coverage = on
    row.save(update_fields=["full_coverage"])
    record_change(event_type="review.full_coverage_set", actor=user, obj=row, agency=agency, role=Role.ADMIN,
                  summary=f"{'开启' if on else '关闭'}法制审核全覆盖", changes={"full_coverage": on})
    return row
