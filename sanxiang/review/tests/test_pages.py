"""The legal review pages: the queue (order by due date, flags, filters), the submission page (live
checklist, Chinese errors), the review page (opinion, objection → consultation → 集体讨论, extension,
reassignment, a lost race as 409, the diff between versions), the case page's 法制审核 section, and
the persona × own/foreign-agency permission matrix of every page and POST."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases import services as case_services
from sanxiang.cases.choices import CaseSource, CaseState, DecisionType
from sanxiang.cases.deadlines import working_days_between
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case
from sanxiang.cases.testing import CaseWorld, company_party, make_item, make_officer, walk_to
from sanxiang.ledger.services import history
from sanxiang.review import services
from sanxiang.review.choices import REVIEW_POINTS, Finding, ReviewStatus
from sanxiang.review.models import LegalReview, Opinion
from sanxiang.review.testing import TEXTS, submit
from sanxiang.testing import make_user

pytestmark = pytest.mark.django_db
S = CaseState
R = ReviewStatus


@pytest.fixture(autouse=True)
def _deferred_rendering(settings) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def penalty(cw: CaseWorld, fine: str = "150000") -> dict:
    return {"proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning", "fine"],
            "proposed_fine": Decimal(fine), "proposed_basis": [cw.article.pk], "proposal_text": "警告，并处罚款"}


def proposed(cw: CaseWorld, fine: str = "150000") -> Case:
    """A case under examination whose proposal (a fine on a company ≥ 100,000 元) is major by the catalog."""
    case = walk_to(cw, S.EXAMINATION)
    case_services.update_case(cw.user("unit_head"), case.pk, penalty(cw, fine))
    case.refresh_from_db()
    return case


def opinion_post(outcome: str, problem: str = "", **extra: str) -> dict:
    data = {"outcome": outcome, "text": "经审核，提出如下意见。", **extra}
    for code, _ in REVIEW_POINTS:
        data[f"finding_{code}"] = Finding.PROBLEM if code == problem else Finding.OK
    return data


def act_url(review: LegalReview, action: str) -> str:
    return reverse("review:act", args=[review.pk, action])


def ledger_size(case: Case) -> int:
    return history(case).count()


# ---------------------------------------------------------------- the queue


def _on_for_due_soon(case: Case, today: dt.date) -> dt.date:
    """A submission day whose 5-working-day period ends within the next 3 working days."""
    for n in range(1, 15):
        on = today - dt.timedelta(days=n)
        due = services._due(case, on, "legal_review")
        if due >= today and working_days_between(today, due, calendar=current_calendar()) <= 3:
            return on
    raise AssertionError("no such day")


def test_queue_sorted_by_due_date_with_flags_and_filters(cw: CaseWorld, monkeypatch) -> None:
    today = timezone.localdate()
    second = make_user(cw.world.agency, Role.REVIEWER, username="reviewer2")
    head = cw.user("unit_head")
    fresh, late, soon, theirs = (proposed(cw) for _ in range(4))
    r_fresh = submit(head, fresh.pk, reviewer=cw.user("reviewer"), on=today)
    r_late = submit(head, late.pk, reviewer=cw.user("reviewer"), on=today - dt.timedelta(days=30))
    r_soon = submit(head, soon.pk, reviewer=cw.user("reviewer"), on=_on_for_due_soon(soon, today))
    r_theirs = submit(head, theirs.pk, reviewer=second, on=today - dt.timedelta(days=40))

    page = client_for(cw.user("reviewer")).get(reverse("review:queue"))
    assert page.status_code == 200
    rows = page.context["rows"]
    # A reviewer sees their own first (scope "mine"), earliest due date first.
    assert [r.review.pk for r in rows] == [r_late.pk, r_soon.pk, r_fresh.pk]
    assert [r.due.status for r in rows] == ["overdue", "due_soon", "ok"]
    body = text(page)
    assert body.index("已超期") < body.index(late.case_number) < body.index("即将到期") < body.index(soon.case_number)
    every = client_for(cw.user("reviewer")).get(reverse("review:queue"), {"scope": "all"}).context["rows"]
    assert [r.review.pk for r in every] == [r_late.pk, r_soon.pk, r_fresh.pk, r_theirs.pk]  # theirs after mine
    # The agency head sees the whole agency by due date; a status filter narrows it.
    boss = client_for(cw.user("agency_head")).get(reverse("review:queue")).context["rows"]
    assert [r.review.pk for r in boss] == [r_theirs.pk, r_late.pk, r_soon.pk, r_fresh.pk]
    services.give_opinion(second, r_theirs.pk, outcome="agree", findings={c: {"finding": "ok"} for c, _ in REVIEW_POINTS},
                          text="同意。")
    open_rows = client_for(cw.user("agency_head")).get(reverse("review:queue")).context["rows"]
    assert r_theirs.pk not in [r.review.pk for r in open_rows]
    passed = client_for(cw.user("agency_head")).get(reverse("review:queue"), {"status": R.PASSED}).context["rows"]
    assert [r.review.pk for r in passed] == [r_theirs.pk] and passed[0].due is None
    # 2 a page: the rest on page 2, with the filters kept in the links.
    monkeypatch.setattr("sanxiang.review.views.PAGE_SIZE", 2)
    first = client_for(cw.user("agency_head")).get(reverse("review:queue"), {"status": "all"})
    assert [r.review.pk for r in first.context["rows"]] == [r_theirs.pk, r_late.pk] and "status=all&amp;page=2" in text(first)
    rest = client_for(cw.user("agency_head")).get(reverse("review:queue"), {"status": "all", "page": "2"})
    assert [r.review.pk for r in rest.context["rows"]] == [r_soon.pk, r_fresh.pk]
    monkeypatch.undo()
    # The supervisor reads the jurisdiction's queue.
    supervised = client_for(cw.user("supervisor")).get(reverse("review:queue"), {"status": "all"})
    assert len(supervised.context["rows"]) == 4 and "执法主体" in text(supervised)


def test_queue_in_navigation_for_reviewers_heads_supervisors(cw: CaseWorld) -> None:
    for persona, shown in (("reviewer", True), ("unit_head", True), ("agency_head", True), ("supervisor", True),
                           ("officer", False), ("admin", False), ("publisher", False)):
        items = client_for(cw.user(persona)).get(reverse("home")).context["nav_items"]
        assert ("法制审核" in [i["label"] for i in items]) is shown, persona


# ---------------------------------------------------------------- the submission page


def test_submit_page_checklist_errors_and_success(cw: CaseWorld) -> None:
    case = proposed(cw)
    client = client_for(cw.user("officer"))
    url = reverse("review:submit", args=[case.pk])
    page = client.get(url)
    body = text(page)
    assert page.status_code == 200 and "送审材料清单" in body
    items = {row.item.code: row.item.ok for row in page.context["checklist"]}
    assert items == {"investigation_report": False, "evidence": True, "proposal": True, "discretion_note": False}
    assert "hearing_record" not in page.context["form"].fields  # no hearing was held
    assert "reviewer" in page.context["form"].fields and "在审 0 件" in body

    refused = client.post(url, {"discretion_note": "一般档次"})
    assert refused.status_code == 200 and "这个字段是必填项。" in text(refused)
    refused = client.post(url, {"investigation_report": "事实清楚。"})  # 裁量基准适用说明 missing
    assert "送审材料不齐，不能送审：裁量基准适用说明" in text(refused)
    assert not case.legal_reviews.exists()

    done = client.post(url, {**TEXTS, "reviewer": str(cw.user("reviewer").pk)})
    review = case.legal_reviews.get()
    assert done.status_code == 302 and done["Location"] == reverse("review:detail", args=[review.pk])
    case.refresh_from_db()
    assert case.state == S.LEGAL_REVIEW and review.reviewer == cw.user("reviewer")
    assert review.materials["investigation_report"]["text"] == TEXTS["investigation_report"]
    # A second submission while one is open is not offered: the page says why.
    again = client.get(url, follow=True)
    assert "不能送法制审核" in text(again)


def test_submit_without_proposal_shows_missing_material(cw: CaseWorld) -> None:
    case = walk_to(cw, S.EXAMINATION)
    response = client_for(cw.user("unit_head")).post(reverse("review:submit", args=[case.pk]), TEXTS)
    assert response.status_code == 200
    assert "送审材料不齐，不能送审" in text(response) and "未填写拟处理意见" in text(response)
    assert not case.legal_reviews.exists()


def test_submit_after_hearing_asks_for_the_hearing_record(cw: CaseWorld) -> None:
    case = walk_to(cw, S.DECISION, hearing=True)  # the hearing made it major; reviewed after it (待决定)
    page = client_for(cw.user("unit_head")).get(reverse("review:submit", args=[case.pk]))
    assert "hearing_record" in page.context["form"].fields and "听证笔录" in text(page)
    hearing = next(row for row in page.context["checklist"] if row.item.code == "hearing_record")
    assert hearing.item.ok and hearing.item.detail == "已上传听证记录"  # the hearing's recording is in the case
    assert "经过听证程序作出的决定" in text(page)
    response = client_for(cw.user("unit_head")).post(reverse("review:submit", args=[case.pk]), TEXTS)
    assert response.status_code == 302
    review = case.legal_reviews.get()
    assert review.return_state == S.DECISION and review.hearing_concluded_on == case.hearing_concluded_on


# ---------------------------------------------------------------- the review page


def test_return_for_more_materials(cw: CaseWorld) -> None:
    case = proposed(cw)
    review = submit(cw.user("officer"), case.pk, reviewer=cw.user("reviewer"))
    response = client_for(cw.user("reviewer")).post(act_url(review, "opinion"), {
        "outcome": "return", "text": "请补充当事人进货凭证。"})  # findings may be left blank when returning
    assert response.status_code == 302
    review.refresh_from_db()
    case.refresh_from_db()
    assert review.status == R.RETURNED and case.state == S.EXAMINATION
    page = text(client_for(cw.user("officer")).get(reverse("review:detail", args=[review.pk])))
    assert "退回补充材料" in page and "请补充当事人进货凭证" in page
    assert 'id="form-object"' not in page and reverse("review:submit", args=[case.pk]) in page


def test_reviewer_page_opinion_errors_then_problems_then_resubmit_diff(cw: CaseWorld) -> None:
    case = proposed(cw)
    review = submit(cw.user("officer"), case.pk, reviewer=cw.user("reviewer"))
    reviewer = client_for(cw.user("reviewer"))
    page = reviewer.get(reverse("review:detail", args=[review.pk]))
    body = text(page)
    assert 'id="form-opinion"' in body and 'id="form-extend"' in body and 'id="form-reassign"' not in body
    assert "执法主体合法" in body and "是否涉嫌犯罪需移送司法机关" in body  # the 10 审核要点
    assert "对法人或其他组织处以较大数额罚款" in body  # the matched catalog rule
    assert TEXTS["investigation_report"] in body and "现场检查（勘验）笔录" in body  # materials and documents

    before = ledger_size(case)
    bad = reviewer.post(act_url(review, "opinion"), opinion_post("problems"))  # no point flagged
    assert bad.status_code == 200 and "“存在问题”的审核意见须至少标出一个存在问题的要点" in text(bad)
    blank = reviewer.post(act_url(review, "opinion"), {"outcome": "agree", "text": "同意"})
    assert "须逐项给出审核结论" in text(blank)
    assert ledger_size(case) == before and not Opinion.objects.exists()

    done = reviewer.post(act_url(review, "opinion"),
                         opinion_post("problems", "discretion", problems="罚款数额偏高", note_discretion="应为一般档次"))
    assert done.status_code == 302
    review.refresh_from_db()
    case.refresh_from_db()
    assert review.status == R.PROBLEMS and case.state == S.EXAMINATION

    # The handler's view: the opinion, the objection form, a resubmission link.
    handler = text(client_for(cw.user("officer")).get(reverse("review:detail", args=[review.pk])))
    assert "罚款数额偏高" in handler and "应为一般档次" in handler
    assert 'id="form-object"' in handler and 'id="form-opinion"' not in handler
    assert reverse("review:submit", args=[case.pk]) in handler

    case_services.update_case(cw.user("unit_head"), case.pk, {"proposed_fine": Decimal("120000")})
    resubmit = client_for(cw.user("officer")).post(reverse("review:submit", args=[case.pk]), TEXTS)
    second = case.legal_reviews.get(version=2)
    assert resubmit.status_code == 302
    page = text(client_for(cw.user("officer")).get(reverse("review:detail", args=[second.pk])))
    assert "与第1次送审相比" in page and "<del>150,000.00</del> → <ins>120,000.00</ins>" in page
    review.refresh_from_db()
    assert review.status == R.SUPERSEDED
    old = text(client_for(cw.user("officer")).get(reverse("review:detail", args=[review.pk])))
    assert "这是较早的一次送审" in old and 'id="form-object"' not in old


def test_disagreement_path_to_collective_discussion(cw: CaseWorld) -> None:
    case = proposed(cw)
    review = submit(cw.user("officer"), case.pk, reviewer=cw.user("reviewer"))
    client_for(cw.user("reviewer")).post(act_url(review, "opinion"),
                                         opinion_post("problems", "law", problems="适用条款不当"))
    officer, reviewer, boss = (client_for(cw.user(p)) for p in ("officer", "reviewer", "agency_head"))
    # Wrong people are refused and nothing changes.
    assert reviewer.post(act_url(review, "object"), {"text": "异议"}).status_code == 403
    assert officer.post(act_url(review, "consult"), {"record": "x", "result": "no_agreement"}).status_code == 403
    assert officer.post(act_url(review, "object"), {"text": ""}).status_code == 200  # form error, no change
    review.refresh_from_db()
    assert review.status == R.PROBLEMS

    assert officer.post(act_url(review, "object"), {"text": "第124条适用正确，理由如下。"}).status_code == 302
    page = text(reviewer.get(reverse("review:detail", args=[review.pk])))
    assert 'id="form-consult"' in page and "第124条适用正确" in page
    assert reviewer.post(act_url(review, "consult"), {"record": "双方各执己见。", "result": "no_agreement"}).status_code == 302
    page = text(boss.get(reverse("review:detail", args=[review.pk])))
    assert 'id="form-collective"' in page and "双方各执己见" in page
    refused = boss.post(act_url(review, "collective"), {"members": "", "minutes": "", "conclusion": "adopt_proposal"})
    assert "这个字段是必填项。" in text(refused)
    assert boss.post(act_url(review, "collective"), {"members": "局长、副局长、法制科长", "minutes": "同意拟处理意见。",
                                                     "conclusion": "adopt_proposal"}).status_code == 302
    review.refresh_from_db()
    case.refresh_from_db()
    assert review.status == R.COLLECTIVE_PASSED and case.legal_review_passed
    page = text(boss.get(reverse("review:detail", args=[review.pk])))
    assert "集体讨论主持人（对分歧的决定负责）" in page and "agency_head" in page
    assert "集体讨论同意拟处理意见" in page


def test_extend_once_and_reassign(cw: CaseWorld) -> None:
    second = make_user(cw.world.agency, Role.REVIEWER, username="reviewer2")
    case = proposed(cw)
    review = submit(cw.user("officer"), case.pk, reviewer=cw.user("reviewer"))
    due = review.due_on
    boss = client_for(cw.user("agency_head"))
    assert boss.post(act_url(review, "extend"), {"reason": ""}).status_code == 200
    assert boss.post(act_url(review, "extend"), {"reason": "案情复杂，需补充调取证据"}).status_code == 302
    review.refresh_from_db()
    assert review.due_on > due and review.extension_reason
    page = text(boss.get(reverse("review:detail", args=[review.pk])))
    assert 'id="form-extend"' not in page and "已延长" in page
    again = boss.post(act_url(review, "extend"), {"reason": "再延一次"})
    assert "审核期限只能延长一次" in text(again)
    # 改派: unit head; only eligible reviewers are offered.
    head = client_for(cw.user("unit_head"))
    form = head.get(reverse("review:detail", args=[review.pk])).context["reassign_form"]
    assert [c for c, _ in form.fields["reviewer"].choices] == [str(second.pk)]
    assert head.post(act_url(review, "reassign"), {"reviewer": str(cw.user("officer").pk)}).status_code == 200
    assert head.post(act_url(review, "reassign"), {"reviewer": str(second.pk)}).status_code == 302
    review.refresh_from_db()
    assert review.reviewer == second


def test_second_reviewer_gets_conflict(cw: CaseWorld) -> None:
    second = make_user(cw.world.agency, Role.REVIEWER, username="reviewer2")
    case = proposed(cw)
    review = submit(cw.user("officer"), case.pk, reviewer=cw.user("reviewer"))
    first, other = client_for(cw.user("reviewer")), client_for(second)
    assert first.post(act_url(review, "opinion"), opinion_post("agree")).status_code == 302
    before = ledger_size(case)
    late = other.post(act_url(review, "opinion"), opinion_post("agree"))
    assert late.status_code == 409 and "该送审已由他人处理" in text(late)
    assert Opinion.objects.filter(review=review).count() == 1 and ledger_size(case) == before


def test_case_page_section_and_step_links(cw: CaseWorld) -> None:
    case = proposed(cw)
    url = reverse("cases:detail", args=[case.pk])
    page = text(client_for(cw.user("unit_head")).get(url))
    assert 'id="legal-review"' in page and "对法人或其他组织处以较大数额罚款" in page
    assert "尚未送审" in page and "不得作出决定" in page
    assert reverse("review:submit", args=[case.pk]) in page
    assert reverse("cases:transition", args=[case.pk, "submit_legal_review"]) not in page
    review = submit(cw.user("officer"), case.pk, reviewer=cw.user("reviewer"))
    page = text(client_for(cw.user("reviewer")).get(url))
    assert reverse("review:case", args=[case.pk]) in page and "出具法制审核意见" in page
    assert reverse("cases:transition", args=[case.pk, "pass_legal_review"]) not in page
    assert client_for(cw.user("reviewer")).get(reverse("review:case", args=[case.pk]))["Location"] == \
        reverse("review:detail", args=[review.pk])
    client_for(cw.user("reviewer")).post(act_url(review, "opinion"), opinion_post("agree"))
    page = text(client_for(cw.user("officer")).get(url))
    assert "法制审核已通过" in page and "审核通过" in page
    # A case that is not major says so, and offers no review page link until submitted.
    plain_case = walk_to(cw, S.EXAMINATION)
    case_services.update_case(cw.user("unit_head"), plain_case.pk, penalty(cw, "5000"))
    page = text(client_for(cw.user("unit_head")).get(reverse("cases:detail", args=[plain_case.pk])))
    assert "不属于重大执法决定，无须法制审核" in page and "未命中目录事项" in page


# ---------------------------------------------------------------- the permission matrix

LOGIN = "login"
MATRIX_PERSONAS = ["anonymous", "officer", "unit_head", "reviewer", "agency_head", "publisher", "admin",
                   "supervisor", "other_officer"]
OWN_AGENCY = {"officer", "unit_head", "reviewer", "agency_head", "publisher", "admin"}
# Who may use each page on their own agency's pending submission (the officer handles the case).
ACTS = {
    "queue": {"reviewer", "unit_head", "agency_head", "supervisor"},
    "submit": {"officer", "unit_head"},
    "detail": OWN_AGENCY, "case": OWN_AGENCY,
    "opinion": {"reviewer"}, "extend": {"reviewer", "agency_head"}, "reassign": {"unit_head", "agency_head"},
    "object": {"officer", "unit_head"}, "consult": {"reviewer"}, "collective": {"agency_head"},
}
READS = {"detail", "case"}
POSTS = {"opinion", "extend", "reassign", "object", "consult", "collective"}


@pytest.fixture
def foreign_review(cw: CaseWorld) -> LegalReview:
    """A submission of the other agency of the same city (the fixture writes the row directly: only
    who may see it matters here)."""
    world = cw.world
    mine = make_officer(world.other_agency, "赵外局", world.personas["other_officer"])
    mate = make_officer(world.other_agency, "钱外局")
    case = case_services.register_case(world.personas["other_officer"], title="外局案件", source=CaseSource.INSPECTION,
                                       item=make_item(world.other_agency), parties=[company_party()],
                                       officers=[mine, mate], lead=mine)
    reviewer = make_user(world.other_agency, Role.REVIEWER, username="other_reviewer")
    today = timezone.localdate()
    return LegalReview.objects.create(case=case, version=1, return_state=S.EXAMINATION, submitted_by=reviewer,
                                      submitted_on=today, reviewer=reviewer, due_on=today)


def expected(persona: str, page: str, owner: str) -> object:
    """Anonymous → login; another agency's review → 404; the supervisor reads the jurisdiction's
    (200) and acts on nothing (403); otherwise the action's roles decide (a refused or incomplete
    form of an allowed role is 200 and changes nothing)."""
    if persona == "anonymous":
        return LOGIN
    if page == "queue":
        return 200 if persona in ACTS["queue"] else 403
    member = {"own": OWN_AGENCY, "foreign": {"other_officer"}}[owner]
    if persona != "supervisor" and persona not in member:
        return 404
    if persona == "other_officer":
        # The other agency's own handler on its clue: reads it; 送审 is not possible in 线索登记.
        return {"detail": 200, "case": 302, "submit": 302, "object": 200}.get(page, 403)
    if page in READS:
        return 200 if page == "detail" else 302
    return 200 if persona in ACTS[page] else 403


def _url(review: LegalReview, page: str) -> tuple[str, str]:
    if page == "queue":
        return "get", reverse("review:queue")
    if page == "submit":
        return "get", reverse("review:submit", args=[review.case_id])
    if page == "case":
        return "get", reverse("review:case", args=[review.case_id])
    if page == "detail":
        return "get", reverse("review:detail", args=[review.pk])
    return "post", act_url(review, page)


def _status(client: Client, method: str, url: str) -> object:
    response = client.post(url) if method == "post" else client.get(url)
    if response.status_code == 302 and reverse("accounts:login") in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("persona", MATRIX_PERSONAS)
def test_permission_matrix(cw: CaseWorld, foreign_review: LegalReview, persona: str) -> None:
    examined = proposed(cw)
    own = submit(cw.user("officer"), examined.pk, reviewer=cw.user("reviewer"))
    # The submission page is checked on a second case still under examination.
    waiting = proposed(cw)
    client = Client()
    if persona != "anonymous":
        client.force_login(cw.user(persona))
    before = {r.pk: (r.status, r.reviewer_id, r.due_on) for r in LegalReview.objects.all()}
    failures = []
    for page in ACTS:
        for owner, review in (("own", own), ("foreign", foreign_review)):
            if page == "submit" and owner == "own":
                method, url = "get", reverse("review:submit", args=[waiting.pk])
            else:
                method, url = _url(review, page)
            got, want = _status(client, method, url), expected(persona, page, owner)
            if got != want:
                failures.append(f"{page} [{owner}] expected {want}, got {got}")
    assert not failures, f"{persona}: " + "; ".join(failures)
    # Empty POSTs change nothing, whoever sends them.
    assert {r.pk: (r.status, r.reviewer_id, r.due_on) for r in LegalReview.objects.all()} == before
    assert not Opinion.objects.exists()


def test_supervisor_reads_but_changes_nothing(cw: CaseWorld) -> None:
    case = proposed(cw)
    review = submit(cw.user("officer"), case.pk, reviewer=cw.user("reviewer"))
    client = client_for(cw.user("supervisor"))
    reads = history(case).filter(event_type="read.cases.case").count()
    page = text(client.get(reverse("review:detail", args=[review.pk])))
    assert "form-opinion" not in page and "form-extend" not in page and "form-reassign" not in page
    assert history(case).filter(event_type="read.cases.case", actor=cw.user("supervisor")).count() == reads + 1
    before = ledger_size(case)
    assert client.post(act_url(review, "opinion"), opinion_post("agree")).status_code == 403
    assert client.post(act_url(review, "extend"), {"reason": "监督"}).status_code == 403
    review.refresh_from_db()
    assert review.status == R.PENDING and not review.extension_reason and ledger_size(case) == before
    assert client.get(act_url(review, "opinion")).status_code == 405
    assert client.post(act_url(review, "nonsense")).status_code == 404


def test_complete_posts_of_the_wrong_role_change_nothing(cw: CaseWorld) -> None:
    """Every action with complete, valid input, from every own-agency persona without its role: 403,
    and the submission, its opinions and the case's ledger stay as they were."""
    second = make_user(cw.world.agency, Role.REVIEWER, username="reviewer2")
    case = proposed(cw)
    review = submit(cw.user("officer"), case.pk, reviewer=cw.user("reviewer"))
    valid = {
        "opinion": opinion_post("agree"), "extend": {"reason": "案情复杂"}, "reassign": {"reviewer": str(second.pk)},
        "object": {"text": "不同意"}, "consult": {"record": "已协商", "result": "adopt_proposal"},
        "collective": {"members": "局长", "minutes": "同意", "conclusion": "adopt_proposal"},
    }
    before = (LegalReview.objects.values().get(pk=review.pk), ledger_size(case))
    for persona in sorted(OWN_AGENCY | {"supervisor"}):
        client = client_for(cw.user(persona))
        for action, data in valid.items():
            if persona in ACTS[action]:
                continue
            assert client.post(act_url(review, action), data).status_code == 403, (persona, action)
    assert (LegalReview.objects.values().get(pk=review.pk), ledger_size(case)) == before
    assert not Opinion.objects.exists()
