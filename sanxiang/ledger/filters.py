"""The filters of the entry list, shared by the page and the API."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from sanxiang.ledger.models import Entry


@dataclass(frozen=True)
class EntryFilters:
    """Event type, object type and a date range (inclusive, local days); empty means no filter."""

    event_type: str = ""
    object_type: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "EntryFilters":
        """From a query string; a malformed date is ignored rather than an error on a page."""
        return cls(params.get("event_type", ""), params.get("object_type", ""),
                   _date(params.get("since")), _date(params.get("until")))

    def apply(self, queryset: models.QuerySet[Entry]) -> models.QuerySet[Entry]:
        if self.event_type:
            queryset = queryset.filter(event_type=self.event_type)
        if self.object_type:
            queryset = queryset.filter(object_type=self.object_type)
        if self.since:
            queryset = queryset.filter(recorded_at__gte=_day_start(self.since))
        if self.until:
            queryset = queryset.filter(recorded_at__lt=_day_start(self.until + datetime.timedelta(days=1)))
        return queryset


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
