"""The publisher's pages (/disclosure/): who sees what (persona × own / other / far agency), the
side-by-side page with its marked replacements, and approve → publish, withdraw, answer a 纠错
and change the settings through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.disclosure import services
from sanxiang.disclosure.choices import Category, Profile, PublicationStatus
from sanxiang.disclosure.models import DisclosureSettings, ErrorReport, Publication, PublicEntry
from sanxiang.ledger.models import Entry
from sanxiang.testing import PASSWORD
from sanxiang.tests.matrix import LOGIN, PERSONAS

P = PublicationStatus
PERSONA_AGENCY = {"other_officer": "other", "other_admin": "other", "far_admin": "far"}


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path) -> None:
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def draft(agency, n: int = 1) -> Publication:
    return services.publish_inspection_result(
        agency, source=f"inspection_task:{n}:target:{agency.pk}", decided_on=dt.date(2025, 9, 30),
        party_name="甲市好味食品有限公司", title="2025年食品经营随机抽查结果",
        content="检查中发现负责人张三丰（电话13800138000）未按规定公示许可证，已责令改正。", outcome="责令改正",
        people=[{"name": "张三丰", "phone": "13800138000"}])


@pytest.fixture
def rows(world) -> dict[str, Publication]:
    return {"own": draft(world.agency), "other": draft(world.other_agency), "far": draft(world.far_agency)}


def _expected_list(persona: str) -> object:
    if persona == "anonymous":
        return LOGIN
    return 200 if persona in {"publisher", "supervisor"} else 403


def _expected_detail(persona: str, owner: str) -> object:
    if persona == "anonymous":
        return LOGIN
    member = "bureau" if persona == "supervisor" else PERSONA_AGENCY.get(persona, "own")
    visible = owner == member or (persona == "supervisor" and owner in {"own", "other"})
    if not visible:
        return 404
    return 200 if persona in {"publisher", "supervisor"} else 403


def _status(response) -> object:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_matrix(world, rows, persona) -> None:
    user = world.personas.get(persona)
    client = client_for(user)
    assert _status(client.get(reverse("disclosure:queue"))) == _expected_list(persona)
    assert _status(client.get(reverse("disclosure:reports"))) == _expected_list(persona)
    settings_expected = LOGIN if persona == "anonymous" else (
        200 if persona in {"publisher", "admin", "other_admin", "far_admin"} else 403)
    assert _status(client.get(reverse("disclosure:settings"))) == settings_expected
    for owner, publication in rows.items():
        expected = _expected_detail(persona, owner)
        assert _status(client.get(reverse("disclosure:detail", args=[publication.pk]))) == expected, owner
        # Acting: only the agency's own publisher; a visible row is 403 to anyone else.
        response = client.post(reverse("disclosure:act", args=[publication.pk, "publish"]))
        acted = Publication.objects.get(pk=publication.pk).status == P.PUBLISHED
        if persona == "publisher" and owner == "own":
            assert response.status_code == 302 and acted
        else:
            assert not acted
            assert _status(response) == (expected if expected in {LOGIN, 404} else 403), owner


def test_queue_sorted_by_due_date_with_flags(world, rows) -> None:
    late = draft(world.agency, 2)
    Publication.objects.filter(pk=late.pk).update(due_on=dt.date(2020, 1, 2))
    page = client_for(world.personas["publisher"]).get(reverse("disclosure:queue"))
    content = page.content.decode()
    assert content.index(f"/disclosure/{late.pk}/") < content.index(f"/disclosure/{rows['own'].pk}/")
    assert "已超期" in content and page.context["flags"].overdue >= 1
    assert f"/disclosure/{rows['far'].pk}/" not in content
    supervisor = client_for(world.personas["supervisor"]).get(reverse("disclosure:queue")).content.decode()
    assert f"/disclosure/{rows['other'].pk}/" in supervisor and "只读" in supervisor
    assert 'id="publisher-actions"' not in client_for(world.personas["supervisor"]).get(
        reverse("disclosure:detail", args=[rows["own"].pk])).content.decode()


def test_side_by_side_redact_undo_publish(world, rows) -> None:
    publication = rows["own"]
    client = client_for(world.personas["publisher"])
    url = reverse("disclosure:detail", args=[publication.pk])
    page = client.get(url).content.decode()
    assert '<mark class="orig"' in page and "张三丰" in page and "13800138000" in page  # the original side
    assert "张某" in page and "【电话号码】" in page
    client.post(reverse("disclosure:act", args=[publication.pk, "redact"]),
                {"field": "content", "text": "许可证", "kind": "manual"})
    publication.refresh_from_db()
    assert "许可证" not in publication.redacted["content"]
    added = next(r for r in publication.replacements["content"] if r["original"] == "许可证")
    client.post(reverse("disclosure:act", args=[publication.pk, "undo"]),
                {"field": "content", "start": added["start"], "end": added["end"]})
    publication.refresh_from_db()
    assert "许可证" in publication.redacted["content"]
    response = client.post(reverse("disclosure:act", args=[publication.pk, "publish"]))
    assert response.status_code == 302
    entry = PublicEntry.objects.get(public_id=publication.public_id)
    assert entry.status == P.PUBLISHED and "13800138000" not in entry.content and "张三丰" not in entry.content
    page = client.get(url).content.decode()
    assert f"全过程记录第 {entry.ledger_index} 条" in page
    client.post(reverse("disclosure:act", args=[publication.pk, "withdraw"]), {"kind": "error", "reason": "内容有误"})
    assert PublicEntry.objects.get(public_id=publication.public_id).status == P.WITHDRAWN


def test_error_report_answered_by_the_publisher(world, rows) -> None:
    publication = rows["own"]
    with pytest.raises(services.DisclosureError):
        services.report_error(publication.public_id, "名称有误")  # not published yet
    services.publish(world.personas["publisher"], publication.pk)
    with pytest.raises(services.DisclosureError):
        services.report_error(publication.public_id, "  ")
    report = services.report_error(str(publication.public_id), "企业名称有误，应为甲市好味食品有限责任公司", "13900000000")
    assert Entry.objects.filter(event_type="disclosure.error_report", object_id=str(report.pk)).exists()
    url = reverse("disclosure:report", args=[report.pk])
    assert client_for(world.personas["supervisor"]).post(url, {"answer": "x"}).status_code == 403
    assert client_for(world.personas["other_admin"]).get(url).status_code == 404
    client = client_for(world.personas["publisher"])
    assert "企业名称有误" in client.get(reverse("disclosure:reports")).content.decode()
    client.post(url, {"answer": "经核实，名称无误，不予更正。"})
    report = ErrorReport.objects.get(pk=report.pk)
    assert report.status == "answered" and report.answered_by == world.personas["publisher"]
    assert Entry.objects.filter(event_type="disclosure.error_answered", object_id=str(report.pk)).exists()
    with pytest.raises(services.DisclosureError, match="已答复"):
        services.answer_report(world.personas["publisher"], report.pk, "再答")


def test_settings_page_saves_profile_and_auto_approval(world) -> None:
    client = client_for(world.personas["admin"])
    client.post(reverse("disclosure:settings"), {"profile": Profile.MARKET, "auto_approve": [Category.INSPECTION_RESULT]})
    row = DisclosureSettings.objects.get(agency=world.agency)
    assert row.profile == Profile.MARKET and row.auto_approve == [Category.INSPECTION_RESULT]
    assert Entry.objects.filter(event_type="disclosure.settings").exists()
    published = draft(world.agency, 9)
    assert published.status == P.PUBLISHED  # auto-approved now
    response = client.post(reverse("disclosure:settings"), {"profile": "bogus"})
    assert "请选择公示规则" in response.content.decode()


def test_home_page_flags_and_navigation(world, rows) -> None:
    Publication.objects.filter(pk=rows["own"].pk).update(due_on=dt.date(2020, 1, 2))
    for persona, shown in (("publisher", True), ("supervisor", True), ("officer", False), ("admin", False)):
        response = client_for(world.personas[persona]).get(reverse("home"))
        assert ('id="publication-flags"' in response.content.decode()) is shown, persona
        assert ("公示审核" in [i["label"] for i in response.context["nav_items"]]) is shown, persona
    flags = client_for(world.personas["publisher"]).get(reverse("home")).context["publication_flags"]
    assert flags.overdue == 1 and not flags.read_only
    supervisor = client_for(world.personas["supervisor"]).get(reverse("home")).context["publication_flags"]
    assert supervisor.overdue == 2 and supervisor.read_only  # own and other agency; the far one is outside
