"""The evidence section of the case page: ``{% case_evidence case user %}``."""

from django import template
from django.db.models import Q

from sanxiang.accounts.access import Action, restrict
from sanxiang.accounts.models import User
from sanxiang.cases.models import Case
from sanxiang.evidence import services
from sanxiang.evidence.models import Evidence
from sanxiang.ledger.models import Entry

register = template.Library()


@register.inclusion_tag("evidence/_case_section.html")
def case_evidence(case: Case, user: User) -> dict[str, object]:
    rows = list(restrict(Evidence.objects.filter(case=case).select_related("recorder"), user, Action.VIEW))
    try:
        services.check_may_upload(user, case)
        may_upload = True
    except Exception:  # noqa: BLE001 - any refusal simply hides the button
        may_upload = False
    views = []
    if user.has_role("supervisor") and rows:
        ids = [str(e.pk) for e in rows]
        views = list(Entry.objects.filter(Q(event_type="evidence.viewed") | Q(event_type="evidence.downloaded"),
                                          object_type="evidence.evidence", object_id__in=ids)
                     .select_related("actor").order_by("-index")[:50])
    from sanxiang.evidence.recording import requirement

    level = requirement(case.agency_id, case.state) if case.state in services.UPLOAD_STATES else "none"
    recorded = any(e.step == case.state and e.media_kind in ("audio", "video") for e in rows)
    waivers = list(case.recording_waivers.select_related("approved_by"))
    missing = level != "none" and not recorded and not any(w.step == case.state for w in waivers)
    may_waive = missing and bool(user.role_codes & {"unit_head", "agency_head"}) and may_upload
    return {"case": case, "rows": rows, "may_upload": may_upload, "views": views, "missing": missing,
            "may_waive": may_waive, "waivers": waivers, "level_label": {"av": "音像记录", "full": "全过程录像"}.get(level)}
