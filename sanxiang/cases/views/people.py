"""Parties, handling officers and 回避 applications of a case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.services import ServiceError
from sanxiang.cases import services
from sanxiang.cases.choices import PartyKind, RecusalStatus
from sanxiang.cases.forms import HandlersForm, PartyForm, RecusalDecisionForm, RecusalRequestForm
from sanxiang.cases.models import Case, Party, Recusal
from sanxiang.cases.views.common import case_for_change, case_url
from sanxiang.cases.views.editing import show_error

ERRORS = (ServiceError, ValidationError)


def _form_page(request: HttpRequest, case: Case, form, title: str, intro: str = "") -> HttpResponse:
    return render(request, "cases/form.html", {"case": case, "form": form, "title": title, "intro": intro})


def _party(case: Case, party_pk: int) -> Party:
    return get_object_or_404(Party, pk=party_pk, case=case)


@login_required
@require_http_methods(["GET", "POST"])
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_change(request.user, pk, "parties")
    data = request.POST if request.method == "POST" else None
    form = PartyForm(data, initial={"kind": PartyKind.NATURAL_PERSON})
    if data is not None and form.is_valid():
        try:
            party = services.add_party(request.user, case.pk, form.party_data())
        except ERRORS as error:
            show_error(form, error)
        else:
            messages.success(request, f"已登记当事人“{party.name}”。")
            return redirect(case_url(case, "parties"))
    return _form_page(request, case, form, "登记当事人")


@login_required
@require_http_methods(["GET", "POST"])
def party_edit(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    case = case_for_change(request.user, pk, "parties")
    party = _party(case, party_pk)
    data = request.POST if request.method == "POST" else None
    form = PartyForm(data, instance=Party.objects.get(pk=party.pk))
    if data is not None and form.is_valid():
        try:
            services.update_party(request.user, party.pk, form.party_data())
        except ERRORS as error:
            show_error(form, error)
        else:
            messages.success(request, "当事人信息已保存。")
            return redirect(case_url(case, "parties"))
    return render(request, "cases/party_form.html", {"case": case, "form": form, "party": party})


@login_required
@require_POST
def party_remove(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    case = case_for_change(request.user, pk, "parties")
    party = _party(case, party_pk)
    try:
        services.remove_party(request.user, party.pk)
    except ERRORS as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        return redirect(case_url(case, "parties"))
    messages.success(request, f"已删除当事人“{party.name}”。")
    return redirect(case_url(case, "parties"))


@login_required
@require_http_methods(["GET", "POST"])
def handlers(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_change(request.user, pk, "handlers")
    data = request.POST if request.method == "POST" else None
    form = HandlersForm(data, user=request.user, case=case)
    if data is not None and form.is_valid():
        try:
            services.set_handlers(request.user, case.pk, list(form.cleaned_data["officers"]),
                                  form.cleaned_data["lead"])
        except ERRORS as error:
            show_error(form, error)
        else:
            messages.success(request, "承办人已更新。")
            return redirect(case_url(case, "handlers"))
    return _form_page(request, case, form, "指派承办人",
                      "承办人须为本机关执法证有效的执法人员，不少于两人；与当事人有利害关系的应当回避（行政处罚法第四十二条、第四十三条）。")


@login_required
@require_http_methods(["GET", "POST"])
def recusal_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_change(request.user, pk, "recusal_request")
    data = request.POST if request.method == "POST" else None
    form = RecusalRequestForm(data, case=case)
    if data is not None and form.is_valid():
        try:
            services.request_recusal(request.user, case.pk, form.cleaned_data["officer"], form.cleaned_data["reason"])
        except ERRORS as error:
            show_error(form, error)
        else:
            messages.success(request, "已登记回避申请，待机关负责人决定。")
            return redirect(case_url(case, "handlers"))
    return _form_page(request, case, form, "登记回避申请",
                      "当事人认为承办人与案件有直接利害关系或者有其他关系可能影响公正执法的，有权申请回避；由行政机关负责人决定（行政处罚法第四十三条）。")


@login_required
@require_http_methods(["GET", "POST"])
def recusal_decide(request: HttpRequest, pk: int, recusal_pk: int) -> HttpResponse:
    case = case_for_change(request.user, pk, "recusal_decide")
    recusal = get_object_or_404(Recusal.objects.select_related("officer"), pk=recusal_pk, case=case)
    if recusal.status != RecusalStatus.PENDING:
        messages.info(request, "该回避申请已经处理。")
        return redirect(case_url(case, "handlers"))
    data = request.POST if request.method == "POST" else None
    form = RecusalDecisionForm(data)
    if data is not None and form.is_valid():
        try:
            services.decide_recusal(request.user, recusal.pk, form.cleaned_data["granted"], form.cleaned_data["note"])
        except ERRORS as error:
            show_error(form, error)
        else:
            messages.success(request, "回避申请已决定。")
            return redirect(case_url(case, "handlers"))
    return _form_page(request, case, form, "决定回避申请",
                      f"申请回避的承办人：{recusal.officer.name}。理由：{recusal.reason}")
