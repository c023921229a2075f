"""export_draw writes a file that the offline verifier accepts, and rejects once tampered (issue 8 §3)."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from sanxiang.inspections.testing import build_inspection_world, drawn_plan, new_plan
from sanxiang.ledger.checkpoints import public_keys


def _verify(path, *keys: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "sanxiang.inspections", "verify-draw", str(path)]
    for key in keys:
        args += ["--key", key]
    # No DJANGO_SETTINGS_MODULE, no database: the verifier stands alone.
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR)}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=settings.BASE_DIR, timeout=60)


def test_export_then_verify_round_trip(world, tmp_path) -> None:
    plan = drawn_plan(build_inspection_world(world))
    path = tmp_path / "draw.json"
    call_command("export_draw", str(plan.pk), "-o", str(path))
    document = json.loads(path.read_text("utf-8"))
    assert document["commitment"] == plan.commitment and document["seed"] == plan.seed
    assert document["randomness"]["beacon"] == plan.beacon
    assert document["ledger"]["commitment_receipt"]["index"] >= 0
    keys = public_keys()
    done = _verify(path, keys["platform"], keys["witness"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "承诺先于随机数" in done.stdout

    drawn = document["result"]["strata"][0]["targets"]
    document["inputs"]["targets"]["high"].remove(drawn[0])  # drop a drawn target from the list
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    done = _verify(tampered, keys["platform"], keys["witness"])
    assert done.returncode == 1 and "承诺值不符" in done.stdout + done.stderr


def test_changed_randomness_is_rejected(world, tmp_path) -> None:
    plan = drawn_plan(build_inspection_world(world))
    path = tmp_path / "draw.json"
    call_command("export_draw", str(plan.pk), "-o", str(path))
    document = json.loads(path.read_text("utf-8"))
    document["randomness"]["beacon"] = "另一个信标"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    done = _verify(path)
    assert done.returncode == 1 and "种子不符" in done.stdout + done.stderr


def test_export_refuses_an_undrawn_plan(world, tmp_path) -> None:
    plan = new_plan(build_inspection_world(world))
    with pytest.raises(CommandError, match="尚未抽取"):
        call_command("export_draw", str(plan.pk), "-o", str(tmp_path / "x.json"))
