"""``manage.py sign_checkpoint [--cosign]``: prints the signed note; a witness refusal fails loudly."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from sanxiang.ledger import note
from sanxiang.ledger.checkpoints import platform_signer, witness_signer
from sanxiang.ledger.models import Checkpoint, Cosignature, Entry, Log
from sanxiang.ledger.services import default_log

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys_dir(settings, tmp_path):
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def run(*args: str) -> str:
    out = StringIO()
    call_command("sign_checkpoint", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_signs_and_prints_the_note(world) -> None:
    printed = run()
    checkpoint = Checkpoint.objects.get()
    assert printed == checkpoint.note
    body, signed_by = note.open_checkpoint(printed, [platform_signer().verifier])
    assert body.size == default_log().size == Entry.objects.count()
    assert not Cosignature.objects.exists()


def test_cosign_adds_the_witness_signature(world) -> None:
    printed = run("--cosign")
    _, signed_by = note.open_checkpoint(printed, [platform_signer().verifier, witness_signer().verifier])
    assert set(signed_by) == {platform_signer().name, witness_signer().name}
    cosigned = Entry.objects.get(event_type="ledger.checkpoint.cosigned")
    assert cosigned.actor is None and cosigned.detail["actor_name"] == "系统"


def test_refusal_exits_non_zero_with_the_reason(world) -> None:
    run("--cosign")
    Log.objects.filter(pk=default_log().pk).update(size=F("size") - 2)  # rolled back past the cosigned size
    with pytest.raises(CommandError, match="拒绝签署.*截断"):
        run("--cosign")
