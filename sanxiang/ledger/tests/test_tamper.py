"""A rogue database administrator drops the triggers and edits the stored log or the business
tables directly; ``verify_ledger`` must notice and name the entry."""

import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import drop_ledger_triggers
from sanxiang.ledger import merkle
from sanxiang.ledger.models import Checkpoint, Entry, Log
from sanxiang.ledger.services import default_log
from sanxiang.ledger.verify import verify_log
from sanxiang.registry.models import DiscretionBenchmark, EnforcementItem, Officer
from sanxiang.registry.services import create_object


@pytest.fixture
def filled(world) -> Log:
    admin = world.personas["admin"]
    item = create_object(admin, EnforcementItem, {"code": "CF-1", "name": "无照经营", "kind": "penalty"})
    for n in range(12):
        create_object(admin, Officer, {"name": f"干部{n}", "certificate_number": f"T{n:04d}",
                                       "issued_on": "2024-01-01", "expires_on": "2029-01-01"})
    create_object(admin, DiscretionBenchmark, {"item": item, "violation": "无照经营", "circumstance": "general",
                                               "sanction": "罚款", "fine_min": 1000, "fine_max": 5000})
    log = default_log()
    assert verify_log(log).ok
    drop_ledger_triggers()
    return log


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _first(log: Log) -> str:
    report = verify_log(log)
    assert not report.ok
    return str(report.problems[0])


def test_one_changed_byte_in_a_random_entry(filled: Log) -> None:
    index = random.Random(5).randrange(filled.size)
    entry = Entry.objects.get(log=filled, index=index)
    body = bytearray(bytes(entry.body))
    body[body.index(b'"type"') + 9] ^= 0x01
    _sql('UPDATE ledger_entry SET body = %s WHERE id = %s', [bytes(body), entry.pk])
    assert _first(filled).startswith(f"第 {index} 条：条目内容与其叶子哈希不符")


def test_entry_rewritten_with_consistent_leaf_hash_breaks_the_tree(filled: Log) -> None:
    entry = Entry.objects.filter(log=filled, event_type="registry.officer.created").order_by("index").first()
    body = bytes(entry.body).replace(b"registry.officer.created", b"registry.officer.updated")
    leaf = merkle.leaf_hash(body)
    _sql('UPDATE ledger_entry SET body = %s, leaf_hash = %s, event_type = %s WHERE id = %s',
         [body, leaf, "registry.officer.updated", entry.pk])
    problems = [str(p) for p in verify_log(filled).problems]
    assert any(p.startswith(f"第 {entry.index} 条") for p in problems)
    assert any("子树哈希" in p for p in problems)  # the stored tree no longer matches the entries


def test_deleted_entry(filled: Log) -> None:
    _sql('DELETE FROM ledger_entry WHERE log_id = %s AND "index" = 4', [filled.pk])
    assert _first(filled).startswith("第 4 条：序号不连续")


def test_two_entries_swapped(filled: Log) -> None:
    a, b = Entry.objects.get(log=filled, index=2), Entry.objects.get(log=filled, index=6)
    _sql('UPDATE ledger_entry SET "index" = 999999 WHERE id = %s', [a.pk])
    _sql('UPDATE ledger_entry SET "index" = 2 WHERE id = %s', [b.pk])
    _sql('UPDATE ledger_entry SET "index" = 6 WHERE id = %s', [a.pk])
    assert _first(filled).startswith("第 2 条")


def test_truncated_tail_is_caught_by_a_checkpoint(filled: Log) -> None:
    bodies = [bytes(b) for b in Entry.objects.filter(log=filled).order_by("index").values_list("body", flat=True)]
    Checkpoint.objects.create(log=filled, size=len(bodies), root=merkle.root_hash(bodies), note="")
    keep = len(bodies) - 3
    _sql('DELETE FROM ledger_entry WHERE log_id = %s AND "index" >= %s', [filled.pk, keep])
    _sql("DELETE FROM ledger_subtree WHERE log_id = %s", [filled.pk])
    _sql("UPDATE ledger_log SET size = %s WHERE id = %s", [keep, filled.pk])
    filled.refresh_from_db()
    problems = [str(p) for p in verify_log(filled).problems]
    assert any("日志尾部被截断" in p for p in problems)


def test_fine_amount_edited_in_the_business_table(filled: Log) -> None:
    benchmark = DiscretionBenchmark.objects.get()
    DiscretionBenchmark.objects.filter(pk=benchmark.pk).update(fine_max=50000)
    message = _first(filled)
    assert "裁量基准" in message and f"id {benchmark.pk}" in message and "快照不符" in message


def test_deleted_business_row(filled: Log) -> None:
    officer = Officer.objects.order_by("pk").last()
    Officer.objects.filter(pk=officer.pk).delete()
    assert "已不存在" in _first(filled)


def test_command_exit_status_and_first_bad_entry(filled: Log, capsys) -> None:
    call_command("verify_ledger", "--no-progress")
    assert "验证通过" in capsys.readouterr().out
    _sql('DELETE FROM ledger_entry WHERE log_id = %s AND "index" = 7', [filled.pk])
    with pytest.raises(CommandError):
        call_command("verify_ledger", "--no-progress")
    assert "首个问题：第 7 条" in capsys.readouterr().out
