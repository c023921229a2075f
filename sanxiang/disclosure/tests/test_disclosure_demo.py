"""The demo publications of ``manage.py seed_demo``: published decisions of several kinds with the
natural-person party de-identified, one withdrawn with its notice, one expired, one answered error
report, one draft left in the queue; a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from sanxiang.disclosure.choices import PublicationStatus
from sanxiang.disclosure.demo import REVOKED_REASON
from sanxiang.disclosure.models import ErrorReport, Publication, PublicEntry, PublicServiceGuide, ServiceGuide
from sanxiang.ledger.models import Entry

pytestmark = pytest.mark.django_db
P = PublicationStatus


@pytest.fixture
def seeded(settings, tmp_path) -> str:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    settings.DATA_DIR = tmp_path / "data"
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    return out.getvalue()


def test_demo_publications(seeded: str) -> None:
    assert "行政执法公示：新增" in seeded
    entries = PublicEntry.objects.all()
    assert entries.filter(status=P.PUBLISHED).count() >= 4
    assert len({e.outcome for e in entries.filter(status=P.PUBLISHED)}) >= 2  # several kinds of decision
    person = entries.get(party_name="陈某")
    assert person.status == P.PUBLISHED and "陈秀兰" not in person.title + person.facts + person.content
    withdrawn = entries.get(status=P.WITHDRAWN)
    assert REVOKED_REASON in withdrawn.withdrawal_notice
    assert Entry.objects.get(index=withdrawn.ledger_index).event_type == "disclosure.withdraw"
    expired = entries.get(status=P.EXPIRED)
    assert Entry.objects.get(index=expired.ledger_index).event_type == "disclosure.expire"
    report = ErrorReport.objects.get()
    assert report.status == "answered" and report.answered_by.username == "publisher"
    queue = Publication.objects.filter(status=P.DRAFT, agency__short_name__isnull=False)
    assert queue.exists()
    assert Publication.objects.filter(status=P.NOT_PUBLISHED).exists()  # the 不予处罚 decision
    assert sorted(entries.values_list("sequence", flat=True)) == sorted(set(entries.values_list("sequence", flat=True)))

    guide = PublicServiceGuide.objects.get(name="食品经营许可")  # 事前公开: a service guide, published
    assert "第三十五条" in guide.basis and guide.agency_name == "清江市市场监督管理局" and guide.fees == "不收费"

    before = (PublicEntry.objects.count(), Publication.objects.count(), ErrorReport.objects.count(),
              ServiceGuide.objects.count())
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    assert "行政执法公示：新增 0" in out.getvalue()
    after = (PublicEntry.objects.count(), Publication.objects.count(), ErrorReport.objects.count(),
             ServiceGuide.objects.count())
    assert after == before
