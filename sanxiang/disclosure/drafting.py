"""From a decided case to the standard fields of a publication, and their de-identification.

The fields (``Publication.original``) are what the case holds; ``Publication.redacted`` is each
text field passed through :func:`sanxiang.disclosure.deidentify.deidentify` with the people the
case knows (its natural-person parties and the legal representatives) and its organisations, the
handling officers kept. Nothing here writes to the database.
"""

from __future__ import annotations

from typing import Any

from sanxiang.cases.choices import PenaltyKind
from sanxiang.cases.models import Case
from sanxiang.disclosure.choices import Category
from sanxiang.disclosure.deidentify import Deidentified, add, apply, deidentify
from sanxiang.disclosure.rules import rules_for

# Fields that may carry personal data and are de-identified; the others are copied as they are.
TEXT_FIELDS = ("title", "party_name", "facts", "basis", "content")
FIELD_LABELS = {
    "document_number": "文书号", "title": "标题", "party_name": "当事人", "party_uscc": "统一社会信用代码",
    "legal_representative": "法定代表人（负责人）", "facts": "违法事实", "basis": "依据", "content": "决定内容",
    "outcome": "处理结果", "fine": "罚款金额（元）", "agency_name": "执法主体", "decided_on": "决定日期",
}
PENALTY_LABELS = dict(PenaltyKind.choices)


def category_of(case: Case) -> str:
    """The publication category from the case's item kind; a case without a publishable kind is a
    行政处罚 case (the case lifecycle is the penalty procedure)."""
    kind = case.item.kind if case.item_id else ""
    return kind if kind in Category.values and kind != Category.INSPECTION_RESULT else Category.PENALTY


def _basis(case: Case) -> str:
    articles = list(case.decision_basis.select_related("law").order_by("law_id", "number"))
    if not articles and case.item_id:
        articles = list(case.item.legal_basis.select_related("law").order_by("law_id", "number"))
    return "；".join(f"《{a.law.title}》{a.label}" for a in articles)


def _content(case: Case) -> str:
    if case.decision_text.strip():
        return case.decision_text.strip()
    parts = [PENALTY_LABELS.get(p, p) for p in case.decision_penalties]
    if case.decision_fine:
        parts = [f"罚款{case.decision_fine:,.2f}元" if p == PENALTY_LABELS["fine"] else p for p in parts]
    return "、".join(parts)


def case_fields(case: Case, profile: str) -> dict[str, Any]:
    """The standard fields of ``case``'s decision (original, internal)."""
    party = case.parties.order_by("id").first()
    organisation = party is not None and not party.is_natural_person
    publish_rep = organisation and rules_for(profile).legal_representative_published
    return {
        "document_number": case.decision_number or case.case_number,
        "title": case.title,
        "party_name": party.name if party else "",
        "party_uscc": party.uscc if organisation else "",
        "legal_representative": party.legal_representative if publish_rep else "",
        "natural_person": bool(party and party.is_natural_person),
        "facts": case.facts,
        "basis": _basis(case),
        "content": _content(case),
        "outcome": "、".join(PENALTY_LABELS.get(p, p) for p in case.decision_penalties)
                   or case.get_decision_type_display(),
        "fine": str(case.decision_fine) if case.decision_fine is not None else "",
        "penalties": list(case.decision_penalties),
        "agency_name": case.agency.name,
        "decided_on": case.decided_on.isoformat() if case.decided_on else "",
    }


def known(case: Case) -> tuple[list[dict], list[dict], list[str]]:
    """(people, organisations, officers) of ``case`` for :func:`deidentify`."""
    people, organisations = [], []
    for party in case.parties.order_by("id"):
        if party.is_natural_person:
            people.append({"name": party.name, "id_number": party.id_number, "address": party.address,
                           "phone": party.phone})
        else:
            organisations.append({"name": party.name, "uscc": party.uscc})
            if party.legal_representative:
                people.append({"name": party.legal_representative})
    officers = [h.officer.name for h in case.handlers.select_related("officer")]
    return people, organisations, officers


def redact(fields: dict[str, Any], people: list[dict], organisations: list[dict],
           officers: list[str]) -> tuple[dict[str, Any], dict[str, list[dict]]]:
    """(redacted fields, replacements per field) for the original ``fields``."""
    redacted, replacements = dict(fields), {}
    for name in TEXT_FIELDS:
        result = deidentify(str(fields.get(name) or ""), people=people, organisations=organisations,
                            officers=officers)
        if name == "party_name" and fields.get("natural_person"):
            result = _pseudonymised(result)
        redacted[name] = result.text
        replacements[name] = [r.to_dict() for r in result.replacements]
    return redacted, replacements


def _pseudonymised(result: Deidentified) -> Deidentified:
    """A natural person's name field is always a pseudonym, even where recognition missed it."""
    if result.replacements or not result.original.strip():
        return result
    return add(result, 0, len(result.original), kind="name")


def result_of(original: dict[str, Any], replacements: dict[str, list[dict]], name: str) -> Deidentified:
    """The de-identification of field ``name`` as stored (for the side-by-side view and edits)."""
    return apply(str(original.get(name) or ""), replacements.get(name, []))
