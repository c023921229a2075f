"""Signed checkpoints, the witness's cosignature, receipts, and the witness refusing rewrites."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from conftest import drop_ledger_triggers
from sanxiang.ledger import merkle, note
from sanxiang.ledger.checkpoints import (
    WitnessRefused,
    cosign,
    cosigned_note,
    platform_signer,
    public_keys,
    receipt,
    sign_checkpoint,
    witness_signer,
)
from sanxiang.ledger.models import Checkpoint, Entry
from sanxiang.ledger.receipt import verify_receipt
from sanxiang.ledger.services import default_log
from sanxiang.ledger.verify import verify_log
from sanxiang.registry.models import Officer
from sanxiang.registry.services import create_object

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def keys_dir(settings, tmp_path):
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    return settings.LEDGER_KEYS_DIR


def _add_officers(world, start: int, count: int) -> None:
    for n in range(start, start + count):
        create_object(world.personas["admin"], Officer, {"name": f"员{n}", "certificate_number": f"W{n:05d}",
                                                         "issued_on": "2024-01-01", "expires_on": "2029-01-01"})


def test_checkpoint_is_signed_and_matches_the_log(world, keys_dir) -> None:
    checkpoint = sign_checkpoint()
    body, signed_by = note.open_checkpoint(checkpoint.note, [platform_signer().verifier])
    bodies = [bytes(b) for b in Entry.objects.order_by("index").values_list("body", flat=True)]
    assert signed_by == (platform_signer().name,)
    assert (body.size, body.root) == (len(bodies), merkle.root_hash(bodies))
    assert sign_checkpoint() == checkpoint  # nothing new: the same checkpoint
    assert (keys_dir / "platform-ed25519.pem").stat().st_mode & 0o077 == 0
    assert public_keys()["platform"].startswith(platform_signer().name + "+")


def test_witness_cosigns_consistent_growth(world) -> None:
    first = sign_checkpoint()
    cosign(first, world.personas["supervisor"])
    _add_officers(world, 0, 5)
    second = sign_checkpoint()
    cosign(second, world.personas["supervisor"])
    verifiers = [platform_signer().verifier, witness_signer().verifier]
    _, signed_by = note.open_checkpoint(cosigned_note(second), verifiers)
    assert set(signed_by) == {platform_signer().name, witness_signer().name}
    assert verify_log(default_log()).ok


def test_only_a_supervisor_may_witness(world) -> None:
    with pytest.raises(WitnessRefused):
        cosign(sign_checkpoint(), world.personas["admin"])


def test_witness_refuses_a_rewritten_history(world) -> None:
    cosign(sign_checkpoint(), world.personas["supervisor"])
    log = default_log()
    # A rogue administrator rewrites entry 1 and recomputes the whole stored tree to match.
    drop_ledger_triggers()
    entry = Entry.objects.get(log=log, index=1)
    forged = bytes(entry.body).replace(b'"v":1', b'"v":1 ')
    bodies = [bytes(b) for b in Entry.objects.order_by("index").values_list("body", flat=True)]
    bodies[1] = forged
    tree = merkle.CompactRange(0, (), log.algorithm)
    rows = [row for body in bodies for row in tree.append(merkle.leaf_hash(body))]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET body = %s, leaf_hash = %s WHERE id = %s",
                       [forged, merkle.leaf_hash(forged), entry.pk])
        for level, index, digest in rows:
            cursor.execute('UPDATE ledger_subtree SET hash = %s WHERE log_id = %s AND level = %s AND "index" = %s',
                           [digest, log.pk, level, index])
    _add_officers(world, 0, 2)
    with pytest.raises(WitnessRefused, match="不一致"):
        cosign(sign_checkpoint(), world.personas["supervisor"])
    # and verification, which checks the signed checkpoints, names the problem too
    assert any("检查点根哈希" in str(p) for p in verify_log(default_log()).problems)


def test_witness_refuses_a_truncated_log(world) -> None:
    _add_officers(world, 0, 3)
    cosign(sign_checkpoint(), world.personas["supervisor"])
    log = default_log()
    smaller = Checkpoint.objects.create(
        log=log, size=log.size - 2, root=b"\0" * 32,
        note=note.sign_checkpoint(note.Checkpoint(log.name, log.size - 2, b"\0" * 32), [platform_signer()]))
    with pytest.raises(WitnessRefused, match="截断"):
        cosign(smaller, world.personas["supervisor"])


def test_forged_checkpoint_signature_is_reported(world) -> None:
    checkpoint = sign_checkpoint()
    drop_ledger_triggers()
    Checkpoint.objects.filter(pk=checkpoint.pk).update(note=checkpoint.note.replace(
        f"\n{checkpoint.size}\n", f"\n{checkpoint.size + 1}\n"))
    problems = [str(p) for p in verify_log(default_log()).problems]
    assert any("签名验证失败" in p or "平台签名无效" in p for p in problems), problems


def test_receipt_verifies_now_and_against_a_later_checkpoint(world, tmp_path) -> None:
    _add_officers(world, 0, 3)
    entry = Entry.objects.order_by("-index").first()
    cosign(sign_checkpoint(), world.personas["supervisor"])
    kept = receipt(entry)
    keys = [platform_signer().verifier, witness_signer().verifier]
    result = verify_receipt(kept, keys)
    assert result.ok, result.reasons
    assert "林" not in json.dumps(kept, ensure_ascii=False)  # hashes and ids, no names
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(kept))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "SANXIANG", "DATABASE"))}
    args = [sys.executable, "-m", "sanxiang.ledger", "verify", str(path)]
    for key in public_keys().values():
        args += ["--key", key]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    tampered = dict(kept, index=kept["index"] - 1)
    path.write_text(json.dumps(tampered))
    assert subprocess.run(args, cwd=ROOT, env=env, capture_output=True, timeout=60).returncode == 1


def test_platform_refuses_to_sign_a_rolled_back_log(world) -> None:
    _add_officers(world, 0, 2)
    sign_checkpoint()
    log = default_log()
    drop_ledger_triggers()
    with connection.cursor() as cursor:
        cursor.execute('DELETE FROM ledger_entry WHERE log_id = %s AND "index" = %s', [log.pk, log.size - 1])
        cursor.execute("UPDATE ledger_log SET size = size - 1 WHERE id = %s", [log.pk])
    with pytest.raises(WitnessRefused, match="回滚"):
        sign_checkpoint()


def test_receipt_prefers_a_cosigned_checkpoint(world) -> None:
    entry = Entry.objects.order_by("-index").first()
    witnessed = sign_checkpoint()
    cosign(witnessed, world.personas["supervisor"])
    later = sign_checkpoint()  # covers the cosign entry too, not cosigned
    assert later.size > witnessed.size
    assert receipt(entry)["tree_size"] == witnessed.size
