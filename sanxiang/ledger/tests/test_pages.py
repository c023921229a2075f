"""The ledger's pages per persona: object history panels, the overview with keys and the latest
checkpoint, the supervisor's witness button (and its alarm), the entry list and detail with their
isolation, receipt downloads, the public receipt check and the public key list."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import User
from sanxiang.ledger.checkpoints import WitnessRefused, cosign, public_keys, receipt, sign_checkpoint
from sanxiang.ledger.models import Checkpoint, Cosignature, Entry, Log
from sanxiang.ledger.receipt import verify_receipt
from sanxiang.ledger.services import default_log, history
from sanxiang.registry.models import Officer
from sanxiang.registry.services import create_object, update_object
from sanxiang.testing import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys_dir(settings, tmp_path):
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    return settings.LEDGER_KEYS_DIR


def client_for(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def add_officer(admin: User, name: str = "林晓", number: str = "33108200101") -> Officer:
    return create_object(admin, Officer, {"name": name, "certificate_number": number, "position": "科员",
                                          "issued_on": "2024-01-01", "expires_on": "2029-01-01"})


# ---------------------------------------------------------------- object history


def test_history_panel_shows_create_and_update_newest_first(world: World) -> None:
    admin = world.personas["admin"]
    officer = add_officer(admin)
    update_object(admin, officer, {"position": "执法队长"})
    page = text(client_for(world.personas["officer"]).get(reverse("registry:officers_detail", args=[officer.pk])))
    assert "变更记录" in page
    updated, created = page.index("修改执法人员"), page.index("新增执法人员")
    assert updated < created  # newest first
    assert f"{admin}" in page and "系统管理员" in page
    entries = list(history(officer))
    for entry in entries:
        assert reverse("ledger:entry_receipt", args=[entry.index]) in page
        assert entry.detail["summary"] in page


def test_agency_and_user_pages_show_their_history(world: World) -> None:
    admin = world.personas["admin"]
    agency_page = text(client_for(admin).get(reverse("accounts:agency_detail", args=[world.agency.pk])))
    assert "新增执法主体" in agency_page and "变更记录" in agency_page
    officer_user = world.personas["officer"]
    user_page = text(client_for(admin).get(reverse("accounts:user_edit", args=[officer_user.pk])))
    assert "新增用户" in user_page and f"新增用户 {officer_user.username}" in user_page


def test_platform_events_are_listed_without_links(world: World) -> None:
    # A jurisdiction's creation belongs to no agency: listed on its object, not openable by anyone.
    entry = Entry.objects.filter(event_type="account.jurisdiction.created").first()
    assert entry is not None and entry.agency_id is None
    officer = add_officer(world.personas["admin"])
    page = text(client_for(world.personas["admin"]).get(reverse("registry:officers_detail", args=[officer.pk])))
    assert reverse("ledger:entry_receipt", args=[entry.index]) not in page


# ---------------------------------------------------------------- overview and the witness


def test_overview_shows_keys_and_the_latest_note(world: World) -> None:
    checkpoint = sign_checkpoint()
    page = text(client_for(world.personas["officer"]).get(reverse("ledger:overview")))
    keys = public_keys()
    assert keys["platform"] in page and keys["witness"] in page
    assert checkpoint.note.splitlines()[2] in page  # the base64 root line of the signed note
    assert "尚未经司法局见证" in page and "司法局尚未见证过任何检查点" in page
    assert "python -m sanxiang.ledger verify" in page
    assert "签署并见证最新检查点" not in page  # no button for an officer


def test_supervisor_cosigns_through_the_button(world: World) -> None:
    supervisor = world.personas["supervisor"]
    client = client_for(supervisor)
    assert "签署并见证最新检查点" in text(client.get(reverse("ledger:overview")))
    response = client.post(reverse("ledger:witness"), follow=True)
    assert response.status_code == 200
    latest = default_log().checkpoints.order_by("-size", "-id").first()
    cosignature = Cosignature.objects.get(checkpoint=latest)
    page = text(response)
    assert "已签署并经司法局见证" in page
    assert cosignature.witness in page and "尚未经司法局见证" not in page
    assert cosignature.signature_line.strip() in page
    assert Entry.objects.filter(event_type="ledger.checkpoint.cosigned", actor=supervisor).exists()
    sign_checkpoint()  # now covering the cosigning entry, not yet witnessed
    later = text(client.get(reverse("ledger:overview")))
    assert "尚未经司法局见证" in later and f"最近一次见证的检查点：树大小 {latest.size}" in later


@pytest.mark.parametrize("persona", ["officer", "admin", "agency_head", "other_admin"])
def test_non_supervisor_may_not_witness(world: World, persona: str) -> None:
    response = client_for(world.personas[persona]).post(reverse("ledger:witness"))
    assert response.status_code == 403
    assert not Checkpoint.objects.exists() and not Cosignature.objects.exists()


def test_witness_refusal_is_an_alarm(world: World) -> None:
    supervisor = world.personas["supervisor"]
    add_officer(world.personas["admin"])
    cosign(sign_checkpoint(), supervisor)
    # A rogue administrator rolls the log head back (Log is the one table without a trigger).
    Log.objects.filter(pk=default_log().pk).update(size=F("size") - 2)
    response = client_for(supervisor).post(reverse("ledger:witness"))
    assert response.status_code == 409
    page = text(response)
    assert 'class="alarm"' in page and "拒绝签署" in page and "日志被截断" in page
    assert "少于已签署的检查点" in page


# ---------------------------------------------------------------- entries


def test_entry_list_is_isolated_by_agency(world: World) -> None:
    own = add_officer(world.personas["admin"], "林晓", "33108200101")
    other = add_officer(world.personas["other_admin"], "周岚", "33108200102")
    own_entry, other_entry = history(own).get(), history(other).get()
    page = text(client_for(world.personas["officer"]).get(reverse("ledger:entry_list")))
    assert reverse("ledger:entry_detail", args=[own_entry.index]) in page
    assert reverse("ledger:entry_detail", args=[other_entry.index]) not in page and "周岚" not in page
    supervised = text(client_for(world.personas["supervisor"]).get(reverse("ledger:entry_list")))
    assert "周岚" in supervised and "林晓" in supervised
    far = text(client_for(world.personas["far_admin"]).get(reverse("ledger:entry_list")))
    assert "周岚" not in far and "林晓" not in far


def test_entry_of_another_agency_is_404(world: World) -> None:
    other = add_officer(world.personas["other_admin"], "周岚", "33108200102")
    index = history(other).get().index
    client = client_for(world.personas["officer"])
    assert client.get(reverse("ledger:entry_detail", args=[index])).status_code == 404
    assert client.get(reverse("ledger:entry_receipt", args=[index])).status_code == 404
    assert client.get(reverse("ledger:entry_detail", args=[10**9])).status_code == 404


def test_entry_list_filters(world: World) -> None:
    admin = world.personas["admin"]
    officer = add_officer(admin)
    update_object(admin, officer, {"position": "执法队长"})
    client = client_for(admin)
    updated = text(client.get(reverse("ledger:entry_list"), {"event_type": "registry.officer.updated"}))
    assert "修改执法人员：林晓" in updated and "新增执法人员：林晓" not in updated
    users = text(client.get(reverse("ledger:entry_list"), {"object_type": "accounts.user"}))
    assert "新增用户" in users and "林晓" not in users
    assert "林晓" not in text(client.get(reverse("ledger:entry_list"), {"until": "2000-01-01"}))
    assert "林晓" in text(client.get(reverse("ledger:entry_list"), {"since": "2000-01-01", "until": "bad"}))


def test_entry_detail_shows_body_hash_and_detail(world: World) -> None:
    admin = world.personas["admin"]
    officer = add_officer(admin)
    update_object(admin, officer, {"position": "执法队长"})
    entry = history(officer).order_by("-index").first()
    page = text(client_for(world.personas["unit_head"]).get(reverse("ledger:entry_detail", args=[entry.index])))
    assert bytes(entry.leaf_hash).hex() in page
    assert "&quot;type&quot;: &quot;registry.officer.updated&quot;" in page  # pretty canonical body
    assert "修改执法人员：林晓" in page and "职务" in page  # summary and the changed field's name
    assert reverse("ledger:entry_receipt", args=[entry.index]) in page


def test_receipt_download_verifies(world: World) -> None:
    officer = add_officer(world.personas["admin"])
    entry = history(officer).get()
    response = client_for(world.personas["officer"]).get(reverse("ledger:entry_receipt", args=[entry.index]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["index"] == entry.index
    result = verify_receipt(document, [public_keys()["platform"]])
    assert result.ok, result.reasons


# ---------------------------------------------------------------- public: verify page and keys


def _receipt_of_new_entry(world: World, cosigned: bool) -> dict:
    officer = add_officer(world.personas["admin"])
    checkpoint = sign_checkpoint()
    if cosigned:
        cosign(checkpoint, world.personas["supervisor"])
    return receipt(history(officer).get())


def _check(document: dict | str, **extra) -> str:
    data = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    response = Client().post(reverse("ledger:verify"), {"receipt": data, "against_latest": "1", **extra})
    assert response.status_code == 200
    return text(response)


def test_verify_page_is_public() -> None:
    response = Client().get(reverse("ledger:verify"))
    assert response.status_code == 200 and "回执验证" in text(response)


def test_good_cosigned_receipt_passes_against_a_later_log(world: World) -> None:
    document = _receipt_of_new_entry(world, cosigned=True)
    add_officer(world.personas["admin"], "周岚", "33108200102")
    cosign(sign_checkpoint(), world.personas["supervisor"])
    page = _check(document)
    assert "验证通过" in page and "已经司法局见证" in page
    assert "较新的检查点与原检查点一致" in page


def test_receipt_without_cosignature_passes_as_unwitnessed(world: World) -> None:
    page = _check(_receipt_of_new_entry(world, cosigned=False))
    assert "验证通过" in page and "未经见证" in page and "已纳入司法局见证的检查点" not in page


def test_unwitnessed_receipt_learns_a_later_cosignature(world: World) -> None:
    document = _receipt_of_new_entry(world, cosigned=False)
    add_officer(world.personas["admin"], "周岚", "33108200102")
    cosign(sign_checkpoint(), world.personas["supervisor"])
    page = _check(document)
    assert "验证通过" in page and "已纳入司法局见证的检查点" in page
    assert "该记录已包含在经司法局见证的检查点" in page


def test_tampered_receipt_fails(world: World) -> None:
    document = _receipt_of_new_entry(world, cosigned=True)
    document["entry"] = document["entry"].replace('"v":1', '"v":2')
    page = _check(document)
    assert "验证失败" in page and "包含证明不成立" in page


def test_receipt_fails_when_the_log_was_rolled_back(world: World) -> None:
    document = _receipt_of_new_entry(world, cosigned=False)
    Log.objects.filter(pk=default_log().pk).update(size=F("size") - 3)
    with pytest.raises(WitnessRefused, match="截断"):
        sign_checkpoint()  # the platform will not sign the rolled-back head
    page = _check(document)
    assert "验证失败" in page and "截断" in page


@pytest.mark.parametrize("garbage", ["这不是回执", "[1, 2]", "{\"format\": \"x\"}", ""])
def test_garbage_gets_a_chinese_error_not_a_500(world: World, garbage: str) -> None:
    page = _check(garbage)
    assert "验证通过" not in page
    assert "不是有效的 JSON" in page or "验证失败" in page or "JSON 对象" in page


def test_receipt_can_be_uploaded(world: World) -> None:
    document = _receipt_of_new_entry(world, cosigned=True)
    upload = SimpleUploadedFile("回执.json", json.dumps(document).encode(), content_type="application/json")
    response = Client().post(reverse("ledger:verify"), {"file": upload})
    assert "验证通过" in text(response)
    binary = SimpleUploadedFile("x.json", b"\xff\xfe\x00", content_type="application/json")
    assert "UTF-8" in text(Client().post(reverse("ledger:verify"), {"file": binary}))


def test_keys_txt_is_public_and_usable_by_the_offline_verifier(world: World) -> None:
    response = Client().get(reverse("ledger:keys"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    keys = [line for line in text(response).splitlines() if line and not line.startswith("#")]
    assert keys == [public_keys()["platform"], public_keys()["witness"]]
    document = _receipt_of_new_entry(world, cosigned=True)
    assert verify_receipt(document, keys).ok


def test_navigation_has_the_ledger(world: World) -> None:
    page = text(client_for(world.personas["officer"]).get(reverse("home")))
    assert f'href="{reverse("ledger:overview")}"' in page and "全过程记录" in page
