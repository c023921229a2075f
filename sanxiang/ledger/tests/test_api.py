"""The ledger API: the checkpoint with its keys, the entries a user may see (filters, paging,
isolation), one entry, and a receipt that verifies offline; bearer tokens work like sessions."""

import pytest
from django.test import Client

from sanxiang.accounts import tokens
from sanxiang.accounts.models import User
from sanxiang.ledger.checkpoints import cosign, platform_signer, public_keys, sign_checkpoint
from sanxiang.ledger.models import Entry
from sanxiang.ledger.receipt import verify_receipt
from sanxiang.ledger.services import history
from sanxiang.registry.models import Officer
from sanxiang.registry.services import create_object, update_object
from sanxiang.testing import World

pytestmark = pytest.mark.django_db
API = "/api/v1/ledger"


@pytest.fixture(autouse=True)
def keys_dir(settings, tmp_path):
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    return settings.LEDGER_KEYS_DIR


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_officer(admin: User, name: str, number: str) -> Officer:
    return create_object(admin, Officer, {"name": name, "certificate_number": number,
                                          "issued_on": "2024-01-01", "expires_on": "2029-01-01"})


def test_checkpoint_gives_note_cosignatures_and_keys(world: World) -> None:
    client = client_for(world.personas["officer"])
    empty = client.get(f"{API}/checkpoint").json()
    assert empty["checkpoint_size"] is None and empty["cosignatures"] == []
    assert empty["keys"] == public_keys() and empty["witnessed_size"] is None
    checkpoint = sign_checkpoint()
    cosign(checkpoint, world.personas["supervisor"])
    body = client.get(f"{API}/checkpoint").json()
    assert body["checkpoint_size"] == checkpoint.size
    assert body["note"].startswith(checkpoint.note) and len(body["note"].splitlines()) == len(
        checkpoint.note.splitlines()) + 1
    assert [c["witness"] for c in body["cosignatures"]] == [public_keys()["witness"].split("+")[0]]
    assert body["size"] >= checkpoint.size and len(body["root"]) == 64
    assert body["witnessed_size"] == checkpoint.size and body["witnessed_note"] == body["note"]
    sign_checkpoint()  # covers the cosigning entry: newer than what the witness has seen
    later = client.get(f"{API}/checkpoint").json()
    assert later["cosignatures"] == [] and later["witnessed_size"] == checkpoint.size


def test_anonymous_is_401(world: World) -> None:
    for path in ("/checkpoint", "/entries", "/entries/0", "/entries/0/receipt"):
        response = Client().get(API + path)
        assert response.status_code == 401 and "未登录" in response.json()["detail"]


def test_entries_are_isolated_filtered_and_paged(world: World) -> None:
    admin = world.personas["admin"]
    own = add_officer(admin, "林晓", "33108200101")
    update_object(admin, own, {"position": "执法队长"})
    other = add_officer(world.personas["other_admin"], "周岚", "33108200102")
    client = client_for(world.personas["officer"])
    body = client.get(f"{API}/entries", {"limit": 100}).json()
    indices = [item["index"] for item in body["items"]]
    assert indices == sorted(indices, reverse=True)
    assert history(other).get().index not in indices
    assert {e.index for e in history(own)} <= set(indices)
    assert body["count"] == Entry.objects.filter(agency=world.agency).count()
    updated = client.get(f"{API}/entries", {"event_type": "registry.officer.updated"}).json()
    assert [item["summary"] for item in updated["items"]] == ["修改执法人员：林晓（33108200101）"]
    assert updated["items"][0]["event_label"] == "修改执法人员"
    assert updated["items"][0]["actor_role_label"] == "系统管理员"
    assert client.get(f"{API}/entries", {"until": "2000-01-01"}).json()["count"] == 0
    assert client.get(f"{API}/entries", {"since": "not-a-date"}).status_code == 422
    page = client.get(f"{API}/entries", {"limit": 1, "offset": 1}).json()
    assert [item["index"] for item in page["items"]] == indices[1:2]
    supervised = client_for(world.personas["supervisor"]).get(f"{API}/entries", {"limit": 100}).json()
    assert history(other).get().index in [item["index"] for item in supervised["items"]]


def test_entry_detail_and_404(world: World) -> None:
    own = add_officer(world.personas["admin"], "林晓", "33108200101")
    other = add_officer(world.personas["other_admin"], "周岚", "33108200102")
    entry = history(own).get()
    client = client_for(world.personas["reviewer"])
    body = client.get(f"{API}/entries/{entry.index}").json()
    assert body["body"] == bytes(entry.body).decode() and body["leaf_hash"] == bytes(entry.leaf_hash).hex()
    assert body["object_type"] == "registry.officer" and body["object_label"].startswith("林晓")
    for path in (f"/entries/{history(other).get().index}", f"/entries/{history(other).get().index}/receipt",
                 "/entries/999999"):
        response = client.get(API + path)
        assert response.status_code == 404 and response.json()["detail"] == "对象不存在或无权查看"


def test_receipt_by_token_verifies_offline(world: World) -> None:
    entry = history(add_officer(world.personas["admin"], "林晓", "33108200101")).get()
    key, _ = tokens.issue_token(world.personas["officer"], "测试")
    response = Client().get(f"{API}/entries/{entry.index}/receipt", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    document = response.json()
    assert document["format"] == "sanxiang-ledger-receipt/1" and document["index"] == entry.index
    assert verify_receipt(document, [platform_signer().verifier]).ok


def test_operations_are_documented() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path in ("/checkpoint", "/entries", "/entries/{index}", "/entries/{index}/receipt"):
        assert "get" in schema["paths"][f"{API}{path}"]
