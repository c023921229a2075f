"""One filter function per registry list, shared by pages, API and exports.

Only the fields named in the registry table can be filtered (a whitelist); free text goes through
``q`` and matches the registry's search fields with ``icontains`` (works for two-character Chinese
queries such as 张三 on both SQLite and PostgreSQL).
"""

from collections.abc import Mapping

from django.db import models
from django.db.models import Q

from sanxiang.registry.registries import RegistryEntry

TRUE_VALUES = {"1", "true", "yes", "on", "是"}


def filter_queryset(entry: RegistryEntry, queryset: models.QuerySet, params: Mapping[str, str]) -> models.QuerySet:
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
