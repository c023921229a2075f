"""Helpers shared by the server-rendered pages of every app: showing values and paginating."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from sanxiang.accounts.choices import EnforcementKind

# JSON lists of 执法类别 codes (Officer.categories, Agency.enforcement_kinds), shown as labels.
KIND_LIST_FIELDS = {"categories", "enforcement_kinds"}


@dataclass(frozen=True)
class Cell:
    """One displayed value: its text, and a badge colour class when it is a status."""

    text: str
    badge: str = ""


def plain(value: object) -> str:
    """A value as Chinese text: 是/否 for booleans, ISO dates, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def field_cell(obj: models.Model, name: str) -> Cell:
    """Field ``name`` of ``obj`` as shown on a page (choice labels, kind labels, plain text)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if field.choices:
        return Cell(str(getattr(obj, f"get_{name}_display")()))
    if name in KIND_LIST_FIELDS:
        labels = dict(EnforcementKind.choices)
        return Cell("、".join(str(labels.get(code, code)) for code in value or []) or "—")
    return Cell(plain(value))


def paginate(request: HttpRequest, queryset: models.QuerySet, per_page: int) -> dict[str, object]:
    """Context for ``_pagination.html``: ``page`` (from ``?page=``; out-of-range numbers give the
    last page), ``page_range`` with ellipses, and ``query``, the other parameters to keep."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "query": query.urlencode(),
    }
