"""Issuing 执法文书: freeze the case data, give the document its number, record it in the ledger
and render the files (at once, or by the task worker when rendering is deferred)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.cases import documents as docs
from sanxiang.cases.choices import CaseState, DocumentKind, Procedure
from sanxiang.cases.lifecycle import HANDLERS, HEADS
from sanxiang.cases.models import Case, Document
from sanxiang.cases.numbering import next_case_number, next_document_number
from sanxiang.cases.preconditions import CHECKS
from sanxiang.cases.services.common import lock_case, record_case, require_role
from sanxiang.cases.services.transitions import TransitionError, _context
from sanxiang.ledger.canonical import snapshot_hash
from sanxiang.ledger.services import default_log

S, D = CaseState, DocumentKind
# In which steps each document is made, and what must hold first.
DOCUMENT_STATES: dict[str, set[S]] = {
    D.FILING_APPROVAL: {S.CLUE},
    D.INSPECTION_RECORD: {S.CLUE, S.INVESTIGATION},
    D.INQUIRY_RECORD: {S.INVESTIGATION},
    D.PRIOR_NOTICE: {S.EXAMINATION},
    D.HEARING_NOTICE: {S.HEARING},
    D.DECISION: {S.DECISION, S.CLUE},
    D.SERVICE_RECEIPT: {S.SERVICE},
    D.CLOSING_APPROVAL: {S.EXECUTION, S.NO_PENALTY, S.TRANSFERRED},
}
DOCUMENT_REQUIRES: dict[str, tuple[str, ...]] = {
    D.FILING_APPROVAL: ("party", "item"),
    D.PRIOR_NOTICE: ("proposal",),
    D.HEARING_NOTICE: ("hearing_scheduled",),
    D.DECISION: ("final_decision", "legal_review_if_major", "decision_as_reviewed", "collective_if_major"),
}
KIND_LABELS = dict(DocumentKind.choices)
STATE_LABELS = dict(CaseState.choices)


def issuable_documents(case: Case) -> list[str]:
    """Document kinds that may be made in the case's current step."""
    kinds = [k for k, states in DOCUMENT_STATES.items() if case.state in states]
    if case.state == S.CLUE and case.procedure != Procedure.SIMPLE:
        kinds = [k for k in kinds if k != D.DECISION]
    return kinds


@transaction.atomic
def issue_document(user: User, case: Case | int, kind: str) -> Document:
    """Make a document of ``kind`` for ``case`` from its current data."""
    case = lock_case(user, case)
    label = KIND_LABELS.get(kind)
    if label is None:
        raise TransitionError(f"未知的文书种类：{kind}")
    role = require_role(user, case, HANDLERS | HEADS, f"制作《{label}》")
    if kind not in issuable_documents(case):
        raise TransitionError(f"案件处于“{STATE_LABELS[CaseState(case.state)]}”环节，不能制作《{label}》")
    ctx = _context(user, case, {})
    from sanxiang.cases.lifecycle import PRECONDITIONS

    problems = [PRECONDITIONS[c] for c in DOCUMENT_REQUIRES.get(kind, ()) if not CHECKS[c](ctx)]
    if problems:
        raise TransitionError(f"不能制作《{label}》：" + "；".join(problems))
    return make_document(user, case, kind, role)


def make_document(user: User, case: Case, kind: str, role: str, *, extra: dict | None = None,
                  on: dt.date | None = None) -> Document:
    """Number, freeze, record and render a document of ``kind`` for ``case``.

    For the caller that already locked the case and checked that ``user`` acts with ``role``:
    :func:`issue_document`, and services that issue their own documents (the review service's
    法制审核意见书, issued by the reviewer). ``extra`` adds the caller's own sections to the
    frozen context; ``on`` is the document's date (default today).
    """
    label = KIND_LABELS[kind]
    today = on or timezone.localdate()
    if kind == D.DECISION and case.procedure == Procedure.SIMPLE and not case.case_number:
        case.case_number = next_case_number(case.agency, case.category, today.year)
        case.save(update_fields=["case_number"])
    number = next_document_number(case.agency, kind, today.year)
    context = docs.build_context(case, kind, number, today, extra)
    document = Document.objects.create(case=case, kind=kind, number=number, context=context, issued_by=user)
    digest = snapshot_hash(context, default_log().algorithm)
    record_case(user, case, "document_issued", f"制作《{label}》{number}", role, document=document.pk,
                kind=kind, number=number, context_hash=digest)
    if getattr(settings, "CASES_DOCUMENT_RENDERING", "sync") == "sync":
        docs.render(document)
    else:
        transaction.on_commit(lambda: docs.enqueue_render(document.pk))
    return document
