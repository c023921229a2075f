"""The publisher's internal editor of service guides, at /portal-admin/guides/ (login; the
publisher role for changes; another agency's guide is 404, a visible guide without the role 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.accounts.access import Action, get_for_user, restrict
from sanxiang.disclosure.models import ServiceGuide
from sanxiang.disclosure.portal import services
from sanxiang.disclosure.portal.forms import GuideForm


@login_required
@require_GET
def guide_list(request: HttpRequest) -> HttpResponse:
    guides = restrict(ServiceGuide.objects.select_related("agency"), request.user)
    return render(request, "disclosure/portal/admin_guide_list.html",
                  {"guides": guides, "may_edit": services.may_edit_guides(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def guide_create(request: HttpRequest) -> HttpResponse:
    if not services.may_edit_guides(request.user):
        raise PermissionDenied("只有公示管理员可以编辑服务指南")
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    guide = get_for_user(ServiceGuide.objects.all(), request.user, Action.CHANGE, pk=pk)
    return _form_page(request, guide)


def _form_page(request: HttpRequest, guide: ServiceGuide | None) -> HttpResponse:
    form = GuideForm(request.POST or None, instance=guide, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if guide is None:
                services.create_guide(request.user, fields)
            else:
                services.update_guide(request.user, guide.pk, fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "服务指南已保存，门户同步更新。")
            return HttpResponseRedirect(reverse("portal_admin:guide_list"))
    return render(request, "disclosure/portal/admin_guide_form.html", {"form": form, "guide": guide})
