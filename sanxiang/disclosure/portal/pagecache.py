"""Rendered pages of published entries, cached by the entry's change.

A published decision's page changes only when the entry does, and every change of an entry —
publication, correction, withdrawal, expiry — gives it a new ``sequence`` and ``updated_at``. So
a request reads just those two columns of its row (one indexed query, remembered for
``SANXIANG_PORTAL_FRESH_SECONDS``, default 5) and serves the body rendered for exactly that
version; a withdrawn or expired entry has a new version, so its old page is not served again (by
other processes: after at most those seconds). Nothing per visitor may go into a cached body: the
decision page has no form, no CSRF token and no messages (the 纠错 form is a page of its own).

The cache is Django's ``portal`` cache (per-process memory by default, ``MAX_ENTRIES`` from
``SANXIANG_PORTAL_CACHE_ENTRIES``; 0 turns it off). The key carries the release, so a shared
cache never serves a page rendered by an older template.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse

from sanxiang.disclosure.models import PublicEntry

ALIAS = "portal"
NOT_FOUND = "没有找到这条公示信息"

MAX_VERSIONS = 100_000
_versions: dict[uuid.UUID, tuple[float, int, str]] = {}  # public_id → (read at, sequence, updated_at)
_VERSION_SQL = f"SELECT sequence, updated_at FROM {PublicEntry._meta.db_table} WHERE public_id = %s"

try:
    RELEASE = version("sanxiang")
except PackageNotFoundError:  # running from a checkout that was not installed
    RELEASE = "dev"


def entry_version(public_id: uuid.UUID) -> tuple[int, str]:
    """(sequence, updated_at as stored) of the entry at ``public_id``; 404 when there is none.

    Read with one statement on the unique index, without the ORM's query building (which costs
    more than the query itself here), and remembered in this process for
    ``PORTAL_FRESH_SECONDS``: a PostgreSQL round trip alone costs as much as the whole framework
    does for an empty page. A change of the entry made in this process forgets it at once (the
    signal below); one made elsewhere is seen within those seconds (0: read on every request)."""
    now = time.monotonic()
    known = _versions.get(public_id)
    if known is not None and now - known[0] < settings.PORTAL_FRESH_SECONDS:
        return known[1], known[2]
    field = PublicEntry._meta.get_field("public_id")
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [field.get_db_prep_value(public_id, connection)])
        row = cursor.fetchone()
    if row is None:
        raise Http404(NOT_FOUND)
    if len(_versions) >= MAX_VERSIONS:
        _versions.clear()
    version = (now, row[0], str(row[1]).replace(" ", "T"))
    _versions[public_id] = version
    return version[1], version[2]


def forget(public_id: uuid.UUID) -> None:
    """Forget the remembered version of an entry (now, and again when the change commits, so a
    read in between cannot keep the old one)."""
    _versions.pop(public_id, None)
    transaction.on_commit(lambda: _versions.pop(public_id, None))


@receiver(post_save, sender=PublicEntry, dispatch_uid="portal-pagecache-forget")
def _entry_saved(sender: type[PublicEntry], instance: PublicEntry, **kwargs: object) -> None:
    forget(instance.public_id)


def cached_entry_response(kind: str, public_id: uuid.UUID,
                          render: Callable[[PublicEntry], HttpResponse]) -> HttpResponse:
    """The response ``render(entry)`` gives for the entry's current version, rendered at most once
    per version (and per ``kind`` of page). ``render`` may raise Http404; that is not cached."""
    sequence, stamp = entry_version(public_id)
    enabled = settings.PORTAL_CACHE_ENTRIES > 0
    key = f"{RELEASE}:{kind}:{public_id.hex}:{sequence}:{stamp}"
    cache = caches[ALIAS]
    if enabled and (hit := cache.get(key)) is not None:
        status, content_type, body = hit
        return HttpResponse(body, status=status, content_type=content_type)
    try:
        entry = PublicEntry.objects.get(public_id=public_id)
    except PublicEntry.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    response = render(entry)
    if enabled and entry.sequence == sequence and not response.cookies and not response.has_header("Vary"):
        cache.set(key, (response.status_code, response["Content-Type"], response.content))
    return response
