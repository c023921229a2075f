"""Pages of the registries, generic over the table in :mod:`sanxiang.registry.registries`.

Every query goes through the access layer: lists are ``restrict``-ed, single objects are fetched
with ``get_for_user`` (another agency's row is 404, a visible row the user may not change is 403),
and every write goes through :mod:`sanxiang.registry.services`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sanxiang.accounts.access import Action, can, get_for_user, restrict, visible_agencies
from sanxiang.accounts.models import Agency, User
from sanxiang.ledger.reads import record_supervisory_read
from sanxiang.pages import Cell, field_cell, paginate
from sanxiang.registry import services
from sanxiang.registry.choices import EXPIRED_LABEL, CredentialStatus
from sanxiang.registry.filters import EXPIRED, filter_queryset
from sanxiang.registry.forms import add_validation_error, form_class_for, split_cleaned_data
from sanxiang.registry.models import Article, EnforcementItem, Law, Officer
from sanxiang.registry.registries import REGISTRIES, RegistryEntry

PAGE_SIZE = 50
ARTICLES_PER_PAGE = 30

STATUS_BADGES = {
    str(CredentialStatus.VALID.label): "valid",
    str(CredentialStatus.SUSPENDED.label): "suspended",
    str(CredentialStatus.REVOKED.label): "revoked",
    EXPIRED_LABEL: "expired",
}


@dataclass(frozen=True)
class FilterSpec:
    name: str
    label: str
    choices: list[tuple[str, str]]
    selected: str


# ---------------------------------------------------------------- displaying values


def display_value(obj: models.Model, name: str) -> Cell:
    """How field ``name`` of ``obj`` is shown; an officer's status is a coloured badge."""
    if isinstance(obj, Officer) and name == "status":
        label = obj.status_label()
        return Cell(label, STATUS_BADGES.get(label, ""))
    return field_cell(obj, name)


def detail_fields(obj: models.Model) -> list[tuple[str, Cell]]:
    """(label, value) for every concrete field of ``obj`` except its id."""
    return [
        (str(field.verbose_name), display_value(obj, field.name))
        for field in obj._meta.fields
        if not field.primary_key
    ]


def column_headers(entry: RegistryEntry) -> list[str]:
    return [str(entry.model._meta.get_field(name).verbose_name) for name in entry.columns]


# ---------------------------------------------------------------- lists


def filter_specs(entry: RegistryEntry, user: User, params: Mapping[str, str]) -> list[FilterSpec]:
    """The filter selects of a list page, each with its choices and current value."""
    return [
        FilterSpec(name, str(entry.model._meta.get_field(name).verbose_name),
                   _filter_choices(entry, name, user), params.get(name, ""))
        for name in entry.filters
    ]


def _filter_choices(entry: RegistryEntry, name: str, user: User) -> list[tuple[str, str]]:
    field = entry.model._meta.get_field(name)
    if field.is_relation and field.related_model is Agency:
        return [(str(a.pk), a.name) for a in visible_agencies(user)]
    if isinstance(field, models.BooleanField):
        return [("1", "是"), ("0", "否")]
    choices = [(str(value), str(label)) for value, label in field.choices or []]
    if entry.model is Officer and name == "status":
        choices.append((EXPIRED, EXPIRED_LABEL))
    return choices


def listed_objects(entry: RegistryEntry, user: User, params: Mapping[str, str]) -> models.QuerySet:
    """The rows of ``entry`` that ``user`` may see, narrowed by the query parameters."""
    queryset = restrict(entry.model.objects.all(), user)
    relations = [n for n in entry.columns if entry.model._meta.get_field(n).is_relation]
    if relations:
        queryset = queryset.select_related(*relations)
    return filter_queryset(entry, queryset, params)


@login_required
def registry_list(request: HttpRequest, key: str) -> HttpResponse:
    entry = REGISTRIES[key]
    user = request.user
    params = {k: v for k, v in request.GET.items()}
    context = paginate(request, listed_objects(entry, user, params), PAGE_SIZE)
    context.update({
        "entry": entry,
        "headers": column_headers(entry),
        "rows": [(obj, [display_value(obj, n) for n in entry.columns]) for obj in context["page"]],
        "detail_url": f"registry:{entry.key}_detail",
        "filters": filter_specs(entry, user, params),
        "q": params.get("q", ""),
        "search_hint": "、".join(str(entry.model._meta.get_field(n).verbose_name) for n in entry.search),
        "can_add": can(user, Action.ADD, entry.model),
        "can_import": can(user, Action.IMPORT, entry.model),
        "can_export": can(user, Action.EXPORT, entry.model),
    })
    return render(request, "registry/list.html", context)


# ---------------------------------------------------------------- details


def may_change(user: User, obj: models.Model) -> bool:
    """Whether ``user`` may edit ``obj`` (decided by the access layer, used to show buttons)."""
    try:
        get_for_user(type(obj).objects.all(), user, Action.CHANGE, pk=obj.pk)
    except PermissionDenied:
        return False
    return True


@login_required
def registry_detail(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    entry = REGISTRIES[key]
    obj = get_for_user(entry.model.objects.all(), request.user, pk=pk)
    record_supervisory_read(request.user, obj)
    context: dict[str, object] = {
        "entry": entry, "obj": obj, "fields": detail_fields(obj),
        "can_edit": may_change(request.user, obj),
    }
    if isinstance(obj, Law):
        context.update(paginate(request, obj.articles.all(), ARTICLES_PER_PAGE))
    if isinstance(obj, EnforcementItem):
        context["basis"] = obj.legal_basis.select_related("law")
    return render(request, "registry/detail.html", context)


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_for_user(Article.objects.select_related("law"), request.user, pk=pk)
    citing = restrict(EnforcementItem.objects.filter(legal_basis=article), request.user)
    citing = citing.select_related("agency")
    return render(request, "registry/article_detail.html", {"article": article, "citing": citing})


# ---------------------------------------------------------------- create and edit


@login_required
@require_http_methods(["GET", "POST"])
def registry_create(request: HttpRequest, key: str) -> HttpResponse:
    entry = REGISTRIES[key]
    if not can(request.user, Action.ADD, entry.model):
        raise PermissionDenied("无权在该基础库中新增记录")
    return _form_page(request, entry, None)


@login_required
@require_http_methods(["GET", "POST"])
def registry_edit(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    entry = REGISTRIES[key]
    obj = get_for_user(entry.model.objects.all(), request.user, Action.CHANGE, pk=pk)
    return _form_page(request, entry, obj)


def _form_page(request: HttpRequest, entry: RegistryEntry, obj: models.Model | None) -> HttpResponse:
    form_class = form_class_for(entry)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=obj, user=request.user)
    if form.is_valid():
        saved = _save(request, entry, form, obj)
        if saved is not None:
            messages.success(request, f"{entry.title}“{saved}”已保存。")
            return HttpResponseRedirect(reverse(f"registry:{entry.key}_detail", args=[saved.pk]))
    return render(request, "registry/form.html", {"entry": entry, "form": form, "obj": obj})


def _save(request: HttpRequest, entry: RegistryEntry, form: forms.ModelForm,
          obj: models.Model | None) -> models.Model | None:
    """Hand the form's data to the services; on a validation error, show it on the form."""
    fields, m2m = split_cleaned_data(form)
    try:
        if obj is None:
            return services.create_object(request.user, entry.model, fields, m2m)
        return services.update_object(request.user, obj, fields, m2m)
    except ValidationError as error:
        add_validation_error(form, error)
        return None
