"""Registry services: validation, agency of new rows, cross-agency references, enforceability."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from sanxiang.registry.models import DiscretionBenchmark, EnforcementItem, InspectionTarget, Officer
from sanxiang.registry.services import ServiceError, check_enforceable, create_object, update_object
from sanxiang.testing import make_uscc

TODAY = datetime.date(2026, 11, 21)


def _officer_fields(cert: str, **extra: object) -> dict[str, object]:
    fields = {"name": "李四", "certificate_number": cert, "issued_on": datetime.date(2023, 1, 1),
              "expires_on": datetime.date(2028, 1, 1), "categories": ["penalty"]}
    fields.update(extra)
    return fields


def test_admin_creates_in_own_agency_whatever_is_asked(world) -> None:
    officer = create_object(world.personas["admin"], Officer,
                            _officer_fields("33010020230001", agency=world.other_agency))
    assert officer.agency == world.agency


def test_non_admin_cannot_create(world) -> None:
    for name in ("officer", "supervisor", "agency_head"):
        with pytest.raises(PermissionDenied):
            create_object(world.personas[name], Officer, _officer_fields(f"X{name}"))


def test_bad_uscc_is_refused_in_chinese(world) -> None:
    good = make_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        create_object(world.personas["admin"], InspectionTarget,
                      {"name": "某公司", "uscc": bad, "kind": "enterprise"})
    assert "统一社会信用代码" in str(error.value)
    assert not InspectionTarget.objects.exists()


def test_duplicate_certificate_number_refused_across_agencies(world) -> None:
    create_object(world.personas["other_admin"], Officer, _officer_fields("33010020230009"))
    with pytest.raises(ValidationError):
        create_object(world.personas["admin"], Officer, _officer_fields("33010020230009"))


def test_cannot_point_at_another_agencys_item(world) -> None:
    foreign_item = EnforcementItem.objects.create(agency=world.other_agency, code="F1", name="外机关事项",
                                                  kind="penalty")
    with pytest.raises(ValidationError) as error:
        create_object(world.personas["admin"], DiscretionBenchmark,
                      {"item": foreign_item, "violation": "无证经营", "circumstance": "general", "sanction": "罚款"})
    assert "必须属于本机关" in str(error.value)


def test_update_keeps_agency_and_checks_access(world) -> None:
    admin, other_admin = world.personas["admin"], world.personas["other_admin"]
    officer = create_object(admin, Officer, _officer_fields("33010020230002"))
    updated = update_object(admin, officer, {"position": "大队长", "agency": world.other_agency})
    assert (updated.position, updated.agency) == ("大队长", world.agency)
    with pytest.raises(Http404):
        update_object(other_admin, officer, {"position": "x"})
    with pytest.raises(PermissionDenied):
        update_object(world.personas["officer"], officer, {"position": "x"})


def test_fine_range_must_be_ordered(world) -> None:
    item = EnforcementItem.objects.create(agency=world.agency, code="I1", name="事项", kind="penalty")
    with pytest.raises(ValidationError):
        create_object(world.personas["admin"], DiscretionBenchmark,
                      {"item": item, "violation": "v", "circumstance": "minor", "sanction": "s",
                       "fine_min": 5000, "fine_max": 1000})


def test_expired_suspended_revoked_officers_cannot_enforce(world) -> None:
    admin = world.personas["admin"]
    valid = create_object(admin, Officer, _officer_fields("V1"))
    expired = create_object(admin, Officer, _officer_fields("E1", name="赵五", expires_on=datetime.date(2026, 1, 1)))
    revoked = create_object(admin, Officer, _officer_fields("R1", name="钱六", status="revoked"))
    check_enforceable([valid], on=TODAY)
    with pytest.raises(ServiceError) as error:
        check_enforceable([valid, expired, revoked], on=TODAY)
    assert "赵五（执法证已过期）" in str(error.value) and "钱六（执法证注销）" in str(error.value)
    assert set(Officer.objects.enforceable(TODAY)) == {valid}


def test_status_filter_is_shared_by_pages_api_and_exports(world) -> None:
    from sanxiang.registry.filters import filter_queryset
    from sanxiang.registry.registries import REGISTRIES

    admin = world.personas["admin"]
    create_object(admin, Officer, _officer_fields("V2"))
    create_object(admin, Officer, _officer_fields("E2", expires_on=datetime.date(2020, 1, 1)))
    create_object(admin, Officer, _officer_fields("S2", status="suspended"))
    entry = REGISTRIES["officers"]

    def certs(value: str) -> set[str]:
        rows = filter_queryset(entry, Officer.objects.all(), {"status": value})
        return set(rows.values_list("certificate_number", flat=True))

    assert certs("valid") == {"V2"}
    assert certs("expired") == {"E2"}
    assert certs("suspended") == {"S2"}
    assert certs("nonsense") == set()
    assert certs("") == {"V2", "E2", "S2"}
