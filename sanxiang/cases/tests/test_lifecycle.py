"""The state machine, walked through the real services: every allowed transition by every role
that may take it succeeds and writes its ledger entry; every forbidden one (wrong role, foreign
agency, wrong state) is refused with nothing changed and nothing recorded.

The three legal-review transitions (送审, 审核通过, 审核退回) are still the case's transitions, but
only the review services (:mod:`sanxiang.review.services`) take them, after recording the
submission or the opinion: a bare ``perform()`` is refused with the precondition's text."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sanxiang.accounts.choices import Role
from sanxiang.cases import lifecycle, services
from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.choices import DecisionType, DocumentKind, Procedure
from sanxiang.cases.models import Case
from sanxiang.cases.services import TransitionError
from sanxiang.cases.testing import person_party, register, walk_to
from sanxiang.ledger.models import Entry
from sanxiang.review import services as review
from sanxiang.review import testing as review_testing
from sanxiang.review.choices import Outcome
from sanxiang.review.models import LegalReview

ROLE_PERSONA = {Role.OFFICER: "officer", Role.UNIT_HEAD: "unit_head", Role.AGENCY_HEAD: "agency_head",
                Role.REVIEWER: "reviewer"}
ALL_PERSONAS = ["officer", "unit_head", "reviewer", "agency_head", "publisher", "admin", "supervisor",
                "other_officer"]
D = DocumentKind


@pytest.fixture(autouse=True)
def _render_later(settings) -> None:
    # These tests are about the state machine; documents are issued (numbered, frozen, ledgered)
    # but rendered by the worker, which these tests do not run (rendering: test_documents.py).
    settings.CASES_DOCUMENT_RENDERING = "deferred"


def ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def arrive(cw, state: S, **kwargs) -> Case:
    """A case in ``state``, reached through the services (branch states included)."""
    head, boss = cw.user("unit_head"), cw.user("agency_head")
    branches = {
        S.NOT_FILED: (S.FILING_APPROVAL, lambda c: services.perform(head, c, "reject_filing", reason="不属于本机关管辖")),
        S.REVOKED: (S.INVESTIGATION, lambda c: services.perform(boss, c, "revoke_filing", reason="违法事实不能成立")),
        S.TRANSFERRED: (S.INVESTIGATION, lambda c: services.perform(boss, c, "transfer", reason="涉嫌犯罪")),
        S.NO_PENALTY: (S.EXAMINATION, lambda c: services.perform(boss, c, "decide_no_penalty", reason="首违不罚")),
    }
    if state in branches:
        before, step = branches[state]
        case = walk_to(cw, before)
        step(case)
        case.refresh_from_db()
        return case
    if state in (S.LEGAL_REVIEW, S.COLLECTIVE):
        return walk_to(cw, state, major=True)
    if state == S.HEARING:
        return walk_to(cw, state, hearing=True)
    return walk_to(cw, state, **kwargs)


def _decision(cw, case, fine="5000"):
    boss = cw.user("agency_head")
    services.update_case(boss, case, {"decision_type": DecisionType.PENALTY, "decision_penalties": ["fine"],
                                      "decision_fine": Decimal(fine), "decision_basis": [cw.article.pk]})


def _simple(cw):
    case = register(cw, party=person_party(), procedure=Procedure.SIMPLE)
    services.update_case(cw.user("officer"), case, {
        "decision_type": DecisionType.PENALTY, "decision_penalties": ["fine"], "decision_fine": Decimal("200"),
        "decision_basis": [cw.article.pk]})
    services.issue_document(cw.user("officer"), case, D.DECISION)
    return case


# For each transition: how to prepare a case in each source state, and the input to give.
def prepare(cw, name: str, source: S) -> tuple[Case, dict]:
    head, officer = cw.user("unit_head"), cw.user("officer")
    if name == "decide_on_the_spot":
        return _simple(cw), {}
    if name == "request_hearing":
        return walk_to(cw, S.NOTICE, hearing=True), {"on": ago(39)}
    case = arrive(cw, source)
    data: dict = {}
    if name in {"reject_filing", "revoke_filing", "transfer", "decide_no_penalty", "return_legal_review"}:
        data = {"reason": "测试理由"}
    elif name == "pause_clock":
        data = {"kind": "testing", "reason": "送检", "on": ago(1)}
    elif name == "resume_clock":
        services.perform(head, case, "pause_clock", kind="testing", reason="送检", on=ago(2))
        data = {"on": ago(1)}
    elif name == "record_decision_change":
        data = {"change_kind": "revoked", "reason": "经行政复议撤销", "on": ago(1)}
    elif name == "extend_deadline":
        data = {"days": 30, "reason": "案情复杂"}
    elif name == "resolve_preservation":
        Case.objects.filter(pk=case.pk).update(preserved_on=ago(3))
    elif name == "schedule_hearing":
        data = {"on": ago(36), "hearing_date": ago(20), "hearing_host": "周主持"}
    elif name == "conclude_hearing":
        services.perform(head, case, "schedule_hearing", on=ago(36), hearing_date=ago(20), hearing_host="周主持")
        services.issue_document(head, case, D.HEARING_NOTICE)
    elif name == "conclude_notice":
        data = {"waived": True}
    elif name == "conclude_collective":
        data = {"minutes": "同意。"}
    elif name == "decide":
        _decision(cw, case)
        services.issue_document(cw.user("agency_head"), case, D.DECISION)
    elif name == "serve":
        services.issue_document(officer, case, D.SERVICE_RECEIPT)
        data = {"method": "direct"}
    elif name == "close":
        if source == S.EXECUTION:
            services.perform(officer, case, "record_execution")
        services.issue_document(head, case, D.CLOSING_APPROVAL)
    elif name == "end_investigation":
        services.issue_document(officer, case, D.INQUIRY_RECORD)
    elif name == "submit_legal_review" and source == S.EXAMINATION:  # 待决定: walk_to proposed already
        services.update_case(head, case, {"proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning"],
                                          "proposed_basis": [cw.article.pk]})
    elif name == "issue_notice":
        services.update_case(head, case, {"proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning"],
                                          "proposed_basis": [cw.article.pk]})
        services.issue_document(head, case, D.PRIOR_NOTICE)
    elif name == "request_filing":
        services.issue_document(officer, case, D.FILING_APPROVAL)
    case.refresh_from_db()
    return case, data


# The review steps and the precondition a bare perform() fails on (the review service meets it).
REVIEW_STEPS = {"submit_legal_review": "review_submitted", "pass_legal_review": "opinion_recorded",
                "return_legal_review": "opinion_recorded"}
# What else the review service's step writes, before the transition's own entry: an opinion is
# issued as a 法制审核意见书 (a document of the case) before the case returns to its step.
REVIEW_EXTRA = {"submit_legal_review": [], "pass_legal_review": ["case.document_issued"],
                "return_legal_review": ["case.document_issued"]}
# A hearing request also re-evaluates the review catalog (a decision after a hearing is major:
# art. 58 (3)), which writes its own entry first: two entries, not one.
OTHER_EXTRA = {"request_hearing": ["case.major_determined"]}
# A decision taking effect drafts its publication, and a changed decision withdraws it (即时推送,
# 行政处罚法第四十八条: sanxiang.disclosure.services), each with its entry after the case's.
AFTER_EXTRA = {"decide": ["disclosure.draft"], "decide_on_the_spot": ["disclosure.draft"],
               "decide_no_penalty": ["disclosure.draft"], "record_decision_change": ["disclosure.withdrawn"]}


def take(user, case: Case, name: str, **data) -> None:
    """Take transition ``name`` the way the application does: the review steps through the review
    services, the others through ``perform``."""
    if name == "submit_legal_review":
        review_testing.submit(user, case.pk)
    elif name == "pass_legal_review":
        review_testing.agree_latest(user, case.pk)
    elif name == "return_legal_review":
        latest = LegalReview.objects.filter(case_id=case.pk).order_by("-version").first()
        review.give_opinion(user, latest, outcome=Outcome.RETURN, findings={}, text=data.get("reason", "补充材料"))
    else:
        services.perform(user, case, name, **data)


CASES = [(t.name, source, role) for t in lifecycle.TRANSITIONS for source in sorted(t.sources)
         for role in sorted(t.roles)]


def _ledger_size() -> int:
    return Entry.objects.count()


@pytest.mark.parametrize(("name", "source", "role"), CASES, ids=[f"{n}-{s}-{r}" for n, s, r in CASES])
def test_allowed_transition_by_allowed_role(cw, name, source, role) -> None:
    t = lifecycle.transition(name)
    case, data = prepare(cw, name, source)
    assert case.state == source
    before = _ledger_size()
    if name in REVIEW_STEPS:
        # A bare perform() is refused: the review service records the submission or opinion first.
        with pytest.raises(TransitionError) as refused:
            services.perform(cw.user(ROLE_PERSONA[role]), case, name, **data)
        assert str(refused.value) == f"不能{t.label}：{lifecycle.PRECONDITIONS[REVIEW_STEPS[name]]}"
        assert _ledger_size() == before
    take(cw.user(ROLE_PERSONA[role]), case, name, **data)
    case.refresh_from_db()
    # The review returns the case to the step it was submitted from (here: that of walk_to).
    assert case.state == t.target_for(source)
    entries = list(Entry.objects.filter(index__gte=before).order_by("index"))
    extra = REVIEW_EXTRA.get(name) or OTHER_EXTRA.get(name, [])
    after = [] if (name, source) == ("record_decision_change", S.NO_PENALTY) else AFTER_EXTRA.get(name, [])
    assert [e.event_type for e in entries] == [*extra, t.event_type, *after]
    own = entries[len(extra)]
    assert own.object_id == str(case.pk) and own.detail["changes"]["to"] == case.state


def _snapshot(case: Case) -> dict:
    case.refresh_from_db()
    return {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}


FIRST_SOURCE = [(t.name, sorted(t.sources)[0]) for t in lifecycle.TRANSITIONS]


@pytest.mark.parametrize(("name", "source"), FIRST_SOURCE, ids=[n for n, _ in FIRST_SOURCE])
def test_forbidden_roles_are_refused_and_change_nothing(cw, name, source) -> None:
    t = lifecycle.transition(name)
    case, data = prepare(cw, name, source)
    state, ledger = _snapshot(case), _ledger_size()
    for persona in ALL_PERSONAS:
        user = cw.user(persona)
        allowed = user.role_codes & t.roles and persona != "other_officer"
        if allowed:
            continue
        expected = Http404 if persona == "other_officer" else PermissionDenied
        with pytest.raises(expected):
            take(user, case, name, **data)
        assert _snapshot(case) == state and _ledger_size() == ledger, persona
    # The refusals were about the role: an allowed role succeeds on the very same case.
    take(cw.user(ROLE_PERSONA[sorted(t.roles)[0]]), case, name, **data)


def test_every_state_is_reachable_and_every_transition_is_tested() -> None:
    reached = {S.CLUE} | {t.target for t in lifecycle.TRANSITIONS if t.target}
    assert reached == set(S)
    assert {n for n, _, _ in CASES} == set(lifecycle.BY_NAME)


STATES = [S.CLUE, S.FILING_APPROVAL, S.INVESTIGATION, S.EXAMINATION, S.NOTICE, S.DECISION, S.SERVICE,
          S.EXECUTION, S.CLOSED, S.ARCHIVED, S.NOT_FILED]


@pytest.mark.parametrize("state", STATES)
def test_transitions_from_the_wrong_state_are_refused(cw, state) -> None:
    case = arrive(cw, state)
    before, ledger = _snapshot(case), _ledger_size()
    boss = cw.user("agency_head")
    for t in lifecycle.TRANSITIONS:
        if state in t.sources:
            continue
        user = cw.user(ROLE_PERSONA[sorted(t.roles)[0]])
        with pytest.raises((TransitionError, PermissionDenied)) as refused:
            services.perform(user, case, t.name, reason="x", on=timezone.localdate())
        if isinstance(refused.value, TransitionError):
            assert f"不能{t.label}" in str(refused.value)
    assert _snapshot(case) == before and _ledger_size() == ledger
    assert boss  # the agency head was among the users tried


def test_an_officer_who_is_not_a_handler_cannot_move_the_case(cw) -> None:
    case = register(cw)
    services.set_handlers(cw.user("unit_head"), case, [cw.partner, _third(cw)])
    services.issue_document(cw.user("unit_head"), case, D.FILING_APPROVAL)
    with pytest.raises(PermissionDenied, match="承办人"):
        services.perform(cw.user("officer"), case, "request_filing")


def _third(cw):
    from sanxiang.cases.testing import make_officer

    return make_officer(cw.world.agency, "陈第三")


def test_missing_preconditions_are_named(cw) -> None:
    case = register(cw)
    head = cw.user("unit_head")
    services.set_handlers(head, case, [cw.officer, cw.partner])
    cw.partner.expires_on = timezone.localdate() - dt.timedelta(days=1)
    cw.partner.save()
    with pytest.raises(TransitionError) as refused:
        services.perform(cw.user("officer"), case, "request_filing")
    message = str(refused.value)
    assert "第四十二条" in message and "《立案审批表》" in message
    assert Case.objects.get(pk=case.pk).state == S.CLUE


def test_major_case_needs_a_passed_review_of_the_current_proposal(cw) -> None:
    case = walk_to(cw, S.EXAMINATION)
    head, reviewer, boss = cw.user("unit_head"), cw.user("reviewer"), cw.user("agency_head")
    services.update_case(head, case, {"is_major": True, "major_reason": "社会影响较大",
                                      "proposed_type": DecisionType.PENALTY, "proposed_penalties": ["fine"],
                                      "proposed_fine": Decimal("60000"), "proposed_basis": [cw.article.pk]})
    with pytest.raises(TransitionError, match="须通过法制审核页面送审"):
        services.perform(head, case, "submit_legal_review")
    review_testing.submit_and_pass(head, reviewer, case.pk)
    case.refresh_from_db()
    assert case.state == S.EXAMINATION and case.legal_review_passed
    services.update_case(head, case, {"proposed_fine": Decimal("80000")})  # changed after the pass
    case.refresh_from_db()
    assert not case.legal_review_passed
    with pytest.raises(TransitionError, match="重大执法决定须经法制审核通过"):
        services.perform(boss, case, "decide_no_penalty", reason="首违不罚")
    with pytest.raises(Exception, match="不能改回"):
        services.update_case(head, case, {"is_major": False})


def test_reviewer_who_handles_the_case_may_not_review_it(cw) -> None:
    from sanxiang.cases.models import CaseOfficer
    from sanxiang.cases.testing import make_officer

    case = walk_to(cw, S.LEGAL_REVIEW, major=True)
    reviewer = cw.user("reviewer")
    # Set-up only: make the reviewer one of the handlers (the services no longer allow it here).
    CaseOfficer.objects.create(case=case, officer=make_officer(cw.world.agency, "审核员", reviewer))
    ledger = _ledger_size()
    with pytest.raises(TransitionError, match="不得是本案承办人"):
        services.perform(reviewer, case, "pass_legal_review")
    with pytest.raises(Exception, match="不得是本案承办人"):
        review_testing.agree_latest(reviewer, case.pk)
    assert Case.objects.get(pk=case.pk).state == S.LEGAL_REVIEW and _ledger_size() == ledger


def test_decision_deadline_runs_out_and_an_extension_reopens_it(cw) -> None:
    case = walk_to(cw, S.INVESTIGATION)
    Case.objects.filter(pk=case.pk).update(filed_on=ago(100))
    officer, boss = cw.user("officer"), cw.user("agency_head")
    services.issue_document(officer, case, D.INQUIRY_RECORD)
    with pytest.raises(TransitionError, match="办案期限已届满"):
        services.perform(officer, case, "end_investigation")
    services.perform(boss, case, "extend_deadline", days=30, reason="案情复杂")
    services.perform(officer, case, "end_investigation")
    with pytest.raises(TransitionError, match="1至30日"):
        case2 = walk_to(cw, S.INVESTIGATION)
        services.perform(boss, case2, "extend_deadline", days=45, reason="太复杂")


def test_hearing_request_only_within_five_working_days_and_only_for_heavy_penalties(cw) -> None:
    case = walk_to(cw, S.NOTICE)  # a 5,000 元 fine for a company: no right to a hearing
    officer = cw.user("officer")
    with pytest.raises(TransitionError, match="第六十三条"):
        services.perform(officer, case, "request_hearing")
    heavy = walk_to(cw, S.NOTICE, hearing=True)  # notice served 40 days ago
    with pytest.raises(TransitionError, match="五日内"):
        services.perform(officer, heavy, "request_hearing")
    services.perform(officer, heavy, "request_hearing", on=ago(39))


def test_hearing_notice_must_come_seven_working_days_before(cw) -> None:
    case = walk_to(cw, S.HEARING, hearing=True)
    head = cw.user("unit_head")
    with pytest.raises(TransitionError, match="《听证通知书》|须先确定听证"):
        services.issue_document(head, case, D.HEARING_NOTICE)
    with pytest.raises(TransitionError, match="七个工作日"):
        services.perform(head, case, "schedule_hearing", on=ago(22), hearing_date=ago(20), hearing_host="周主持")
    with pytest.raises(TransitionError, match="第六十四条第四项"):
        services.perform(head, case, "schedule_hearing", on=ago(36), hearing_date=ago(20),
                         hearing_host=cw.officer.name)  # the investigator may not preside
    services.perform(head, case, "schedule_hearing", on=ago(36), hearing_date=ago(20), hearing_host="周主持")
    with pytest.raises(TransitionError, match="《听证通知书》"):
        services.perform(head, case, "conclude_hearing", on=ago(20))
    services.issue_document(head, case, D.HEARING_NOTICE)
    services.perform(head, case, "conclude_hearing", on=ago(20))


def test_the_hearing_pauses_the_decision_deadline(cw) -> None:
    plain = walk_to(cw, S.DECISION)
    heard = walk_to(cw, S.DECISION, hearing=True)
    assert plain.filed_on == heard.filed_on
    assert heard.pauses.get().ended_on == ago(20)
    paused_days = (heard.pauses.get().ended_on - heard.pauses.get().started_on).days + 1
    assert heard.next_due_on >= plain.next_due_on + dt.timedelta(days=paused_days - 3)
    assert heard.next_due_code == plain.next_due_code == "decision"


def test_simple_procedure_limits(cw) -> None:
    case = register(cw, party=person_party(), procedure=Procedure.SIMPLE)
    officer = cw.user("officer")
    services.update_case(officer, case, {"decision_type": DecisionType.PENALTY, "decision_penalties": ["fine"],
                                         "decision_fine": Decimal("201"), "decision_basis": [cw.article.pk]})
    services.issue_document(officer, case, D.DECISION)
    with pytest.raises(TransitionError, match="二百元"):
        services.perform(officer, case, "decide_on_the_spot")
    company = register(cw, procedure=Procedure.SIMPLE)
    services.update_case(officer, company, {"decision_type": DecisionType.PENALTY, "decision_penalties": ["fine"],
                                            "decision_fine": Decimal("3000"), "decision_basis": [cw.article.pk]})
    services.issue_document(officer, company, D.DECISION)
    done = services.perform(officer, company, "decide_on_the_spot")
    assert done.state == S.EXECUTION and done.case_number and done.served_on == timezone.localdate()
    assert "简罚" in done.case_number


def test_conflict_of_interest_blocks_assignment(cw) -> None:
    from sanxiang.cases.models import ConflictDeclaration

    case = register(cw)
    party = case.parties.get()
    ConflictDeclaration.objects.create(officer=cw.partner, party_name=party.name, relation="近亲属任职")
    with pytest.raises(Exception, match="回避"):
        services.set_handlers(cw.user("unit_head"), case, [cw.officer, cw.partner])
    services.issue_document(cw.user("officer"), case, D.FILING_APPROVAL)
    with pytest.raises(TransitionError, match="第四十三条"):
        services.perform(cw.user("officer"), case, "request_filing")


def test_recusal_granted_removes_the_officer(cw) -> None:
    case = walk_to(cw, S.INVESTIGATION)
    recusal = services.request_recusal(cw.user("officer"), case, cw.partner, "当事人称其为亲属")
    with pytest.raises(PermissionDenied):
        services.decide_recusal(cw.user("unit_head"), recusal, True)
    services.decide_recusal(cw.user("agency_head"), recusal, True, "理由成立")
    assert list(case.handlers.values_list("officer__name", flat=True)) == [cw.officer.name]
