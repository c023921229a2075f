"""The cases API (/api/v1/cases/): a case moved through its first steps by token, refused steps
that change nothing, filters and pagination, and the persona × operation × agency matrix."""

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.accounts import tokens
from sanxiang.cases import services
from sanxiang.cases.choices import CaseSource, CaseState, DocumentKind, Procedure
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case, Party
from sanxiang.cases.testing import (
    CaseWorld,
    company_party,
    make_item,
    make_officer,
    person_party,
    record_av,
    register,
    walk_to,
)
from sanxiang.ledger.services import history
from sanxiang.testing import PASSWORD

API = "/api/v1/cases"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path) -> None:
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    # Files are rendered by the worker after commit (never, inside a test transaction): these tests
    # are about the API; the main-path test renders for real.
    settings.CASES_DOCUMENT_RENDERING = "deferred"


def bearer(user) -> dict[str, str]:
    key, _ = tokens.issue_token(user, "测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client: Client, method: str, url: str, body: dict | None = None, **headers: str):
    if method == "GET":
        return client.get(url, **headers)
    if method == "DELETE":
        return client.delete(url, **headers)
    send = {"POST": client.post, "PATCH": client.patch, "PUT": client.put}[method]
    return send(url, json.dumps(body or {}), content_type="application/json", **headers)


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


# --- the main path by token ------------------------------------------------------------------


def test_register_approve_and_investigate_by_token(client: Client, cw: CaseWorld, settings) -> None:
    settings.CASES_DOCUMENT_RENDERING = "sync"
    officer_key = client.post("/api/v1/auth/token", {"username": "officer", "password": PASSWORD},
                              content_type="application/json").json()["token"]
    officer = {"HTTP_AUTHORIZATION": f"Bearer {officer_key}"}
    head = bearer(cw.user("unit_head"))
    body = {"title": "好味食品公司经营过期食品案", "source": "complaint", "source_note": "12345 热线转办",
            "item_id": cw.item.pk, "received_on": _days_ago(3).isoformat(), "facts": "销售超过保质期的牛奶。",
            "parties": [company_party()], "officer_ids": [cw.officer.pk, cw.partner.pk], "lead_id": cw.officer.pk}
    created = call(client, "POST", f"{API}/", body, **officer)
    assert created.status_code == 201, created.content.decode()
    case = created.json()
    assert (case["state"], case["state_label"], case["case_number"]) == ("clue", "线索登记", "")
    assert case["parties"][0]["name"] == "甲市好味食品有限公司"
    assert [(h["name"], h["role"]) for h in case["handlers"]] == [("王执法", "lead"), ("李协办", "assistant")]
    request_filing = next(t for t in case["transitions"] if t["name"] == "request_filing")
    assert request_filing["problems"] == ["须先制作《立案审批表》"] and not request_filing["ready"]
    assert {"code": "filing_approval", "label": "立案审批表"} in case["issuable_documents"]
    url = f"{API}/{case['id']}"

    document = call(client, "POST", f"{url}/documents", {"kind": "filing_approval"}, **officer)
    assert document.status_code == 201 and document.json()["kind_label"] == "立案审批表"
    assert document.json()["number"] == ""  # identified by the case number, which comes at filing
    moved = call(client, "POST", f"{url}/transitions/request_filing", {}, **officer)
    assert moved.status_code == 200 and moved.json()["state"] == "filing_approval"
    # The officer cannot approve their own filing: that takes a head.
    assert [t["name"] for t in moved.json()["transitions"]] == []
    approved = call(client, "POST", f"{url}/transitions/approve_filing",
                    {"on": _days_ago(1).isoformat(), "note": "同意立案"}, **head)
    assert approved.status_code == 200, approved.content.decode()
    case = approved.json()
    assert case["state"] == "investigation" and case["case_number"]
    assert case["dates"]["filed_on"] == _days_ago(1).isoformat()
    decision = next(d for d in case["deadlines"] if d["code"] == "decision")
    assert decision["label"] == "作出处理决定" and "第六十条" in decision["source"]
    assert case["next_due_on"] == decision["due"] and case["next_due_label"] == "作出处理决定"
    assert case["next_due_provisional"] == decision["provisional"]

    call(client, "POST", f"{url}/documents", {"kind": "inspection_record"}, **officer)
    record_av(cw, case["id"])  # the recording the 音像记录事项清单 asks of 调查取证
    examined = call(client, "POST", f"{url}/transitions/end_investigation", {}, **officer)
    assert examined.status_code == 200 and examined.json()["state"] == "examination"

    timeline = call(client, "GET", f"{url}/timeline", **head).json()
    assert [e["type"] for e in timeline] == [
        "case.registered", "case.document_issued", "case.document_rendered", "case.request_filing",
        "case.approve_filing", "case.document_issued", "case.document_rendered", "case.end_investigation"]
    assert [e["index"] for e in timeline] == sorted(e["index"] for e in timeline)
    assert timeline[2]["actor"] == "系统" and "立案审批表" in timeline[2]["summary"]
    approve = timeline[4]
    assert approve["actor"] == cw.user("unit_head").full_name and approve["type_label"] == "批准立案"
    assert "批准立案" in approve["summary"] and approve["role_label"] == "承办机构负责人"
    documents = call(client, "GET", f"{url}/documents", **officer).json()
    assert [d["kind"] for d in documents] == ["filing_approval", "inspection_record"]
    assert all(d["rendered"] and len(d["pdf_sha256"]) == len(d["docx_sha256"]) == 64 for d in documents)


def test_refused_transition_is_422_in_chinese_and_changes_nothing(client: Client, cw: CaseWorld) -> None:
    case = register(cw)
    officer = bearer(cw.user("officer"))
    entries, before = history(case).count(), Case.objects.filter(pk=case.pk).values().get()
    response = call(client, "POST", f"{API}/{case.pk}/transitions/request_filing", {}, **officer)
    assert response.status_code == 422
    assert response.json()["detail"] == "不能提请立案：须先制作《立案审批表》"
    assert Case.objects.filter(pk=case.pk).values().get() == before
    assert history(case).count() == entries

    # Wrong step: the state is named; a head's transition by an officer is refused as such.
    wrong = call(client, "POST", f"{API}/{case.pk}/transitions/approve_filing", {}, **bearer(cw.user("unit_head")))
    assert wrong.status_code == 422 and wrong.json()["detail"] == "案件当前处于“线索登记”环节，不能批准立案"
    forbidden = call(client, "POST", f"{API}/{case.pk}/transitions/reject_filing", {"reason": "无"}, **officer)
    assert forbidden.status_code == 403 and "无权不予立案" in forbidden.json()["detail"]
    assert history(case).count() == entries and Case.objects.get(pk=case.pk).state == CaseState.CLUE


def test_precondition_named_for_end_of_investigation(client: Client, cw: CaseWorld) -> None:
    case = register(cw)
    services.issue_document(cw.user("officer"), case, DocumentKind.FILING_APPROVAL)
    services.perform(cw.user("officer"), case, "request_filing")
    services.perform(cw.user("unit_head"), case, "approve_filing")
    entries = history(case).count()
    response = call(client, "POST", f"{API}/{case.pk}/transitions/end_investigation", {},
                    **bearer(cw.user("officer")))
    assert response.status_code == 422
    assert "须已制作现场检查（勘验）笔录或询问笔录" in response.json()["detail"]
    assert response.json()["errors"]["__all__"] == [response.json()["detail"]]
    assert Case.objects.get(pk=case.pk).state == CaseState.INVESTIGATION and history(case).count() == entries


def test_unknown_transition_bad_fields_and_future_dates(client: Client, cw: CaseWorld) -> None:
    case = register(cw)
    officer = bearer(cw.user("officer"))
    unknown = call(client, "POST", f"{API}/{case.pk}/transitions/fly_away", {}, **officer)
    assert unknown.status_code == 404 and unknown.json()["detail"] == "没有名为“fly_away”的办案环节"
    extra = call(client, "POST", f"{API}/{case.pk}/transitions/request_filing", {"reason": "x"}, **officer)
    assert extra.status_code == 422 and extra.json()["errors"] == {"reason": ["“提请立案”不需要填写该字段"]}
    unknown_field = call(client, "POST", f"{API}/{case.pk}/transitions/request_filing", {"colour": "红"}, **officer)
    assert unknown_field.status_code == 422 and "colour" in unknown_field.json()["errors"]
    services.issue_document(cw.user("officer"), case, DocumentKind.FILING_APPROVAL)
    services.perform(cw.user("officer"), case, "request_filing")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = call(client, "POST", f"{API}/{case.pk}/transitions/approve_filing", {"on": tomorrow},
                  **bearer(cw.user("unit_head")))
    assert future.status_code == 422 and future.json()["detail"] == "办理日期不能晚于今天"
    assert Case.objects.get(pk=case.pk).state == CaseState.FILING_APPROVAL


# --- editing ----------------------------------------------------------------------------------


def test_register_validates_ids_and_party_data(client: Client, cw: CaseWorld) -> None:
    officer = bearer(cw.user("officer"))
    foreign = make_officer(cw.world.other_agency, "外机关")
    base = {"title": "案", "source": "inspection", "item_id": cw.item.pk}
    bad_officer = call(client, "POST", f"{API}/", {**base, "officer_ids": [cw.officer.pk, foreign.pk]}, **officer)
    assert bad_officer.status_code == 422
    assert bad_officer.json()["errors"]["officer_ids"] == [f"执法人员不存在或不属于本机关：{foreign.pk}"]
    foreign_item = make_item(cw.world.other_agency)
    bad_item = call(client, "POST", f"{API}/", {**base, "item_id": foreign_item.pk}, **officer)
    assert bad_item.status_code == 422 and bad_item.json()["errors"]["item_id"] == ["执法事项不存在或不属于本机关"]
    no_id = {"kind": "natural_person", "name": "张三"}
    bad_party = call(client, "POST", f"{API}/", {**base, "parties": [no_id]}, **officer)
    assert bad_party.status_code == 422 and bad_party.json()["errors"]["id_number"]
    bad_source = call(client, "POST", f"{API}/", {**base, "source": "rumour"}, **officer)
    assert bad_source.status_code == 422 and bad_source.json()["errors"]["source"][0].startswith("取值无效")
    assert not Case.objects.exists()
    # Without officer_ids the registering officer handles the case.
    alone = call(client, "POST", f"{API}/", base, **officer)
    assert alone.status_code == 201 and [h["officer_id"] for h in alone.json()["handlers"]] == [cw.officer.pk]


def test_update_follows_the_step(client: Client, cw: CaseWorld) -> None:
    case = register(cw)
    head = bearer(cw.user("unit_head"))
    changed = call(client, "PATCH", f"{API}/{case.pk}", {"title": "新案由", "facts": "新事实"}, **head)
    assert changed.status_code == 200 and (changed.json()["title"], changed.json()["facts"]) == ("新案由", "新事实")
    assert "proposed_fine" not in changed.json()["editable_fields"] and "item_id" in changed.json()["editable_fields"]
    early = call(client, "PATCH", f"{API}/{case.pk}", {"proposed_fine": "500"}, **head)
    assert early.status_code == 422 and early.json()["detail"] == "案件处于“线索登记”环节，不能修改拟罚款金额（元）"
    assert history(case).filter(event_type="case.updated").count() == 1

    services.issue_document(cw.user("officer"), case, DocumentKind.FILING_APPROVAL)
    services.perform(cw.user("officer"), case, "request_filing")
    services.perform(cw.user("unit_head"), case, "approve_filing")
    services.issue_document(cw.user("officer"), case, DocumentKind.INSPECTION_RECORD)
    record_av(cw, case.pk)
    services.perform(cw.user("officer"), case, "end_investigation")
    proposal = {"proposed_type": "penalty", "proposed_penalties": ["warning", "fine"], "proposed_fine": "3000.00",
                "proposed_basis": [cw.article.pk], "proposal_text": "警告并罚款"}
    proposed = call(client, "PATCH", f"{API}/{case.pk}", proposal, **head)
    assert proposed.status_code == 200, proposed.content.decode()
    got = proposed.json()["proposal"]
    assert got["type_label"] == "给予行政处罚" and got["fine"] == "3000.00"
    assert [p["label"] for p in got["penalties"]] == ["警告", "罚款"]
    assert [(a["id"], a["label"]) for a in got["basis"]] == [(cw.article.pk, cw.article.label)]
    missing = call(client, "PATCH", f"{API}/{case.pk}", {"proposed_basis": [999999]}, **head)
    assert missing.status_code == 422 and missing.json()["errors"]["proposed_basis"] == ["所选法律条款不存在"]


def test_parties_and_handlers(client: Client, cw: CaseWorld) -> None:
    case = register(cw)
    officer = bearer(cw.user("officer"))
    added = call(client, "POST", f"{API}/{case.pk}/parties", person_party(), **officer)
    assert added.status_code == 201 and added.json()["kind_label"] == "自然人"
    party_url = f"{API}/{case.pk}/parties/{added.json()['id']}"
    changed = call(client, "PATCH", party_url, {"phone": "13900139000"}, **officer)
    assert changed.status_code == 200 and changed.json()["phone"] == "13900139000"
    other_case = register(cw)
    assert call(client, "PATCH", f"{API}/{other_case.pk}/parties/{added.json()['id']}", {},
                **officer).status_code == 404  # the party is not of that case
    assert call(client, "DELETE", party_url, **officer).status_code == 204
    assert not Party.objects.filter(pk=added.json()["id"]).exists()

    third = make_officer(cw.world.agency, "孙执法")
    put = call(client, "PUT", f"{API}/{case.pk}/handlers", {"officer_ids": [cw.officer.pk, third.pk],
                                                             "lead_id": third.pk}, **officer)
    assert put.status_code == 200
    assert [(h["name"], h["role_label"]) for h in put.json()["handlers"]] == [("孙执法", "主办"), ("王执法", "协办")]
    one = call(client, "PUT", f"{API}/{case.pk}/handlers", {"officer_ids": [cw.officer.pk]}, **officer)
    assert one.status_code == 422 and "不得少于两人" in one.json()["detail"]
    expired = make_officer(cw.world.agency, "过期", expires=timezone.localdate() - dt.timedelta(days=1))
    stale = call(client, "PUT", f"{API}/{case.pk}/handlers", {"officer_ids": [cw.officer.pk, expired.pk]}, **officer)
    assert stale.status_code == 422
    assert sorted(Case.objects.get(pk=case.pk).handlers.values_list("officer__name", flat=True)) == ["孙执法", "王执法"]


def test_officer_who_does_not_handle_the_case_is_refused(client: Client, cw: CaseWorld) -> None:
    third = make_officer(cw.world.agency, "孙执法")
    case = services.register_case(cw.user("unit_head"), title="他人承办的案件", source=CaseSource.INSPECTION,
                                  item=cw.item, parties=[company_party()], officers=[cw.partner, third])
    officer = bearer(cw.user("officer"))
    assert call(client, "GET", f"{API}/{case.pk}", **officer).json()["transitions"] == []
    refused = call(client, "PATCH", f"{API}/{case.pk}", {"title": "改"}, **officer)
    assert refused.status_code == 403 and "执法人员须为本案承办人" in refused.json()["detail"]


# --- the list ---------------------------------------------------------------------------------


def _filed(cw: CaseWorld, filed_days_ago: int, party: dict | None = None) -> Case:
    """A case in investigation, filed ``filed_days_ago`` days ago (back-entered)."""
    case = register(cw, party=party, received_on=_days_ago(filed_days_ago + 5))
    services.issue_document(cw.user("officer"), case, DocumentKind.FILING_APPROVAL)
    services.perform(cw.user("officer"), case, "request_filing")
    return services.perform(cw.user("unit_head"), case, "approve_filing", on=_days_ago(filed_days_ago))


def _ids(client: Client, query: str, headers: dict) -> list[int]:
    response = client.get(f"{API}/?{query}", **headers)
    assert response.status_code == 200, response.content.decode()
    return [row["id"] for row in response.json()["items"]]


def test_filters(client: Client, cw: CaseWorld) -> None:
    overdue = _filed(cw, 110)  # the 90-day decision period ended about 20 days ago
    soon = _filed(cw, 89, party={**person_party(), "name": "张三丰"})  # ends tomorrow (or the next working day)
    fresh = _filed(cw, 0)
    clue = register(cw, procedure=Procedure.SIMPLE)
    third = make_officer(cw.world.agency, "孙执法")
    other_item = make_item(cw.world.agency)
    theirs = services.register_case(cw.user("unit_head"), title="另一事项", source=CaseSource.INSPECTION,
                                    item=other_item, parties=[company_party()], officers=[cw.partner, third])
    foreign_item = make_item(cw.world.other_agency)
    make_officer(cw.world.other_agency, "赵执法", cw.user("other_officer"))
    services.register_case(cw.user("other_officer"), title="外机关", source=CaseSource.INSPECTION, item=foreign_item)
    head = bearer(cw.user("unit_head"))

    everything = _ids(client, "limit=100", head)
    assert set(everything) == {overdue.pk, soon.pk, fresh.pk, clue.pk, theirs.pk}  # not the other agency's
    assert set(_ids(client, "state=investigation", head)) == {overdue.pk, soon.pk, fresh.pk}
    assert _ids(client, "procedure=simple", head) == [clue.pk]
    assert _ids(client, f"item={other_item.pk}", head) == [theirs.pk]
    assert set(_ids(client, f"officer={third.pk}", head)) == {theirs.pk}
    assert set(_ids(client, f"officer={cw.officer.pk}", head)) == {overdue.pk, soon.pk, fresh.pk, clue.pk}
    assert _ids(client, "party=张三", head) == [soon.pk]
    assert _ids(client, f"party={soon.parties.get().id_number}", head) == [soon.pk]
    assert set(_ids(client, "state=open", head)) == set(everything)
    assert set(_ids(client, "deadline=none", head)) == {clue.pk, theirs.pk}
    assert _ids(client, f"agency={cw.world.other_agency.pk}", head) == []  # filters never widen access
    assert _ids(client, "deadline=overdue", head) == [overdue.pk]
    assert _ids(client, "deadline=due_soon", head) == [soon.pk]
    provisional = {c.pk for c in Case.objects.filter(agency=cw.world.agency, next_due_provisional=True)}
    assert set(_ids(client, "deadline=provisional", head)) == provisional
    if not current_calendar().knows(timezone.localdate().year + 1):  # next year's schedule not loaded yet
        assert fresh.pk in provisional and overdue.pk not in provisional

    rows = {row["id"]: row for row in client.get(f"{API}/?limit=100", **head).json()["items"]}
    assert (rows[overdue.pk]["due_status"], rows[overdue.pk]["due_status_label"]) == ("overdue", "已超期")
    assert (rows[soon.pk]["due_status"], rows[soon.pk]["due_status_label"]) == ("due_soon", "即将到期")
    assert rows[fresh.pk]["due_status"] == "ok" and rows[clue.pk]["due_status"] is None
    assert rows[soon.pk]["next_due_label"] == "作出处理决定" and rows[soon.pk]["state_label"] == "调查取证"

    by_due = _ids(client, "ordering=next_due_on&limit=100", head)
    assert by_due[:3] == [overdue.pk, soon.pk, fresh.pk] and set(by_due[3:]) == {clue.pk, theirs.pk}
    assert _ids(client, "ordering=-next_due_on&limit=100", head)[:3] == [fresh.pk, soon.pk, overdue.pk]
    assert _ids(client, "ordering=received_on&limit=100", head)[0] == overdue.pk

    bad = client.get(f"{API}/?deadline=someday&ordering=title", **head)
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"deadline", "ordering"}


def test_pagination_is_stable_and_bounded(client: Client, cw: CaseWorld) -> None:
    made = [register(cw, received_on=_days_ago(10)).pk for _ in range(5)]
    head = bearer(cw.user("unit_head"))
    pages = [client.get(f"{API}/?limit=2&offset={offset}", **head).json() for offset in (0, 2, 4)]
    assert [p["count"] for p in pages] == [5, 5, 5] and [len(p["items"]) for p in pages] == [2, 2, 1]
    seen = [row["id"] for p in pages for row in p["items"]]
    assert seen == sorted(made, reverse=True)  # same day: newest first, no overlap, no gap
    assert client.get(f"{API}/?limit=1000", **head).json()["limit"] == 100


# --- the lifecycle definition and the schema --------------------------------------------------


def test_lifecycle_definition(client: Client, cw: CaseWorld) -> None:
    body = client.get(f"{API}/transitions", **bearer(cw.user("officer"))).json()
    assert body["states"][0] == {"code": "clue", "label": "线索登记"}
    approve = next(t for t in body["transitions"] if t["name"] == "approve_filing")
    assert approve["sources"] == [{"code": "filing_approval", "label": "立案审批"}]
    assert approve["target"] == {"code": "investigation", "label": "调查取证"}
    assert {r["label"] for r in approve["roles"]} == {"承办机构负责人", "机关负责人"}
    assert {"code": "two_officers", "label": "承办人须至少两名且执法证均在有效期内（行政处罚法第四十二条）"} \
        in approve["requires"]
    request = next(t for t in body["transitions"] if t["name"] == "request_filing")
    assert request["documents"] == [{"code": "filing_approval", "label": "立案审批表"}]
    pause = next(t for t in body["transitions"] if t["name"] == "pause_clock")
    assert pause["target"] is None and pause["step"] is False and "第六十条" in pause["law"]
    assert set(body["fields"]) >= {f for t in body["transitions"] for f in t["fields"]}
    assert "closed" not in body["open_states"] and "investigation" in body["open_states"]


def test_openapi_documents_the_cases_api(client: Client, world) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/cases/", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/transitions/{name}",
                 "/api/v1/cases/{case_id}/timeline", "/api/v1/cases/{case_id}/documents",
                 "/api/v1/cases/{case_id}/handlers", "/api/v1/cases/{case_id}/parties/{party_id}",
                 "/api/v1/cases/transitions"):
        assert path in paths, path
    assert paths["/api/v1/cases/"]["get"]["summary"] == "案件列表"
    assert "422" in paths["/api/v1/cases/{case_id}/transitions/{name}"]["post"]["responses"]
    assert "前提条件" in paths["/api/v1/cases/{case_id}/transitions/{name}"]["post"]["description"]
    assert schema["components"]["schemas"]["CaseOut"]["properties"]["title"]["title"] == "案由"


# --- persona × operation × agency ------------------------------------------------------------

PERSONAS = ["anonymous", "officer", "unit_head", "reviewer", "agency_head", "publisher", "admin", "supervisor",
            "other_officer", "other_admin", "far_admin"]
HOME = {"officer": "own", "unit_head": "own", "reviewer": "own", "agency_head": "own", "publisher": "own",
        "admin": "own", "supervisor": "bureau", "other_officer": "other", "other_admin": "other",
        "far_admin": "far"}
# Who may write a case in the clue step: its handling officer (the "officer" persona handles the
# own case, "other_officer" the other agency's), the unit head and the agency head.
EDITORS = {"own": {"officer", "unit_head", "agency_head"}, "other": {"other_officer"}}
HANDLERS = {"own": {"officer", "unit_head"}, "other": {"other_officer"}}  # request_filing


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # {case} and {party} are filled in
    ok: int
    writes: str = ""  # "" = read; else who may: "editors" or "handlers"
    refused_ok: int = 0  # the answer of an allowed role when a precondition fails (422)


OPS = [
    Op("GET", "/{case}", 200),
    Op("GET", "/{case}/timeline", 200),
    Op("GET", "/{case}/documents", 200),
    Op("PATCH", "/{case}", 200, "editors"),
    Op("POST", "/{case}/parties", 201, "editors"),
    Op("PATCH", "/{case}/parties/{party}", 200, "editors"),
    Op("DELETE", "/{case}/parties/{party}", 204, "editors"),
    Op("PUT", "/{case}/handlers", 200, "editors"),
    Op("POST", "/{case}/documents", 201, "editors"),
    # No 立案审批表 yet: an allowed role gets the precondition (422), everybody else 403/404.
    Op("POST", "/{case}/transitions/request_filing", 422, "handlers"),
]


def expected(persona: str, op: Op, owner: str) -> int:
    """The policy: anonymous 401; another agency's case 404 (a supervisor reads their
    jurisdiction's cases, read-only); a visible case 403 for writes by roles the step does not allow."""
    if persona == "anonymous":
        return 401
    visible = HOME[persona] == owner or persona == "supervisor"
    if not visible:
        return 404
    if not op.writes:
        return op.ok
    allowed = (EDITORS if op.writes == "editors" else HANDLERS).get(owner, set())
    return op.ok if persona in allowed else 403


@pytest.fixture
def cases(cw: CaseWorld) -> dict[str, dict]:
    """A clue case of the own agency (handled by "officer") and of the other agency of the same
    city (handled by "other_officer"), with the officer ids each needs for PUT handlers."""
    other = cw.world.other_agency
    mine = make_officer(other, "赵执法", cw.user("other_officer"))
    partner = make_officer(other, "钱协办")
    theirs = services.register_case(cw.user("other_officer"), title="某旅行社未经许可经营案",
                                    source=CaseSource.INSPECTION, item=make_item(other),
                                    parties=[company_party()], officers=[mine, partner])
    return {"own": {"case": register(cw), "handlers": [cw.officer.pk, cw.partner.pk], "editor": "unit_head"},
            "other": {"case": theirs, "handlers": [mine.pk, partner.pk], "editor": "other_officer"}}


def _body(op: Op, target: dict) -> dict | None:
    if op.method == "PUT":
        return {"officer_ids": target["handlers"]}
    if op.path == "/{case}/parties":
        return person_party()
    if op.path == "/{case}/documents" and op.method == "POST":
        return {"kind": "inspection_record"}
    if op.method == "PATCH":
        return {"phone": "13900139000"} if "party" in op.path else {"title": target["case"].title}
    return {}


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_matrix(persona: str, client: Client, cw: CaseWorld, cases: dict) -> None:
    headers = {} if persona == "anonymous" else bearer(cw.user(persona))
    failures = []
    for owner, target in cases.items():
        case = target["case"]
        for op in OPS:
            # A party of its own for each attempt, so a successful DELETE does not spoil the next.
            party = services.add_party(cw.user(target["editor"]), case, company_party())
            url = API + op.path.format(case=case.pk, party=party.pk)
            response = call(client, op.method, url, _body(op, target), **headers)
            want = expected(persona, op, owner)
            if response.status_code != want:
                failures.append(f"{op.method} {op.path} [{owner}] expected {want}, got {response.status_code}")
            elif want >= 400:
                assert "detail" in response.json() and any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
        if persona in HANDLERS[owner] or persona in EDITORS[owner]:
            assert Case.objects.get(pk=case.pk).state == CaseState.CLUE  # the refused transition changed nothing
    model_level = {"GET /": 200, "GET /transitions": 200,
                   "POST /": 201 if persona in {"officer", "unit_head", "agency_head", "other_officer"} else 403}
    for key, want in model_level.items():
        method, path = key.split(" ")
        body = {"title": "新线索", "source": "inspection"} if method == "POST" else None
        got = call(client, method, API + path, body, **headers).status_code
        want = 401 if persona == "anonymous" else want
        if got != want:
            failures.append(f"{key} expected {want}, got {got}")
    assert not failures, f"{persona}: " + "; ".join(failures)


@pytest.mark.parametrize("persona", ["officer", "supervisor", "other_officer", "far_admin"])
def test_list_shows_only_visible_cases(persona: str, client: Client, cw: CaseWorld, cases: dict) -> None:
    seen = set(_ids(client, "limit=100", bearer(cw.user(persona))))
    visible = {owner for owner in cases if persona == "supervisor" or HOME[persona] == owner}
    assert seen == {cases[owner]["case"].pk for owner in visible}


def test_supervisor_read_of_another_agency_is_recorded(client: Client, cw: CaseWorld, cases: dict) -> None:
    case = cases["other"]["case"]
    before = history(case).count()
    assert call(client, "GET", f"{API}/{case.pk}", **bearer(cw.user("supervisor"))).status_code == 200
    entries = list(history(case))
    assert len(entries) == before + 1 and entries[-1].event_type == "read.cases.case"
    timeline = call(client, "GET", f"{API}/{case.pk}/timeline", **bearer(cw.user("other_officer"))).json()
    assert timeline[-1]["type_label"] == "监督调阅执法案件"
    # Reading one's own agency's case records nothing.
    own = cases["own"]["case"]
    count = history(own).count()
    call(client, "GET", f"{API}/{own.pk}", **bearer(cw.user("unit_head")))
    assert history(own).count() == count


def test_step_inputs_of_every_kind(client: Client, cw: CaseWorld) -> None:
    """Choices, booleans, dates and numbers in a transition's body reach the service as it expects."""
    head, boss = bearer(cw.user("unit_head")), bearer(cw.user("agency_head"))
    investigating = _filed(cw, 10)
    url = f"{API}/{investigating.pk}/transitions"
    pause = {"kind": "testing", "reason": "送检", "on": _days_ago(2).isoformat()}
    paused = call(client, "POST", f"{url}/pause_clock", pause, **head)
    assert paused.status_code == 200, paused.content.decode()
    assert "decision" not in [d["code"] for d in paused.json()["deadlines"]]  # the clock stands still
    bad_kind = call(client, "POST", f"{url}/resume_clock", {"kind": "holiday"}, **head)
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]
    resumed = call(client, "POST", f"{url}/resume_clock", {"on": _days_ago(1).isoformat()}, **head)
    assert resumed.status_code == 200 and "decision" in [d["code"] for d in resumed.json()["deadlines"]]
    extended = call(client, "POST", f"{url}/extend_deadline", {"days": 30, "reason": "案情复杂"}, **boss)
    assert extended.status_code == 200 and extended.json()["dates"]["extension_days"] == 30

    serving = walk_to(cw, CaseState.SERVICE)
    services.issue_document(cw.user("officer"), serving, DocumentKind.SERVICE_RECEIPT)
    served = call(client, "POST", f"{API}/{serving.pk}/transitions/serve",
                  {"method": "electronic", "electronic_consent": True}, **bearer(cw.user("officer")))
    assert served.status_code == 200, served.content.decode()
    dates = served.json()["dates"]
    assert (served.json()["state"], dates["service_method"], dates["electronic_consent"]) == \
        ("execution", "electronic", True)
    assert served.json()["decision"]["type_label"] == "给予行政处罚"
    assert served.json()["decision"]["basis"][0]["id"] == cw.article.pk
    assert [d["code"] for d in served.json()["deadlines"]] == ["payment"]
