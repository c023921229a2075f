"""Concurrent writers: every committed entry gets the next index, none skipped, none repeated.

The writers run in real threads, each with its own database connection and its own committed
transactions, so these tests use ``transactional_db`` (the root conftest keeps the append-only
triggers in place and takes them away for the final flush).
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from sanxiang.ledger.models import Entry, Log
from sanxiang.ledger.services import default_log, record
from sanxiang.ledger.verify import verify_log


class Rollback(Exception):
    """Raised inside a transaction after its ledger write, to make it fail."""


def _never(writer: int, n: int) -> bool:
    return False


def _write(writer: int, count: int, start: threading.Barrier, errors: list[BaseException],
           fails: Callable[[int, int], bool]) -> None:
    """One writer: ``count`` separate transactions, each recording one entry; those for which
    ``fails(writer, n)`` raise after their ledger write and roll back."""
    try:
        start.wait()
        for n in range(count):
            try:
                with transaction.atomic():
                    record(event_type="test.concurrent", actor=None, agency=None, summary=f"写入者 {writer} 第 {n} 条")
                    if fails(writer, n):
                        raise Rollback
            except Rollback:
                pass
    except BaseException as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connection.close()  # each thread has its own connection; leave none open for the flush


def _run_writers(writers: int, per_writer: int, fails: Callable[[int, int], bool] = _never) -> None:
    start, errors = threading.Barrier(writers), []
    threads = [threading.Thread(target=_write, args=(w, per_writer, start, errors, fails))
               for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "写入线程未在时限内结束"
    assert not errors, errors


def _assert_consecutive(expected: int) -> None:
    log = Log.objects.get(pk=default_log().pk)
    indices = list(Entry.objects.filter(log=log).order_by("index").values_list("index", flat=True))
    assert indices == list(range(expected))
    assert log.size == expected
    report = verify_log(log)
    assert report.ok, [str(p) for p in report.problems]
    assert report.entries == expected


def _writers_for_this_database() -> tuple[int, int]:
    """Writers and transactions per writer: 8 × 15 on PostgreSQL; on SQLite, which serialises
    writers on one file lock, 4 × 10 prove the same thing."""
    if connection.vendor == "postgresql":
        return 8, 15
    if connection.is_in_memory_db():
        # Threads share an in-memory test database through SQLite's shared cache, whose table
        # locks fail at once instead of waiting: a property of the test setup, not of the
        # platform, which always runs on a file.
        pytest.skip("并发写入需要文件型 SQLite 测试库（设置 SANXIANG_TEST_SQLITE=<文件路径>）")
    return 4, 10


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_get_consecutive_indices() -> None:
    default_log()  # created once, before the race: its get_or_create is not what is tested here
    writers, per_writer = _writers_for_this_database()
    _run_writers(writers, per_writer)
    _assert_consecutive(writers * per_writer)


@pytest.mark.django_db(transaction=True)
def test_failed_transaction_leaves_no_entry_and_no_gap() -> None:
    log = default_log()
    with transaction.atomic():
        record(event_type="test.before", actor=None, agency=None, summary="失败之前")
    with pytest.raises(Rollback), transaction.atomic():
        record(event_type="test.failed", actor=None, agency=None, summary="随后失败的变更")
        raise Rollback
    assert not Entry.objects.filter(event_type="test.failed").exists()
    with transaction.atomic():
        after = record(event_type="test.after", actor=None, agency=None, summary="失败之后")
    assert after.index == 1  # the index the failed entry would have had
    _assert_consecutive(2)
    assert Log.objects.get(pk=log.pk).size == 2


@pytest.mark.django_db(transaction=True)
def test_failures_among_parallel_writers_leave_no_gap() -> None:
    default_log()
    writers, per_writer = _writers_for_this_database()

    def every_third(writer: int, n: int) -> bool:
        return (writer + n) % 3 == 0

    _run_writers(writers, per_writer, every_third)
    committed = sum(1 for w in range(writers) for n in range(per_writer) if not every_third(w, n))
    _assert_consecutive(committed)
