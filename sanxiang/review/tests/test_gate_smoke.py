"""The database half of the gate, at its simplest: a raw update cannot decide an unreviewed major case."""

import pytest
from django.db import IntegrityError, transaction

from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.models import Case
from sanxiang.cases.testing import walk_to


@pytest.fixture(autouse=True)
def _render_later(settings) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"


@pytest.mark.django_db(transaction=True)
def test_raw_update_cannot_decide_or_unmark(cw):
    case = walk_to(cw, S.DECISION)  # not major: the gate lets it through
    Case.objects.filter(pk=case.pk).update(is_major=True)
    for change in ({"state": S.SERVICE}, {"decided_on": case.received_on}, {"is_major": False}):
        with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
            Case.objects.filter(pk=case.pk).update(**change)
    assert Case.objects.get(pk=case.pk).state == S.DECISION


@pytest.mark.django_db(transaction=True)
def test_reviewed_major_case_decides(cw):
    case = walk_to(cw, S.SERVICE, major=True)
    assert case.legal_review_passed
    with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(proposed_fine=case.proposed_fine + 1)
