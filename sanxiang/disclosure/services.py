"""The publication pipeline (事后公开): draft at once when a decision takes effect, the publisher's
check (审核) and edits of the de-identification, publication into the public read model
(:class:`PublicEntry`), withdrawal, expiry and the public's error reports (纠错).

Every change runs in one transaction with its ledger entry. The entry of a publication, change,
withdrawal or expiry is about the :class:`PublicEntry` (public data only), so its receipt can be
shown to anyone; ``PublicEntry.ledger_index``/``ledger_leaf`` point at it.

Who may act: the agency's ``publisher`` (公示管理员) checks, edits, publishes and withdraws; the
agency's ``admin`` or publisher changes the settings; supervisors read. Another agency's row is
404, a visible row the user may not change is 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from sanxiang.accounts.access import Action, get_for_user, is_active_member, restrict
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import Agency, User
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import schedule
from sanxiang.cases.deadlines import due_date
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case
from sanxiang.disclosure import drafting, rules
from sanxiang.disclosure.choices import Category, Profile, PublicationStatus, ReportStatus, WithdrawalKind
from sanxiang.disclosure.deidentify import KIND_LABELS, add, undo
from sanxiang.disclosure.models import DisclosureSettings, ErrorReport, Publication, PublicEntry
from sanxiang.ledger.models import Log
from sanxiang.ledger.services import default_log, record_change

P = PublicationStatus
DUE_SOON_WORKING_DAYS = 3  # as the case deadlines' 临期提醒 (sanxiang.cases.rules "due_soon")
DECISION_CHANGES = (WithdrawalKind.CHANGED, WithdrawalKind.REVOKED, WithdrawalKind.ILLEGAL, WithdrawalKind.VOID)
_KIND_LABELS = dict(WithdrawalKind.choices)
_CATEGORY_LABELS = dict(Category.choices)


class DisclosureError(ServiceError):
    """A publication step refused; the message is Chinese."""


# --- settings ---------------------------------------------------------------------------------

def settings_for(agency: Agency | int) -> DisclosureSettings:
    """The agency's settings; an agency that never saved any follows the national profile."""
    pk = agency.pk if isinstance(agency, Agency) else agency
    found = DisclosureSettings.objects.filter(agency_id=pk).first()
    return found or DisclosureSettings(agency_id=pk)


def may_configure(user: User) -> bool:
    return is_active_member(user) and bool(user.role_codes & {Role.ADMIN, Role.PUBLISHER})


@transaction.atomic
def update_settings(user: User, *, profile: str, auto_approve: list[str]) -> DisclosureSettings:
    """Set the user's own agency's profile and auto-approved categories (admin or publisher)."""
    if not may_configure(user):
        raise PermissionDenied("公示设置须由本机关系统管理员或公示管理员修改")
    if profile not in Profile.values:
        raise DisclosureError("请选择公示规则")
    stray = sorted(set(auto_approve) - set(Category.values))
    if stray:
        raise DisclosureError(f"没有这些公示类别：{'、'.join(stray)}")
    row, _ = DisclosureSettings.objects.select_for_update().get_or_create(agency=user.agency)
    before = {"profile": row.profile, "auto_approve": list(row.auto_approve)}
    row.profile, row.auto_approve = profile, sorted(set(auto_approve))
    row.save()
    record_change(event_type="disclosure.settings", actor=user, obj=row, agency=user.agency,
                  summary=f"修改公示设置：{row.get_profile_display()}",
                  changes={"before": before, "after": {"profile": row.profile, "auto_approve": row.auto_approve}})
    return row


# --- drafts -----------------------------------------------------------------------------------

def due_on(profile: str, category: str, decided_on: dt.date) -> dt.date:
    """The last day to publish (working days after the decision, the day itself not counted)."""
    days, _source = rules.rules_for(profile).deadline(category)
    return due_date(decided_on, days, calendar=current_calendar())


def on_decided(user: User | None, case: Case) -> Publication:
    """Hook of the case transitions ``decide``, ``decide_on_the_spot`` and ``decide_no_penalty``
    (即时推送): the decision's publication draft, in the transaction of the decision."""
    return create_draft(case, actor=user)


def create_draft(case: Case, actor: User | None = None) -> Publication:
    settings = settings_for(case.agency_id)
    category = drafting.category_of(case)
    original = drafting.case_fields(case, settings.profile)
    redacted, replacements = drafting.redact(original, *drafting.known(case))
    why_not = rules.exclusion(settings.profile, category, procedure=case.procedure,
                              penalties=list(case.decision_penalties), decision_type=case.decision_type)
    decided_on = case.decided_on or timezone.localdate()
    publication = Publication.objects.create(
        agency_id=case.agency_id, case=case, category=category, decided_on=decided_on,
        due_on=due_on(settings.profile, category, decided_on), original=original, redacted=redacted,
        replacements=replacements, status=P.NOT_PUBLISHED if why_not else P.DRAFT, not_published_reason=why_not)
    _record(publication, "disclosure.draft", actor,
            f"{'依规定不予公示' if why_not else '生成公示稿'}：{original['document_number']}",
            status=publication.status, category=category, due_on=publication.due_on.isoformat())
    if not why_not and category in settings.auto_approve:
        publish(None, publication.pk)
        publication.refresh_from_db()
    return publication


def publish_inspection_result(agency: Agency, *, source: str, decided_on: dt.date, party_name: str,
                              party_uscc: str = "", title: str, content: str, outcome: str,
                              basis: str = "", document_number: str = "", people: list[dict] | None = None,
                              actor: User | None = None) -> Publication:
    """A random-inspection result (随机抽查结果) to publish within 20 working days (国发〔2019〕5号).

    ``source`` identifies the task and target (e.g. ``inspection_task:12:target:7``); a second call
    with the same ``source`` returns the existing row. ``people``: natural persons the text may
    name (de-identified like a case's parties). Must run inside the caller's transaction or opens one.
    """
    with transaction.atomic():
        existing = Publication.objects.filter(agency=agency, source=source).first()
        if existing:
            return existing
        settings = settings_for(agency)
        original = {"document_number": document_number, "title": title, "party_name": party_name,
                    "party_uscc": party_uscc, "legal_representative": "", "natural_person": not party_uscc,
                    "facts": "", "basis": basis, "content": content, "outcome": outcome, "fine": "",
                    "penalties": [], "agency_name": agency.name, "decided_on": decided_on.isoformat()}
        organisations = [{"name": party_name, "uscc": party_uscc}] if party_uscc else []
        redacted, replacements = drafting.redact(original, people or [], organisations, [])
        category = Category.INSPECTION_RESULT
        publication = Publication.objects.create(
            agency=agency, source=source[:40], category=category, decided_on=decided_on,
            due_on=due_on(settings.profile, category, decided_on), original=original, redacted=redacted,
            replacements=replacements)
        _record(publication, "disclosure.draft", actor, f"生成随机抽查结果公示稿：{title}",
                status=publication.status, category=category, due_on=publication.due_on.isoformat())
        if category in settings.auto_approve:
            publish(None, publication.pk)
            publication.refresh_from_db()
        return publication


# --- the publisher's edits ----------------------------------------------------------------------

def _lock(user: User, pk: int) -> Publication:
    """The publication, locked: 404 if ``user`` cannot see it, 403 unless they are its agency's
    publisher."""
    publication = get_for_user(Publication.objects.select_for_update(of=("self",)), user, Action.VIEW, pk=pk)
    if not (user.has_role(Role.PUBLISHER) and publication.agency_id == user.agency_id):
        raise PermissionDenied("须由本机关公示管理员办理")
    return publication


def _editable(publication: Publication, field: str) -> None:
    if publication.status != P.DRAFT:
        raise DisclosureError(f"只有待审核的公示稿可以修改（当前：{publication.get_status_display()}）")
    if field not in drafting.TEXT_FIELDS:
        raise DisclosureError("该字段不做去标识化处理")


def _store(publication: Publication, field: str, result: Any) -> None:
    publication.redacted = {**publication.redacted, field: result.text}
    publication.replacements = {**publication.replacements, field: [r.to_dict() for r in result.replacements]}
    publication.save(update_fields=["redacted", "replacements"])


@transaction.atomic
def add_replacement(user: User, pk: int, field: str, text: str, kind: str = "name") -> Publication:
    """Replace every occurrence of ``text`` in ``field`` (a span the publisher selected)."""
    publication = _lock(user, pk)
    _editable(publication, field)
    if kind not in KIND_LABELS:
        raise DisclosureError("请选择替换类型")
    result = drafting.result_of(publication.original, publication.replacements, field)
    text = (text or "").strip()
    starts = _occurrences(result.original, text)
    if not starts:
        raise DisclosureError(f"原文中没有“{text}”" if text else "请填写要隐去的文字")
    for start in starts:
        result = add(result, start, start + len(text), kind=kind)
    _store(publication, field, result)
    _record(publication, "disclosure.redaction_added", user, f"增加去标识化替换：{drafting.FIELD_LABELS[field]}",
            field=field, kind=kind, count=len(starts))
    return publication


def _occurrences(original: str, text: str) -> list[int]:
    found, start = [], original.find(text) if text else -1
    while start >= 0:
        found.append(start)
        start = original.find(text, start + len(text))
    return found


@transaction.atomic
def undo_replacement(user: User, pk: int, field: str, start: int, end: int) -> Publication:
    """Publish the span ``[start, end)`` of ``field`` as written (the publisher judged it public)."""
    publication = _lock(user, pk)
    _editable(publication, field)
    result = drafting.result_of(publication.original, publication.replacements, field)
    target = next((r for r in result.replacements if (r.start, r.end) == (start, end)), None)
    if target is None:
        raise DisclosureError("没有这一替换项（可能已被撤销）")
    _store(publication, field, undo(result, target))
    _record(publication, "disclosure.redaction_undone", user, f"撤销去标识化替换：{drafting.FIELD_LABELS[field]}",
            field=field, kind=target.kind, start=start, end=end)
    return publication


# --- publication ------------------------------------------------------------------------------

def search_text(entry: PublicEntry) -> str:
    """The jieba-segmented text of ``entry``'s public fields (``PublicEntry.search_text``), the
    same segmentation the search applies to queries."""
    from sanxiang.disclosure.search.segment import segment_fields

    return segment_fields([entry.title, entry.party_name, entry.party_uscc, entry.legal_representative,
                           entry.agency_name, entry.document_number, entry.facts, entry.basis, entry.content,
                           entry.outcome])


def _next_sequence() -> int:
    """The next change number of the feed. Taken under the ledger head's row lock, which every
    publication step takes anyway to write its entry, so concurrent steps queue and none repeats."""
    Log.objects.select_for_update().filter(pk=default_log().pk).exists()
    return (PublicEntry.objects.aggregate(n=Max("sequence"))["n"] or 0) + 1


def _fine(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _expires_on(publication: Publication, published_on: dt.date) -> dt.date:
    profile = settings_for(publication.agency_id).profile
    fields = publication.original
    short = rules.is_short_period(profile, penalties=list(fields.get("penalties") or []),
                                  fine=_fine(fields.get("fine")), natural_person=bool(fields.get("natural_person")))
    return rules.period_end(profile, published_on, short=short)


def _entry_values(publication: Publication) -> dict[str, Any]:
    shown = publication.redacted
    return {
        "category": publication.category, "agency_id_public": publication.agency_id,
        "agency_name": str(shown.get("agency_name") or publication.agency.name)[:200],
        "document_number": str(shown.get("document_number") or "")[:100],
        "title": str(shown.get("title") or _CATEGORY_LABELS[publication.category])[:300],
        "party_name": str(shown.get("party_name") or "")[:200],
        "party_uscc": str(shown.get("party_uscc") or "")[:18],
        "legal_representative": str(shown.get("legal_representative") or "")[:50],
        "facts": shown.get("facts") or "", "basis": shown.get("basis") or "", "content": shown.get("content") or "",
        "outcome": str(shown.get("outcome") or "")[:100], "fine": _fine(shown.get("fine")),
        "decided_on": publication.decided_on,
    }


@transaction.atomic
def publish(user: User | None, pk: int) -> Publication:
    """审核通过并公示: the draft's redacted fields become the public entry (new or updated), with
    the next change number and its ledger entry. ``user`` None: auto-approval (the agency's
    settings), checked here."""
    if user is None:
        publication = Publication.objects.select_for_update().select_related("agency").get(pk=pk)
        if publication.category not in settings_for(publication.agency_id).auto_approve:
            raise PermissionDenied("该类别未设置自动公示，须经公示管理员审核")
    else:
        publication = _lock(user, pk)
    if publication.status != P.DRAFT:
        raise DisclosureError(f"只有待审核的公示稿可以公示（当前：{publication.get_status_display()}）")
    now = timezone.now()
    publication.status, publication.approved_by, publication.published_at = P.PUBLISHED, user, now
    publication.expires_on = _expires_on(publication, timezone.localdate())
    publication.save(update_fields=["status", "approved_by", "published_at", "expires_on"])
    values = {**_entry_values(publication), "status": P.PUBLISHED, "published_at": now,
              "expires_on": publication.expires_on, "withdrawn_at": None, "withdrawal_notice": ""}
    entry = _write_entry(publication, values, "disclosure.publish", user,
                         f"公示{_CATEGORY_LABELS[publication.category]}信息：{values['title']}")
    _record(publication, "disclosure.approved", user, f"审核通过：{values['title']}", auto=user is None,
            sequence=entry.sequence)
    return publication


def _write_entry(publication: Publication, values: dict[str, Any], event: str, user: User | None,
                 summary: str) -> PublicEntry:
    """Create or update the public entry with the next sequence, then its (public) ledger entry."""
    values = {**values, "sequence": _next_sequence()}
    entry = PublicEntry.objects.filter(public_id=publication.public_id).first()
    if entry is None:
        entry = PublicEntry(public_id=publication.public_id, **values)
    else:
        for name, value in values.items():
            setattr(entry, name, value)
    entry.search_text = search_text(entry)
    entry.save()
    ledger = record_change(event_type=event, actor=user, obj=entry, agency=publication.agency, summary=summary,
                           changes={"public_id": str(entry.public_id), "sequence": entry.sequence,
                                    "status": entry.status, "category": entry.category,
                                    "document_number": entry.document_number})
    entry.ledger_index, entry.ledger_leaf = ledger.index, bytes(ledger.leaf_hash).hex()
    entry.save(update_fields=["ledger_index", "ledger_leaf", "updated_at"])
    return entry


# --- withdrawal and expiry --------------------------------------------------------------------

def _withdraw(publication: Publication, kind: str, reason: str, user: User | None) -> None:
    now = timezone.now()
    was_public = publication.status == P.PUBLISHED
    publication.status, publication.withdrawn_at = P.WITHDRAWN, now
    publication.withdrawal_kind, publication.withdrawal_reason = kind, reason[:500]
    publication.save(update_fields=["status", "withdrawn_at", "withdrawal_kind", "withdrawal_reason"])
    if was_public:
        notice = f"{_KIND_LABELS[kind]}，已撤下：{reason}"[:500]
        entry = PublicEntry.objects.get(public_id=publication.public_id)
        values = {"status": P.WITHDRAWN, "withdrawn_at": now, "withdrawal_notice": notice}
        _write_entry(publication, {**_current(entry), **values}, "disclosure.withdraw", user,
                     f"撤下公示信息（{_KIND_LABELS[kind]}）：{entry.title}")
    _record(publication, "disclosure.withdrawn", user, f"撤下（{_KIND_LABELS[kind]}）", kind=kind,
            was_public=was_public)


def _current(entry: PublicEntry) -> dict[str, Any]:
    names = [f.name for f in PublicEntry._meta.concrete_fields
             if f.name not in {"id", "public_id", "sequence", "updated_at", "ledger_index", "ledger_leaf"}]
    return {name: getattr(entry, name) for name in names}


@transaction.atomic
def withdraw(user: User, pk: int, reason: str, kind: str = WithdrawalKind.ERROR) -> Publication:
    """The publisher withdraws a published entry (公示内容有误, or a change of the decision the
    case page did not record); the notice with the reason stays at its address."""
    publication = _lock(user, pk)
    reason = (reason or "").strip()
    if not reason:
        raise DisclosureError("须填写撤下理由")
    if kind not in WithdrawalKind.values:
        raise DisclosureError("请选择撤下原因")
    if publication.status != P.PUBLISHED:
        raise DisclosureError(f"只有已公示的信息可以撤下（当前：{publication.get_status_display()}）")
    _withdraw(publication, kind, reason, user)
    return publication


def validate_decision_change(kind: object, reason: object) -> None:
    """Checked by the case transition ``record_decision_change`` before anything changes."""
    if kind not in [k.value for k in DECISION_CHANGES]:
        raise DisclosureError("请选择决定变化的情形：" + "、".join(_KIND_LABELS[k] for k in DECISION_CHANGES))
    if not str(reason or "").strip():
        raise DisclosureError("须填写理由")


def on_decision_changed(user: User, case: Case, kind: str, reason: str, on: dt.date | None = None) -> int:
    """Hook of the case transition ``record_decision_change`` (行政处罚法第四十八条第二款): every
    published entry of the case's decision is withdrawn at once, with the reason; a draft not yet
    published is withdrawn too. Returns how many were withdrawn."""
    validate_decision_change(kind, reason)
    rows = Publication.objects.select_for_update().filter(case=case, status__in=[P.PUBLISHED, P.DRAFT])
    text = f"{str(reason).strip()}（{on.isoformat()}）" if on else str(reason).strip()
    count = 0
    for publication in rows.select_related("agency"):
        _withdraw(publication, kind, text, user)
        count += 1
    return count


def expire_publications(today: dt.date | None = None, only: list[int] | None = None) -> int:
    """Move every published entry whose period ended before ``today`` to 公示期满 (off the portal's
    lists, kept in the archive), each with its ledger entry. Idempotent; returns how many moved.
    ``only``: these publications alone (the demo runs one entry's period out)."""
    today = today or timezone.localdate()
    moved = 0
    due = Publication.objects.filter(status=P.PUBLISHED, expires_on__lt=today)
    if only is not None:
        due = due.filter(pk__in=only)
    for pk in due.values_list("pk", flat=True):
        moved += _expire_one(pk, today)
    return moved


@transaction.atomic
def _expire_one(pk: int, today: dt.date) -> int:
    publication = Publication.objects.select_for_update().select_related("agency").get(pk=pk)
    if publication.status != P.PUBLISHED or not publication.expires_on or publication.expires_on >= today:
        return 0  # another run took it meanwhile
    publication.status = P.EXPIRED
    publication.save(update_fields=["status"])
    entry = PublicEntry.objects.get(public_id=publication.public_id)
    _write_entry(publication, {**_current(entry), "status": P.EXPIRED}, "disclosure.expire", None,
                 f"公示期满：{entry.title}")
    _record(publication, "disclosure.expired", None, f"公示期满：{entry.title}",
            expires_on=publication.expires_on.isoformat())
    return 1


# --- error reports (纠错) -----------------------------------------------------------------------

@transaction.atomic
def report_error(public_id: object, text: str, contact: str = "") -> ErrorReport:
    """A member of the public reports an error on a published entry (no login). Raises
    DisclosureError for an unknown or unpublished entry or an empty text."""
    text, contact = (text or "").strip(), (contact or "").strip()
    if not text:
        raise DisclosureError("请填写需要纠正的内容")
    if len(text) > 2000 or len(contact) > 100:
        raise DisclosureError("内容过长：反映的问题不超过2000字，联系方式不超过100字")
    try:
        publication = Publication.objects.select_related("agency").get(public_id=public_id, status=P.PUBLISHED)
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise DisclosureError("没有找到这条公示信息，或该信息已不在公示期内") from None
    report = ErrorReport.objects.create(publication=publication, text=text, contact=contact)
    record_change(event_type="disclosure.error_report", actor=None, obj=report, agency=publication.agency,
                  summary="公众提交纠错", changes={"public_id": str(publication.public_id)})
    return report


@transaction.atomic
def answer_report(user: User, pk: int, answer: str) -> ErrorReport:
    """The agency's publisher answers an error report (once)."""
    report = get_for_user(ErrorReport.objects.select_for_update(of=("self",)).select_related("publication"),
                          user, Action.VIEW, pk=pk)
    if not (user.has_role(Role.PUBLISHER) and report.publication.agency_id == user.agency_id):
        raise PermissionDenied("须由本机关公示管理员答复")
    answer = (answer or "").strip()
    if not answer:
        raise DisclosureError("须填写答复内容")
    if report.status != ReportStatus.OPEN:
        raise DisclosureError("该纠错已答复")
    report.status, report.answer, report.answered_by = ReportStatus.ANSWERED, answer[:2000], user
    report.answered_at = timezone.now()
    report.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    record_change(event_type="disclosure.error_answered", actor=user, obj=report, agency=user.agency,
                  summary="答复纠错", changes={"public_id": str(report.publication.public_id)})
    return report


# --- flags ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Flags:
    due_soon: int
    overdue: int
    open_reports: int
    read_only: bool

    @property
    def any(self) -> bool:
        return bool(self.due_soon or self.overdue or self.open_reports)


def due_status(due: dt.date, today: dt.date | None = None) -> str:
    """"overdue", "due_soon" (within 3 working days) or "" for a draft due on ``due``."""
    flag = schedule.due_status(due, today or timezone.localdate(), current_calendar(), DUE_SOON_WORKING_DAYS)
    return "" if flag == "ok" else flag


def visible_publications(user: User) -> QuerySet[Publication]:
    return restrict(Publication.objects.select_related("agency"), user)


def flags(user: User, today: dt.date | None = None) -> Flags | None:
    """Due-soon and overdue drafts (and open error reports) for a publisher (own agency) or a
    supervisor (the jurisdiction, read-only); None for anyone else."""
    if not (is_active_member(user) and user.role_codes & {Role.PUBLISHER, Role.SUPERVISOR}):
        return None
    today = today or timezone.localdate()
    dues = [due_status(d, today) for d in visible_publications(user).filter(status=P.DRAFT)
            .values_list("due_on", flat=True)]
    reports = restrict(ErrorReport.objects.filter(status=ReportStatus.OPEN), user).count()
    return Flags(dues.count("due_soon"), dues.count("overdue"), reports, not user.has_role(Role.PUBLISHER))


# --- ledger -----------------------------------------------------------------------------------

def _record(publication: Publication, event: str, user: User | None, summary: str, **changes: object) -> None:
    record_change(event_type=event, actor=user, obj=publication, agency=publication.agency, summary=summary,
                  changes={"publication": publication.pk, **changes})
