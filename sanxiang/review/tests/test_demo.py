"""The demo legal reviews of ``manage.py seed_demo``: a major case waiting for review, passed ones,
one returned with a 存在问题 opinion and its 法制审核意见书, one waiting for 集体讨论 after an
objection and a failed consultation, and the agency's own catalog rule; a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from sanxiang.accounts.models import Agency
from sanxiang.cases.choices import CaseState, DocumentKind
from sanxiang.ledger.models import Entry
from sanxiang.review import catalog
from sanxiang.review.choices import Outcome, ReviewStatus
from sanxiang.review.demo import CATALOG_NOTE, COLLECTIVE, RETURNED
from sanxiang.review.models import CatalogRule, LegalReview, Opinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path) -> str:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    settings.DATA_DIR = tmp_path / "data"
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    return out.getvalue()


def test_every_review_state_exists_after_the_seed(seeded: str) -> None:
    assert "法制审核：新增 3" in seeded
    reviews = LegalReview.objects.select_related("case")
    pending = reviews.filter(status=ReviewStatus.PENDING)
    assert pending.exists() and all(r.case.state == CaseState.LEGAL_REVIEW and r.case.is_major for r in pending)
    assert reviews.filter(status=ReviewStatus.PASSED).count() >= 2

    returned = reviews.get(status=ReviewStatus.PROBLEMS)
    assert RETURNED[0] in returned.case.title and returned.case.state == RETURNED[1] and returned.case.is_major
    opinion = Opinion.objects.get(review=returned)
    assert opinion.outcome == Outcome.PROBLEMS and opinion.problems
    assert opinion.document.kind == DocumentKind.LEGAL_REVIEW_OPINION and opinion.document.number

    collective = reviews.get(status=ReviewStatus.COLLECTIVE)
    assert COLLECTIVE[0] in collective.case.title and collective.case.state == COLLECTIVE[1]
    assert collective.objection and collective.consultation_record
    events = set(Entry.objects.filter(object_id=str(collective.case_id), object_type="cases.case")
                 .values_list("event_type", flat=True))
    assert {"case.legal_review_objection", "case.legal_review_consulted", "case.document_issued"} <= events

    agency = Agency.objects.get(pk=returned.case.agency_id)
    note = CatalogRule.objects.get(agency=agency, label=CATALOG_NOTE)
    assert not note.mandatory and note.source
    assert {r.code for r in catalog.rules_for(agency.pk)} == catalog.DEFAULT_CODES | {note.code}

    # The second run adds nothing.
    before = (LegalReview.objects.count(), Opinion.objects.count(), CatalogRule.objects.count(), Entry.objects.count())
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    assert "法制审核：新增 0，已有 3" in out.getvalue()
    after = (LegalReview.objects.count(), Opinion.objects.count(), CatalogRule.objects.count(), Entry.objects.count())
    assert after == before
