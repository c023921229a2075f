"""Canonical snapshots of business rows, so the ledger also guards the tables it describes.

A snapshot is a plain dict of a row's stored values (foreign keys as ids, many-to-many as sorted
ids), read back from the database so it is the same whether computed at recording time or years
later by ``verify_ledger``. Fields that change without a state change of the business object
(a user's last login, lockout counters, the password hash, rehashed on login) are left out.
"""

from django.db import models

# model label → fields not part of the snapshot (and why: see module docstring)
EXCLUDED_FIELDS: dict[str, frozenset[str]] = {
    "accounts.user": frozenset({"password", "last_login", "failed_logins", "locked_until"}),
    # A published entry points at the ledger entry that records it: the pointer is written after
    # that entry, so it cannot be part of its own snapshot (nor the auto_now stamp it touches).
    "disclosure.publicentry": frozenset({"ledger_index", "ledger_leaf", "updated_at"}),
}


def snapshot_of(obj: models.Model) -> dict[str, object]:
    """The canonical snapshot of ``obj`` as stored now (re-read from the database)."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return snapshot_of_loaded(fresh)


def snapshot_of_loaded(obj: models.Model) -> dict[str, object]:
    """Snapshot of an instance already loaded from the database (used in bulk by verification)."""
    excluded = EXCLUDED_FIELDS.get(obj._meta.label_lower, frozenset())
    data: dict[str, object] = {"_model": obj._meta.label_lower}
    for field in obj._meta.concrete_fields:
        if field.name not in excluded:
            data[field.attname] = getattr(obj, field.attname)
    for field in obj._meta.many_to_many:
        if field.name not in excluded:
            # .all() so that a prefetch made by a bulk caller (verification) is used
            data[field.name] = sorted(related.pk for related in getattr(obj, field.name).all())
    return data
