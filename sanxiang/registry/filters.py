"""One filter function per registry list, shared by pages, API and exports.

Only the fields named in the registry table can be filtered (a whitelist); free text goes through
``q`` and matches the registry's search fields with ``icontains`` (works for two-character Chinese
queries such as 张三 on both SQLite and PostgreSQL).
"""

from collections.abc import Mapping

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import Officer
from sanxiang.registry.registries import RegistryEntry

TRUE_VALUES = {"1", "true", "yes", "on", "是"}
EXPIRED = "expired"  # extra value of the officer status filter: derived from the date, never stored


def officer_status_filter(queryset: models.QuerySet, value: str) -> models.QuerySet:
    """Officers shown with status ``value``: 有效 means valid and not expired, ``expired`` valid
    but past the expiry date, so the filter agrees with the badge shown on each row."""
    today = timezone.localdate()
    if value == EXPIRED:
        return queryset.filter(status=CredentialStatus.VALID, expires_on__lt=today)
    if value == CredentialStatus.VALID:
        return queryset.filter(status=CredentialStatus.VALID, expires_on__gte=today)
    if value in CredentialStatus.values:
        return queryset.filter(status=value)
    return queryset.none()


# Filters whose meaning is more than an exact match on the stored column.
SPECIAL_FILTERS = {(Officer, "status"): officer_status_filter}


def filter_queryset(
    entry: RegistryEntry, queryset: models.QuerySet, params: Mapping[str, str]
) -> models.QuerySet:
    """Apply ``q`` and the whitelisted filters of ``entry`` found in ``params``; ignore the rest."""
    text = (params.get("q") or "").strip()
    if text:
        condition = Q()
        for name in entry.search:
            condition |= Q(**{f"{name}__icontains": text})
        queryset = queryset.filter(condition)
    for name in entry.filters:
        value = (params.get(name) or "").strip()
        if not value:
            continue
        special = SPECIAL_FILTERS.get((entry.model, name))
        if special is not None:
            queryset = special(queryset, value)
            continue
        queryset = queryset.filter(**{_lookup(entry.model, name): _coerce(entry.model, name, value)})
    return queryset


def _lookup(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return f"{name}_id" if field.is_relation else name


def _coerce(model: type[models.Model], name: str, value: str) -> object:
    field = model._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        return value.lower() in TRUE_VALUES
    if field.is_relation:
        return int(value) if value.isdigit() else -1
    return value
