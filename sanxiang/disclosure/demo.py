"""Demo publications (事后公开) for ``manage.py seed_demo``, after the demo cases.

The 市场监督管理局's decided cases drafted their publications when they were decided (即时推送).
Here its publisher (the ``publisher`` login) approves them, except the decision still waiting for
service, which stays in the queue (overdue, to show the flag); the agency head records that the
largest fine was revoked on 行政复议, which withdraws its entry at once; one entry's period is run
out (expiry evaluated as of the day after its period ends: a demo cannot wait three years); a
member of the public reports an error on one entry and the publisher answers. The natural-person
party decided on the spot is published as 陈某. Everything goes through the services.

Idempotent: an agency that already has public entries is left alone.
"""

from __future__ import annotations

import datetime as dt

from sanxiang.accounts.models import Agency, User
from sanxiang.cases import services as cases
from sanxiang.cases.choices import CaseState
from sanxiang.disclosure import services
from sanxiang.disclosure.choices import PublicationStatus, WithdrawalKind
from sanxiang.disclosure.models import Publication, PublicEntry

P = PublicationStatus
REVOKED_REASON = "经行政复议，清江市人民政府决定撤销该行政处罚决定，责令重新作出处理"
REPORT_TEXT = "公示的违法事实中“面膜”应为“面霜”，请核实更正。"
REPORT_ANSWER = "经核对案卷，当事人直播间宣传的产品为面膜，公示内容无误，不予更正。感谢您的监督。"


def seed_disclosure(step: object, agencies: dict[str, Agency], today: dt.date | None = None) -> None:
    agency = agencies.get("scjg")
    publisher = User.objects.filter(username="publisher", agency=agency).first()
    head = User.objects.filter(username="agency_head", agency=agency).first()
    if agency is None or publisher is None or head is None:
        return
    if PublicEntry.objects.filter(agency_id_public=agency.pk).exists():
        step.existing += 1  # type: ignore[attr-defined]
        return
    drafts = Publication.objects.filter(agency=agency, status=P.DRAFT).select_related("case")
    published = []
    for publication in drafts.order_by("decided_on", "id"):
        if publication.case and publication.case.state == CaseState.SERVICE:
            continue  # waits in the publisher's queue
        services.publish(publisher, publication.pk)
        published.append(Publication.objects.select_related("case").get(pk=publication.pk))
    _withdraw_largest(head, published)
    _expire_one(published)
    _report_and_answer(publisher, published)
    step.created += len(published)  # type: ignore[attr-defined]


def _withdraw_largest(head: User, published: list[Publication]) -> None:
    fined = [p for p in published if p.case and p.case.decision_fine]
    if not fined:
        return
    largest = max(fined, key=lambda p: p.case.decision_fine)
    cases.perform(head, largest.case_id, "record_decision_change", change_kind=WithdrawalKind.REVOKED, reason=REVOKED_REASON)


def _expire_one(published: list[Publication]) -> None:
    warnings = [p for p in published if p.case and p.case.decision_penalties == ["warning"]]
    if warnings:
        target = Publication.objects.get(pk=warnings[0].pk)
        services.expire_publications(target.expires_on + dt.timedelta(days=1), only=[target.pk])


def _report_and_answer(publisher: User, published: list[Publication]) -> None:
    live = [p for p in published if Publication.objects.filter(pk=p.pk, status=P.PUBLISHED).exists()]
    target = next((p for p in live if "面膜" in str(p.original.get("facts"))), live[0] if live else None)
    if target is None:
        return
    report = services.report_error(target.public_id, REPORT_TEXT, "")
    services.answer_report(publisher, report.pk, REPORT_ANSWER)
