"""Writing the ledger. Every state change of the platform calls :func:`record` inside the
transaction that makes the change, so the change and its entry commit or roll back together.

An entry's body (the leaf hashed into the Merkle tree) is canonical JSON holding ids, codes and
hashes only; the readable part (summary, names) is kept beside it in ``detail`` and bound to it by
``detail`` hash, so receipts and published proofs carry no personal data.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, models, router
from django.utils import timezone

from sanxiang.accounts.models import Agency, User
from sanxiang.ledger import merkle
from sanxiang.ledger.canonical import canonical_bytes, snapshot_hash
from sanxiang.ledger.models import Entry, Log, Subtree
from sanxiang.ledger.snapshots import snapshot_of

ENTRY_VERSION = 1


class LedgerError(RuntimeError):
    """The ledger refused to record (e.g. called outside a transaction)."""


# (database alias, origin) → the log row's id, name and algorithm, which never change once the
# log exists; saves a query per recorded change. A stale id (a test database emptied and filled
# again) is noticed by _claim_index, which then forgets it.
_LOG_CACHE: dict[tuple[str, str], Log] = {}


def default_log() -> Log:
    """The platform's log, created on first use with the configured hash algorithm.

    The returned object's ``size`` may be stale; read the size from the database when it matters.
    """
    key = (connection.alias, settings.LEDGER_ORIGIN)
    cached = _LOG_CACHE.get(key)
    if cached is not None:
        return cached
    log, _ = Log.objects.get_or_create(
        name=settings.LEDGER_ORIGIN, defaults={"algorithm": settings.LEDGER_ALGORITHM}
    )
    if not connection.in_atomic_block:
        _LOG_CACHE[key] = log  # only a committed row may be remembered
    return log


# The same, for writers only, remembered even inside a transaction: a row that a rolled-back
# transaction created is noticed by _claim_index (no row to update), which forgets it and takes
# the log afresh. Readers use default_log(), which never remembers an uncommitted row.
_WRITER_CACHE: dict[tuple[str, str], Log] = {}


def _writer_log() -> Log:
    key = (connection.alias, settings.LEDGER_ORIGIN)
    log = _WRITER_CACHE.get(key)
    if log is None:
        log = _WRITER_CACHE[key] = default_log()
    return log


def forget_cached_logs(**kwargs: object) -> None:
    _LOG_CACHE.clear()
    _WRITER_CACHE.clear()


def _claim_index(log: Log) -> int:
    """Take the next index: one UPDATE … RETURNING, which also takes the head's row lock, so
    concurrent writers are serialised (PostgreSQL row lock, SQLite write lock) and each gets the
    next index, none skipped or repeated."""
    table = connection.ops.quote_name(Log._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET size = size + 1 WHERE id = %s RETURNING size", [log.pk])
        row = cursor.fetchone()
    if row is None:
        raise Log.DoesNotExist
    return row[0] - 1


@dataclass(frozen=True)
class Subject:
    """What an entry concerns: a row (snapshotted) or just a reference (reads, batch events)."""

    object_type: str
    object_id: str
    label: str = ""
    snapshot: str = ""

    @classmethod
    def of(cls, obj: models.Model, label: str = "", *, snapshot: bool = True) -> "Subject":
        """The subject ``obj``, with the hash of its stored state when ``snapshot``."""
        digest = snapshot_hash(snapshot_of(obj), _writer_log().algorithm) if snapshot else ""
        return cls(obj._meta.label_lower, str(obj.pk), label or str(obj)[:200], digest)


def _actor_role(actor: User | None, role: str) -> str:
    if role or actor is None:
        return role
    codes = sorted(actor.role_codes)
    return codes[0] if len(codes) == 1 else ",".join(codes)


def record(*, event_type: str, actor: User | None, agency: Agency | None, summary: str,
           subject: Subject | None = None, files: Sequence[str] = (), role: str = "",
           changes: dict[str, object] | None = None) -> Entry:
    """Append one entry. Must run inside the caller's ``transaction.atomic`` block."""
    if not connection.in_atomic_block:
        raise LedgerError("全过程记录必须与业务变更在同一事务中写入")
    role = _actor_role(actor, role)
    detail = {"summary": summary, "actor_name": str(actor) if actor else "系统",
              "object_label": subject.label if subject else "", "changes": changes or {}}
    log = _writer_log()
    now = timezone.now()
    body = {
        "v": ENTRY_VERSION,
        "log": log.name,
        "type": event_type,
        "time": now,
        "agency": agency.uscc if agency else None,
        "actor": {"id": actor.pk, "role": role} if actor else None,
        "object": {"type": subject.object_type, "id": subject.object_id} if subject else None,
        "snapshot": subject.snapshot if subject else "",
        "files": sorted(files),
        "detail": snapshot_hash(detail, log.algorithm),
    }
    return _append(log, body, detail, now, agency, actor, role, subject)


def _append(log: Log, body: dict, detail: dict, now, agency, actor, role, subject) -> Entry:
    try:
        index = _claim_index(log)
    except Log.DoesNotExist:
        forget_cached_logs()  # the remembered row is gone (rolled back, or a test database emptied)
        log = _writer_log()
        index = _claim_index(log)
    data = canonical_bytes(body)
    leaf = merkle.leaf_hash(data, log.algorithm)
    compact = merkle.CompactRange(index, _frontier(log, index), log.algorithm)
    rows = compact.append(leaf)
    Subtree.objects.bulk_create([Subtree(log=log, level=lv, index=ix, hash=h) for lv, ix, h in rows])
    return Entry.objects.create(
        log=log, index=index, body=data, leaf_hash=leaf, detail=detail, event_type=body["type"],
        agency=agency, actor=actor, actor_role=role,
        object_type=subject.object_type if subject else "", object_id=subject.object_id if subject else "",
        object_label=subject.label if subject else "", snapshot_hash=subject.snapshot if subject else "",
        recorded_at=now,
    )


def _frontier(log: Log, size: int) -> list[bytes]:
    positions = merkle.frontier_positions(size)
    if not positions:
        return []
    stored = subtree_hashes(log, positions)
    return [stored[p] for p in positions]


def subtree_hashes(log: Log, positions: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Stored hashes of the perfect subtrees at ``positions``, fetched in one query ({} for none)."""
    pairs = sorted(set(positions))
    if not pairs:
        return {}
    # Written by hand for speed, a proof's own budget being about a millisecond: the ORM takes
    # ~3 ms to build and compile an OR of a few dozen lookups, the query itself ~0.2 ms. Each
    # term names the log, so SQLite searches the unique (log, level, index) index once per term;
    # with the log outside the OR it walks every row of the log instead.
    db = connections[router.db_for_read(Subtree)]
    quote, meta = db.ops.quote_name, Subtree._meta
    log_id, level, index, digest = (quote(meta.get_field(f).column) for f in ("log", "level", "index", "hash"))
    term = f"({log_id} = %s AND {level} = %s AND {index} = %s)"
    sql = f"SELECT {level}, {index}, {digest} FROM {quote(meta.db_table)} WHERE {' OR '.join([term] * len(pairs))}"
    with db.cursor() as cursor:
        cursor.execute(sql, [value for lv, ix in pairs for value in (log.pk, lv, ix)])
        return {(lv, ix): bytes(h) for lv, ix, h in cursor.fetchall()}


def record_change(*, event_type: str, actor: User | None, obj: models.Model, summary: str,
                  agency: Agency | None = None, role: str = "",
                  changes: dict[str, object] | None = None) -> Entry:
    """Record a state change of ``obj`` with the snapshot of its stored state after the change."""
    if agency is None:
        agency = obj if isinstance(obj, Agency) else getattr(obj, "agency", None)
    return record(event_type=event_type, actor=actor, agency=agency, summary=summary,
                  subject=Subject.of(obj), role=role, changes=changes)


def history(obj: models.Model) -> models.QuerySet[Entry]:
    """Entries about ``obj``, oldest first."""
    return Entry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("index")
