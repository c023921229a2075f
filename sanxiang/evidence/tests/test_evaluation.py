"""案卷评查: the automatic score of closed cases, supervisors' own findings, and the pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sanxiang.cases.choices import CaseState
from sanxiang.cases.models import Case
from sanxiang.cases.testing import walk_to
from sanxiang.evidence import evaluation
from sanxiang.ledger.models import Entry
from sanxiang.testing import PASSWORD


@pytest.fixture
def closed(cw, settings):
    settings.CASES_DOCUMENT_RENDERING = "sync"  # signed documents are part of the score
    return walk_to(cw, CaseState.ARCHIVED)


def failing(result) -> list[str]:
    return [f.label for f in result.findings if not f.ok]


def test_a_well_kept_file_scores_full_marks(closed) -> None:
    result = evaluation.evaluate(closed)
    assert failing(result) == [] and result.score == 100
    labels = {f.label for f in result.findings}
    assert {"《行政处罚决定书》", "《送达回证》", "办案期限（行政处罚法第六十条）", "执法人员资格（第四十二条）"} <= labels


def test_a_late_decision_and_an_unsigned_document_cost_points(closed) -> None:
    Case.objects.filter(pk=closed.pk).update(filed_on=closed.decided_on.replace(year=closed.decided_on.year - 1))
    closed.documents.filter(kind="decision").update(signature="")
    result = evaluation.evaluate(Case.objects.get(pk=closed.pk))
    assert set(failing(result)) == {"办案期限（行政处罚法第六十条）", "《行政处罚决定书》"}
    assert result.score == 100 - 15 - 5


def test_supervisors_add_findings_which_are_recorded(cw, closed) -> None:
    finding = evaluation.add_finding(cw.user("supervisor"), closed, "询问笔录未载明告知回避权利", 10)
    assert evaluation.evaluate(closed).score == 90
    assert Entry.objects.filter(event_type="evidence.finding_added", object_id=str(finding.pk)).exists()
    with pytest.raises(PermissionDenied):
        evaluation.add_finding(cw.user("agency_head"), closed, "自评", 0)


def login(client, cw, persona):
    assert client.login(username=cw.user(persona).username, password=PASSWORD)


@pytest.mark.parametrize("persona", ["officer", "unit_head", "reviewer", "agency_head", "publisher", "admin",
                                     "supervisor", "other_officer", "anonymous"])
def test_page_matrix(client, cw, closed, persona) -> None:
    if persona != "anonymous":
        login(client, cw, persona)
    overview = client.get(reverse("evidence:evaluation"))
    page = client.get(reverse("evidence:evaluation_case", args=[closed.pk]))
    if persona == "anonymous":
        assert overview.status_code == page.status_code == 302
        return
    assert overview.status_code == 200
    assert (closed.case_number in overview.content.decode()) == (persona != "other_officer")
    assert page.status_code == (404 if persona == "other_officer" else 200)
    post = client.post(reverse("evidence:evaluation_case", args=[closed.pk]), {"text": "意见", "deduction": "5"})
    expected = {"supervisor": 302, "other_officer": 404}.get(persona, 403)
    assert post.status_code == expected
