"""API authentication (bearer token and session + CSRF) and the accounts endpoints."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from sanxiang.accounts.models import ApiToken, User
from sanxiang.testing import PASSWORD, World, make_uscc

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


def get_token(client: Client, username: str, password: str = PASSWORD, name: str = "测试脚本"):
    return client.post(TOKEN_URL, {"username": username, "password": password, "name": name},
                       content_type="application/json")


def auth(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


# --- token flow ----------------------------------------------------------------------------------


def test_token_is_issued_and_identifies_the_user(client, world: World):
    response = get_token(client, "unit_head")
    assert response.status_code == 201
    body = response.json()
    key = body["token"]
    stored = ApiToken.objects.get(user=world.personas["unit_head"])
    # Only the digest is stored; the key is not recoverable from the database.
    assert stored.key_hash == ApiToken.hash_key(key) and key not in stored.key_hash
    assert (stored.name, stored.prefix) == ("测试脚本", key[:8])
    lifetime = stored.expires_at - timezone.now()
    assert datetime.timedelta(days=29, hours=23) < lifetime <= datetime.timedelta(days=30)
    me = client.get(ME_URL, **auth(key))
    assert me.status_code == 200
    assert me.json()["username"] == "unit_head"
    assert me.json()["agency"] == {"id": world.agency.pk, "name": world.agency.name}
    assert me.json()["roles"] == [{"code": "unit_head", "label": "承办机构负责人"}]
    assert me.json()["auth_method"] == "token"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_bad_password_is_401_in_chinese(client, world):
    response = get_token(client, "officer", "wrong-password-1")
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码不正确，或账户已停用。"
    assert "用户名".encode() in response.content  # UTF-8, not \u escapes
    assert not ApiToken.objects.exists()


def test_lockout_applies_to_the_token_endpoint(client, world):
    for _ in range(settings.LOCKOUT_MAX_FAILURES - 1):
        assert get_token(client, "officer", "wrong-password-1").status_code == 401
    last_try = get_token(client, "officer", "wrong-password-1")
    assert last_try.status_code == 429
    assert "账户已锁定" in last_try.json()["detail"]
    locked = get_token(client, "officer")  # even the right password is refused now
    assert locked.status_code == 429
    assert "账户已锁定" in locked.json()["detail"]
    assert not ApiToken.objects.exists()


def test_expired_token_is_rejected(client, world):
    key = get_token(client, "officer").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(ME_URL, **auth(key))
    assert response.status_code == 401
    assert "未登录" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_rejected(client, world):
    key = get_token(client, "officer").json()["token"]
    other_key = get_token(client, "officer", name="第二个").json()["token"]
    assert client.delete(TOKEN_URL, **auth(key)).status_code == 204
    assert client.get(ME_URL, **auth(key)).status_code == 401
    # Revoking one token leaves the user's other tokens alone.
    assert client.get(ME_URL, **auth(other_key)).status_code == 200


def test_unknown_and_malformed_tokens_are_rejected(client, world):
    assert client.get(ME_URL, **auth("sx_not-a-real-token")).status_code == 401
    assert client.get(ME_URL, HTTP_AUTHORIZATION="Token abc").status_code == 401
    assert client.get(ME_URL).status_code == 401


def test_token_of_deactivated_user_stops_working(client, world):
    key = get_token(client, "officer").json()["token"]
    User.objects.filter(username="officer").update(is_active=False)
    assert client.get(ME_URL, **auth(key)).status_code == 401


def test_user_without_agency_gets_no_token(client, world):
    User.objects.filter(username="officer").update(agency=None)
    response = get_token(client, "officer")
    assert response.status_code == 403
    assert "未归属任何执法主体" in response.json()["detail"]


def test_revoking_without_a_token_is_400(client, world):
    client.force_login(world.personas["officer"])
    response = client.delete(TOKEN_URL)
    assert response.status_code == 400
    assert "未使用令牌" in response.json()["detail"]


# --- session auth with CSRF ---------------------------------------------------------------------


CSRF_SECRET = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6"  # any 32 letters/digits is a well-formed CSRF secret


def target_body() -> dict:
    return {"name": "甲市会话测试有限公司", "uscc": make_uscc(), "kind": "enterprise"}


def test_session_reads_without_csrf(world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="officer", password=PASSWORD)
    response = client.get(ME_URL)
    assert response.status_code == 200
    assert response.json()["auth_method"] == "session"


def test_session_writes_need_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="admin", password=PASSWORD)
    url = "/api/v1/registry/targets/"
    refused = client.post(url, target_body(), content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"] and "X-CSRFToken" in refused.json()["detail"]
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    accepted = client.post(url, target_body(), content_type="application/json", HTTP_X_CSRFTOKEN=CSRF_SECRET)
    assert accepted.status_code == 201


def test_session_of_user_without_agency_is_refused(world):
    User.objects.filter(username="officer").update(agency=None)
    client = Client()
    client.force_login(User.objects.get(username="officer"))
    assert client.get(ME_URL).status_code == 401


def test_bearer_write_needs_no_csrf(world):
    client = Client(enforce_csrf_checks=True)
    key = get_token(client, "admin").json()["token"]
    response = client.post("/api/v1/registry/targets/", target_body(), content_type="application/json",
                           **auth(key))
    assert response.status_code == 201


def test_anonymous_gets_401_in_chinese(client, world):
    response = client.get("/api/v1/registry/officers/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("未登录")
    post = client.post("/api/v1/registry/officers/", {}, content_type="application/json")
    assert post.status_code == 401


# --- agencies and jurisdictions -------------------------------------------------------------------


def agency_ids(client: Client, user: User) -> set[int]:
    client.force_login(user)
    return {row["id"] for row in client.get("/api/v1/accounts/agencies").json()["items"]}


def test_member_sees_only_own_agency(client, world):
    assert agency_ids(client, world.personas["officer"]) == {world.agency.pk}
    assert agency_ids(client, world.personas["far_admin"]) == {world.far_agency.pk}


def test_supervisor_sees_city_subtree(client, world):
    assert agency_ids(client, world.personas["supervisor"]) == {world.bureau.pk, world.agency.pk,
                                                                world.other_agency.pk}


def test_agency_detail(client, world):
    client.force_login(world.personas["officer"])
    body = client.get(f"/api/v1/accounts/agencies/{world.agency.pk}").json()
    assert (body["name"], body["kind_label"]) == ("甲市市场监督管理局", "行政机关")
    assert body["jurisdiction"] == {"id": world.city.pk, "name": "甲市"}
    assert body["enforcement_kind_labels"] == ["行政处罚", "行政检查"]


def test_agency_of_another_city_is_404(client, world):
    client.force_login(world.personas["far_admin"])
    response = client.get(f"/api/v1/accounts/agencies/{world.agency.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "对象不存在或无权查看"
    client.force_login(world.personas["supervisor"])
    assert client.get(f"/api/v1/accounts/agencies/{world.far_agency.pk}").status_code == 404


def test_jurisdictions_are_listed_as_a_tree(client, world):
    client.force_login(world.personas["officer"])
    nodes = client.get("/api/v1/accounts/jurisdictions").json()
    assert [n["name"] for n in nodes] == ["示例省", "甲市", "甲市东区", "乙市"]  # pre-order by path
    assert nodes[0]["parent_id"] is None and nodes[1]["parent_id"] == world.province.pk
    children = client.get(f"/api/v1/accounts/jurisdictions?parent={world.province.pk}").json()
    assert {n["name"] for n in children} == {"甲市", "乙市"}
    assert {n["level_label"] for n in children} == {"市"}


# --- documentation -------------------------------------------------------------------------------


def test_docs_use_bundled_assets(client, world):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    asset = client.get("/static/ninja/swagger-ui-bundle.js")
    assert asset.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/auth/me", "/api/v1/accounts/agencies",
                                  "/api/v1/accounts/agencies/{agency_id}", "/api/v1/accounts/jurisdictions"])
def test_openapi_documents_accounts_paths(client, world, path):
    assert path in client.get("/api/v1/openapi.json").json()["paths"]


def test_token_issue_and_revocation_are_recorded(world) -> None:
    from sanxiang.accounts.tokens import issue_token, revoke_token
    from sanxiang.ledger.models import Entry
    from sanxiang.ledger.services import default_log
    from sanxiang.ledger.verify import verify_log

    user = world.personas["officer"]
    _, token = issue_token(user, name="外业终端")
    revoke_token(token)
    events = list(Entry.objects.filter(event_type__startswith="account.token.").values_list("event_type", "actor"))
    assert events == [("account.token.issued", user.pk), ("account.token.revoked", user.pk)]
    assert verify_log(default_log()).ok  # the deleted token row is not a covered object
