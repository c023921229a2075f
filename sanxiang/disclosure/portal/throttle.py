"""A small per-address limit on the portal's only write (纠错), so a script cannot flood the
publishers' queue. Counts live in Django's cache (per process with the default local-memory
cache; shared once a shared cache is configured)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

REPORTS_PER_WINDOW = 5
WINDOW_SECONDS = 600


def allow_report(request: HttpRequest) -> bool:
    """True for the first ``REPORTS_PER_WINDOW`` reports from an address in ``WINDOW_SECONDS``."""
    key = f"portal:report:{request.META.get('REMOTE_ADDR', '')}"
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= REPORTS_PER_WINDOW
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return True
