"""Fill the portal's registry read models (事前公开) from the registries and the service guides.

Each ``sync_*`` function copies the publishable columns of its source rows into a ``Public*``
table: given ids it refreshes those rows (and removes the copies of rows that no longer exist),
without ids it rebuilds the whole table. :func:`sync_all` rebuilds everything (management command
``sync_portal``). :func:`connect` makes every save or delete of a source row refresh its copy in the
same transaction (signals, so Excel imports, pages, the API and commands all keep it current), and
:func:`sync_saved` is the hook for bulk inserts that send no signals.

Only the columns named here are ever copied: an officer's account, a benchmark's internal notes,
an agency's USCC or the guide's editor never reach the portal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone

from sanxiang.accounts.choices import AgencyKind, EnforcementKind
from sanxiang.accounts.models import Agency
from sanxiang.disclosure.models import (
    PublicAgency,
    PublicBenchmark,
    PublicInspectionItem,
    PublicItem,
    PublicOfficer,
    PublicServiceGuide,
    ServiceGuide,
)
from sanxiang.registry.choices import Circumstance
from sanxiang.registry.models import DiscretionBenchmark, EnforcementItem, Officer, RandomInspectionItem

Ids = Iterable[int] | None
_KINDS = dict(EnforcementKind.choices)
_AGENCY_KINDS = dict(AgencyKind.choices)
_CIRCUMSTANCES = dict(Circumstance.choices)
_GUIDE_FIELDS = ("name", "basis", "accepting_office", "approving_office", "conditions", "materials", "process",
                 "time_limit", "fees", "supervision", "accountability", "remedies", "hours", "address", "phone")


def _upsert(public: type[models.Model], key: str, source: models.QuerySet, ids: Ids,
            to_fields: Callable[[Any], dict[str, object]]) -> int:
    """Write the copy of every row of ``source`` (narrowed to ``ids``) into ``public`` under
    ``key``; drop copies whose source row is gone (or, for ``ids``, no longer qualifies).
    A handful of queries whatever the number of rows (imports sync thousands at once)."""
    wanted = None if ids is None else list(ids)
    rows = source if wanted is None else source.filter(pk__in=wanted)
    values = {row.pk: to_fields(row) for row in rows}
    stale = public.objects.exclude(**{f"{key}__in": list(values)})
    if wanted is not None:
        stale = stale.filter(**{f"{key}__in": wanted})
    stale.delete()
    existing = dict(public.objects.filter(**{f"{key}__in": list(values)}).values_list(key, "pk"))
    now = timezone.now()
    public.objects.bulk_create([public(**{key: pk}, **v) for pk, v in values.items() if pk not in existing],
                               batch_size=500)
    changed = [public(pk=existing[pk], **{key: pk}, **v, updated_at=now) for pk, v in values.items() if pk in existing]
    if changed:
        fields = [*next(iter(values.values())), "updated_at"]
        public.objects.bulk_update(changed, fields, batch_size=500)
    return len(values)


# ----------------------------------------------------------------------------------- per model


def _agency_fields(agency: Agency) -> dict[str, object]:
    return {
        "name": agency.name, "kind": str(_AGENCY_KINDS.get(agency.kind, "")), "legal_basis": agency.legal_basis,
        "jurisdiction_name": agency.jurisdiction.name, "jurisdiction_path": agency.jurisdiction.path,
        "address": agency.address, "phone": agency.phone,
        "enforcement_kinds": [str(_KINDS.get(k, k)) for k in agency.enforcement_kinds],
    }


def sync_agencies(ids: Ids = None) -> int:
    """执法主体 (the 司法局 that only supervises is not an enforcement body and is left out)."""
    source = Agency.objects.exclude(kind=AgencyKind.JUDICIAL_BUREAU).select_related("jurisdiction")
    count = _upsert(PublicAgency, "agency_id_public", source, ids, _agency_fields)
    _rename_agencies(ids)
    return count


def _rename_agencies(ids: Ids) -> None:
    """Keep the agency name the other registry copies show in step with the agency."""
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=list(ids))
    for agency_id, name in agencies.values_list("pk", "name"):
        for public in (PublicOfficer, PublicItem, PublicInspectionItem, PublicBenchmark, PublicServiceGuide):
            public.objects.filter(agency_id_public=agency_id).exclude(agency_name=name).update(agency_name=name)


def _officer_fields(officer: Officer) -> dict[str, object]:
    return {
        "name": officer.name, "agency_id_public": officer.agency_id, "agency_name": officer.agency.name,
        "position": officer.position, "certificate_number": officer.certificate_number,
        "categories": list(officer.categories), "issued_on": officer.issued_on, "expires_on": officer.expires_on,
        "status": officer.status,
    }


def sync_officers(ids: Ids = None) -> int:
    """人员清单: name, agency, position, certificate number, categories, validity and status (as
    recorded: ``valid``/``suspended``/``revoked``; expiry is read from ``expires_on``)."""
    return _upsert(PublicOfficer, "officer_id", Officer.objects.select_related("agency"), ids, _officer_fields)


def _item_basis(item: EnforcementItem) -> str:
    articles = [f"《{a.law.title}》{a.label}" for a in item.legal_basis.all()]
    return "\n".join([*articles, item.basis_text] if item.basis_text else articles)


def _item_fields(item: EnforcementItem) -> dict[str, object]:
    return {
        "agency_id_public": item.agency_id, "agency_name": item.agency.name, "code": item.code, "name": item.name,
        "kind": item.kind, "kind_label": str(_KINDS.get(item.kind, item.kind)), "basis": _item_basis(item),
        "description": item.description,
    }


def sync_items(ids: Ids = None) -> int:
    """行政执法事项 with their legal basis."""
    source = EnforcementItem.objects.select_related("agency").prefetch_related("legal_basis__law")
    return _upsert(PublicItem, "item_id", source, ids, _item_fields)


def _inspection_item_fields(item: RandomInspectionItem) -> dict[str, object]:
    return {
        "agency_id_public": item.agency_id, "agency_name": item.agency.name, "name": item.name,
        "basis": item.basis, "target_type": item.target_type, "content": item.content, "method": item.method,
        "ratio": item.ratio, "frequency": item.frequency,
    }


def sync_inspection_items(ids: Ids = None) -> int:
    """随机抽查事项清单."""
    return _upsert(PublicInspectionItem, "item_id", RandomInspectionItem.objects.select_related("agency"), ids,
                   _inspection_item_fields)


def _benchmark_fields(benchmark: DiscretionBenchmark) -> dict[str, object]:
    return {
        "agency_id_public": benchmark.agency_id, "agency_name": benchmark.agency.name,
        "item_code": benchmark.item.code, "item_name": benchmark.item.name, "violation": benchmark.violation,
        "circumstance": str(_CIRCUMSTANCES.get(benchmark.circumstance, benchmark.circumstance)),
        "sanction": benchmark.sanction, "fine_min": benchmark.fine_min, "fine_max": benchmark.fine_max,
        "conditions": benchmark.conditions,
    }


def sync_benchmarks(ids: Ids = None) -> int:
    """行政处罚裁量基准 (行政处罚法 art. 34)."""
    return _upsert(PublicBenchmark, "benchmark_id", DiscretionBenchmark.objects.select_related("agency", "item"),
                   ids, _benchmark_fields)


def _guide_fields(guide: ServiceGuide) -> dict[str, object]:
    fields: dict[str, object] = {name: getattr(guide, name) for name in _GUIDE_FIELDS}
    return {**fields, "agency_id_public": guide.agency_id, "agency_name": guide.agency.name}


def sync_guides(ids: Ids = None) -> int:
    """服务指南 marked public; an unpublished guide's copy is removed."""
    source = ServiceGuide.objects.filter(is_public=True).select_related("agency")
    return _upsert(PublicServiceGuide, "guide_id", source, ids, _guide_fields)


def sync_all() -> dict[str, int]:
    """Rebuild every registry read model of the portal; returns the row count of each."""
    return {
        "agencies": sync_agencies(), "officers": sync_officers(), "items": sync_items(),
        "inspection_items": sync_inspection_items(), "benchmarks": sync_benchmarks(), "guides": sync_guides(),
    }


# ------------------------------------------------------------------------------------ hooks

SYNCERS: dict[type[models.Model], Callable[[Ids], int]] = {
    Agency: sync_agencies, Officer: sync_officers, EnforcementItem: sync_items,
    RandomInspectionItem: sync_inspection_items, DiscretionBenchmark: sync_benchmarks, ServiceGuide: sync_guides,
}


def sync_saved(model: type[models.Model], ids: Iterable[int]) -> None:
    """Refresh the copies of ``model``'s rows ``ids`` (no-op for models the portal does not show).
    Bulk writers that send no signals (the Excel import) call this."""
    syncer = SYNCERS.get(model)
    if syncer is None:
        return
    ids = list(ids)
    syncer(ids)
    if model is EnforcementItem:  # benchmarks show their item's code and name
        sync_benchmarks(DiscretionBenchmark.objects.filter(item_id__in=ids).values_list("pk", flat=True))


def _on_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        sync_saved(sender, [instance.pk])


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    sync_saved(sender, [instance.pk])


def _on_basis_changed(sender: type[models.Model], instance: models.Model, action: str, reverse: bool,
                      pk_set: set[int] | None, **kwargs: object) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        sync_items([instance.pk])
    elif pk_set:
        sync_items(pk_set)


def _fill_after_migrate(sender: object, app_config: object = None, using: str = "default", **kwargs: object) -> None:
    """After ``migrate`` on a database that has agencies but an empty portal (the upgrade that
    adds the portal), fill the read models once; later saves keep them current."""
    if getattr(app_config, "label", "") != "disclosure":
        return
    if not PublicAgency.objects.using(using).exists() and Agency.objects.using(using).exists():
        sync_all()


def connect() -> None:
    """Keep the read models current on every save and delete (called from the app's ready())."""
    post_migrate.connect(_fill_after_migrate, dispatch_uid="portal_sync_after_migrate")
    for model in SYNCERS:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"portal_sync_save_{model._meta.label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"portal_sync_delete_{model._meta.label}")
    m2m_changed.connect(_on_basis_changed, sender=EnforcementItem.legal_basis.through,
                        dispatch_uid="portal_sync_item_basis")
