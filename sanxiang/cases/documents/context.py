"""The data a document states, frozen when it is issued (JSON-able: strings, numbers, lists)."""

from __future__ import annotations

import datetime as dt

from sanxiang.cases.models import Case


def _money(value) -> str:
    return f"{value:,.2f}" if value is not None else ""


def build_context(case: Case, kind: str, number: str, today: dt.date) -> dict:
    agency = case.agency
    return {
        "kind": kind,
        "number": number,
        "date": today.isoformat(),
        "agency": {"name": agency.name, "short_name": agency.short_name, "address": agency.address,
                   "phone": agency.phone, "uscc": agency.uscc},
        "case": {"number": case.case_number, "title": case.title, "procedure": case.get_procedure_display(),
                 "source": case.get_source_display(), "received_on": case.received_on.isoformat(),
                 "filed_on": case.filed_on.isoformat() if case.filed_on else "", "facts": case.facts,
                 "item": str(case.item) if case.item_id else ""},
        "parties": [{"kind": p.get_kind_display(), "name": p.name, "id_number": p.id_number, "uscc": p.uscc,
                     "legal_representative": p.legal_representative, "address": p.address, "phone": p.phone}
                    for p in case.parties.all()],
        "officers": [{"name": h.officer.name, "certificate": h.officer.certificate_number, "role": h.get_role_display()}
                     for h in case.handlers.select_related("officer")],
        "proposal": {"type": case.get_proposed_type_display(), "penalties": case.proposed_penalties,
                     "fine": _money(case.proposed_fine), "confiscation": _money(case.proposed_confiscation),
                     "text": case.proposal_text, "basis": [str(a) for a in case.proposed_basis.all()]},
        "decision": {"type": case.get_decision_type_display(), "penalties": case.decision_penalties,
                     "fine": _money(case.decision_fine), "confiscation": _money(case.decision_confiscation),
                     "text": case.decision_text, "basis": [str(a) for a in case.decision_basis.all()]},
    }
