"""Demo data for a fresh installation (``manage.py seed_demo``).

One invented city (示例省 清江市) with a 司法局, four agencies, 44 officers, one login per role,
the shipped national laws, enforcement items citing their articles, discretion benchmarks,
random-inspection items and 1,000 inspection targets. Nothing refers to a real person or
company.

Seeding is idempotent: every row has a natural key (区划代码, 机关名称, 用户名, 执法证号 or
机关+姓名, 机关+事项编码, …) and only missing rows are created, so a second run adds nothing
and a run after a partial failure completes the data. Rows are written through the same
services the UI uses (accounts.services, registry.services with each agency's admin), except
the 1,000 targets, which are bulk-inserted for speed after being generated valid.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts import services as account_services
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import Agency, Jurisdiction, User
from sanxiang.accounts.validators import uscc_check_char
from sanxiang.ledger.checkpoints import cosign, sign_checkpoint
from sanxiang.ledger.models import Cosignature
from sanxiang.ledger.services import record
from sanxiang.registry import services
from sanxiang.registry.demo.catalog import ITEMS, RANDOM_ITEMS, Citation, ItemSpec
from sanxiang.registry.demo.people import DEMO_PASSWORD, LoginPlan, OfficerPlan, plan_people
from sanxiang.registry.demo.places import AGENCIES, CITY, AgencySpec, places
from sanxiang.registry.demo.targets import org_code_check, plan_targets
from sanxiang.registry.laws import load_shipped_laws
from sanxiang.registry.lawtext import article_label
from sanxiang.registry.models import (
    Article,
    DiscretionBenchmark,
    EnforcementItem,
    InspectionTarget,
    Law,
    Officer,
    RandomInspectionItem,
)

__all__ = ["DEMO_PASSWORD", "DemoError", "DemoResult", "seed_demo"]

Progress = Callable[[str], None]
T = TypeVar("T")


class DemoError(RuntimeError):
    """The database holds something that conflicts with the demo data (message in Chinese)."""


@dataclass
class StepResult:
    label: str
    created: int = 0
    existing: int = 0


@dataclass
class DemoResult:
    already_present: bool  # the demo city existed before this run
    steps: list[StepResult] = field(default_factory=list)
    logins: list[LoginPlan] = field(default_factory=list)
    agencies: dict[str, Agency] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(s.created for s in self.steps)


def seed_demo(progress: Progress = lambda _: None, today: datetime.date | None = None) -> DemoResult:
    """Create whatever part of the demo data is missing, in one transaction."""
    today = today or timezone.localdate()
    officers, logins = plan_people(today)
    result = DemoResult(already_present=Jurisdiction.objects.filter(code=CITY.code).exists(), logins=logins)
    with transaction.atomic():
        jurisdictions = _step(result, progress, "行政区划", _seed_places)
        result.agencies = _step(result, progress, "执法主体", lambda s: _seed_agencies(s, jurisdictions))
        users = _step(result, progress, "演示账户", lambda s: _seed_logins(s, logins, result.agencies))
        admins = _admins(result.agencies, users)
        _step(result, progress, "法律法规", _seed_laws)
        _step(result, progress, "执法人员", lambda s: _seed_officers(s, officers, logins, users, admins))
        items = _step(result, progress, "执法事项", lambda s: _seed_items(s, admins))
        _step(result, progress, "裁量基准", lambda s: _seed_benchmarks(s, items, admins))
        _step(result, progress, "随机抽查事项", lambda s: _seed_random_items(s, items, admins))
        _step(result, progress, "检查对象", lambda s: _seed_targets(s, result.agencies, jurisdictions))
        _step(result, progress, "执法案件", lambda s: _seed_cases(s, result.agencies, today))
        _step(result, progress, "证据与音像记录", lambda s: _seed_evidence(s, result.agencies))
        _step(result, progress, "法制审核", lambda s: _seed_review(s, result.agencies, today))
        _step(result, progress, "行政执法公示", lambda s: _seed_disclosure(s, result.agencies, today))
        _step(result, progress, "双随机抽查", lambda s: _seed_inspections(s, result.agencies, today))
        _step(result, progress, "检查点与见证签名", lambda s: _seed_checkpoint(s, users["supervisor"]))
    return result


def _seed_cases(step: StepResult, agencies: dict[str, Agency], today: datetime.date) -> None:
    from sanxiang.cases.demo import seed_cases  # imported here: sanxiang.cases.demo imports this package

    seed_cases(step, agencies, today)


def _seed_evidence(step: StepResult, agencies: dict[str, Agency]) -> None:
    from sanxiang.evidence.demo import seed_evidence

    seed_evidence(step, agencies)


def _seed_review(step: StepResult, agencies: dict[str, Agency], today: datetime.date) -> None:
    from sanxiang.review.demo import seed_review

    seed_review(step, agencies, today)


def _seed_disclosure(step: StepResult, agencies: dict[str, Agency], today: datetime.date) -> None:
    from sanxiang.disclosure.demo import seed_disclosure

    seed_disclosure(step, agencies, today)


def _seed_inspections(step: StepResult, agencies: dict[str, Agency], today: datetime.date) -> None:
    from sanxiang.inspections.demo import seed_inspections

    seed_inspections(step, agencies, today)


def _seed_checkpoint(step: StepResult, supervisor: User) -> None:
    """Sign a checkpoint of the ledger as the demo left it, cosigned by the 司法局's witness key."""
    if Cosignature.objects.exists():
        step.existing += 1
        return
    cosign(sign_checkpoint(), supervisor)
    # Cosigning writes its own ledger entry; sign once more so the newest checkpoint covers it.
    sign_checkpoint()
    step.created += 1


def _step(result: DemoResult, progress: Progress, label: str, run: Callable[[StepResult], T]) -> T:
    """Run one seeding step, record its counts and report them as one line."""
    step = StepResult(label)
    value = run(step)
    result.steps.append(step)
    progress(f"{label}：新增 {step.created}，已有 {step.existing}")
    return value


# --- places, agencies, accounts ---------------------------------------------------------------


def _seed_places(step: StepResult) -> dict[str, Jurisdiction]:
    nodes: dict[str, Jurisdiction] = {j.code: j for j in Jurisdiction.objects.filter(code__startswith="99")}
    for spec in places():
        if spec.code in nodes:
            step.existing += 1
            continue
        parent = nodes[spec.parent] if spec.parent else None
        nodes[spec.code] = account_services.create_jurisdiction(
            name=spec.name, code=spec.code, level=spec.level, parent=parent)
        step.created += 1
    return nodes


def _seed_agencies(step: StepResult, jurisdictions: dict[str, Jurisdiction]) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        agency = Agency.objects.filter(name=spec.name).first()
        if agency is None:
            agency = account_services.create_agency(
                name=spec.name, short_name=spec.short_name, uscc=agency_uscc(spec), kind=spec.kind,
                legal_basis=spec.legal_basis, jurisdiction=jurisdictions[spec.jurisdiction],
                address=spec.address, phone=spec.phone, enforcement_kinds=list(spec.enforcement_kinds))
            step.created += 1
        else:
            step.existing += 1
        agencies[spec.key] = agency
    return agencies


def agency_uscc(spec: AgencySpec) -> str:
    """"11" (机构编制部门登记的机关) + region + 组织机构代码 + GB 32100 check character."""
    first17 = "11" + spec.jurisdiction + spec.org_code + org_code_check(spec.org_code)
    return first17 + uscc_check_char(first17)


def _seed_logins(step: StepResult, logins: list[LoginPlan], agencies: dict[str, Agency]) -> dict[str, User]:
    users: dict[str, User] = {}
    for plan in logins:
        user = User.objects.filter(username=plan.username).first()
        if user is None:
            user = account_services.create_user(
                actor=None, agency=agencies[plan.agency], username=plan.username, password=DEMO_PASSWORD,
                full_name=plan.full_name, roles=plan.roles)
            step.created += 1
        elif user.agency_id != agencies[plan.agency].pk:
            raise DemoError(f"用户名“{plan.username}”已被其他机关的账户使用，无法创建演示账户")
        else:
            step.existing += 1
        users[plan.username] = user
    return users


def _admins(agencies: dict[str, Agency], users: dict[str, User]) -> dict[str, User]:
    """agency key → its demo admin account; each agency's registry rows are written in its name
    (the 司法局 keeps no registry rows and has no admin here)."""
    admins = {}
    for key, agency in agencies.items():
        admin = next((u for u in users.values() if u.agency_id == agency.pk and u.has_role(Role.ADMIN)), None)
        if admin:
            admins[key] = admin
    return admins


# --- laws and officers ------------------------------------------------------------------------


def _seed_laws(step: StepResult) -> None:
    for loaded in load_shipped_laws():
        if loaded.law_created:
            step.created += 1
        else:
            step.existing += 1


def _seed_officers(step: StepResult, officers: list[OfficerPlan], logins: list[LoginPlan],
                   users: dict[str, User], admins: dict[str, User]) -> None:
    login_of = {p.officer: users[p.username] for p in logins if p.officer}
    agencies = {key: admin.agency for key, admin in admins.items()}
    numbers = set(Officer.objects.values_list("certificate_number", flat=True))
    named = {(a, n): pk for pk, a, n in Officer.objects.values_list("pk", "agency_id", "name")}
    for plan in officers:
        admin, agency = admins[plan.agency], agencies[plan.agency]
        user = login_of.get(plan.certificate_number)
        existing = named.get((agency.pk, plan.name))
        if existing or plan.certificate_number in numbers:
            step.existing += 1
            _link_login(existing, user, admin)
            continue
        services.create_object(admin, Officer, {
            "name": plan.name, "position": plan.position, "certificate_number": plan.certificate_number,
            "categories": list(plan.categories), "issued_on": plan.issued_on, "expires_on": plan.expires_on,
            "status": plan.status, "is_legal_reviewer": plan.is_legal_reviewer,
            "has_legal_qualification": plan.has_legal_qualification, "user": user})
        step.created += 1


def _link_login(officer_pk: int | None, user: User | None, admin: User) -> None:
    """An existing officer whose demo login was missing gets it linked now."""
    if not (officer_pk and user) or Officer.objects.filter(user=user).exists():
        return
    officer = Officer.objects.get(pk=officer_pk)
    if officer.user_id is None:
        services.update_object(admin, officer, {"user": user})


# --- items, benchmarks, random items, targets -------------------------------------------------


def _seed_items(step: StepResult, admins: dict[str, User]) -> dict[str, EnforcementItem]:
    items: dict[str, EnforcementItem] = {}
    for spec in ITEMS:
        admin = admins[spec.agency]
        articles = [a for citation in spec.basis for a in _articles(citation)]
        item = EnforcementItem.objects.filter(agency=admin.agency, code=spec.code).first()
        if item is None:
            item = services.create_object(admin, EnforcementItem, _item_fields(spec),
                                          m2m={"legal_basis": articles})
            step.created += 1
        else:
            step.existing += 1
            missing = set(articles) - set(item.legal_basis.all())
            if missing:
                services.update_object(admin, item, {}, m2m={"legal_bas"
                                                             "is": [*item.legal_basis.all(), *missing]})
        items[spec.code] = item
    return items


def _item_fields(spec: ItemSpec) -> dict[str, object]:
    return {"code": spec.code, "name": spec.name, "kind": spec.kind, "description": spec.description,
            "basis_text": basis_text(spec.basis)}


def _law(short_title: str) -> Law:
    law = (Law.objects.filter(agency=None, title__in=[short_title, f"中华人民共和国{short_title}"])
           .order_by("-promulgated_on").first())
    if law is None:
        raise DemoError(f"法规库中没有《{short_title}》，请先运行 manage.py load_law --shipped")
    return law


def _articles(citation: Citation) -> list[Article]:
    law = _law(citation[0])
    found = {a.number: a for a in law.articles.filter(number__in=citation[1])}
    missing = [article_label(n) for n in citation[1] if n not in found]
    if missing:
        raise DemoError(f"《{law.title}》中没有{'、'.join(missing)}")
    return [found[n] for n in citation[1]]


def basis_text(basis: tuple[Citation, ...]) -> str:
    """"《中华人民共和国食品安全法》第三十五条、第一百二十二条" for the citations of an item."""
    return "；".join(f"《{_law(short).title}》" + "、".join(article_label(n) for n in numbers)
                    for short, numbers in basis)


def _seed_benchmarks(step: StepResult, items: dict[str, EnforcementItem],
                     admins: dict[str, User]) -> None:
    present = set(DiscretionBenchmark.objects.values_list("item_id", "circumstance", "violation"))
    for spec in ITEMS:
        item = items[spec.code]
        for bench in spec.benchmarks:
            if (item.pk, bench.circumstance, spec.violation) in present:
                step.existing += 1
                continue
            fine_min, fine_max = (Decimal(v) for v in bench.fine) if bench.fine else (None, None)
            services.create_object(admins[spec.agency], DiscretionBenchmark, {
                "item": item, "violation": spec.violation, "circumstance": bench.circumstance,
                "sanction": bench.sanction, "fine_min": fine_min, "fine_max": fine_max,
                "conditions": bench.conditions})
            step.created += 1


def _seed_random_items(step: StepResult, items: dict[str, EnforcementItem],
                       admins: dict[str, User]) -> None:
    present = set(RandomInspectionItem.objects.values_list("agency_id", "name"))
    for spec in RANDOM_ITEMS:
        admin = admins[spec.agency]
        if (admin.agency_id, spec.name) in present:
            step.existing += 1
            continue
        services.create_object(admin, RandomInspectionItem, {
            "item": items[spec.item_code], "name": spec.name, "basis": spec.basis,
            "target_type": spec.target_type, "content": spec.content, "method": spec.method,
            "ratio": spec.ratio, "frequency": spec.frequency})
        step.created += 1


def _seed_targets(step: StepResult, agencies: dict[str, Agency],
                  jurisdictions: dict[str, Jurisdiction]) -> None:
    present = set(InspectionTarget.objects.filter(agency__in=agencies.values())
                  .values_list("agency_id", "uscc"))
    new = []
    for plan in plan_targets():
        agency = agencies[plan.agency]
        if (agency.pk, plan.uscc) in present:
            step.existing += 1
            continue
        new.append(InspectionTarget(
            agency=agency, name=plan.name, uscc=plan.uscc, kind=plan.kind, industry=plan.industry,
            address=plan.address, region=jurisdictions[plan.region_code], risk_level=plan.risk_level))
    with transaction.atomic():
        InspectionTarget.objects.bulk_create(new, batch_size=500)
        if new:
            record(event_type="registry.inspectiontarget.imported", actor=None, agency=None,
                   summary=f"载入演示检查对象 {len(new)} 条", changes={"rows": len(new)})
    step.created += len(new)
