"""The data a document states, frozen when it is issued (JSON-able: strings, numbers, lists).

Every template (the Word templates and the HTML of the PDF) reads only this dictionary, so a
document rendered again later, or from another template, states exactly what was issued.
Dates come in two forms: ``*_text`` (2026年11月22日) and, for the date under the seal,
``date_cn`` (二〇二六年十一月二十二日). Amounts come as ``5,000.00`` with the capital form
(伍仟元整) beside them. Periods are taken from the agency's rulebook, so a stricter local rule
shows in the documents.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sanxiang.cases.choices import DocumentKind, HandlerRole, PenaltyKind, Procedure
from sanxiang.cases.documents.chinese import amount_upper, count, date_chinese, date_numeric, money
from sanxiang.cases.models import Case, Party
from sanxiang.cases.preconditions import hearing_right
from sanxiang.cases.rules import RuleBook
from sanxiang.registry.models import Article

PENALTY_LABELS = dict(PenaltyKind.choices)
KIND_LABELS = dict(DocumentKind.choices)
SIMPLE_DECISION_TITLE = "当场行政处罚决定书"
# Periods fixed by statute (not agency rules): 行政复议法 art. 20, 行政诉讼法 art. 46.
REVIEW_DAYS, LITIGATION_MONTHS = 60, 6


def document_title(kind: str, procedure: str) -> str:
    if kind == DocumentKind.DECISION and procedure == Procedure.SIMPLE:
        return SIMPLE_DECISION_TITLE
    return KIND_LABELS[kind]


def _party(p: Party) -> dict:
    person = p.is_natural_person
    return {"kind": p.get_kind_display(), "kind_code": p.kind, "is_person": person, "name": p.name,
            "id_number": p.id_number, "uscc": p.uscc, "legal_representative": p.legal_representative,
            "identifier_label": "身份证号码" if person else "统一社会信用代码", "identifier": p.identifier,
            "address": p.address, "phone": p.phone}


def _article(a: Article) -> dict:
    return {"law": a.law.title, "label": a.label, "full": str(a), "text": a.text}


def _amount(value: Decimal | None) -> dict:
    return {"value": money(value), "upper": amount_upper(value), "present": bool(value)}


def _measure(kind: str, penalties: list[str], fine, confiscation, text: str, basis: list[Article],
             type_label: str) -> dict:
    labels = [str(PENALTY_LABELS.get(code, code)) for code in penalties]
    articles = [_article(a) for a in basis]
    return {"type": type_label, "type_code": kind, "penalties": labels, "penalties_text": "、".join(labels),
            "fine": _amount(fine), "confiscation": _amount(confiscation), "text": text, "basis": articles,
            "basis_text": "、".join(a["full"] for a in articles)}


def _case(case: Case) -> dict:
    item = case.item
    return {"number": case.case_number, "title": case.title, "procedure": case.get_procedure_display(),
            "procedure_code": case.procedure, "source": case.get_source_display(), "source_note": case.source_note,
            "received_on": case.received_on.isoformat(), "received_text": date_numeric(case.received_on),
            "filed_on": case.filed_on.isoformat() if case.filed_on else "", "filed_text": date_numeric(case.filed_on),
            "facts": case.facts, "item": item.name if item else "", "item_code": item.code if item else "",
            "item_basis": [_article(a) for a in item.legal_basis.select_related("law")] if item else [],
            "is_major": case.is_major, "major_reason": case.major_reason, "state": case.get_state_display()}


def _officers(case: Case) -> list[dict]:
    return [{"name": h.officer.name, "certificate": h.officer.certificate_number, "role": h.get_role_display(),
             "position": h.officer.position}
            for h in sorted(case.handlers.select_related("officer"), key=lambda h: h.role != HandlerRole.LEAD)]


def _benchmark(case: Case) -> dict | None:
    b = case.benchmark
    if b is None:
        return None
    return {"violation": b.violation, "circumstance": b.get_circumstance_display(), "sanction": b.sanction,
            "conditions": b.conditions, "fine_min": money(b.fine_min), "fine_max": money(b.fine_max)}


def _notice_rights(case: Case, rules: RuleBook, parties: list[Party]) -> dict:
    """事先告知 (arts. 44, 45, 63, 64): statement and defence, and a hearing where the law gives one."""
    statement_days = rules.value("statement")
    hearing_days = rules.value("hearing_request")
    has_hearing = hearing_right(case, rules, parties)
    items = [f"你（单位）有权进行陈述和申辩。如需陈述和申辩，请于收到本告知书之日起{count(statement_days)}个工作日内"
             "向本机关提出；逾期未提出的，视为放弃此权利。本机关不因你（单位）陈述、申辩而给予更重的处罚。"]
    if has_hearing:
        items.append(f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证。"
                     f"如要求听证，请于收到本告知书之日起{count(hearing_days)}个工作日内向本机关提出；"
                     "逾期未提出的，视为放弃此权利。")
    return {"statement_days": statement_days, "hearing": has_hearing, "hearing_days": hearing_days, "items": items}


def _decision_rights(rules: RuleBook, fine: Decimal | None) -> dict:
    """What a decision must tell the party (art. 59 (4), (5); arts. 67, 72)."""
    payment_days = rules.value("payment")
    payment = ""
    if fine:
        payment = (f"请于收到本决定书之日起{count(payment_days)}日内，到指定的银行或者通过电子支付系统缴纳罚款。"
                   "到期不缴纳罚款的，依据《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，"
                   "每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。")
    remedy = (f"如不服本决定，可以在收到本决定书之日起{count(REVIEW_DAYS)}日内依法申请行政复议，"
              f"或者在{count(LITIGATION_MONTHS)}个月内依法向人民法院提起行政诉讼。"
              "行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外。")
    return {"payment_days": payment_days, "payment": payment, "review_days": REVIEW_DAYS,
            "litigation_months": LITIGATION_MONTHS, "remedy": remedy}


def _hearing(case: Case) -> dict:
    return {"requested_on": date_numeric(case.hearing_requested_on), "notified_on": date_numeric(case.hearing_notified_on),
            "date": case.hearing_date.isoformat() if case.hearing_date else "",
            "date_text": date_numeric(case.hearing_date), "concluded_on": date_numeric(case.hearing_concluded_on),
            "place": case.hearing_place or case.agency.address, "host": case.hearing_host,
            "rights": ["当事人认为主持人与本案有直接利害关系的，有权申请回避。",
                       "当事人可以亲自参加听证，也可以委托一至二人代理。",
                       "当事人及其代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。"]}


def _served_document(case: Case) -> dict:
    decision = case.documents.filter(kind=DocumentKind.DECISION).order_by("-id").first()
    if decision is None:
        return {"title": "", "number": ""}
    return {"title": document_title(decision.kind, case.procedure), "number": decision.number}


def _service(case: Case) -> dict:
    return {"method": case.get_service_method_display(), "served_on": date_numeric(case.served_on),
            "electronic_consent": case.electronic_consent, "document": _served_document(case)}


def _closing(case: Case) -> dict:
    return {"decided_on": date_numeric(case.decided_on), "executed_on": date_numeric(case.executed_on),
            "execution_note": case.execution_note, "closed_on": date_numeric(case.closed_on),
            "ending_reason": case.ending_reason, "notice_served_on": date_numeric(case.notice_served_on),
            "statement_waived": case.statement_waived, "collective_minutes": case.collective_minutes,
            "legal_review_passed": case.legal_review_passed}


def build_context(case: Case, kind: str, number: str, today: dt.date, extra: dict | None = None) -> dict:
    """Everything the document of ``kind`` states for ``case`` on ``today``; ``extra`` adds the
    sections a document of another app states (the 法制审核意见书's ``review``)."""
    from sanxiang.cases.schedule import rulebook  # schedule imports lifecycle; keep import time light

    agency, rules = case.agency, rulebook(case.agency_id)
    parties = list(case.parties.all())
    party_data = [_party(p) for p in parties]
    return {
        "kind": kind, "title": document_title(kind, case.procedure), "number": number,
        "reference": number or case.case_number,
        "date": today.isoformat(), "date_text": date_numeric(today), "date_cn": date_chinese(today),
        "agency": {"name": agency.name, "short_name": agency.short_name, "address": agency.address,
                   "phone": agency.phone, "uscc": agency.uscc},
        "case": _case(case),
        "parties": party_data, "party": party_data[0] if party_data else {},
        "party_names": "、".join(p["name"] for p in party_data),
        "officers": _officers(case),
        "proposal": _measure(case.proposed_type, case.proposed_penalties, case.proposed_fine,
                             case.proposed_confiscation, case.proposal_text, list(case.proposed_basis.select_related("law")),
                             case.get_proposed_type_display()),
        "decision": _measure(case.decision_type, case.decision_penalties, case.decision_fine,
                             case.decision_confiscation, case.decision_text, list(case.decision_basis.select_related("law")),
                             case.get_decision_type_display()),
        "benchmark": _benchmark(case),
        "notice_rights": _notice_rights(case, rules, parties),
        "decision_rights": _decision_rights(rules, case.decision_fine),
        "hearing": _hearing(case), "service": _service(case), "closing": _closing(case),
        **(extra or {}),
    }
