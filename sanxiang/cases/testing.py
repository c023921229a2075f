"""Factories for case tests, the demo seed and the benchmark: officers for the personas, items,
articles, and :func:`walk_to`, which drives a case through the real services to any state."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from sanxiang.accounts.models import Agency, User
from sanxiang.cases import services
from sanxiang.cases.choices import CaseSource, CaseState, DecisionType, DocumentKind, PartyKind, Procedure
from sanxiang.cases.models import Case
from sanxiang.registry.choices import EnforcementKind, LawLevel
from sanxiang.registry.models import Article, EnforcementItem, Law, Officer
from sanxiang.testing import World, make_id_number, make_uscc

_serial = itertools.count(1)
S = CaseState


def make_officer(agency: Agency, name: str, user: User | None = None, *, expires: dt.date | None = None) -> Officer:
    today = timezone.localdate()
    return Officer.objects.create(
        agency=agency, name=name, user=user, position="科员", certificate_number=f"T{next(_serial):08d}",
        categories=["penalty", "inspection"], issued_on=today - dt.timedelta(days=700),
        expires_on=expires or today + dt.timedelta(days=700))


def make_article(number: int = 57) -> Article:
    law, _ = Law.objects.get_or_create(title="中华人民共和国食品安全法（测试）", promulgated_on=dt.date(2021, 4, 29),
                                       defaults={"level": LawLevel.LAW, "issuing_body": "全国人民代表大会常务委员会"})
    article, _ = Article.objects.get_or_create(law=law, number=number, defaults={
        "label": f"第{number}条", "text": f"第{number}条（测试条文）。"})
    return article


def make_item(agency: Agency, kind: str = EnforcementKind.PENALTY) -> EnforcementItem:
    item = EnforcementItem.objects.create(agency=agency, code=f"CF-{next(_serial):05d}", kind=kind,
                                          name="对经营超过保质期食品的行政处罚")
    item.legal_basis.set([make_article(124)])
    return item


@dataclass
class CaseWorld:
    """The personas of :class:`sanxiang.testing.World`, with officer records and an item."""

    world: World
    officer: Officer  # the "officer" persona's own record
    partner: Officer  # a second officer of the agency (no login)
    item: EnforcementItem
    article: Article

    def user(self, persona: str) -> User:
        return self.world.personas[persona]


def build_case_world(world: World) -> CaseWorld:
    agency = world.agency
    officer = make_officer(agency, "王执法", world.personas["officer"])
    partner = make_officer(agency, "李协办")
    return CaseWorld(world, officer, partner, make_item(agency), make_article())


def person_party(rng: random.Random | None = None) -> dict:
    return {"kind": PartyKind.NATURAL_PERSON, "name": "张三丰", "id_number": make_id_number(rng),
            "address": "甲市东区幸福路18号", "phone": "13800138000"}


def company_party(rng: random.Random | None = None) -> dict:
    return {"kind": PartyKind.LEGAL_PERSON, "name": "甲市好味食品有限公司", "uscc": make_uscc(rng),
            "legal_representative": "赵大海", "address": "甲市经开区创业大道88号", "phone": "0576-88001234"}


def register(cw: CaseWorld, *, party: dict | None = None, procedure: str = Procedure.NORMAL,
             received_on: dt.date | None = None) -> Case:
    case = services.register_case(
        cw.user("officer"), title="好味食品公司经营过期食品案", source=CaseSource.COMPLAINT, item=cw.item,
        procedure=procedure, received_on=received_on or timezone.localdate() - dt.timedelta(days=50),
        parties=[party or company_party()], officers=[cw.officer, cw.partner], lead=cw.officer,
        facts="当事人在其经营场所销售超过保质期的牛奶12盒。")
    if procedure == Procedure.SIMPLE:
        record_av(cw, case.pk)  # 当场处罚 needs its on-the-spot recording
    return case


def record_av(cw: CaseWorld, case_pk: int) -> None:
    """Upload a short recording in the case's current step (the 音像记录事项清单 asks for one)."""
    from sanxiang.evidence import samples
    from sanxiang.evidence import services as evidence

    description = evidence.Description("audio_visual", "执法全过程录音", timezone.now(), "当事人经营场所", cw.officer,
                                       "执法记录仪")
    evidence.ingest(cw.user("officer"), case_pk, [samples.wav(0.5)], original_name="执法记录仪.wav",
                    description=description)


# The main path, in order: (state reached, function taking the step). Dates are entered as
# past days, as for paper steps recorded afterwards, so that every waiting period has run out.
def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def walk_to(cw: CaseWorld, target: S, *, major: bool = False, hearing: bool = False, party: dict | None = None,
            fine: Decimal | None = None) -> Case:
    """Register a normal-procedure case and move it through the services until it is in ``target``.
    With ``hearing`` the fine is large enough to carry the right to a hearing (art. 63)."""
    fine = fine or (Decimal("150000") if hearing else Decimal("5000"))
    officer, head, boss, reviewer = (cw.user(p) for p in ("officer", "unit_head", "agency_head", "reviewer"))
    case = register(cw, party=party)
    steps = _main_path(cw, case, officer, head, boss, reviewer, major, hearing, fine)
    for state, step in steps:
        if case.state == target:
            break
        step()
        case.refresh_from_db()
        assert case.state == state, (case.state, state)
    if case.state != target:
        raise ValueError(f"{target} is not on the main path")
    return case


def _main_path(cw, case, officer, head, boss, reviewer, major, hearing, fine):
    perform, issue, update = services.perform, services.issue_document, services.update_case
    pk = case.pk
    penalty = {"proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning", "fine"],
               "proposed_fine": fine, "proposed_basis": [cw.article.pk], "proposal_text": "警告，并处罚款"}
    decision = {"decision_type": DecisionType.PENALTY, "decision_penalties": ["warning", "fine"],
                "decision_fine": fine, "decision_basis": [cw.article.pk], "decision_text": "警告，并处罚款"}

    def seq(*calls):
        def run():
            for call in calls:
                call()
        return run

    path = [
        (S.FILING_APPROVAL, seq(lambda: issue(officer, pk, DocumentKind.FILING_APPROVAL),
                                lambda: perform(officer, pk, "request_filing"))),
        (S.INVESTIGATION, seq(lambda: perform(head, pk, "approve_filing", on=_days_ago(45)),
                              lambda: record_av(cw, pk))),
        (S.EXAMINATION, seq(lambda: issue(officer, pk, DocumentKind.INSPECTION_RECORD),
                            lambda: perform(officer, pk, "end_investigation"))),
    ]
    from sanxiang.review.testing import agree_latest, submit

    def review(back: S) -> list:
        return [(S.LEGAL_REVIEW, lambda: submit(head, pk, reviewer=reviewer)),
                (back, lambda: agree_latest(reviewer, pk))]

    if major:
        path += [
            (S.EXAMINATION, lambda: update(head, pk, {**penalty, "is_major": True, "major_reason": "测试"})),
            *review(S.EXAMINATION),
        ]
    else:
        path += [(S.EXAMINATION, lambda: update(head, pk, penalty))]
    path += [(S.NOTICE, seq(lambda: issue(head, pk, DocumentKind.PRIOR_NOTICE),
                            lambda: perform(head, pk, "issue_notice", on=_days_ago(40))))]
    if hearing:
        # A decision after a hearing is major (art. 58 (3)): reviewed after the hearing.
        path += [
            (S.HEARING, seq(lambda: perform(officer, pk, "request_hearing", on=_days_ago(39)),
                            lambda: record_av(cw, pk))),
            (S.HEARING, seq(lambda: perform(head, pk, "schedule_hearing", on=_days_ago(36),
                                            hearing_date=_days_ago(20), hearing_host="法制科 周主持"),
                            lambda: issue(head, pk, DocumentKind.HEARING_NOTICE))),
            (S.DECISION, lambda: perform(head, pk, "conclude_hearing", on=_days_ago(20))),
            *review(S.DECISION),
        ]
    else:
        path += [(S.DECISION, lambda: perform(officer, pk, "conclude_notice", waived=True))]
    if major or hearing:
        path += [
            (S.COLLECTIVE, lambda: perform(head, pk, "request_collective")),
            (S.DECISION, lambda: perform(boss, pk, "conclude_collective", minutes="经集体讨论，同意处罚意见。")),
        ]
    path += [
        (S.DECISION, lambda: update(boss, pk, decision)),
        (S.SERVICE, seq(lambda: issue(boss, pk, DocumentKind.DECISION), lambda: perform(boss, pk, "decide"),
                        lambda: record_av(cw, pk))),
        (S.EXECUTION, seq(lambda: issue(officer, pk, DocumentKind.SERVICE_RECEIPT),
                          lambda: perform(officer, pk, "serve", method="direct"))),
        (S.EXECUTION, lambda: perform(officer, pk, "record_execution", note="已缴纳罚款")),
        (S.CLOSED, seq(lambda: issue(head, pk, DocumentKind.CLOSING_APPROVAL), lambda: perform(head, pk, "close"))),
        (S.ARCHIVED, lambda: perform(head, pk, "archive")),
    ]
    return path
