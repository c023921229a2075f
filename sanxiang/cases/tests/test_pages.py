"""The case pages: list filters and pagination, registering a case, every lifecycle step through
its form (success, and a refusal that shows the Chinese message and changes nothing), editing,
parties, handlers, 回避, and the persona × own/foreign-case permission matrix of every page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.cases import services
from sanxiang.cases.choices import CaseSource, CaseState, DecisionType, DocumentKind, PartyKind, Procedure
from sanxiang.cases.deadlines import due_date
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.lifecycle import PRECONDITIONS, TRANSITIONS, transition
from sanxiang.cases.models import Case, CaseOfficer, Party, Recusal
from sanxiang.cases.queries import due_cases_for
from sanxiang.cases.testing import (
    CaseWorld,
    company_party,
    make_item,
    make_officer,
    person_party,
    register,
    walk_to,
)
from sanxiang.ledger.services import history
from sanxiang.testing import make_id_number, make_uscc

pytestmark = pytest.mark.django_db
S = CaseState
D = DocumentKind


@pytest.fixture(autouse=True)
def _deferred_rendering(settings) -> None:
    # These tests are about pages; files are the documents engineer's (and slow when real).
    settings.CASES_DOCUMENT_RENDERING = "deferred"


@pytest.fixture
def foreign(cw: CaseWorld) -> Case:
    """A case of the other agency of the same city, handled by the ``other_officer`` persona."""
    world = cw.world
    mine = make_officer(world.other_agency, "赵外局", world.personas["other_officer"])
    mate = make_officer(world.other_agency, "钱外局")
    return services.register_case(world.personas["other_officer"], title="外局案件", source=CaseSource.INSPECTION,
                                  item=make_item(world.other_agency), parties=[company_party()],
                                  officers=[mine, mate], lead=mine)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def ledger_size(case: Case) -> int:
    return history(case).count()


# ---------------------------------------------------------------- the list


def test_list_shows_own_cases_with_deadline_badges(cw: CaseWorld) -> None:
    overdue = register(cw)
    soon = register(cw)
    later = register(cw)
    clue = register(cw)
    today = timezone.localdate()
    Case.objects.filter(pk=overdue.pk).update(next_due_on=today - dt.timedelta(days=1), next_due_code="decision")
    Case.objects.filter(pk=soon.pk).update(next_due_on=today, next_due_code="statement")
    Case.objects.filter(pk=later.pk).update(next_due_on=today + dt.timedelta(days=60), next_due_code="decision",
                                            next_due_provisional=True)
    page = text(client_for(cw.user("officer")).get(reverse("cases:list")))
    assert page.count("badge-overdue") == 1 and "已超期" in page
    assert page.count("badge-due-soon") == 1 and "即将到期" in page
    assert page.count("badge-provisional") == 1 and "暂定" in page
    assert "未立案" in page and "甲市好味食品有限公司" in page
    # Sorted by next deadline: overdue, due soon, later, then the case without a deadline.
    order = [page.index(f'href="/cases/{c.pk}/"') for c in (overdue, soon, later, clue)]
    assert order == sorted(order)


def _pks(response) -> set[int]:
    return {row.case.pk for row in response.context["rows"]}


def test_list_filters(cw: CaseWorld) -> None:
    today = timezone.localdate()
    company = register(cw)
    person = register(cw, party={**person_party(), "name": "李小龙", "id_number": make_id_number()})
    simple = register(cw, procedure=Procedure.SIMPLE)
    filed = walk_to(cw, S.INVESTIGATION)
    other_item = make_item(cw.world.agency)
    third = make_officer(cw.world.agency, "周第三")
    moved = services.register_case(cw.user("unit_head"), title="另案", source=CaseSource.INSPECTION,
                                   item=other_item, officers=[third, cw.partner], lead=third)
    Case.objects.filter(pk=company.pk).update(next_due_on=today - dt.timedelta(days=3))
    Case.objects.filter(pk=person.pk).update(next_due_on=today + dt.timedelta(days=1))
    Case.objects.filter(pk=simple.pk).update(next_due_on=today + dt.timedelta(days=400), next_due_provisional=True)
    Case.objects.filter(pk=filed.pk).update(next_due_on=today + dt.timedelta(days=30), next_due_provisional=False)
    officer = client_for(cw.user("unit_head"))

    def listed(**params) -> set[int]:
        return _pks(officer.get(reverse("cases:list"), params))

    everything = {company.pk, person.pk, simple.pk, filed.pk, moved.pk}
    assert listed() == everything
    assert listed(state="investigation") == {filed.pk}
    assert listed(state="open") == everything
    assert listed(state="closed") == set()
    assert listed(procedure="simple") == {simple.pk}
    assert listed(item=other_item.pk) == {moved.pk}
    assert listed(officer=third.pk) == {moved.pk}
    assert listed(officer=cw.officer.pk) == everything - {moved.pk}
    assert listed(party="李小") == {person.pk}
    assert listed(party=person.parties.get().id_number.lower()) == {person.pk}
    uscc = company.parties.get().uscc
    assert listed(party=uscc) == {company.pk}
    assert listed(deadline="overdue") == {company.pk}
    assert listed(deadline="due_soon") == {person.pk}
    assert listed(deadline="provisional") == {simple.pk}
    assert listed(deadline="none") == {moved.pk}
    assert listed(deadline="bogus") == set()
    assert listed(state="investigation", party="好味") == {filed.pk}
    # Unknown parameters are ignored, unknown values give nothing rather than an error.
    assert listed(agency_id=999, item="x") == set()
    received = officer.get(reverse("cases:list"), {"sort": "received"}).context["rows"]
    dates = [r.case.received_on for r in received]
    assert dates == sorted(dates, reverse=True)


def test_list_paginates_50_a_page(cw: CaseWorld) -> None:
    for _ in range(51):
        register(cw)
    client = client_for(cw.user("officer"))
    first = client.get(reverse("cases:list"), {"state": "clue"})
    assert len(first.context["rows"]) == 50
    assert "共 51 条" in text(first) and "state=clue&amp;page=2" in text(first)
    second = client.get(reverse("cases:list"), {"state": "clue", "page": 2})
    assert len(second.context["rows"]) == 1


def test_supervisor_sees_jurisdiction_with_agency_column(cw: CaseWorld, foreign: Case) -> None:
    own = register(cw)
    page = client_for(cw.user("supervisor")).get(reverse("cases:list"))
    assert _pks(page) == {own.pk, foreign.pk}
    assert "<th scope=\"col\">执法主体</th>" in text(page)
    assert "登记案件线索" not in text(page)
    officer_page = client_for(cw.user("officer")).get(reverse("cases:list"))
    assert _pks(officer_page) == {own.pk}
    assert "<th scope=\"col\">执法主体</th>" not in text(officer_page)


def test_due_cases_for_each_role(cw: CaseWorld, foreign: Case) -> None:
    today = timezone.localdate()
    mine = register(cw)
    not_mine = services.register_case(cw.user("unit_head"), title="他人承办", source=CaseSource.INSPECTION,
                                      item=cw.item, officers=[cw.partner, make_officer(cw.world.agency, "孙")])
    calm = register(cw)
    Case.objects.filter(pk__in=[mine.pk, not_mine.pk, foreign.pk]).update(next_due_on=today - dt.timedelta(days=2),
                                                                         next_due_code="decision")
    Case.objects.filter(pk=calm.pk).update(next_due_on=today + dt.timedelta(days=60), next_due_code="decision")
    assert [d.case.pk for d in due_cases_for(cw.user("officer"))] == [mine.pk]
    assert {d.case.pk for d in due_cases_for(cw.user("unit_head"))} == {mine.pk, not_mine.pk}
    assert {d.case.pk for d in due_cases_for(cw.user("supervisor"))} == {mine.pk, not_mine.pk, foreign.pk}
    assert due_cases_for(cw.user("publisher")) == []
    row = due_cases_for(cw.user("officer"))[0]
    assert row.deadline.status == "overdue" and row.deadline.status_label == "已超期"
    assert len(due_cases_for(cw.user("unit_head"), limit=1)) == 1


# ---------------------------------------------------------------- registering


def _create_data(cw: CaseWorld, **extra: object) -> dict[str, object]:
    data = {
        "title": "某超市销售过期食品案", "source": CaseSource.COMPLAINT, "source_note": "举报编号 12345",
        "item": cw.item.pk, "procedure": Procedure.NORMAL, "received_on": days_ago(2).isoformat(),
        "facts": "当事人销售超过保质期的饮料。", "officers": [cw.officer.pk, cw.partner.pk], "lead": cw.partner.pk,
        "party-kind": PartyKind.LEGAL_PERSON, "party-name": "甲市万家超市有限公司", "party-uscc": make_uscc(),
        "party-legal_representative": "钱经理", "party-address": "甲市人民路1号", "party-phone": "0576-88776655",
    }
    data.update(extra)
    return data


def test_register_a_case_through_the_page(cw: CaseWorld) -> None:
    client = client_for(cw.user("officer"))
    form = client.get(reverse("cases:create"))
    assert form.status_code == 200 and "登记案件线索" in text(form)
    # Only the own agency's officers with valid certificates are offered.
    expired = make_officer(cw.world.agency, "过期人", expires=days_ago(1))
    assert cw.partner.name in text(form) and expired.name not in text(form)
    response = client.post(reverse("cases:create"), _create_data(cw))
    case = Case.objects.get(title="某超市销售过期食品案")
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.state == S.CLUE and case.case_number == "" and case.created_by == cw.user("officer")
    party = case.parties.get()
    assert party.name == "甲市万家超市有限公司" and party.id_number == "" and party.legal_representative == "钱经理"
    assert {(h.officer_id, h.role) for h in case.handlers.all()} == {(cw.officer.pk, "assistant"),
                                                                     (cw.partner.pk, "lead")}
    assert history(case).filter(event_type="case.registered").count() == 1
    page = text(client.get(response["Location"]))
    assert "未立案" in page and "线索登记" in page and "甲市万家超市有限公司" in page


@pytest.mark.parametrize("extra, message", [
    ({"party-kind": PartyKind.NATURAL_PERSON, "party-name": "张三", "party-id_number": ""}, "须填写身份证号码"),
    ({"party-kind": PartyKind.NATURAL_PERSON, "party-name": "张三", "party-id_number": "110101199003071234"},
     "身份证号码校验位错误"),
    ({"party-uscc": "91330000123456789X"}, "统一社会信用代码"),
    ({"party-legal_representative": ""}, "须填写法定代表人或负责人"),
    ({"party-phone": "12345"}, "电话号码格式不正确"),
    ({"officers": []}, "这个字段是必填项"),
    ("one_officer", "承办人不得少于两人"),
    ("lead_outside", "主办人须在所选承办人之中"),
    ({"title": ""}, "这个字段是必填项"),
])
def test_register_refuses_bad_input_in_chinese(cw: CaseWorld, extra, message: str) -> None:
    if extra == "one_officer":
        extra = {"officers": [cw.officer.pk]}
    elif extra == "lead_outside":
        extra = {"officers": [cw.officer.pk, cw.partner.pk], "lead": make_officer(cw.world.agency, "第三人").pk}
    response = client_for(cw.user("officer")).post(reverse("cases:create"), _create_data(cw, **extra))
    assert response.status_code == 200
    assert message in text(response)
    assert not Case.objects.exists()


def test_register_without_a_party_and_other_agency_choices_refused(cw: CaseWorld, foreign: Case) -> None:
    client = client_for(cw.user("unit_head"))
    data = _create_data(cw, **{"party-kind": PartyKind.NATURAL_PERSON, "party-name": "", "party-uscc": "",
                               "party-legal_representative": "", "party-address": "", "party-phone": ""})
    assert client.post(reverse("cases:create"), data).status_code == 302
    case = Case.objects.get(title="某超市销售过期食品案")
    assert not case.parties.exists()
    # Another agency's item or officer is not a valid choice.
    refused = client.post(reverse("cases:create"), _create_data(cw, item=foreign.item_id))
    assert "选择一个有效的选项" in text(refused)
    stranger = foreign.handlers.first().officer_id
    refused = client.post(reverse("cases:create"), _create_data(cw, officers=[cw.officer.pk, stranger]))
    assert "不是可用的选项" in text(refused) or "选择一个有效的选项" in text(refused)
    assert Case.objects.count() == 2


# ---------------------------------------------------------------- the case page


def test_case_page_shows_everything_and_only_usable_buttons(cw: CaseWorld) -> None:
    case = walk_to(cw, S.EXAMINATION)
    services.update_case(cw.user("unit_head"), case.pk, {
        "proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning", "fine"],
        "proposed_fine": Decimal("5000"), "proposed_basis": [cw.article.pk], "proposal_text": "警告，并处罚款"})
    head = text(client_for(cw.user("unit_head")).get(reverse("cases:detail", args=[case.pk])))
    assert case.case_number in head and "案件审查" in head and "普通程序" in head
    assert "作出处理决定" in head and "《行政处罚法》" in head  # the decision deadline and its source
    assert "甲市好味食品有限公司" in head and "王执法" in head and "主办" in head
    assert "当事人在其经营场所销售超过保质期的牛奶12盒" in head
    assert "警告、罚款" in head and "5000.00 元" in head
    assert "立案审批表" in head and "现场检查（勘验）笔录" in head  # issued documents
    assert "制作《行政处罚事先告知书》" in head  # issuable now
    # 事先告知 is shown disabled, with what is missing, until the notice document exists.
    assert "<button type=\"button\" disabled>事先告知</button>" in head
    assert "须先制作《行政处罚事先告知书》" in head
    assert reverse("cases:transition", args=[case.pk, "issue_notice"]) not in head
    # 送法制审核 is offered; the legal review's own pages take it (where the button leads is theirs to test).
    assert "送法制审核" in head
    assert "批准立案" in head and "登记案件线索" in head  # the timeline
    entry = history(case).filter(event_type="case.approve_filing").get()
    assert reverse("ledger:entry_detail", args=[entry.index]) in head
    assert reverse("cases:edit", args=[case.pk]) in head
    # The reviewer reads the page; no buttons that would be refused.
    reviewer = text(client_for(cw.user("reviewer")).get(reverse("cases:detail", args=[case.pk])))
    assert reverse("cases:edit", args=[case.pk]) not in reviewer
    assert f"/cases/{case.pk}/issue/" not in reviewer and 'id="steps"' not in reviewer
    # Agency head: only the agency head's steps (e.g. 不予处罚), not the unit head's 送法制审核.
    boss = text(client_for(cw.user("agency_head")).get(reverse("cases:detail", args=[case.pk])))
    assert reverse("cases:transition", args=[case.pk, "decide_no_penalty"]) in boss


def test_supervisor_reads_case_page_and_the_read_is_recorded(cw: CaseWorld) -> None:
    case = register(cw)
    before = ledger_size(case)
    page = text(client_for(cw.user("supervisor")).get(reverse("cases:detail", args=[case.pk])))
    assert case.title in page and 'id="steps"' not in page and "修改案件信息" not in page
    assert ledger_size(case) == before + 1
    assert history(case).last().event_type == "read.cases.case"


# ---------------------------------------------------------------- every step through its form

PROPOSAL = {"proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning", "fine"],
            "proposed_fine": Decimal("5000"), "proposal_text": "警告，并处罚款"}


def _u(cw: CaseWorld, persona: str) -> User:
    return cw.user(persona)


def _then(setup, *calls):
    """``setup`` followed by service calls ``call(cw, case)``."""
    def run(cw: CaseWorld) -> Case:
        case = setup(cw)
        for call in calls:
            call(cw, case)
        return case
    return run


def at(state: S, **kwargs):
    return lambda cw: walk_to(cw, state, **kwargs)


def issue(persona: str, kind: str):
    return lambda cw, case: services.issue_document(_u(cw, persona), case.pk, kind)


def perform(persona: str, name: str, **data):
    return lambda cw, case: services.perform(_u(cw, persona), case.pk, name, **data)


def update(persona: str, **fields):
    return lambda cw, case: services.update_case(_u(cw, persona), case.pk, fields)


def propose(cw: CaseWorld, case: Case) -> None:
    services.update_case(_u(cw, "unit_head"), case.pk, {**PROPOSAL, "proposed_basis": [cw.article.pk]})


def decide_data(cw: CaseWorld, case: Case, fine: str = "5000") -> None:
    services.update_case(_u(cw, "agency_head"), case.pk, {
        "decision_type": DecisionType.PENALTY, "decision_penalties": ["fine"], "decision_fine": Decimal(fine),
        "decision_basis": [cw.article.pk], "decision_text": "罚款"})


def recuse(cw: CaseWorld, case: Case) -> None:
    services.request_recusal(_u(cw, "officer"), case.pk, cw.partner, "当事人称其为近亲属")


def reviewer_handles(cw: CaseWorld, case: Case) -> None:
    # Set-up only, after the submission: the services would not let a handler be the reviewer.
    CaseOfficer.objects.create(case=case, officer=make_officer(cw.world.agency, "审核兼办", cw.user("reviewer")))


def simple_case(fine: str):
    def run(cw: CaseWorld) -> Case:
        case = register(cw, procedure=Procedure.SIMPLE, party=person_party())
        services.update_case(_u(cw, "officer"), case.pk, {
            "decision_type": DecisionType.PENALTY, "decision_penalties": ["fine"], "decision_fine": Decimal(fine),
            "decision_basis": [cw.article.pk], "decision_text": "当场罚款"})
        return case
    return run


def hearing_in(working_days: int) -> str:
    return due_date(timezone.localdate(), working_days, calendar=current_calendar()).isoformat()


TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
examination_proposed = _then(at(S.EXAMINATION), propose)
hearing_requested = at(S.HEARING, hearing=True)
hearing_held = _then(hearing_requested,
                     perform("unit_head", "schedule_hearing", on=days_ago(36), hearing_date=days_ago(20),
                             hearing_host="周主持"),
                     issue("unit_head", D.HEARING_NOTICE))
notice_today = _then(examination_proposed, issue("unit_head", D.PRIOR_NOTICE), perform("unit_head", "issue_notice"))

# name: (persona, good setup, good input, bad setup, bad input, the Chinese message of the refusal)
STEPS = {
    "request_filing": ("officer", _then(register, issue("officer", D.FILING_APPROVAL)), {}, register, {},
                       "须先制作《立案审批表》"),
    "approve_filing": ("unit_head", at(S.FILING_APPROVAL), {"note": "同意立案"},
                       _then(at(S.FILING_APPROVAL), recuse), {}, "回避申请须已处理"),
    "reject_filing": ("unit_head", at(S.FILING_APPROVAL), {"reason": "证据不足"}, at(S.FILING_APPROVAL), {},
                      "须填写理由"),
    "record_preservation": ("officer", at(S.INVESTIGATION), {"note": "扣押牛奶12盒"}, at(S.INVESTIGATION),
                            {"on": TOMORROW}, "办理日期不能晚于今天"),
    "resolve_preservation": ("officer", _then(at(S.INVESTIGATION), perform("officer", "record_preservation")),
                             {"note": "予以没收"}, at(S.INVESTIGATION), {}, "没有待处理的先行登记保存"),
    "pause_clock": ("unit_head", at(S.INVESTIGATION), {"kind": "testing", "reason": "送检"}, at(S.INVESTIGATION),
                    {"reason": "送检"}, "请选择期限中止的类型"),
    "resume_clock": ("unit_head", _then(at(S.INVESTIGATION), perform("unit_head", "pause_clock", kind="testing",
                                                                     reason="送检")),
                     {}, at(S.INVESTIGATION), {}, "期限未处于中止状态"),
    "extend_deadline": ("agency_head", at(S.INVESTIGATION), {"days": "30", "reason": "案情复杂"},
                        at(S.INVESTIGATION), {"days": "99", "reason": "案情复杂"}, "延长天数须在1至30日之间"),
    "end_investigation": ("officer", _then(at(S.INVESTIGATION), issue("officer", D.INSPECTION_RECORD)), {},
                          at(S.INVESTIGATION), {}, "须已制作现场检查（勘验）笔录或询问笔录"),
    "revoke_filing": ("agency_head", at(S.INVESTIGATION), {"reason": "违法事实不成立"}, at(S.INVESTIGATION), {},
                      "须填写理由"),
    "transfer": ("agency_head", at(S.INVESTIGATION), {"reason": "涉嫌犯罪"}, at(S.INVESTIGATION), {}, "须填写理由"),
    "submit_legal_review": ("unit_head", examination_proposed, {}, at(S.EXAMINATION), {}, "须填写拟处理意见"),
    "pass_legal_review": ("reviewer", at(S.LEGAL_REVIEW, major=True), {"note": "同意"},
                          _then(at(S.LEGAL_REVIEW, major=True), reviewer_handles), {}, "法制审核人员不得是本案承办人"),
    "return_legal_review": ("reviewer", at(S.LEGAL_REVIEW, major=True), {"reason": "依据不当"},
                            at(S.LEGAL_REVIEW, major=True), {}, "须填写理由"),
    "issue_notice": ("unit_head", _then(examination_proposed, issue("unit_head", D.PRIOR_NOTICE)), {},
                     examination_proposed, {}, "须先制作《行政处罚事先告知书》"),
    "request_hearing": ("officer", at(S.NOTICE, hearing=True), {"on": days_ago(39).isoformat()}, at(S.NOTICE), {},
                        "拟作出的处罚不属于应告知听证权利的情形"),
    "schedule_hearing": ("unit_head", hearing_requested, {"hearing_date": "SOON8", "hearing_host": "周主持"},
                         hearing_requested, {"hearing_date": TOMORROW, "hearing_host": "周主持"},
                         "听证通知须在举行听证的七个工作日前送达"),
    "conclude_hearing": ("unit_head", hearing_held, {}, hearing_requested, {}, "听证须已举行"),
    "conclude_notice": ("officer", notice_today, {"waived": "on"}, notice_today, {}, "陈述申辩期限尚未届满"),
    "request_collective": ("unit_head", at(S.DECISION), {},
                           _then(at(S.DECISION), perform("unit_head", "request_collective")), {},
                           "不能提交集体讨论"),
    "conclude_collective": ("agency_head", at(S.COLLECTIVE, major=True), {"minutes": "同意处罚意见"},
                            at(S.COLLECTIVE, major=True), {"minutes": "  "}, "须填写集体讨论记录"),
    "decide": ("agency_head", _then(at(S.DECISION), decide_data, issue("agency_head", D.DECISION)), {},
               at(S.DECISION), {}, "须填写决定内容"),
    "decide_no_penalty": ("agency_head", at(S.EXAMINATION), {"reason": "违法行为轻微并及时改正"}, at(S.EXAMINATION),
                          {}, "须填写理由"),
    "serve": ("officer", _then(at(S.SERVICE), issue("officer", D.SERVICE_RECEIPT)), {"method": "direct"},
              _then(at(S.SERVICE), issue("officer", D.SERVICE_RECEIPT)), {"method": "electronic"},
              "电子送达须当事人书面同意"),
    "record_execution": ("officer", at(S.EXECUTION), {"note": "已缴纳罚款"}, at(S.EXECUTION), {"on": TOMORROW},
                         "办理日期不能晚于今天"),
    "close": ("unit_head", _then(at(S.EXECUTION), perform("officer", "record_execution"),
                                 issue("unit_head", D.CLOSING_APPROVAL)), {},
              _then(at(S.EXECUTION), issue("unit_head", D.CLOSING_APPROVAL)), {}, "须先登记执行完毕"),
    "archive": ("unit_head", at(S.CLOSED), {}, at(S.CLOSED), {"on": TOMORROW}, "办理日期不能晚于今天"),
    "record_decision_change": ("agency_head", at(S.SERVICE), {"change_kind": "revoked", "reason": "经行政复议撤销"},
                               at(S.SERVICE), {"reason": "经行政复议撤销"}, "请选择决定变化的情形"),
    "decide_on_the_spot": ("officer", _then(simple_case("100"), issue("officer", D.DECISION)), {},
                           _then(simple_case("500"), issue("officer", D.DECISION)), {}, "超出简易程序范围"),
}


def test_every_transition_has_a_page_test() -> None:
    assert set(STEPS) == {t.name for t in TRANSITIONS}


def _post_step(cw: CaseWorld, persona: str, case: Case, name: str, data: dict, follow: bool = False):
    data = {k: hearing_in(8) if v == "SOON8" else v for k, v in data.items()}
    return client_for(cw.user(persona)).post(reverse("cases:transition", args=[case.pk, name]), data, follow=follow)


# The legal review's pages (sanxiang.review) take these three steps, with the submission's
# materials or the written opinion; the case's generic step form refuses them.
REVIEW_STEPS = {"submit_legal_review": "review_submitted", "pass_legal_review": "opinion_recorded",
                "return_legal_review": "opinion_recorded"}


@pytest.mark.parametrize("name", [n for n in STEPS if n not in REVIEW_STEPS])
def test_step_form_succeeds(cw: CaseWorld, name: str) -> None:
    persona, setup, data, *_ = STEPS[name]
    case = setup(cw)
    source = S(case.state)
    form = client_for(cw.user(persona)).get(reverse("cases:transition", args=[case.pk, name]))
    assert form.status_code == 200 and transition(name).label in text(form)
    response = _post_step(cw, persona, case, name, data)
    assert response.status_code == 302, text(response)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.state == transition(name).target_for(source)
    assert history(case).last().event_type == f"case.{name}"


@pytest.mark.parametrize("name", list(REVIEW_STEPS))
def test_review_steps_are_refused_by_the_generic_step_form(cw: CaseWorld, name: str) -> None:
    persona, setup, data, *_ = STEPS[name]
    case = setup(cw)
    before, entries = Case.objects.values().get(pk=case.pk), ledger_size(case)
    response = _post_step(cw, persona, case, name, data, follow=True)
    assert response.status_code == 200
    assert PRECONDITIONS[REVIEW_STEPS[name]] in text(response)
    assert Case.objects.values().get(pk=case.pk) == before
    assert ledger_size(case) == entries


@pytest.mark.parametrize("name", list(STEPS))
def test_refused_step_shows_chinese_message_and_changes_nothing(cw: CaseWorld, name: str) -> None:
    persona, _, _, setup, data, message = STEPS[name]
    case = setup(cw)
    before = Case.objects.values().get(pk=case.pk)
    entries = ledger_size(case)
    # A step no longer open from the case's state sends the user back to the case page, with the message.
    response = _post_step(cw, persona, case, name, data, follow=True)
    assert response.status_code == 200
    assert message in text(response)
    assert Case.objects.values().get(pk=case.pk) == before
    assert ledger_size(case) == entries


# ---------------------------------------------------------------- editing, parties, handlers, 回避


def test_edit_page_offers_only_the_fields_of_the_current_step(cw: CaseWorld) -> None:
    clue = register(cw)
    client = client_for(cw.user("officer"))
    page = client.get(reverse("cases:edit", args=[clue.pk]))
    fields = set(page.context["form"].fields)
    assert {"title", "source", "item", "received_on", "facts"} <= fields
    assert not {n for n in fields if n.startswith(("proposed_", "decision_"))}
    response = client.post(reverse("cases:edit", args=[clue.pk]), {
        **{k: v for k, v in page.context["form"].initial.items() if k in fields and v is not None},
        "item": cw.item.pk, "title": "改过的案由", "is_major": "", "received_on": clue.received_on.isoformat()})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.title == "改过的案由"
    assert history(clue).last().detail["changes"]["fields"] == ["title"]


def test_proposal_with_penalty_checkboxes_and_article_search(cw: CaseWorld) -> None:
    from sanxiang.registry.models import Article, Law

    case = walk_to(cw, S.EXAMINATION)
    law = Law.objects.create(title="中华人民共和国广告法", level="law")
    elsewhere = Article.objects.create(law=law, number=55, label="第五十五条", text="违反本法规定，发布虚假广告的……")
    client = client_for(cw.user("unit_head"))
    page = client.get(reverse("cases:edit", args=[case.pk]))
    form = page.context["form"]
    assert "proposed_penalties" in form.fields and "decision_fine" not in form.fields
    basis = form.fields["proposed_basis"]
    assert cw.article in basis.queryset and elsewhere not in basis.queryset  # the item's law is offered
    assert 'value="warning"' in text(page) and "警告" in text(page) and 'type="checkbox"' in text(page)
    data = {"proposed_type": "penalty", "proposed_penalties": ["warning", "fine"], "proposed_fine": "8000",
            "proposal_text": "警告并罚款", "title": case.title, "facts": case.facts, "major_reason": "",
            "article_q": "广告法"}
    searched = client.post(reverse("cases:edit", args=[case.pk]), {**data, "search_articles": "1"})
    assert searched.status_code == 200 and elsewhere in searched.context["form"].fields["proposed_basis"].queryset
    assert not searched.context["form"].errors and 'value="8000"' in text(searched)
    case.refresh_from_db()
    assert case.proposed_type == ""  # searching saves nothing
    saved = client.post(reverse("cases:edit", args=[case.pk]),
                        {**data, "proposed_basis": [cw.article.pk, elsewhere.pk]})
    assert saved.status_code == 302
    case.refresh_from_db()
    assert case.proposed_penalties == ["warning", "fine"] and case.proposed_fine == Decimal("8000")
    assert set(case.proposed_basis.all()) == {cw.article, elsewhere}


def test_edit_refusal_from_the_service_is_shown(cw: CaseWorld) -> None:
    case = walk_to(cw, S.EXAMINATION)
    services.update_case(cw.user("unit_head"), case.pk, {"is_major": True, "major_reason": "数额巨大"})
    page = client_for(cw.user("unit_head")).get(reverse("cases:edit", args=[case.pk]))
    assert page.context["form"].fields["is_major"].disabled  # cannot be turned back
    response = client_for(cw.user("unit_head")).post(reverse("cases:edit", args=[case.pk]), {
        "title": case.title, "facts": case.facts, "proposed_fine": "-5", "major_reason": "数额巨大", "is_major": "on"})
    assert response.status_code == 200 and "errorlist" in text(response)
    case.refresh_from_db()
    assert case.proposed_fine is None


def test_add_edit_and_remove_a_party(cw: CaseWorld) -> None:
    case = register(cw)
    client = client_for(cw.user("officer"))
    refused = client.post(reverse("cases:party_add", args=[case.pk]),
                          {"kind": PartyKind.NATURAL_PERSON, "name": "李四", "id_number": ""})
    assert "须填写身份证号码" in text(refused) and case.parties.count() == 1
    number = make_id_number()
    added = client.post(reverse("cases:party_add", args=[case.pk]),
                        {"kind": PartyKind.NATURAL_PERSON, "name": "李四", "id_number": number.lower(),
                         "phone": "13900001111"})
    assert added.status_code == 302
    party = case.parties.get(name="李四")
    assert party.id_number == number.upper()
    edited = client.post(reverse("cases:party_edit", args=[case.pk, party.pk]),
                         {"kind": PartyKind.NATURAL_PERSON, "name": "李四", "id_number": number,
                          "address": "甲市西区1号"})
    assert edited.status_code == 302
    party.refresh_from_db()
    assert party.address == "甲市西区1号"
    assert client.post(reverse("cases:party_remove", args=[case.pk, party.pk])).status_code == 302
    assert not Party.objects.filter(pk=party.pk).exists()
    assert [e.event_type for e in history(case)][-3:] == ["case.party_added", "case.party_updated",
                                                          "case.party_removed"]
    # A party of another case is not reachable through this case's URL.
    other = register(cw)
    assert client.get(reverse("cases:party_edit", args=[case.pk, other.parties.get().pk])).status_code == 404


def test_set_handlers_and_recusal(cw: CaseWorld) -> None:
    case = walk_to(cw, S.INVESTIGATION)
    third = make_officer(cw.world.agency, "周新人")
    head = client_for(cw.user("unit_head"))
    one = head.post(reverse("cases:handlers", args=[case.pk]), {"officers": [third.pk], "lead": third.pk})
    assert "承办人不得少于两人" in text(one)
    ok = head.post(reverse("cases:handlers", args=[case.pk]), {"officers": [cw.officer.pk, third.pk],
                                                               "lead": third.pk})
    assert ok.status_code == 302
    assert {h.officer_id for h in case.handlers.all()} == {cw.officer.pk, third.pk}
    # After filing only the heads assign handlers: the officer gets 403.
    assert client_for(cw.user("officer")).get(reverse("cases:handlers", args=[case.pk])).status_code == 403
    officer = client_for(cw.user("officer"))
    asked = officer.post(reverse("cases:recusal_request", args=[case.pk]), {"officer": third.pk, "reason": "亲属"})
    assert asked.status_code == 302
    recusal = Recusal.objects.get(case=case)
    assert officer.get(reverse("cases:recusal_decide", args=[case.pk, recusal.pk])).status_code == 403
    boss = client_for(cw.user("agency_head"))
    decided = boss.post(reverse("cases:recusal_decide", args=[case.pk, recusal.pk]), {"granted": "1", "note": "准予"})
    assert decided.status_code == 302
    recusal.refresh_from_db()
    assert recusal.status == "granted" and not case.handlers.filter(officer=third).exists()


def test_issue_document_button(cw: CaseWorld) -> None:
    case = register(cw)
    client = client_for(cw.user("officer"))
    response = client.post(reverse("cases:issue", args=[case.pk, D.FILING_APPROVAL]), follow=True)
    assert "已制作《立案审批表》" in text(response)
    assert case.documents.filter(kind=D.FILING_APPROVAL).count() == 1
    refused = client.post(reverse("cases:issue", args=[case.pk, D.PRIOR_NOTICE]), follow=True)
    assert "不能制作《行政处罚事先告知书》" in text(refused)
    assert case.documents.count() == 1
    assert client.post(reverse("cases:issue", args=[case.pk, "nonsense"])).status_code == 404
    assert client.get(reverse("cases:issue", args=[case.pk, D.FILING_APPROVAL])).status_code == 405


# ---------------------------------------------------------------- the permission matrix

LOGIN = "login"
MATRIX_PERSONAS = ["anonymous", "officer", "unit_head", "reviewer", "agency_head", "publisher", "admin",
                   "supervisor", "other_officer"]
OWN_AGENCY = {"officer", "unit_head", "reviewer", "agency_head", "publisher", "admin"}
EDITORS = {"officer", "unit_head", "agency_head"}
# Who may use each page on a registered clue of their own agency (an officer: as one of its handlers).
ACTS = {
    "detail": OWN_AGENCY, "edit": EDITORS, "transition": {"officer", "unit_head"},  # request_filing
    "issue": EDITORS, "party_add": EDITORS, "party_edit": EDITORS, "party_remove": EDITORS, "handlers": EDITORS,
    "recusal_request": EDITORS, "recusal_decide": {"agency_head"},
}
POSTS = {"issue", "party_remove"}


def expected(persona: str, page: str, owner: str) -> object:
    """The policy: anonymous → login; another agency's case → 404; the supervisor reads the
    jurisdiction's cases (200) and changes nothing (403); otherwise the step's roles decide."""
    if persona == "anonymous":
        return LOGIN
    if page == "list":
        return 200
    if page == "create":
        return 200 if persona in EDITORS | {"other_officer"} else 403
    member = {"own": OWN_AGENCY, "foreign": {"other_officer"}}[owner]
    if persona != "supervisor" and persona not in member:
        return 404
    if page == "detail":
        return 200
    role = "officer" if persona == "other_officer" else persona
    return 200 if role in ACTS[page] else 403


def _matrix_urls(case: Case, page: str) -> tuple[str, str]:
    kwargs: dict[str, object] = {"pk": case.pk}
    if page == "transition":
        kwargs["name"] = "request_filing"
    elif page == "issue":
        kwargs["kind"] = D.INSPECTION_RECORD
    elif page in {"party_edit", "party_remove"}:
        # A fresh party each time: a successful removal must not starve the next request.
        kwargs["party_pk"] = Party.objects.create(case=case, kind=PartyKind.LEGAL_PERSON, name="矩阵测试公司",
                                                  uscc=make_uscc(), legal_representative="某某").pk
    elif page == "recusal_decide":
        kwargs["recusal_pk"] = case.recusals.get().pk
    return "post" if page in POSTS else "get", reverse(f"cases:{page}", kwargs=kwargs)


def _status(client: Client, method: str, url: str) -> object:
    response = client.post(url) if method == "post" else client.get(url)
    if response.status_code == 302 and reverse("accounts:login") in response["Location"]:
        return LOGIN
    if method == "post" and response.status_code == 302:
        return 200  # a successful POST redirects back to the case
    return response.status_code


@pytest.mark.parametrize("persona", MATRIX_PERSONAS)
def test_permission_matrix(cw: CaseWorld, foreign: Case, persona: str) -> None:
    from sanxiang.cases.tests.matrix_rules_pages import PAGES

    own = register(cw)
    services.request_recusal(cw.user("officer"), own.pk, cw.partner, "矩阵测试")
    other = cw.user("other_officer")
    services.request_recusal(other, foreign.pk, foreign.handlers.get(role="assistant").officer, "矩阵测试")
    client = Client()
    if persona != "anonymous":
        client.force_login(cw.user(persona))
    failures = []
    for page in PAGES:
        for owner, case in (("own", own), ("foreign", foreign)):
            if page in {"list", "create"}:
                method, url = "get", reverse(f"cases:{page}")
            else:
                method, url = _matrix_urls(case, page)
            got, want = _status(client, method, url), expected(persona, page, owner)
            if got != want:
                failures.append(f"{page} [{owner}] expected {want}, got {got}")
    assert not failures, f"{persona}: " + "; ".join(failures)


def test_supervisor_changes_nothing(cw: CaseWorld) -> None:
    case = register(cw)
    client = client_for(cw.user("supervisor"))
    before = Case.objects.values().get(pk=case.pk)
    assert client.post(reverse("cases:transition", args=[case.pk, "request_filing"])).status_code == 403
    assert client.post(reverse("cases:edit", args=[case.pk]), {"title": "篡改"}).status_code == 403
    assert client.post(reverse("cases:issue", args=[case.pk, D.FILING_APPROVAL])).status_code == 403
    assert Case.objects.values().get(pk=case.pk) == before and not case.documents.exists()
    assert client.get(reverse("cases:transition", args=[case.pk, "no_such_step"])).status_code == 404
