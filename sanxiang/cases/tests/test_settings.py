"""Case settings: holiday schedules for years the calendar package lacks, stricter agency rules,
the numbering rule, the missing-schedule warning and the home page's overdue panel."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from sanxiang.accounts.choices import Role
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import schedule
from sanxiang.cases.choices import CaseState, DocumentKind
from sanxiang.cases.deadlines import due_date
from sanxiang.cases.holidays import current_calendar, missing_years
from sanxiang.cases.models import AgencyRule, Case, CaseSettings, ConflictDeclaration, HolidaySchedule
from sanxiang.cases.services import issue_document, perform
from sanxiang.cases.services import settings as svc
from sanxiang.cases.testing import CaseWorld, make_article, make_item, make_officer, register, walk_to
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import history
from sanxiang.testing import PASSWORD, make_user
from sanxiang.tests.matrix import LOGIN, PERSONAS
from sanxiang.tests.matrix import MEMBER_OF as BASE_MEMBER_OF

FILED = dt.date(2026, 11, 10)  # + 90 days = Monday 2027-02-08, in the 2027 Spring Festival
# A 2027 schedule as the State Council might publish it (test data; the real one may differ).
SCHEDULE_2027 = {
    "holidays": ["2027-01-01~2027-01-03", "2027-02-05~2027-02-13", "2027-04-03~2027-04-05",
                 "2027-05-01~2027-05-05", "2027-06-09~2027-06-11", "2027-09-15~2027-09-17",
                 "2027-10-01~2027-10-07"],
    "workdays": ["2027-02-14", "2027-02-20", "2027-04-25", "2027-09-26", "2027-10-09"],
    "source": "国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
}


@pytest.fixture
def bureau_admin(world):
    """The 司法局's system administrator: the only one who enters holiday schedules."""
    user = make_user(world.bureau, Role.ADMIN, username="bureau_admin")
    world.personas["bureau_admin"] = user
    return user


def enter_2027(user) -> int:
    return svc.enter_holiday_schedule(user, 2027, svc.parse_dates(SCHEDULE_2027["holidays"]),
                                      svc.parse_dates(SCHEDULE_2027["workdays"]), SCHEDULE_2027["source"])


def filed_case(cw: CaseWorld, on: dt.date = FILED) -> Case:
    """A case filed (立案) on ``on``, entered afterwards as paper steps are."""
    case = register(cw, received_on=on - dt.timedelta(days=5))
    issue_document(cw.user("officer"), case.pk, DocumentKind.FILING_APPROVAL)
    perform(cw.user("officer"), case.pk, "request_filing")
    perform(cw.user("unit_head"), case.pk, "approve_filing", on=on)
    case.refresh_from_db()
    return case


# ---------------------------------------------------------------- holiday schedules


def test_parse_dates_reads_lines_and_ranges() -> None:
    found = svc.parse_dates("2027-02-05~2027-02-07\n2027-10-01， 2027-10-02\n\n2027-02-06")
    assert found == [dt.date(2027, 2, 5), dt.date(2027, 2, 6), dt.date(2027, 2, 7), dt.date(2027, 10, 1),
                     dt.date(2027, 10, 2)]
    with pytest.raises(ServiceError, match="无法识别的日期“2027-13-01”"):
        svc.parse_dates(["2027-13-01"])
    with pytest.raises(ServiceError, match="结束日早于开始日"):
        svc.parse_dates("2027-02-07~2027-02-05")


def test_entering_2027_turns_a_provisional_deadline_final(cw, bureau_admin) -> None:
    case = filed_case(cw)
    assert case.filed_on == FILED
    assert (case.next_due_code, case.next_due_on, case.next_due_provisional) == ("decision", dt.date(2027, 2, 8), True)

    changed = enter_2027(bureau_admin)

    case.refresh_from_db()
    assert changed >= 1
    # 2027-02-08 falls in the Spring Festival holiday: the period ends on the next working day,
    # Sunday 2027-02-14, a make-up working day (调休上班).
    assert (case.next_due_on, case.next_due_provisional) == (dt.date(2027, 2, 14), False)
    row = HolidaySchedule.objects.get(year=2027)
    assert row.entered_by == bureau_admin and "2027-02-08" in row.holidays and row.workdays[0] == "2027-02-14"
    entry = history(row).get()
    assert entry.event_type == "case.holidays.entered" and entry.actor == bureau_admin
    assert "重新计算期限的在办案件" in entry.detail["summary"]


def test_replacing_a_schedule_recomputes_again(cw, bureau_admin) -> None:
    case = filed_case(cw)
    enter_2027(bureau_admin)
    # A corrected notice: the Spring Festival holiday ends on the 9th instead.
    svc.enter_holiday_schedule(bureau_admin, 2027, svc.parse_dates("2027-02-05~2027-02-09"), [], "更正")
    case.refresh_from_db()
    assert (case.next_due_on, case.next_due_provisional) == (dt.date(2027, 2, 10), False)
    assert HolidaySchedule.objects.count() == 1
    assert list(history(HolidaySchedule.objects.get()).values_list("event_type", flat=True)) == [
        "case.holidays.entered", "case.holidays.updated"]


def test_schedule_checks(bureau_admin, world) -> None:
    day = dt.date
    with pytest.raises(ServiceError, match="2026年的节假日安排已内置"):
        svc.enter_holiday_schedule(bureau_admin, 2026, [day(2026, 10, 1)], [], "")
    with pytest.raises(ServiceError, match="含有其他年份的日期：2028-01-01"):
        svc.enter_holiday_schedule(bureau_admin, 2027, [day(2028, 1, 1)], [], "")
    with pytest.raises(ServiceError, match="2027-10-02 不能既是节假日又是调休工作日"):
        svc.enter_holiday_schedule(bureau_admin, 2027, [day(2027, 10, 2)], [day(2027, 10, 2)], "")
    with pytest.raises(ServiceError, match="2027-10-08 不是周末"):
        svc.enter_holiday_schedule(bureau_admin, 2027, [day(2027, 10, 1)], [day(2027, 10, 8)], "")
    with pytest.raises(ServiceError, match="至少填写一个放假日期"):
        svc.enter_holiday_schedule(bureau_admin, 2027, [], [], "")
    assert not HolidaySchedule.objects.exists()
    assert not Entry.objects.filter(event_type__startswith="case.holidays").exists()


@pytest.mark.parametrize("persona", ["admin", "supervisor", "officer", "far_admin"])
def test_only_the_bureau_admin_enters_schedules(world, persona) -> None:
    with pytest.raises(PermissionDenied, match="只有司法局的系统管理员"):
        enter_2027(world.personas[persona])
    assert not HolidaySchedule.objects.exists()


def test_load_holidays_command(cw, tmp_path) -> None:
    case = filed_case(cw)
    path = tmp_path / "2027.json"
    path.write_text(json.dumps({"year": 2027, **SCHEDULE_2027}, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("load_holidays", str(path), stdout=out)
    assert "已录入2027年法定节假日安排" in out.getvalue()
    case.refresh_from_db()
    assert (case.next_due_on, case.next_due_provisional) == (dt.date(2027, 2, 14), False)
    entry = history(HolidaySchedule.objects.get(year=2027)).get()
    assert entry.actor is None and entry.detail["actor_name"] == "系统"

    path.write_text(json.dumps({"year": 2026, "holidays": ["2026-10-01"]}), encoding="utf-8")
    with pytest.raises(CommandError, match="已内置"):
        call_command("load_holidays", str(path))
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        call_command("load_holidays", str(path))


def test_recompute_deadlines_command(cw) -> None:
    case = filed_case(cw)
    Case.objects.filter(pk=case.pk).update(next_due_on=dt.date(2030, 1, 1))  # a stale value (e.g. a restore)
    out, err = StringIO(), StringIO()
    call_command("recompute_deadlines", stdout=out, stderr=err)
    assert "发生变化的1件" in out.getvalue()
    assert "重新计算期限" in err.getvalue()  # the progress bar
    case.refresh_from_db()
    assert case.next_due_on == dt.date(2027, 2, 8)
    call_command("recompute_deadlines", "--quiet", stdout=out)
    assert "发生变化的0件" in out.getvalue()


# ---------------------------------------------------------------- stricter rules


def test_a_looser_rule_is_refused_citing_the_article(world) -> None:
    admin = world.personas["admin"]
    with pytest.raises(ServiceError) as refused:
        svc.set_agency_rule(admin, "decision", 120, "")
    message = str(refused.value)
    assert "只能比法定默认值（90日）更严格" in message and "《行政处罚法》第六十条" in message
    with pytest.raises(ServiceError, match="《行政处罚法》第六十一条"):
        svc.set_agency_rule(admin, "service", 10)
    assert not AgencyRule.objects.exists()


def test_a_stricter_rule_shortens_a_deadline(cw) -> None:
    case = filed_case(cw)
    admin = cw.user("admin")
    changed = svc.set_agency_rule(admin, "decision", 60, "本局办案质量规定")
    case.refresh_from_db()
    expected = due_date(FILED, 60, False, calendar=current_calendar())
    assert changed == 1
    assert case.next_due_on == expected < dt.date(2027, 2, 8)
    entry = history(AgencyRule.objects.get()).get()
    assert entry.event_type == "case.rule.set" and entry.detail["changes"]["value"] == 60

    svc.clear_agency_rule(admin, "decision")
    case.refresh_from_db()
    assert case.next_due_on == dt.date(2027, 2, 8) and not AgencyRule.objects.exists()
    assert Entry.objects.filter(event_type="case.rule.cleared", object_type="cases.agencyrule").count() == 1


def test_rules_of_another_agency_are_not_touched(cw, world) -> None:
    case = filed_case(cw)
    svc.set_agency_rule(world.personas["other_admin"], "decision", 30)
    case.refresh_from_db()
    assert case.next_due_on == dt.date(2027, 2, 8)
    assert AgencyRule.objects.get().agency == world.other_agency
    for persona in ("officer", "unit_head", "supervisor"):
        with pytest.raises(PermissionDenied):
            svc.set_agency_rule(world.personas[persona], "decision", 30)


# ---------------------------------------------------------------- numbering


def test_numbering_pattern_validation(world) -> None:
    admin = world.personas["admin"]
    doc = "{机关简称}{文书简称}〔{年}〕{序号}号"
    cases = [
        ("{机关简称}{类别简称}〔{年}〕号", "必须包含 {序号}"),
        ("{机关简称}{类别简称}{序号}号", "必须包含 {年}"),
        ("{机关简称}{类别简称}〔{年}〕{编号}号", "无法识别的占位符"),
        ("{机关简称}{文书简称}{类别简称}〔{年}〕{序号}号", "不能使用：{文书简称}"),
        ("{机关简称}〔{年}〕{序号}号", "必须包含 {类别简称}"),
    ]
    for pattern, message in cases:
        with pytest.raises(ServiceError, match=message.replace("{", r"\{").replace("}", r"\}")):
            svc.set_numbering(admin, pattern, doc, {})
    with pytest.raises(ServiceError, match="类别简称“罚”重复使用"):
        svc.set_numbering(admin, "{机关简称}{类别简称}〔{年}〕{序号}号", doc, {"coercion": "罚"})
    assert not CaseSettings.objects.exists()

    conf = svc.set_numbering(admin, "{机关简称}{类别简称}字〔{年}〕第{序号:4}号", doc, {"penalty": "市监罚"})
    assert conf.agency == world.agency and conf.category_short_names == {"penalty": "市监罚"}
    examples = dict(svc.numbering_examples(world.agency))
    assert examples["行政处罚案件"] == f"甲市市场市监罚字〔{schedule.today().year}〕第0001号"
    assert history(conf).get().event_type == "case.numbering.set"
    with pytest.raises(PermissionDenied):
        svc.set_numbering(world.personas["unit_head"], conf.case_number_pattern, doc, {})


def test_new_numbering_rule_is_used_when_filing(cw) -> None:
    svc.set_numbering(cw.user("admin"), "{机关简称}{类别简称}〔{年}〕{序号:3}号",
                      "{机关简称}{文书简称}〔{年}〕{序号}号", {"penalty": "市监处"})
    case = filed_case(cw, on=schedule.today())
    assert case.case_number == f"甲市市场市监处〔{schedule.today().year}〕001号"


# ---------------------------------------------------------------- the warning banner


def _enter_missing(user) -> None:
    """Enter every year the banner is about (2027 as above; later ones, should the suite run
    then, a bare New Year's Day)."""
    for year in missing_years(schedule.today(), ahead=1):
        if year == 2027:
            enter_2027(user)
        else:
            svc.enter_holiday_schedule(user, year, [dt.date(year, 1, 1)], [], "测试")


def test_banner_until_the_schedule_is_entered(cw, client, bureau_admin) -> None:
    filed_case(cw)
    years = missing_years(schedule.today(), ahead=1)
    assert 2027 in years or schedule.today().year > 2026
    client.login(username="bureau_admin", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert f"{years[0]}年法定节假日安排尚未录入，跨年期限按周末计算并标为“暂定”" in page
    assert reverse("case_settings:holiday_edit", kwargs={"year": years[0]}) in page
    assert "1 件在办案件的下一期限为暂定" in page  # a platform-wide count for the bureau admin

    client.logout()
    client.login(username="officer", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert "尚未录入" in page and 'id="schedule-warning"><li class="info"' in page
    assert reverse("case_settings:holiday_edit", kwargs={"year": years[0]}) not in page
    client.logout()
    client.login(username="other_admin", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert "请联系司法局系统管理员录入" in page and "在办案件的下一期限为暂定" not in page  # none of theirs

    _enter_missing(bureau_admin)
    for persona in ("bureau_admin", "officer"):
        client.logout()
        client.login(username=persona, password=PASSWORD)
        assert "尚未录入" not in client.get(reverse("home")).content.decode()
    client.logout()
    assert "尚未录入" not in client.get(reverse("accounts:login")).content.decode()


# ---------------------------------------------------------------- the home panel


def _world_for(world, agency, tag: str) -> CaseWorld:
    """Personas, officers and an item of another agency, so its cases go through the services."""
    personas = {role.value: make_user(agency, role, username=f"{tag}_{role.value}")
                for role in (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.REVIEWER)}
    other = dataclasses.replace(world, personas={**world.personas, **personas})
    return CaseWorld(other, make_officer(agency, f"{tag}执法", personas["officer"]), make_officer(agency, f"{tag}协办"),
                     make_item(agency), make_article())


def _overdue(cw: CaseWorld, title: str) -> Case:
    case = walk_to(cw, CaseState.NOTICE)  # notice served 40 days ago: the statement period is over
    Case.objects.filter(pk=case.pk).update(title=title)
    case.refresh_from_db()
    assert case.next_due_code == "statement" and case.next_due_on < schedule.today()
    return case


def _due_soon(cw: CaseWorld, title: str) -> Case:
    """A case whose preservation decision (7 working days) is due within 3 working days."""
    case = walk_to(cw, CaseState.INVESTIGATION)
    today, calendar = schedule.today(), current_calendar()
    for back in range(1, 15):
        start = today - dt.timedelta(days=back)
        due = due_date(start, 7, True, calendar=calendar)
        if today <= due and schedule.Deadline("x", "", due, "").status(today, calendar) == "due_soon":
            break
    perform(cw.user("officer"), case.pk, "record_preservation", on=start)
    Case.objects.filter(pk=case.pk).update(title=title)
    case.refresh_from_db()
    assert case.next_due_code == "preservation"
    return case


@pytest.fixture
def panel_cases(cw, world):
    own_overdue = _overdue(cw, "本局超期案")
    own_soon = _due_soon(cw, "本局临期案")
    not_due = filed_case(cw, on=schedule.today())
    Case.objects.filter(pk=not_due.pk).update(title="本局正常案")
    other = _overdue(_world_for(world, world.other_agency, "oth"), "东区超期案")
    far = _overdue(_world_for(world, world.far_agency, "far"), "乙市超期案")
    return {"own_overdue": own_overdue, "own_soon": own_soon, "other": other, "far": far}


def _panel(client, persona: str) -> str:
    client.logout()
    client.login(username=persona, password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    start = page.find('id="due-panel"')
    return page[start:page.index("</section>", start)] if start >= 0 else ""


def test_home_panel_by_role(panel_cases, client, world) -> None:
    officer = _panel(client, "officer")
    assert "我承办的超期和临期案件" in officer
    assert "本局超期案" in officer and "本局临期案" in officer and "已超期" in officer and "即将到期" in officer
    assert "本局正常案" not in officer and "东区超期案" not in officer and "乙市超期案" not in officer
    assert "陈述申辩期满" in officer and "先行登记保存处理决定" in officer

    head = _panel(client, "unit_head")
    assert "本机关超期和临期案件" in head and "本局超期案" in head and "东区超期案" not in head

    supervisor = _panel(client, "supervisor")
    assert "监督查看（只读）" in supervisor
    assert "本局超期案" in supervisor and "东区超期案" in supervisor and "乙市超期案" not in supervisor
    assert world.agency.name in supervisor and world.other_agency.name in supervisor

    far_officer = _panel(client, "far_officer")
    assert "乙市超期案" in far_officer and "本局超期案" not in far_officer

    assert _panel(client, "publisher") == ""  # no cases to watch
    # An officer of the other agency who handles none of its cases sees none of them.
    other_officer = _panel(client, "other_officer")
    assert "没有超期或三个工作日内到期的案件" in other_officer and "东区超期案" not in other_officer


def test_home_panel_officer_sees_only_cases_handled(panel_cases, cw, world, client) -> None:
    make_officer(world.agency, "孙同事", make_user(world.agency, Role.OFFICER, username="colleague"))
    panel = _panel(client, "colleague")
    assert "我承办的超期和临期案件" in panel and "没有超期或三个工作日内到期的案件" in panel
    assert "本局超期案" not in panel and "本局临期案" not in panel


# ---------------------------------------------------------------- pages


MEMBER_OF = {**BASE_MEMBER_OF, "bureau_admin": "bureau"}
AGENCY_ADMINS = {"admin": "own", "other_admin": "other", "far_admin": "far"}
AGENCY_ADMINS_BY_OWNER = {owner: persona for persona, owner in AGENCY_ADMINS.items()}


def _expected_view(persona: str, owner: str) -> object:
    if persona == "anonymous":
        return LOGIN
    supervised = persona == "supervisor" and owner in {"own", "other"}
    return 200 if MEMBER_OF[persona] == owner or supervised else 404


def _expected_change(persona: str, owner: str) -> object:
    seen = _expected_view(persona, owner)
    if seen != 200:
        return seen
    return 302 if AGENCY_ADMINS.get(persona) == owner else 403


def _status(response) -> object:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def _expected_declare(persona: str, owner: str) -> object:
    """Declaring for (or withdrawing) the owner agency's officer: its admin, or that officer."""
    expected = _expected_change(persona, owner)
    return 302 if expected == 403 and persona == "officer" and owner == "own" else expected


@pytest.mark.parametrize("persona", [*PERSONAS, "bureau_admin"])
def test_conflict_page_matrix(persona, cw, world, bureau_admin, client) -> None:
    """persona × own / other / far for the declared relationships (the own one is the officer's)."""
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)
    officers = {"own": cw.officer, "other": make_officer(world.other_agency, "东区执法"),
                "far": make_officer(world.far_agency, "乙市执法")}
    declared = {owner: svc.declare_conflict(_admin_of(world, owner), officer, "张三丰", "近亲属")
                for owner, officer in officers.items()}
    failures = []
    for owner, officer in officers.items():
        query = f"?agency={officer.agency_id}"
        got = _status(client.get(reverse("case_settings:conflicts") + query))
        if got != _expected_view(persona, owner):
            failures.append(f"GET conflicts [{owner}] {got}")
        got = _status(client.post(reverse("case_settings:conflicts") + query,
                                  {"officer": officer.pk, "party_name": "李四", "relation": "同学"}))
        if got != _expected_declare(persona, owner):
            failures.append(f"POST conflicts [{owner}] {got}")
        got = _status(client.post(reverse("case_settings:conflict_delete", kwargs={"pk": declared[owner].pk})))
        if got != _expected_declare(persona, owner):
            failures.append(f"POST conflict_delete [{owner}] {got}")
    assert not failures, f"{persona}: " + "; ".join(failures)
    remaining = set(ConflictDeclaration.objects.values_list("officer__agency_id", "party_name"))
    for owner, officer in officers.items():
        allowed = _expected_declare(persona, owner) == 302
        assert ((officer.agency_id, "张三丰") in remaining) is not allowed, owner
        assert ((officer.agency_id, "李四") in remaining) is allowed, owner


def _admin_of(world, owner: str):
    return world.personas[AGENCY_ADMINS_BY_OWNER[owner]]


@pytest.mark.parametrize("persona", [*PERSONAS, "bureau_admin"])
def test_settings_page_matrix(persona, world, bureau_admin, client) -> None:
    """persona × own / other (same city) / far agency for every settings page."""
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)
    agencies = {"own": world.agency, "other": world.other_agency, "far": world.far_agency}
    failures = []
    for owner, agency in agencies.items():
        query = f"?agency={agency.pk}"
        for name in ("index", "rules", "numbering"):
            got = _status(client.get(reverse(f"case_settings:{name}") + query))
            if got != _expected_view(persona, owner):
                failures.append(f"GET {name} [{owner}] {got}")
        posts = {"rules": {"code": "decision", "value": "80", "note": "测试"},
                 "numbering": {"case_number_pattern": "{机关简称}{类别简称}〔{年}〕{序号}号",
                               "document_number_pattern": "{机关简称}{文书简称}〔{年}〕{序号}号"}}
        for name, data in posts.items():
            got = _status(client.post(reverse(f"case_settings:{name}") + query, data))
            if got != _expected_change(persona, owner):
                failures.append(f"POST {name} [{owner}] {got}")
    member = 200 if persona != "anonymous" else LOGIN
    for url in (reverse("case_settings:holidays"), reverse("case_settings:holiday_edit", kwargs={"year": 2027}),
                reverse("case_settings:index"), reverse("case_settings:rules")):
        if _status(client.get(url)) != member:
            failures.append(f"GET {url}")
    posted = _status(client.post(reverse("case_settings:holiday_edit", kwargs={"year": 2027}),
                                 {"holidays": "2027-02-05~2027-02-13", "source": "测试", "save": "1"}))
    if posted != {"anonymous": LOGIN, "bureau_admin": 302}.get(persona, 403):
        failures.append(f"POST holiday_edit {posted}")
    assert not failures, f"{persona}: " + "; ".join(failures)
    # Whatever was posted landed in the poster's own agency only.
    changed = dict(AgencyRule.objects.values_list("agency_id", "value"))
    own = world.personas[persona].agency_id if persona != "anonymous" else None
    assert changed == ({own: 80} if persona in AGENCY_ADMINS else {})


def test_rules_page_sets_and_refuses(world, client) -> None:
    client.login(username="admin", password=PASSWORD)
    url = reverse("case_settings:rules")
    page = client.get(url).content.decode()
    for rule in ("自立案之日起作出行政处罚决定的期限", "《行政处罚法》第六十四条第一项", "简易程序（当场处罚）对公民的罚款上限"):
        assert rule in page
    response = client.post(url, {"code": "hearing_request", "value": "8"})
    assert response.status_code == 200
    assert "只能比法定默认值（5个工作日）更严格" in response.content.decode()
    assert not AgencyRule.objects.exists()
    response = client.post(url, {"code": "hearing_request", "value": "3", "note": "本局规定"}, follow=True)
    assert "已设置本机关规则" in response.content.decode()
    assert AgencyRule.objects.get().value == 3
    response = client.post(url, {"code": "hearing_request", "clear": "1"}, follow=True)
    assert "已恢复法定默认值" in response.content.decode() and not AgencyRule.objects.exists()


def test_holiday_pages(world, bureau_admin, client, cw) -> None:
    case = filed_case(cw)
    client.login(username="bureau_admin", password=PASSWORD)
    listing = client.get(reverse("case_settings:holidays")).content.decode()
    assert "已内置" in listing and "未录入" in listing
    url = reverse("case_settings:holiday_edit", kwargs={"year": 2027})
    data = {"holidays": "\n".join(SCHEDULE_2027["holidays"]), "workdays": "\n".join(SCHEDULE_2027["workdays"]),
            "source": SCHEDULE_2027["source"]}
    preview = client.post(url, {**data, "preview": "1"}).content.decode()
    assert "预览：2027年休息日" in preview and 'class="day-makeup" title="2027-02-14"' in preview
    assert 'class="day-holiday" title="2027-02-08"' in preview
    assert not HolidaySchedule.objects.exists()  # a preview saves nothing
    wrong = client.post(url, {**data, "workdays": "2027-02-08", "save": "1"}).content.decode()
    assert "2027-02-08 不能既是节假日又是调休工作日" in wrong and not HolidaySchedule.objects.exists()
    done = client.post(url, {**data, "save": "1"}, follow=True).content.decode()
    assert "已保存2027年法定节假日安排，重新计算了" in done and "已录入" in done
    case.refresh_from_db()
    assert not case.next_due_provisional
    builtin = client.get(reverse("case_settings:holiday_edit", kwargs={"year": 2026})).content.decode()
    assert "已内置于平台日历数据" in builtin and 'title="2026-10-01"' in builtin
    assert client.post(reverse("case_settings:holiday_edit", kwargs={"year": 2026}), data).status_code == 403
    assert client.get(reverse("case_settings:holiday_edit", kwargs={"year": 1999})).status_code == 404


def test_numbering_page(world, client) -> None:
    client.login(username="admin", password=PASSWORD)
    url = reverse("case_settings:numbering")
    year = schedule.today().year
    assert f"甲市市场罚〔{year}〕1号" in client.get(url).content.decode()
    bad = client.post(url, {"case_number_pattern": "{机关简称}{类别简称}{序号}号",
                            "document_number_pattern": "{机关简称}{文书简称}〔{年}〕{序号}号"}).content.decode()
    assert "必须包含 {年}" in bad
    done = client.post(url, {"case_number_pattern": "{机关简称}{类别简称}〔{年}〕{序号:3}号",
                             "document_number_pattern": "{机关简称}{文书简称}〔{年}〕{序号}号",
                             "short_penalty": "市监罚"}, follow=True).content.decode()
    assert "编号规则已保存" in done and f"甲市市场市监罚〔{year}〕001号" in done
    client.logout()
    client.login(username="officer", password=PASSWORD)
    page = client.get(url).content.decode()
    assert f"甲市市场市监罚〔{year}〕001号" in page and "<form method=\"post\" class=\"form-card\"" not in page


def test_declared_relationship_blocks_handling(cw, world) -> None:
    """A declaration by the officer themself stops them handling a case against that party."""
    case = register(cw)
    party = case.parties.get()
    with pytest.raises(ServiceError, match="有效的18位身份证号码或统一社会信用代码"):
        svc.declare_conflict(cw.user("officer"), cw.officer, party.name, "近亲属", "123")
    with pytest.raises(PermissionDenied):
        svc.declare_conflict(cw.user("unit_head"), cw.officer, party.name, "近亲属")
    found = svc.declare_conflict(cw.user("officer"), cw.officer, party.name, "曾任职", party.uscc)
    assert history(found).get().event_type == "case.conflict.declared"
    issue_document(cw.user("officer"), case.pk, DocumentKind.FILING_APPROVAL)
    with pytest.raises(ServiceError, match="不能提请立案"):
        perform(cw.user("officer"), case.pk, "request_filing")
    svc.withdraw_conflict(cw.user("admin"), found)
    assert not ConflictDeclaration.objects.exists()
    assert Entry.objects.filter(event_type="case.conflict.withdrawn", object_id=str(found.pk)).exists()
    perform(cw.user("officer"), case.pk, "request_filing")
