"""The registry read models follow their sources: saves, deletes, credential changes, item
basis changes, agency renames, unpublished guides, and a full rebuild by command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxiang.cases.testing import make_article, make_item, make_officer
from sanxiang.disclosure import sync
from sanxiang.disclosure.models import (
    PublicAgency,
    PublicBenchmark,
    PublicInspectionItem,
    PublicItem,
    PublicOfficer,
    PublicServiceGuide,
    ServiceGuide,
)
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import DiscretionBenchmark, RandomInspectionItem


def test_agencies_are_published_but_not_the_supervising_bureau(world) -> None:
    ids = set(PublicAgency.objects.values_list("agency_id_public", flat=True))
    assert {world.agency.pk, world.other_agency.pk, world.far_agency.pk} <= ids
    assert world.bureau.pk not in ids
    row = PublicAgency.objects.get(agency_id_public=world.agency.pk)
    assert (row.name, row.phone, row.jurisdiction_name) == (world.agency.name, world.agency.phone, "甲市")
    assert row.enforcement_kinds == ["行政处罚", "行政检查"]


def test_officer_copy_follows_credential_changes_and_deletion(world) -> None:
    officer = make_officer(world.agency, "李执法", user=world.personas["officer"])
    row = PublicOfficer.objects.get(officer_id=officer.pk)
    assert (row.name, row.certificate_number, row.status) == ("李执法", officer.certificate_number, "valid")
    officer.status = CredentialStatus.REVOKED
    officer.expires_on = timezone.localdate() + dt.timedelta(days=1)
    officer.save()
    row.refresh_from_db()
    assert (row.status, row.expires_on) == ("revoked", officer.expires_on)
    officer.delete()
    assert not PublicOfficer.objects.filter(officer_id=officer.pk).exists()


def test_item_basis_benchmarks_and_agency_rename_follow(world) -> None:
    item = make_item(world.agency)
    assert "第124条" in PublicItem.objects.get(item_id=item.pk).basis
    item.legal_basis.add(make_article(34))
    assert "第34条" in PublicItem.objects.get(item_id=item.pk).basis
    benchmark = DiscretionBenchmark.objects.create(agency=world.agency, item=item, violation="无证经营",
                                                   circumstance="serious", sanction="罚款五万元")
    assert PublicBenchmark.objects.get(benchmark_id=benchmark.pk).circumstance == "较重"
    item.name = "对无证经营的行政处罚"
    item.save()
    assert PublicBenchmark.objects.get(benchmark_id=benchmark.pk).item_name == "对无证经营的行政处罚"
    world.agency.name = "甲市市场监督管理局（新）"
    world.agency.save()
    assert set(PublicItem.objects.filter(item_id=item.pk).values_list("agency_name", flat=True)) == {world.agency.name}
    assert PublicBenchmark.objects.get(benchmark_id=benchmark.pk).agency_name == world.agency.name


def test_unpublished_guide_leaves_the_portal(world) -> None:
    guide = ServiceGuide.objects.create(agency=world.agency, name="指南", basis="依据", accepting_office="窗口")
    assert PublicServiceGuide.objects.filter(guide_id=guide.pk).exists()
    guide.is_public = False
    guide.save()
    assert not PublicServiceGuide.objects.filter(guide_id=guide.pk).exists()


def test_sync_all_rebuilds_and_drops_stale_rows(world) -> None:
    item = make_item(world.agency)
    RandomInspectionItem.objects.create(agency=world.agency, item=item, name="抽查", basis="依据", target_type="对象",
                                        content="内容", method="现场检查", ratio=3, frequency="每年1次")
    PublicItem.objects.all().delete()
    PublicOfficer.objects.create(officer_id=999999, name="已不存在", agency_id_public=1, agency_name="x",
                                 certificate_number="X", issued_on=dt.date(2020, 1, 1),
                                 expires_on=dt.date(2030, 1, 1), status="valid")
    out = StringIO()
    call_command("sync_portal", stdout=out)
    assert PublicItem.objects.filter(item_id=item.pk).exists()
    assert not PublicOfficer.objects.filter(officer_id=999999).exists()
    assert PublicInspectionItem.objects.count() == 1
    assert "执法事项：1 条" in out.getvalue()


@pytest.mark.django_db
def test_sync_saved_ignores_models_the_portal_does_not_show() -> None:
    from sanxiang.registry.models import Law

    sync.sync_saved(Law, [1])  # no error, nothing written
    assert PublicItem.objects.count() == 0


def test_excel_import_reaches_the_portal(world, tmp_path) -> None:
    """The import writes with bulk_create (no signals) and then syncs its rows explicitly."""
    from sanxiang.registry.excel.importer import import_file
    from sanxiang.registry.tests.test_excel import officer_row, officers_file

    path = officers_file(tmp_path, [officer_row("IMP-1", name="赵导入"), officer_row("IMP-2", name="钱导入")])
    assert import_file("officers", path, world.agency, world.personas["admin"]).ok
    assert set(PublicOfficer.objects.values_list("name", flat=True)) >= {"赵导入", "钱导入"}


def test_migrate_fills_an_empty_portal_once(world) -> None:
    from django.apps import apps

    PublicAgency.objects.all().delete()
    PublicItem.objects.all().delete()
    item = make_item(world.agency)
    PublicItem.objects.all().delete()
    sync._fill_after_migrate(None, app_config=apps.get_app_config("disclosure"))
    assert PublicAgency.objects.filter(agency_id_public=world.agency.pk).exists()
    assert PublicItem.objects.filter(item_id=item.pk).exists()
    PublicItem.objects.all().delete()  # a portal already filled is left to the signals
    sync._fill_after_migrate(None, app_config=apps.get_app_config("disclosure"))
    assert not PublicItem.objects.exists()
