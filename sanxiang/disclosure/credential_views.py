"""事中公示 pages: the public verification of a credential QR code, and the internal card download.

The verification page is public (no login) and reads only the published officer list; the card
pages are internal: an agency's administrator prints the cards of the agency's officers, an
officer prints their own (access through :mod:`sanxiang.accounts.access`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanxiang.accounts import access
from sanxiang.accounts.access import Action
from sanxiang.disclosure import credentials
from sanxiang.registry.models import Officer


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """扫码核验: says at once whether the certificate is valid, expired, suspended or revoked."""
    verdict = credentials.verify(token)
    response = render(request, "disclosure/credentials/verify.html", {
        "verdict": verdict, "officer": verdict.officer, "checked_on": timezone.localdate(),
    })
    # The answer is the status today: never from a cache, never indexed by search engines.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _may_print_agency(request: HttpRequest) -> bool:
    return access.can(request.user, Action.CHANGE, Officer)


@login_required
@require_GET
def card_index(request: HttpRequest) -> HttpResponse:
    """The officers whose cards the user may print: all of the agency's for its administrator,
    otherwise the user's own officer record if there is one."""
    if not access.is_active_member(request.user):
        raise PermissionDenied("无权查看执法证件卡片")
    agency_wide = _may_print_agency(request)
    if agency_wide:
        officers = access.restrict(Officer.objects.select_related("agency"), request.user, Action.CHANGE)
    else:
        officers = access.restrict(Officer.objects.select_related("agency"), request.user).filter(user=request.user)
    today = timezone.localdate()
    return render(request, "disclosure/credentials/index.html", {
        "rows": [(o, o.status_label(today), o.can_enforce(today)) for o in officers],
        "agency_wide": agency_wide,
    })


@login_required
@require_GET
def card_pdf(request: HttpRequest, officer_id: int) -> HttpResponse:
    """One officer's card: another agency's officer is 404; a visible officer whose card the user
    may not print (not the agency's administrator, not the officer themself) is 403, and so is the
    card of a certificate that is expired, suspended or revoked today (no new card for it)."""
    officer = access.get_for_user(Officer.objects.select_related("agency"), request.user, pk=officer_id)
    if officer.user_id != request.user.pk:
        officer = access.get_for_user(Officer.objects.select_related("agency"), request.user, Action.CHANGE,
                                      pk=officer_id)
    if not officer.can_enforce(timezone.localdate()):
        raise PermissionDenied("该执法证件已过期、暂扣或注销，不能制作执法证件卡片")
    pdf = credentials.render_cards_pdf([officer], _base_url(request))
    return _pdf(pdf, f"credential-{officer.certificate_number}.pdf")


@login_required
@require_GET
def agency_cards_pdf(request: HttpRequest) -> HttpResponse:
    """The cards of every officer of the administrator's agency who may enforce today, on A4 sheets."""
    if not _may_print_agency(request):
        raise PermissionDenied("只有本机关管理员可以批量打印执法证件卡片")
    officers = list(access.restrict(Officer.objects.select_related("agency"), request.user, Action.CHANGE)
                    .enforceable())
    if not officers:
        return render(request, "disclosure/credentials/index.html", {
            "rows": [], "agency_wide": True, "empty_batch": True,
        }, status=404)
    pdf = credentials.render_cards_pdf(officers, _base_url(request))
    return _pdf(pdf, f"credentials-{request.user.agency.uscc}.pdf")
