"""Helpers of the case pages: fetching a case for a user, what the user may do on it, and links
to pages other modules provide (which may not exist yet)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from sanxiang.accounts.access import Action, acting_roles, get_for_user
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases.choices import CaseState
from sanxiang.cases.lifecycle import HEADS
from sanxiang.cases.models import Case
from sanxiang.cases.services.editing import BEFORE_EXAMINATION_ENDS, EDITORS

S = CaseState
# The roles each kind of change needs, as the services check them (sanxiang.cases.services.editing).
ROLES_FOR = {
    "edit": EDITORS,
    "issue": EDITORS,
    "parties": EDITORS,
    "recusal_request": EDITORS,
    "recusal_decide": frozenset({Role.AGENCY_HEAD}),
}


def optional_url(name: str, *args: object, **kwargs: object) -> str:
    """The URL of ``name``, or "" when no such page is installed (pages of other modules)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def case_url(case: Case | int, anchor: str = "") -> str:
    pk = case.pk if isinstance(case, Case) else case
    return reverse("cases:detail", kwargs={"pk": pk}) + (f"#{anchor}" if anchor else "")


def visible_case(user: User, pk: int) -> Case:
    """The case for reading: 404 when ``user`` cannot see it."""
    return get_for_user(Case.objects.select_related("agency", "item", "created_by"), user, pk=pk)


def handlers_roles(case: Case) -> frozenset[str]:
    # set_handlers: any editor while a clue, the heads afterwards.
    return EDITORS if case.state == S.CLUE else HEADS


class Permissions:
    """What ``user`` may do on ``case``, from the access layer's acting roles (buttons only:
    the services check again)."""

    def __init__(self, user: User, case: Case) -> None:
        self.case = case
        self.roles = acting_roles(user, case)

    def may(self, what: str) -> bool:
        if what == "handlers":
            return bool(self.roles & handlers_roles(self.case)) and self.case.state in BEFORE_EXAMINATION_ENDS
        if what == "parties" and self.case.state not in BEFORE_EXAMINATION_ENDS:
            return False
        return bool(self.roles & ROLES_FOR[what])

    def __getitem__(self, what: str) -> bool:  # templates: {{ perms_case.edit }}
        return self.may(what)


def case_for_change(user: User, pk: int, what: str) -> Case:
    """The case for a change page: 404 if not visible, 403 if the user may not make ``what``."""
    case = get_for_user(Case.objects.select_related("agency", "item"), user, Action.CHANGE, pk=pk)
    if not Permissions(user, case).may(what):
        raise PermissionDenied("您在本案中无权执行该操作")
    return case


def back_to_case(request: HttpRequest, case: Case, anchor: str = ""):
    return redirect(case_url(case, anchor))
