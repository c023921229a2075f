"""The 重大执法决定法制审核目录清单: every default rule just below and at its standard, the 全覆盖
switch, an agency's own catalog, the law's rules that cannot be loosened, and the determination
the case services record (matched rules, or that none matched; a major case stays major)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.accounts.choices import EnforcementKind
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import services
from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.choices import DecisionType, Procedure
from sanxiang.cases.models import Case
from sanxiang.cases.testing import make_item, person_party, register, walk_to
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import history
from sanxiang.review import catalog, catalog_services
from sanxiang.review.choices import RuleKind
from sanxiang.review.models import CatalogRule

Y = Decimal


@pytest.fixture
def person(cw) -> Case:
    return register(cw, party=person_party())


@pytest.fixture
def company(cw) -> Case:
    return register(cw)


def codes(case: Case, *, penalties: tuple[str, ...] = ("fine",), fine: str | None = None,
          confiscation: str | None = None, proposed: str = DecisionType.PENALTY, **other: object) -> list[str]:
    """The catalog's codes for ``case`` with this proposal (set on the instance only: evaluate reads it)."""
    case.proposed_type = proposed
    case.proposed_penalties = list(penalties)
    case.proposed_fine = Y(fine) if fine is not None else None
    case.proposed_confiscation = Y(confiscation) if confiscation is not None else None
    case.hearing_requested_on = other.pop("hearing", None)
    for name, value in other.items():
        setattr(case, name, value)
    return catalog.evaluate(case).codes


def test_fine_on_a_person_is_major_from_ten_thousand(person) -> None:
    assert codes(person, fine="9999.99") == []
    assert codes(person, fine="10000") == ["fine_person"]
    # A person's fine is never measured against the organisation's (higher) standard.
    assert codes(person, fine="100000") == ["fine_person"]


def test_fine_on_an_organisation_is_major_from_one_hundred_thousand(company) -> None:
    assert codes(company, fine="10000") == []
    assert codes(company, fine="99999.99") == []
    assert codes(company, fine="100000") == ["fine_organisation"]


def test_a_person_and_a_company_together_are_measured_as_an_organisation(cw) -> None:
    case = register(cw)
    services.add_party(cw.user("officer"), case, person_party())
    assert case.parties.count() == 2
    assert codes(case, fine="50000") == []
    assert codes(case, fine="100000") == ["fine_organisation"]


def test_confiscation_is_major_from_one_hundred_thousand(person, company) -> None:
    for case in (person, company):
        assert codes(case, penalties=("confiscate_gains",), confiscation="99999.99") == []
        assert codes(case, penalties=("confiscate_gains",), confiscation="100000") == ["confiscation"]


@pytest.mark.parametrize(("penalty", "code"), [
    ("downgrade", "licence"), ("revoke_license", "licence"),
    ("stop_business", "business"), ("close_down", "business"), ("restrict_business", "business"),
    ("restrict_practice", "business"), ("detention", "liberty"),
])
def test_heavy_penalty_kinds_are_major(company, penalty, code) -> None:
    assert codes(company, penalties=("warning", penalty)) == [code]


def test_lighter_penalty_kinds_are_not(company) -> None:
    for penalty in ("warning", "criticism", "suspend_license", "confiscate_property"):
        assert codes(company, penalties=(penalty,)) == [], penalty


def test_coercion_items_and_hearings_are_major(cw, company) -> None:
    assert codes(company, penalties=("warning",)) == []  # the world's item is a 行政处罚 item
    coercion = make_item(cw.world.agency, kind=EnforcementKind.COERCION)
    assert codes(company, penalties=("warning",), item=coercion) == ["coercion"]
    company.item = cw.item
    assert codes(company, penalties=("warning",), hearing=timezone.localdate()) == ["hearing"]


def test_determination_names_each_match_with_its_source(person) -> None:
    person.proposed_type, person.proposed_penalties = DecisionType.PENALTY, ["fine", "revoke_license"]
    person.proposed_fine, person.proposed_confiscation, person.hearing_requested_on = Y("20000"), None, None
    found = catalog.evaluate(person)
    assert found.major and found.codes == ["fine_person", "licence"]
    assert "拟20,000元，标准10,000元" in found.summary() and "吊销许可证件" in found.summary()
    assert all("第五十八条" in m.source for m in found.matches)


# --- 全覆盖 ------------------------------------------------------------------------------------

def test_full_coverage_reviews_every_normal_procedure_decision(cw, company) -> None:
    catalog_services.set_full_coverage(cw.user("admin"), True)
    assert codes(company, penalties=("warning",)) == ["full_coverage"]
    assert codes(company, proposed="") == []  # nothing proposed yet: nothing to review
    simple = register(cw, procedure=Procedure.SIMPLE)
    assert codes(simple, penalties=("warning",)) == []  # 简易程序 is never under the full coverage
    assert codes(simple, fine="100000") == ["fine_organisation"]  # ...but the catalog still applies
    catalog_services.set_full_coverage(cw.user("admin"), False)
    assert codes(company, penalties=("warning",)) == []
    assert Entry.objects.filter(event_type="review.full_coverage_set").count() == 2


# --- an agency's own catalog ---------------------------------------------------------------------

def test_an_agencys_own_rows_replace_the_defaults(cw, person) -> None:
    admin = cw.user("admin")
    assert catalog.rules_for(cw.world.agency.pk) == list(catalog.DEFAULTS)
    catalog_services.change_rule(admin, "fine_person", amount=Y("5000"), values=[], enabled=True)
    rows = CatalogRule.objects.filter(agency=cw.world.agency)
    assert rows.count() == len(catalog.DEFAULTS)  # the first change copied the whole list
    assert codes(person, fine="4999.99") == [] and codes(person, fine="5000") == ["fine_person"]
    # Another agency still uses the defaults.
    other = catalog.rules_for(cw.world.other_agency.pk)
    assert next(r for r in other if r.code == "fine_person").amount == Y("10000")
    # A rule not from the law may be switched off; the agency may add its own rules.
    catalog_services.change_rule(admin, "coercion", amount=None, values=["coercion"], enabled=False)
    coercion = make_item(cw.world.agency, kind=EnforcementKind.COERCION)
    assert codes(person, penalties=("warning",), item=coercion) == []
    own = catalog_services.add_rule(admin, label="本局指定的食品安全事项", kind=RuleKind.ITEMS,
                                    source="本局重大执法决定法制审核目录（2026年）", values=[cw.item.code])
    person.item = cw.item
    assert codes(person, penalties=("warning",)) == [own.code]
    entry = Entry.objects.filter(event_type="review.catalog_changed").first()
    assert entry.detail["changes"]["copied_defaults"] is True


@pytest.mark.parametrize(("code", "change", "message"), [
    ("fine_person", {"amount": Y("10000.01"), "values": [], "enabled": True}, "只能调低"),
    ("fine_organisation", {"amount": None, "values": [], "enabled": True}, "数额"),
    ("licence", {"amount": None, "values": ["downgrade"], "enabled": True}, "不能去掉法定的处罚种类"),
    ("hearing", {"amount": None, "values": [], "enabled": False}, "不能停用"),
])
def test_the_laws_rules_cannot_be_loosened(cw, code, change, message) -> None:
    default = next(r for r in catalog.DEFAULTS if r.code == code)
    with pytest.raises(ValueError, match=message):
        catalog.check_change(default, change["amount"], change["values"], change["enabled"])
    entries = Entry.objects.count()
    with pytest.raises(ServiceError, match=message):
        catalog_services.change_rule(cw.user("admin"), code, **change)
    assert not CatalogRule.objects.filter(agency=cw.world.agency).exists() and Entry.objects.count() == entries


def test_stricter_changes_to_the_laws_rules_are_accepted() -> None:
    fine = next(r for r in catalog.DEFAULTS if r.code == "fine_person")
    catalog.check_change(fine, Y("10000"), [], True)
    catalog.check_change(fine, Y("2000"), [], True)
    licence = next(r for r in catalog.DEFAULTS if r.code == "licence")
    catalog.check_change(licence, None, ["downgrade", "revoke_license", "suspend_license"], True)
    coercion = next(r for r in catalog.DEFAULTS if r.code == "coercion")
    catalog.check_change(coercion, None, [], False)  # not from the law: may be switched off


# --- the determination the services record -----------------------------------------------------

def _determinations(case: Case) -> list[Entry]:
    return list(history(case).filter(event_type="case.major_determined"))


def test_a_changed_proposal_is_determined_and_recorded_and_a_major_case_stays_major(cw) -> None:
    case = walk_to(cw, S.EXAMINATION, party=person_party())
    head = cw.user("unit_head")
    services.update_case(head, case, {"proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning"],
                                      "proposed_basis": [cw.article.pk]})
    [none] = _determinations(case)
    assert none.detail["changes"]["rules"] == [] and none.detail["changes"]["major"] is False
    assert "未命中目录事项" in none.detail["summary"]
    assert not Case.objects.get(pk=case.pk).is_major
    services.update_case(head, case, {"proposed_penalties": ["warning", "fine"], "proposed_fine": Y("10000")})
    matched = _determinations(case)[-1]
    assert matched.detail["changes"]["rules"] == ["fine_person"] and matched.detail["changes"]["major"] is True
    case.refresh_from_db()
    assert case.is_major and "对公民处以较大数额罚款" in case.major_reason
    # Lowering the fine again does not unmark it; nor can anyone.
    services.update_case(head, case, {"proposed_fine": Y("500")})
    assert _determinations(case)[-1].detail["changes"] == {"rules": [], "major": True, "why": "拟处理意见变更"}
    with pytest.raises(ServiceError, match="不能改回"):
        services.update_case(head, case, {"is_major": False})
    assert Case.objects.get(pk=case.pk).is_major


def test_a_person_marks_a_case_major_with_a_reason(cw, company) -> None:
    head = cw.user("unit_head")
    with pytest.raises(ServiceError, match="须填写理由"):
        services.update_case(head, company, {"is_major": True})
    assert not Case.objects.get(pk=company.pk).is_major
    services.update_case(head, company, {"is_major": True, "major_reason": "涉及重大公共利益，社会影响较大"})
    company.refresh_from_db()
    assert company.is_major and company.major_reason == "涉及重大公共利益，社会影响较大"
    assert history(company).last().detail["changes"]["fields"] == ["is_major", "major_reason"]


def test_a_hearing_request_makes_the_decision_major(cw) -> None:
    case = walk_to(cw, S.NOTICE, hearing=True)  # 150,000 元 on a company: major by its amount already
    services.perform(cw.user("officer"), case, "request_hearing", on=timezone.localdate() - dt.timedelta(days=39))
    case.refresh_from_db()
    assert case.is_major and case.state == S.HEARING
    assert _determinations(case)[-1].detail["changes"]["rules"] == ["fine_organisation", "hearing"]
