"""The demo database carries a full ledger with a cosigned checkpoint, and it verifies."""

from django.core.management import call_command

from sanxiang.ledger.models import Checkpoint, Cosignature, Entry
from sanxiang.ledger.services import default_log
from sanxiang.ledger.verify import verify_log


def test_demo_ledger_verifies(db, settings, tmp_path, capsys) -> None:
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    call_command("seed_demo")
    log = default_log()
    report = verify_log(log)
    assert report.ok, report.problems
    assert report.objects >= 150  # agencies, users, officers, items, benchmarks … each covered
    assert Entry.objects.filter(event_type="registry.officer.created").count() >= 40
    assert Cosignature.objects.count() == 1
    assert Checkpoint.objects.order_by("-size").first().size == log.size
    call_command("verify_ledger", "--no-progress")
    assert "验证通过" in capsys.readouterr().out
