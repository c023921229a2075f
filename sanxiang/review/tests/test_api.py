"""The legal review API (/api/v1/reviews/): persona × operation × own/foreign agency, a review taken
from submission to 集体讨论 by token, the lost race (an opinion given twice is 409), the queue's
filters and order, the catalog and the staffing, and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client

from sanxiang.accounts import tokens
from sanxiang.cases import services as case_services
from sanxiang.cases.choices import CaseState, DecisionType, DocumentKind
from sanxiang.cases.models import Case
from sanxiang.cases.testing import CaseWorld, walk_to
from sanxiang.ledger.models import Entry
from sanxiang.review.choices import REVIEW_POINTS, ReviewStatus
from sanxiang.review.models import LegalReview, Opinion
from sanxiang.review.testing import TEXTS
from sanxiang.tests.matrix import PERSONAS

pytestmark = pytest.mark.django_db
API = "/api/v1/reviews"
FOREIGN = {"other_officer", "other_admin", "far_admin"}
ALL_OK = {code: {"finding": "ok", "note": ""} for code, _ in REVIEW_POINTS}


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path) -> None:
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    settings.DATA_DIR = tmp_path / "data"
    settings.CASES_DOCUMENT_RENDERING = "deferred"


def bearer(user) -> dict[str, str]:
    key, _ = tokens.issue_token(user, "测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client: Client, method: str, url: str, body: dict | None = None, **headers: str):
    if method == "GET":
        return client.get(url, **headers)
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def proposed(cw: CaseWorld) -> Case:
    """A major case in 案件审查 with a proposal, ready to be submitted."""
    case = walk_to(cw, CaseState.EXAMINATION)
    case_services.update_case(cw.user("unit_head"), case.pk, {
        "proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning", "fine"],
        "proposed_fine": Decimal("200000"), "proposed_basis": [cw.article.pk], "proposal_text": "警告，并处罚款",
        "is_major": True, "major_reason": "拟罚款数额较大"})
    return Case.objects.get(pk=case.pk)


# --- persona × operation -----------------------------------------------------------------------

# Bodies valid for the schema that the service refuses after the role check (422), so a persona
# allowed to act is told what is wrong and nothing changes.
OPS = [
    ("GET", "", None, set(PERSONAS) - {"anonymous"} - FOREIGN),
    ("POST", "/opinion", {"outcome": "agree", "findings": {}, "text": "同意"}, {"reviewer"}),
    ("POST", "/extend", {"reason": "  "}, {"reviewer", "agency_head"}),
    ("POST", "/reassign", {"reviewer_id": 999999}, {"agency_head", "unit_head"}),
    ("POST", "/objection", {"text": " "}, {"officer", "unit_head"}),
    ("POST", "/consultation", {"record": "协商", "result": "maybe"}, {"reviewer"}),
    ("POST", "/collective", {"minutes": " ", "members": "甲、乙", "conclusion": "adopt_proposal"}, {"agency_head"}),
]


def expected(persona: str, method: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 401
    if persona in FOREIGN:
        return 404
    if method == "GET":
        return 200
    return 422 if persona in allowed else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_matrix(persona: str, client: Client, cw: CaseWorld) -> None:
    case = walk_to(cw, CaseState.LEGAL_REVIEW, major=True)
    review = LegalReview.objects.get(case=case)
    headers = {} if persona == "anonymous" else bearer(cw.user(persona))
    before = Entry.objects.count()
    failures = []
    for method, path, body, allowed in OPS:
        response = call(client, method, f"{API}/{review.pk}{path}", body, **headers)
        want = expected(persona, method, allowed)
        if response.status_code != want:
            failures.append(f"{method} {path} expected {want}, got {response.status_code}: {response.content[:200]}")
        elif want >= 400:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    # 送审 of a case that is already under review: handlers get 422, other members 403, outsiders 404.
    got = call(client, "POST", f"{API}/", {"case_id": case.pk, **TEXTS}, **headers).status_code
    want = expected(persona, "POST", {"officer", "unit_head"})
    if got != want:
        failures.append(f"POST / expected {want}, got {got}")
    for path in ("/", "/catalog", "/staffing"):
        got = call(client, "GET", API + path, **headers).status_code
        if got != (401 if persona == "anonymous" else 200):
            failures.append(f"GET {path} got {got}")
    assert not failures, f"{persona}: " + "; ".join(failures)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING and not review.opinions.exists() and not review.extension_reason
    reads = Entry.objects.filter(pk__gt=0).count() - before
    assert reads == (1 if persona == "supervisor" else 0)  # only the supervisor's read of the detail is recorded


# --- the whole way by token --------------------------------------------------------------------

def test_submit_problems_objection_consultation_collective(client: Client, cw: CaseWorld) -> None:
    case = proposed(cw)
    head, reviewer, boss = (bearer(cw.user(p)) for p in ("unit_head", "reviewer", "agency_head"))
    submitted = call(client, "POST", f"{API}/", {"case_id": case.pk, **TEXTS}, **head)
    assert submitted.status_code == 201, submitted.content.decode()
    data = submitted.json()
    assert data["status"] == "pending" and data["reviewer"]["id"] == cw.user("reviewer").pk
    assert Decimal(str(data["proposal"]["fine"])) == Decimal("200000")
    assert {m["code"] for m in data["materials"]} >= {"investigation_report", "discretion_note"}
    pk = data["id"]
    queue = call(client, "GET", f"{API}/?mine=true", **reviewer).json()
    assert [r["id"] for r in queue["items"]] == [pk] and queue["count"] == 1

    findings = {**ALL_OK, "discretion": {"finding": "problem", "note": "裁量偏重"}}
    opinion = call(client, "POST", f"{API}/{pk}/opinion", {"outcome": "problems", "findings": findings,
                                                           "problems": "罚款高于裁量基准", "text": "存在问题，请修改"},
                   **reviewer)
    assert opinion.status_code == 201, opinion.content.decode()
    body = opinion.json()
    assert body["status"] == "problems" and body["opinions"][0]["outcome"] == "problems"
    assert body["opinions"][0]["document"]["number"]  # the 法制审核意见书 was issued
    points = {p["code"]: p for p in body["opinions"][0]["points"]}
    assert points["discretion"] == {"code": "discretion", "label": "裁量基准运用适当", "finding": "problem",
                                    "note": "裁量偏重"}
    assert Case.objects.get(pk=case.pk).state == CaseState.EXAMINATION

    officer = bearer(cw.user("officer"))
    assert call(client, "POST", f"{API}/{pk}/objection", {"text": "裁量有依据"}, **officer).json()["status"] \
        == "consultation"
    consulted = call(client, "POST", f"{API}/{pk}/consultation", {"record": "双方各执己见", "result": "no_agreement"},
                     **reviewer)
    assert consulted.json()["status"] == "collective"
    concluded = call(client, "POST", f"{API}/{pk}/collective", {"minutes": "经集体讨论，同意拟处理意见", "members": "甲、乙、丙",
                                                                "conclusion": "adopt_proposal"}, **boss)
    assert concluded.status_code == 200, concluded.content.decode()
    final = call(client, "GET", f"{API}/{pk}", **head).json()
    assert final["status"] == "collective_passed" and final["collective_members"] == "甲、乙、丙"
    assert [v["version"] for v in final["versions"]] == [1]
    roles = {r["role"]: r["name"] for r in final["responsibility"]}
    assert roles["集体讨论主持人（对分歧的决定负责）"] == "agency_head" and roles["审核人（对审核意见负责）"] == "reviewer"


def test_an_opinion_given_twice_is_a_conflict(client: Client, cw: CaseWorld) -> None:
    """The second opinion is 409, not 422: the request itself is valid; the submission changed
    under it (already decided, by the same or another reviewer), which is a lost race."""
    case = walk_to(cw, CaseState.LEGAL_REVIEW, major=True)
    review = LegalReview.objects.get(case=case)
    reviewer = bearer(cw.user("reviewer"))
    body = {"outcome": "agree", "findings": ALL_OK, "text": "经审核，同意拟处理意见。"}
    assert call(client, "POST", f"{API}/{review.pk}/opinion", body, **reviewer).status_code == 201
    entries = Entry.objects.count()
    again = call(client, "POST", f"{API}/{review.pk}/opinion", body, **reviewer)
    assert again.status_code == 409
    assert "已由他人处理" in again.json()["detail"]
    assert Opinion.objects.filter(review=review).count() == 1 and Entry.objects.count() == entries
    assert case.documents.filter(kind=DocumentKind.LEGAL_REVIEW_OPINION).count() == 1


def test_refusals_are_422_in_chinese(client: Client, cw: CaseWorld) -> None:
    case = walk_to(cw, CaseState.LEGAL_REVIEW, major=True)
    review = LegalReview.objects.get(case=case)
    reviewer = bearer(cw.user("reviewer"))
    assert call(client, "POST", f"{API}/{review.pk}/extend", {"reason": "案情复杂"}, **reviewer).status_code == 200
    twice = call(client, "POST", f"{API}/{review.pk}/extend", {"reason": "仍需时间"}, **reviewer)
    assert twice.status_code == 422 and "只能延长一次" in twice.json()["detail"]
    bad = call(client, "POST", f"{API}/{review.pk}/opinion", {"outcome": "perhaps", "text": "x"}, **reviewer)
    assert bad.status_code == 422 and "outcome" in bad.json()["errors"]
    extra = call(client, "POST", f"{API}/{review.pk}/extend", {"reason": "x", "due_on": "2030-01-01"}, **reviewer)
    assert extra.status_code == 422 and "due_on" in extra.json()["errors"]
    assert call(client, "GET", f"{API}/999999", **reviewer).status_code == 404


def test_queue_filters_and_order(client: Client, cw: CaseWorld) -> None:
    first = LegalReview.objects.get(case=walk_to(cw, CaseState.LEGAL_REVIEW, major=True))
    second = LegalReview.objects.get(case=walk_to(cw, CaseState.LEGAL_REVIEW, major=True))
    LegalReview.objects.filter(pk=first.pk).update(due_on=second.due_on + dt.timedelta(days=3))
    head = bearer(cw.user("unit_head"))
    rows = call(client, "GET", f"{API}/?status=pending", **head).json()
    assert [r["id"] for r in rows["items"]] == [second.pk, first.pk]
    assert call(client, "GET", f"{API}/?status=passed", **head).json()["count"] == 0
    page = call(client, "GET", f"{API}/?limit=1&offset=1", **head).json()
    assert page["count"] == 2 and [r["id"] for r in page["items"]] == [first.pk]
    assert call(client, "GET", f"{API}/?mine=true", **head).json()["count"] == 0
    assert call(client, "GET", f"{API}/", **bearer(cw.user("other_officer"))).json()["count"] == 0
    assert call(client, "GET", f"{API}/", **bearer(cw.user("supervisor"))).json()["count"] == 2


def test_catalog_and_staffing(client: Client, cw: CaseWorld) -> None:
    world = cw.world
    own = call(client, "GET", f"{API}/catalog", **bearer(cw.user("officer"))).json()
    assert own["agency"]["id"] == world.agency.pk and own["customised"] is False and own["full_coverage"] is False
    hearing = next(r for r in own["rules"] if r["code"] == "hearing")
    assert hearing["mandatory"] and "第五十八条" in hearing["source"]
    licence = next(r for r in own["rules"] if r["code"] == "licence")
    assert licence["value_labels"] == ["降低资质等级", "吊销许可证件"]
    supervisor = bearer(cw.user("supervisor"))
    assert call(client, "GET", f"{API}/catalog?agency_id={world.other_agency.pk}", **supervisor).status_code == 200
    assert call(client, "GET", f"{API}/catalog?agency_id={world.agency.pk}",
                **bearer(cw.user("other_officer"))).status_code == 404
    mine = call(client, "GET", f"{API}/staffing", **bearer(cw.user("officer"))).json()
    assert [s["agency"]["id"] for s in mine] == [world.agency.pk]
    # Two officers (no reviewer flag) and one user with the reviewer role: 1 of 2 = 50 %.
    assert mine[0]["officers"] == 2 and mine[0]["reviewers"] == 1 and not mine[0]["short"]
    seen = {s["agency"]["id"] for s in call(client, "GET", f"{API}/staffing", **supervisor).json()}
    assert seen == {world.agency.pk, world.other_agency.pk, world.bureau.pk}


def test_openapi_schema_builds(client: Client, cw: CaseWorld) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/reviews/{review_id}/opinion" in paths and "/api/v1/reviews/catalog" in paths
    schemas = response.json()["components"]["schemas"]
    assert schemas["OpinionIn"]["properties"]["text"]["title"] == "审核意见"
