"""The case page: header, deadlines, parties, handlers, facts, proposal, decision, documents,
the steps the user may take, and the timeline read from the ledger."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.cases import lifecycle, schedule, services
from sanxiang.cases.choices import DocumentKind, HandlerRole, PenaltyKind
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.lifecycle import PRECONDITIONS, Transition
from sanxiang.cases.models import Case, Document
from sanxiang.cases.queries import DueInfo, deadline_info, next_due
from sanxiang.cases.views.common import Permissions, optional_url, visible_case
from sanxiang.ledger.reads import record_supervisory_read
from sanxiang.ledger.templatetags.ledger_history import history_items

KIND_LABELS = dict(DocumentKind.choices)
PENALTY_LABELS = dict(PenaltyKind.choices)
# What the step's form must supply does not disable its button (lifecycle.INPUT_PRECONDITIONS).
INPUT_PRECONDITIONS = {PRECONDITIONS[c] for c in lifecycle.INPUT_PRECONDITIONS}
# A step blocked by one of these does not apply to the case at all (on-the-spot penalties of a
# normal-procedure case); it is left off rather than shown disabled.
NOT_APPLICABLE = {PRECONDITIONS["simple_procedure"]}
# Met on the legal review's own pages (sanxiang.review), to which these steps link.
ON_REVIEW_PAGES = {PRECONDITIONS["review_submitted"], PRECONDITIONS["opinion_recorded"]}


@dataclass(frozen=True)
class Step:
    transition: Transition
    problems: list[str]  # what stops it now (the button is disabled)
    hints: list[str]  # what the form must supply

    @property
    def direct(self) -> bool:
        """No input but the optional day it happened: the button itself takes the step (today);
        the step's form page stays reachable for back-entry."""
        return set(self.transition.fields) <= {"on"}

    @property
    def dated(self) -> bool:
        return "on" in self.transition.fields


@dataclass(frozen=True)
class DeadlineRow:
    label: str
    source: str
    info: DueInfo


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    label: str
    pdf_url: str
    docx_url: str
    signature_url: str


def steps_for(user: User, case: Case) -> list[Step]:
    """The steps the user's roles allow from the case's state, main steps first. An action within
    a step (``step=False``: preservation, pauses …) is listed only when it can be taken now."""
    found = []
    for transition, problems in services.allowed_transitions(user, case):
        hints = [p for p in problems if p in INPUT_PRECONDITIONS] if transition.fields else []
        blocking = [p for p in problems if p not in hints and p not in ON_REVIEW_PAGES]
        if NOT_APPLICABLE & set(blocking) or (blocking and not transition.step):
            continue
        found.append(Step(transition, blocking, hints))
    return sorted(found, key=lambda s: not s.transition.step)


def deadline_rows(case: Case) -> list[DeadlineRow]:
    today, calendar = timezone.localdate(), current_calendar()
    rules = schedule.rulebook(case.agency_id)
    return [DeadlineRow(d.label, d.source, deadline_info(d, today, calendar))
            for d in schedule.deadlines(case, rules, calendar)]


def document_rows(case: Case) -> list[DocumentRow]:
    rows = []
    for doc in case.documents.select_related("issued_by").order_by("issued_at", "id"):
        rows.append(DocumentRow(doc, KIND_LABELS.get(doc.kind, doc.kind),
                                optional_url("case_documents:pdf", pk=doc.pk) if doc.pdf_file else "",
                                optional_url("case_documents:docx", pk=doc.pk) if doc.docx_file else "",
                                optional_url("case_documents:signature", pk=doc.pk) if doc.signature else ""))
    return rows


def penalties_text(codes: list[str]) -> str:
    return "、".join(str(PENALTY_LABELS.get(c, c)) for c in codes or [])


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = visible_case(user, pk)
    record_supervisory_read(user, case)
    today, calendar = timezone.localdate(), current_calendar()
    perms = Permissions(user, case)
    deadlines = deadline_rows(case)
    context = {
        "case": case,
        "perms_case": perms,
        "next": next_due(case, today, calendar),
        "deadlines": deadlines,
        "any_provisional": any(row.info.provisional for row in deadlines),
        "pauses": list(case.pauses.all()),
        "parties": list(case.parties.all()),
        "handlers": sorted(case.handlers.select_related("officer"), key=lambda h: h.role != HandlerRole.LEAD),
        "recusals": list(case.recusals.select_related("officer", "decided_by")),
        "proposed_penalties": penalties_text(case.proposed_penalties),
        "proposed_basis": list(case.proposed_basis.select_related("law")),
        "decision_penalties": penalties_text(case.decision_penalties),
        "decision_basis": list(case.decision_basis.select_related("law")),
        "documents": document_rows(case),
        "issuable": [(k, KIND_LABELS[k]) for k in services.issuable_documents(case)] if perms.may("issue") else [],
        "steps": steps_for(user, case),
        "timeline": list(reversed(history_items(case, user))),
        "documents_index": optional_url("case_documents:index"),
    }
    return render(request, "cases/detail.html", context)
