"""The home page: a greeting, the user's overdue and soon-due cases, and the cards relevant to the
roles the user holds."""

import math
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.access import Action, can, restrict, visible_agencies
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases.context import due_panel
from sanxiang.disclosure.services import flags as publication_flags
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import Officer
from sanxiang.registry.registries import REGISTRIES
from sanxiang.registry.views import STATUS_BADGES

# Seed 003: legal reviewers should in principle be at least 5 % of an agency's officers.
REVIEWER_RATIO_PERCENT = 5


@dataclass(frozen=True)
class AgencyStaffing:
    """One row of the supervisor's card: an agency of the jurisdiction and its officer figures."""

    pk: int
    name: str
    officers: int
    expired: int
    reviewers: int

    @property
    def reviewers_required(self) -> int:
        return math.ceil(self.officers * REVIEWER_RATIO_PERCENT / 100)

    @property
    def reviewer_percent(self) -> float | None:
        return 100 * self.reviewers / self.officers if self.officers else None

    @property
    def meets_reviewer_rule(self) -> bool:
        return self.reviewers >= self.reviewers_required


def jurisdiction_staffing(user: User) -> list[AgencyStaffing]:
    """Officer, expired-certificate and legal-reviewer counts for each agency ``user`` sees."""
    today = timezone.localdate()
    expired = Q(officers__status=CredentialStatus.VALID, officers__expires_on__lt=today)
    rows = visible_agencies(user).annotate(
        n_officers=Count("officers"),
        n_expired=Count("officers", filter=expired),
        n_reviewers=Count("officers", filter=Q(officers__is_legal_reviewer=True)),
    ).order_by("jurisdiction__path", "name")
    return [AgencyStaffing(a.pk, a.name, a.n_officers, a.n_expired, a.n_reviewers) for a in rows]


def own_agency_counts(user: User) -> list[dict[str, object]]:
    """For an administrator: the rows of each registry that belong to their own agency."""
    counts = []
    for entry in REGISTRIES.values():
        own = restrict(entry.model.objects.all(), user, Action.CHANGE).count()
        counts.append({"title": entry.title, "count": own, "url": reverse(f"registry:{entry.key}_list")})
    return counts


def registry_links(user: User) -> list[dict[str, str]]:
    return [{"title": e.title, "url": reverse(f"registry:{e.key}_list")}
            for e in REGISTRIES.values() if can(user, Action.VIEW, e.model)]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    officer = Officer.objects.filter(user=user).select_related("agency").first()
    context: dict[str, object] = {
        "officer": officer,
        "officer_badge": STATUS_BADGES.get(officer.status_label(), "") if officer else "",
        "registry_links": registry_links(user),
        "due_panel": due_panel(user),
        "publication_flags": publication_flags(user),
    }
    if can(user, Action.CHANGE, User):
        context["admin_counts"] = own_agency_counts(user)
        context["user_count"] = restrict(User.objects.all(), user, Action.CHANGE).count()
    if user.has_role(Role.SUPERVISOR):
        context["staffing"] = jurisdiction_staffing(user)
        context["reviewer_ratio"] = REVIEWER_RATIO_PERCENT
    return render(request, "home.html", context)
