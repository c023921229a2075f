"""The demo 双随机抽查 of ``manage.py seed_demo``: a drawn plan with tasks, results recorded and
published, a draw that verifies with its ledger evidence; a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from sanxiang.disclosure.choices import PublicationStatus
from sanxiang.inspections import draw
from sanxiang.inspections.choices import PlanStatus, TaskResult
from sanxiang.inspections.demo import TITLE
from sanxiang.inspections.models import Plan
from sanxiang.inspections.publishing import draw_document

pytestmark = pytest.mark.django_db


def test_demo_plan(settings, tmp_path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    settings.DATA_DIR = tmp_path / "data"
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    assert "双随机抽查：新增 1" in out.getvalue()
    plan = Plan.objects.get(title=TITLE)
    assert plan.status == PlanStatus.DRAWN and plan.beacon and plan.tasks.count() >= 8
    recorded = plan.tasks.exclude(result=TaskResult.PENDING)
    assert recorded.count() >= 1
    assert all(t.publication.status == PublicationStatus.PUBLISHED for t in recorded)
    # each result has its 执法记录仪 recording, or the stated reason why none could be made
    assert all(t.recordings.filter(media_kind="video").exists() or t.recording_missing_reason for t in recorded)
    assert any(t.recordings.exists() for t in recorded)
    check = draw.check_draw_document(draw_document(plan))
    assert check.ok, check.problems
    assert any("承诺先于随机数" in fact for fact in check.facts)
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    assert "双随机抽查：新增 0" in out.getvalue()
    assert Plan.objects.count() == 1
