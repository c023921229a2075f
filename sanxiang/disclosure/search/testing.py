"""Published entries for tests of search and open data, written as the pipeline writes them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from sanxiang.disclosure.choices import Category, PublicationStatus
from sanxiang.disclosure.models import PublicEntry
from sanxiang.disclosure.search.segment import segment_fields

SEARCHED_FIELDS = ("title", "document_number", "agency_name", "party_name", "party_uscc",
                   "legal_representative", "facts", "basis", "content", "outcome")


def make_entry(title: str, *, facts: str = "", party_name: str = "某某有限公司", status: str = PublicationStatus.PUBLISHED,
               category: str = Category.PENALTY, agency_id: int = 1, agency_name: str = "示例市市场监督管理局",
               decided_on: dt.date = dt.date(2026, 3, 2), **fields: object) -> PublicEntry:
    """One PublicEntry with the next sequence number and its segmented search text."""
    sequence = (PublicEntry.objects.aggregate(m=Max("sequence"))["m"] or 0) + 1
    values: dict[str, object] = {
        "public_id": uuid.uuid4(), "sequence": sequence, "status": status, "category": category,
        "agency_id_public": agency_id, "agency_name": agency_name, "title": title, "party_name": party_name,
        "facts": facts, "decided_on": decided_on, "published_at": timezone.now(),
        "content": "罚款人民币5000元。", "outcome": "罚款", "fine": Decimal("5000"),
        "document_number": f"示市监处罚〔2026〕{sequence}号", **fields,
    }
    values["search_text"] = segment_fields(str(values.get(name) or "") for name in SEARCHED_FIELDS)
    return PublicEntry.objects.create(**values)
