"""Who may print credential cards: persona × officer of the own agency / other agency of the same
city / agency of another city. An officer prints their own card; the agency's administrator every
card of the agency; another agency's officer is 404; a visible officer's card is otherwise 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanxiang.disclosure.tests.credential_data import pdf_cards, seed
from sanxiang.testing import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "login"

# persona → expected answer for (own agency's officer linked to the "officer" account, own
# agency's colleague, officer of the other agency in the same city, officer of another city)
CARD = {
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN),
    "officer": (200, 403, 404, 404),
    "unit_head": (403, 403, 404, 404),
    "reviewer": (403, 403, 404, 404),
    "agency_head": (403, 403, 404, 404),
    "publisher": (403, 403, 404, 404),
    "admin": (200, 200, 404, 404),
    "supervisor": (403, 403, 403, 404),  # 司法局 of the city: sees, does not print
    "other_officer": (404, 404, 403, 404),
    "other_admin": (404, 404, 200, 404),
    "far_admin": (404, 404, 404, 200),
}
ADMINS = {"admin", "other_admin", "far_admin"}


def _status(response) -> object:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("persona", list(CARD))
def test_card_download_matrix(persona, world, client) -> None:
    officers = seed(world)
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)
    targets = (officers.valid, officers.colleague, officers.other, officers.far)
    got = tuple(_status(client.get(reverse("credentials:card_pdf", args=[o.pk]))) for o in targets)
    assert got == CARD[persona]

    batch = _status(client.get(reverse("credentials:agency_pdf")))
    index = client.get(reverse("credentials:index"))
    if persona == "anonymous":
        assert (batch, _status(index)) == (LOGIN, LOGIN)
        return
    assert batch == (200 if persona in ADMINS else 403)
    assert index.status_code == 200
    listed = {o.name for o, _label, _ok in index.context["rows"]}
    expected = {
        "admin": {"张三", "李四", "王五", "赵六", "钱七"}, "other_admin": {"孙八"}, "far_admin": {"周九"},
        "officer": {"张三"},
    }.get(persona, set())
    assert listed == expected


def test_card_pdf_is_the_officers_card(world, client) -> None:
    officers = seed(world)
    client.login(username="officer", password=PASSWORD)
    response = client.get(reverse("credentials:card_pdf", args=[officers.valid.pk]))
    assert response["Content-Type"] == "application/pdf"
    [url], [matrix] = pdf_cards(response.content)
    assert url.startswith("http://testserver/gongshi/verify/")
    verdict = client.get(url.removeprefix("http://testserver"))
    assert "执法证件有效" in verdict.content.decode() and "张三" in verdict.content.decode()


def test_batch_prints_only_officers_who_may_enforce(world, client) -> None:
    officers = seed(world)
    client.login(username="admin", password=PASSWORD)
    response = client.get(reverse("credentials:agency_pdf"))
    urls, matrices = pdf_cards(response.content)
    assert len(urls) == len(matrices) == 2  # 张三 and 钱七: expired, suspended and revoked have no card
    from sanxiang.disclosure.credentials import read_token

    assert {read_token(u.split("/")[-2]).officer_id for u in urls} == {officers.valid.pk, officers.colleague.pk}


def test_batch_with_nobody_to_print(world, client) -> None:
    client.login(username="admin", password=PASSWORD)
    response = client.get(reverse("credentials:agency_pdf"))
    assert response.status_code == 404
    assert "无卡片可打印" in response.content.decode()


def test_no_card_for_a_certificate_that_cannot_be_used(world, client) -> None:
    officers = seed(world)
    client.login(username="admin", password=PASSWORD)
    for officer in (officers.expired, officers.suspended, officers.revoked):
        response = client.get(reverse("credentials:card_pdf", args=[officer.pk]))
        assert response.status_code == 403
    body = client.get(reverse("credentials:index")).content.decode()
    assert body.count("下载卡片（PDF）") == 2 and body.count("证件不可用，不能制卡") == 3
