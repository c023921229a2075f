"""The stored ledger: entries written by the services, in their transaction, append-only."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from sanxiang.ledger import merkle
from sanxiang.ledger.models import Entry, Log, Subtree
from sanxiang.ledger.services import LedgerError, default_log, record, subtree_hashes
from sanxiang.registry.models import Officer
from sanxiang.registry.services import create_object, update_object


def _officer(world, cert: str = "33010020240001") -> Officer:
    return create_object(world.personas["admin"], Officer, {
        "name": "林某某", "certificate_number": cert, "issued_on": "2024-01-01", "expires_on": "2029-01-01"})


def test_every_service_change_writes_one_entry_with_consecutive_indices(world) -> None:
    before = Entry.objects.count()
    officer = _officer(world)
    update_object(world.personas["admin"], officer, {"position": "副大队长"})
    entries = list(Entry.objects.order_by("index"))
    assert [e.index for e in entries] == list(range(len(entries)))
    created, updated = entries[before], entries[before + 1]
    assert (created.event_type, updated.event_type) == ("registry.officer.created", "registry.officer.updated")
    assert created.object_id == updated.object_id == str(officer.pk)
    assert created.snapshot_hash != updated.snapshot_hash
    assert created.actor == world.personas["admin"] and created.agency == world.agency


def test_failed_change_leaves_no_entry(world) -> None:
    _officer(world)
    count = Entry.objects.count()
    with pytest.raises(ValidationError):
        _officer(world)  # duplicate certificate number
    assert Entry.objects.count() == count
    assert default_log().size == count


def test_record_refuses_to_run_outside_a_transaction(world) -> None:
    # pytest-django wraps the test in a transaction; leave it to simulate a caller without one.
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        with pytest.raises(LedgerError):
            record(event_type="x", actor=None, agency=None, summary="x")
    finally:
        connection.in_atomic_block = saved


def test_body_is_canonical_and_carries_no_personal_data(world) -> None:
    officer = _officer(world)
    entry = Entry.objects.filter(object_type="registry.officer", object_id=str(officer.pk)).get()
    body = bytes(entry.body)
    parsed = json.loads(body)
    assert body == json.dumps(parsed, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert "林某某" not in body.decode() and "林某某" in entry.detail["summary"]
    assert parsed["agency"] == world.agency.uscc and parsed["actor"] == {"id": world.personas["admin"].pk,
                                                                         "role": "admin"}


def test_stored_tree_matches_the_rfc_tree_and_gives_proofs(world) -> None:
    for n in range(5):
        _officer(world, f"3301002024000{n}")
    log = default_log()
    bodies = [bytes(b) for b in Entry.objects.order_by("index").values_list("body", flat=True)]
    assert log.size == len(bodies)

    def get(level: int, index: int) -> bytes:
        return subtree_hashes(log, [(level, index)])[(level, index)]

    root = merkle.root_from_subtrees(log.size, get, log.algorithm)
    assert root == merkle.root_hash(bodies)
    for index in (0, log.size // 2, log.size - 1):
        proof = merkle.inclusion_proof_from_subtrees(index, log.size, get)
        assert merkle.verify_inclusion(bodies[index], index, log.size, proof, root)
    old = log.size // 3
    proof = merkle.consistency_proof_from_subtrees(old, log.size, get)
    assert merkle.verify_consistency(old, log.size, merkle.root_hash(bodies[:old]), root, proof)


@pytest.mark.parametrize("model", [Entry, Subtree])
def test_database_refuses_update_and_delete(world, model) -> None:
    _officer(world)
    row = model.objects.order_by("pk").first()
    table = model._meta.db_table
    for statement in (f"UPDATE {table} SET index = index WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="只允许追加"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement.replace("index", '"index"'), [row.pk])
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_log_is_created_with_the_configured_algorithm(world, settings) -> None:
    settings.LEDGER_ORIGIN = "test.example/sm3-log"
    settings.LEDGER_ALGORITHM = "sm3"
    with transaction.atomic():
        record(event_type="test.event", actor=None, agency=None, summary="国密日志")
    log = Log.objects.get(name="test.example/sm3-log")
    entry = log.entries.get()
    assert log.algorithm == "sm3" and bytes(entry.leaf_hash) == merkle.leaf_hash(bytes(entry.body), "sm3")
