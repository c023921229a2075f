"""``{% history_panel obj %}``: the 变更记录 panel of a detail page, read from the ledger.

The page has already decided that the user may see ``obj``; the panel lists every entry about it
(newest first). Links to an entry and its receipt are shown only where the user may open them
(``accounts.access`` on Entry), e.g. not for platform events that belong to no agency.
"""

from dataclasses import dataclass

from django import template
from django.db import models

from sanxiang.accounts.access import restrict
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import history
from sanxiang.ledger.views import EntryRow

register = template.Library()
MAX_ROWS = 200  # an object's history is short; a runaway one is cut rather than slowing the page


@dataclass(frozen=True)
class HistoryItem:
    row: EntryRow
    visible: bool


def history_items(obj: models.Model, user) -> list[HistoryItem]:
    """The entries about ``obj``, newest first, each marked whether ``user`` may open it."""
    entries = list(history(obj).select_related("actor").order_by("-index")[:MAX_ROWS])
    ids = {e.pk for e in entries}
    openable = set(restrict(Entry.objects.filter(pk__in=ids), user).values_list("pk", flat=True))
    return [HistoryItem(EntryRow.of(e), e.pk in openable) for e in entries]


@register.inclusion_tag("ledger/_history.html", takes_context=True)
def history_panel(context: template.Context, obj: models.Model) -> dict[str, object]:
    return {"history": history_items(obj, context["request"].user)}
