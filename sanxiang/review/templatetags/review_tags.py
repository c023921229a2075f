"""The 法制审核 section of the case page: ``{% case_review case user %}``."""

from django import template

from sanxiang.accounts.access import acting_roles
from sanxiang.accounts.models import User
from sanxiang.cases.lifecycle import HANDLERS
from sanxiang.cases.models import Case
from sanxiang.ledger.services import history
from sanxiang.review import services
from sanxiang.review.choices import OPEN

register = template.Library()


def _determination(case: Case) -> dict | None:
    """The latest catalog determination recorded in the ledger (``case.major_determined``)."""
    entry = history(case).filter(event_type="case.major_determined").order_by("-index").first()
    if entry is None:
        return None
    summary = str(entry.detail.get("summary", "")).removeprefix("重大执法决定目录判断：")
    return {"summary": summary, "at": entry.recorded_at,
            "rules": (entry.detail.get("changes") or {}).get("rules") or []}


@register.inclusion_tag("review/_case_section.html")
def case_review(case: Case, user: User) -> dict[str, object]:
    from sanxiang.review.views import _rule_labels

    reviews = list(case.legal_reviews.select_related("reviewer").order_by("-version")[:1])
    latest = reviews[0] if reviews else None
    determination = _determination(case)
    may_submit = (bool(acting_roles(user, case) & HANDLERS) and case.state in services.SUBMITTABLE_FROM
                  and not (latest and latest.status in OPEN))
    return {
        "case": case, "latest": latest, "determination": determination,
        "rules": _rule_labels(case.agency_id, determination["rules"] if determination else
                              (latest.major_rules if latest else [])),
        "passed": case.legal_review_passed, "may_submit": may_submit,
        "relevant": case.is_major or latest is not None or determination is not None,
    }
