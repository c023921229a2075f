"""The preconditions of :mod:`sanxiang.cases.lifecycle`, one small function per code.

Each takes the :class:`Ctx` of the attempted transition and returns True when it holds. They
only read; nothing here changes a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from sanxiang.accounts.models import User
from sanxiang.cases.choices import (
    CaseState,
    DecisionType,
    DocumentKind,
    PauseKind,
    Procedure,
    RecusalStatus,
    ServiceMethod,
)
from sanxiang.cases.deadlines import HolidayCalendar, due_date, working_days_between
from sanxiang.cases.models import Case, ConflictDeclaration, Party
from sanxiang.cases.rules import HEARING_PENALTY_KINDS, SIMPLE_PENALTY_KINDS, RuleBook
from sanxiang.registry.models import Officer


@dataclass
class Ctx:
    case: Case
    user: User
    data: dict
    today: dt.date
    rules: RuleBook
    calendar: HolidayCalendar
    notes: list[str] = field(default_factory=list)
    transition: str = ""  # the transition being checked
    target: CaseState | None = None  # set by an effect whose target depends on the case (legal review)

    @property
    def on(self) -> dt.date:
        """The day the step happened: given by the user (back-entry of paper steps), else today."""
        return self.data.get("on") or self.today

    @cached_property
    def handlers(self) -> list[Officer]:
        return [h.officer for h in self.case.handlers.select_related("officer")]

    @cached_property
    def parties(self) -> list[Party]:
        return list(self.case.parties.all())

    def has_document(self, *kinds: str) -> bool:
        return self.case.documents.filter(kind__in=kinds).exists()

    def due(self, code: str, start: dt.date) -> dt.date:
        rule = self.rules.rule(code)
        return due_date(start, self.rules.value(code), rule.working, calendar=self.calendar)


def _party(c: Ctx) -> bool:
    return bool(c.parties)


def _item(c: Ctx) -> bool:
    return bool(c.case.item_id) and c.case.item.agency_id == c.case.agency_id


def _two_officers(c: Ctx) -> bool:
    officers = c.handlers
    return (len(officers) >= 2 and all(o.agency_id == c.case.agency_id for o in officers)
            and all(o.can_enforce(c.on) for o in officers))


def conflicts(case: Case, officers: list[Officer], parties: list[Party]) -> list[ConflictDeclaration]:
    """Declared relationships between ``officers`` and ``parties`` (by identifier, else by name)."""
    identifiers = {p.identifier for p in parties if p.identifier}
    names = {p.name for p in parties}
    found = ConflictDeclaration.objects.filter(officer__in=officers).select_related("officer")
    return [d for d in found if (d.party_identifier and d.party_identifier in identifiers) or d.party_name in names]


def _no_conflict(c: Ctx) -> bool:
    pending = c.case.recusals.filter(status=RecusalStatus.PENDING).exists()
    return not pending and not conflicts(c.case, c.handlers, c.parties)


def _reason(c: Ctx) -> bool:
    return bool(str(c.data.get("reason") or "").strip())


def _facts(c: Ctx) -> bool:
    return bool(c.case.facts.strip())


def _investigation_record(c: Ctx) -> bool:
    return c.has_document(DocumentKind.INSPECTION_RECORD, DocumentKind.INQUIRY_RECORD)


def _open_preservation(c: Ctx) -> bool:
    return bool(c.case.preserved_on and not c.case.preservation_resolved_on)


def _open_pause(c: Ctx) -> bool:
    return c.case.pauses.filter(ended_on__isnull=True).exists()


def _within_decision_deadline(c: Ctx) -> bool:
    from sanxiang.cases.schedule import deadlines  # schedule imports lifecycle; avoid a cycle at import

    found = [d for d in deadlines(c.case, c.rules, c.calendar) if d.code == "decision"]
    return not found or c.on <= found[0].due


def _penalty_complete(kind: str, penalties: list[str], fine: Decimal | None, basis_count: int) -> bool:
    if not kind:
        return False
    if kind != DecisionType.PENALTY:
        return True
    return bool(penalties) and basis_count > 0 and ("fine" not in penalties or bool(fine and fine > 0))


def _proposal(c: Ctx) -> bool:
    case = c.case
    return _penalty_complete(case.proposed_type, case.proposed_penalties, case.proposed_fine,
                             case.proposed_basis.count())


def _final_decision(c: Ctx) -> bool:
    case = c.case
    return _penalty_complete(case.decision_type, case.decision_penalties, case.decision_fine,
                             case.decision_basis.count())


def _reviewer_not_handler(c: Ctx) -> bool:
    return not any(o.user_id == c.user.pk for o in c.handlers)


def _legal_review_if_major(c: Ctx) -> bool:
    from sanxiang.review.gate import passed

    return passed(c.case)


def _review(name: str) -> Callable[[Ctx], bool]:
    """A precondition the legal review answers (sanxiang.review.hooks)."""
    def check(c: Ctx) -> bool:
        from sanxiang.review import hooks

        return getattr(hooks, name)(c)
    return check


def hearing_right(case: Case, rules: RuleBook, parties: list[Party]) -> bool:
    """Whether the proposal carries the right to a hearing (行政处罚法 art. 63)."""
    if set(case.proposed_penalties) & HEARING_PENALTY_KINDS:
        return True
    person = all(p.is_natural_person for p in parties)
    limit = rules.amount("hearing_fine_person" if person else "hearing_fine_organisation")
    if case.proposed_fine and case.proposed_fine >= limit:
        return True
    return bool(case.proposed_confiscation and case.proposed_confiscation >= rules.amount("hearing_confiscation"))


def _hearing_right(c: Ctx) -> bool:
    return hearing_right(c.case, c.rules, c.parties)


def _within_hearing_request(c: Ctx) -> bool:
    served = c.case.notice_served_on
    return bool(served) and c.on <= c.due("hearing_request", served)


def _hearing_notice_lead(c: Ctx) -> bool:
    hearing = c.data.get("hearing_date")
    lead = c.rules.value("hearing_notice")
    return bool(hearing) and working_days_between(c.on, hearing, calendar=c.calendar) >= lead


def _host_not_investigator(c: Ctx) -> bool:
    host = str(c.data.get("hearing_host") or "").strip()
    return bool(host) and host not in {o.name for o in c.handlers}


def _hearing_scheduled(c: Ctx) -> bool:
    case = c.case
    return bool(case.hearing_date and case.hearing_place and case.hearing_host)


def _hearing_held(c: Ctx) -> bool:
    case = c.case
    return bool(case.hearing_date and case.hearing_notified_on and case.hearing_date <= c.on)


def _statement_period_over(c: Ctx) -> bool:
    if c.data.get("waived"):
        return True
    served = c.case.notice_served_on
    if not served:
        return False
    last = c.due("statement", served)
    if hearing_right(c.case, c.rules, c.parties):
        last = max(last, c.due("hearing_request", served))
    return c.on > last


def _minutes(c: Ctx) -> bool:
    return bool(str(c.data.get("minutes") or "").strip())


def _collective_if_major(c: Ctx) -> bool:
    return not c.case.is_major or bool(c.case.collective_concluded_on)


def _hearing_concluded(c: Ctx) -> bool:
    return not c.case.hearing_requested_on or bool(c.case.hearing_concluded_on)


def _service_method(c: Ctx) -> bool:
    method = c.data.get("method")
    if method not in ServiceMethod.values:
        return False
    return method != ServiceMethod.ELECTRONIC or bool(c.data.get("electronic_consent"))


def _executed_if_penalty(c: Ctx) -> bool:
    return c.case.state != CaseState.EXECUTION or bool(c.case.executed_on)


def _simple_procedure(c: Ctx) -> bool:
    return c.case.procedure == Procedure.SIMPLE


def _simple_limits(c: Ctx) -> bool:
    case = c.case
    if not set(case.decision_penalties) <= SIMPLE_PENALTY_KINDS or case.decision_confiscation:
        return False
    person = all(p.is_natural_person for p in c.parties)
    limit = c.rules.amount("simple_fine_person" if person else "simple_fine_organisation")
    return (case.decision_fine or 0) <= limit


def _recordings(c: Ctx) -> bool:
    from sanxiang.evidence.recording import satisfied  # the evidence app builds on cases, not the reverse

    return satisfied(c.case, c.transition, c.data)


CHECKS: dict[str, Callable[[Ctx], bool]] = {
    "recordings": _recordings,
    "party": _party,
    "item": _item,
    "two_officers": _two_officers,
    "no_conflict": _no_conflict,
    "reason": _reason,
    "facts": _facts,
    "investigation_record": _investigation_record,
    "no_open_preservation": lambda c: not _open_preservation(c),
    "open_preservation": _open_preservation,
    "preservation_resolved": lambda c: not _open_preservation(c),
    "no_open_pause": lambda c: not _open_pause(c),
    "open_pause": _open_pause,
    "no_extension": lambda c: c.case.extension_days == 0,
    "within_decision_deadline": _within_decision_deadline,
    "proposal": _proposal,
    "reviewer_not_handler": _reviewer_not_handler,
    "legal_review_if_major": _legal_review_if_major,
    "decision_as_reviewed": _review("decision_as_reviewed"),
    "review_submitted": _review("submitted"),
    "opinion_recorded": _review("opinion_recorded"),
    "hearing_right": _hearing_right,
    "within_hearing_request": _within_hearing_request,
    "hearing_notice_lead": _hearing_notice_lead,
    "hearing_held": _hearing_held,
    "host_not_investigator": _host_not_investigator,
    "hearing_scheduled": _hearing_scheduled,
    "statement_period_over": _statement_period_over,
    "minutes": _minutes,
    "final_decision": _final_decision,
    "collective_if_major": _collective_if_major,
    "hearing_concluded": _hearing_concluded,
    "service_method": _service_method,
    "executed_if_penalty": _executed_if_penalty,
    "simple_procedure": _simple_procedure,
    "simple_limits": _simple_limits,
}

__all__ = ["CHECKS", "Ctx", "PauseKind", "conflicts", "hearing_right"]
