"""事中公示: signed credential tokens, the verification page, and the printable card's QR code."""

from __future__ import annotations

import base64
import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.disclosure import credentials
from sanxiang.disclosure.credentials import CredentialToken, NotGenuine
from sanxiang.disclosure.models import PublicOfficer
from sanxiang.disclosure.tests.credential_data import make_officer, pdf_cards, seed
from sanxiang.ledger.keys import generate_private_key
from sanxiang.registry.choices import CredentialStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(world):
    return seed(world)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


# ------------------------------------------------------------------ tokens

def test_token_round_trip_is_compact_and_url_safe(officers) -> None:
    day = datetime.date(2026, 11, 2)
    token = credentials.token_for(officers.valid, day)
    assert credentials.read_token(token) == CredentialToken(
        officers.valid.pk, "33108200001", officers.valid.agency_id, day)
    assert len(token) < 160 and all(c.isalnum() or c in "-_" for c in token)
    assert credentials.token_for(officers.valid, day) == token  # Ed25519 is deterministic


def test_forged_token_signed_with_another_key_is_not_genuine(officers) -> None:
    payload = CredentialToken(officers.valid.pk, "33108200001", officers.valid.agency_id,
                              timezone.localdate()).payload()
    forged = _b64(payload + generate_private_key().sign(b"sanxiang-credential-v1\n" + payload))
    with pytest.raises(NotGenuine):
        credentials.read_token(forged)
    assert credentials.verify(forged).code == "not_genuine"


def test_altered_payload_is_not_genuine(officers) -> None:
    """The holder of a revoked card copies its signature onto a colleague's officer id."""
    raw = _raw(credentials.token_for(officers.revoked))
    payload, signature = raw[:-64], raw[-64:]
    altered = payload.replace(str(officers.revoked.pk).encode(), str(officers.colleague.pk).encode(), 1)
    assert altered != payload
    assert credentials.verify(_b64(altered + signature)).code == "not_genuine"
    # A single flipped bit anywhere, payload or signature, is caught too.
    for position in (0, len(payload) - 1, len(raw) - 1):
        flipped = bytearray(raw)
        flipped[position] ^= 0x01
        assert credentials.verify(_b64(bytes(flipped))).code == "not_genuine"


@pytest.mark.parametrize("text", ["", "x", "abc/def", "张三", "a" * 500, "====", "AAAA", _b64(b"1|2|3" * 20)])
def test_malformed_tokens_are_not_genuine(officers, text) -> None:
    assert credentials.verify(text).code == "not_genuine"


def test_signed_but_malformed_payload_is_not_genuine(officers) -> None:
    """Even a payload the platform's own key signed is refused if it is not a credential."""
    from sanxiang.ledger.keys import ensure_private_key

    payload = b"2|1|X|1|20260101"  # unknown version
    signature = ensure_private_key(credentials.key_path()).sign(b"sanxiang-credential-v1\n" + payload)
    with pytest.raises(NotGenuine, match="格式"):
        credentials.read_token(_b64(payload + signature))


# ------------------------------------------------------------------ the verdict reads PublicOfficer

@pytest.mark.parametrize(("which", "code", "label", "ok"), [
    ("valid", "valid", "有效", True),
    ("expired", "expired", "已过期", False),
    ("suspended", "suspended", "暂停执法", False),
    ("revoked", "revoked", "已注销/吊销", False),
])
def test_verdict_per_status(officers, which, code, label, ok) -> None:
    verdict = credentials.verify(credentials.token_for(getattr(officers, which)))
    assert (verdict.code, verdict.label, verdict.ok) == (code, label, ok)
    assert verdict.officer.officer_id == getattr(officers, which).pk


def test_status_is_read_now_not_from_the_token(officers) -> None:
    token = credentials.token_for(officers.valid)
    assert credentials.verify(token).code == "valid"
    officers.valid.status = CredentialStatus.SUSPENDED
    officers.valid.save()  # the portal sync updates PublicOfficer
    assert credentials.verify(token).code == "suspended"
    PublicOfficer.objects.filter(officer_id=officers.valid.pk).update(status=CredentialStatus.VALID)
    assert credentials.verify(token).code == "valid"
    expires = PublicOfficer.objects.get(officer_id=officers.valid.pk).expires_on
    assert credentials.verify(token, on=expires).code == "valid"  # the last day still counts
    assert credentials.verify(token, on=expires + datetime.timedelta(days=1)).code == "expired"


def test_officer_not_in_published_list(officers) -> None:
    token = credentials.token_for(officers.valid)
    PublicOfficer.objects.filter(officer_id=officers.valid.pk).delete()
    verdict = credentials.verify(token)
    assert verdict.code == "not_published" and not verdict.ok and verdict.officer is None


def test_card_with_an_old_certificate_number_is_superseded(officers) -> None:
    token = credentials.token_for(officers.valid)
    officers.valid.certificate_number = "33108209999"
    officers.valid.save()
    verdict = credentials.verify(token)
    assert verdict.code == "superseded" and not verdict.ok
    assert credentials.verify(credentials.token_for(officers.valid)).code == "valid"


# ------------------------------------------------------------------ the public page

def _page(client, token: str) -> str:
    response = client.get(reverse("credential_verify:verify", args=[token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.content.decode()


@pytest.mark.parametrize(("which", "label"), [
    ("valid", "执法证件有效"), ("expired", "执法证件已过期"), ("suspended", "执法证件暂停执法"),
    ("revoked", "执法证件已注销/吊销"),
])
def test_verification_page_shows_status_and_officer(client, officers, which, label) -> None:
    officer = getattr(officers, which)
    body = _page(client, credentials.token_for(officer))
    assert f'<p class="verdict-label">{label}</p>' in body
    for text in (officer.name, officer.agency.name, officer.certificate_number, "行政处罚", "行政检查",
                 officer.expires_on.strftime("%Y-%m-%d")):
        assert text in body


def test_verification_page_for_forged_and_unpublished(client, officers) -> None:
    raw = bytearray(_raw(credentials.token_for(officers.valid)))
    raw[-1] ^= 0x80
    body = _page(client, _b64(bytes(raw)))
    assert "不是本平台签发的执法证件二维码" in body and "张三" not in body
    PublicOfficer.objects.filter(officer_id=officers.valid.pk).delete()
    body = _page(client, credentials.token_for(officers.valid))
    assert "不在已公开的执法人员名单中" in body and "33108200001" not in body


def test_verification_page_reads_no_internal_table(client, officers) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = credentials.token_for(officers.valid)
    with CaptureQueriesContext(connection) as queries:
        _page(client, token)
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "disclosure_publicofficer" in tables
    for internal in ("registry_officer", "accounts_agency", "accounts_user", "cases_"):
        assert internal not in tables


# ------------------------------------------------------------------ the card

def test_card_pdf_qr_encodes_the_verification_url(officers) -> None:
    pdf = credentials.render_cards_pdf([officers.valid], "https://gongshi.example.gov.cn/")
    assert pdf.startswith(b"%PDF")
    [url], [matrix] = pdf_cards(pdf)
    prefix = "https://gongshi.example.gov.cn/gongshi/verify/"
    assert url.startswith(prefix) and url.endswith("/")
    token = url[len(prefix):-1]
    assert credentials.read_token(token).officer_id == officers.valid.pk
    assert matrix == credentials.qr_matrix(url)
    # The comparison can fail: a QR for another token differs.
    assert matrix != credentials.qr_matrix(prefix + credentials.token_for(officers.colleague) + "/")


def test_batch_pdf_holds_every_card_on_a4_sheets(officers, world) -> None:
    from pypdf import PdfReader

    extra = [make_officer(world, world.agency, f"队员{i}", f"3310821000{i}") for i in range(7)]
    pdf = credentials.render_cards_pdf([officers.valid, officers.colleague, *extra], "http://testserver")
    pages = PdfReader(io.BytesIO(pdf)).pages  # nine cards: two sheets of eight
    assert len(pages) == 2
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    urls, matrices = pdf_cards(pdf)
    assert len(set(urls)) == len(matrices) == 9
    assert sorted(map(str, matrices)) == sorted(str(credentials.qr_matrix(url)) for url in urls)
    tokens = [credentials.read_token(url.split("/")[-2]) for url in urls]
    assert {t.officer_id for t in tokens} == {o.pk for o in [officers.valid, officers.colleague, *extra]}
    text = pages[0].extract_text()
    assert "张三" in text and "33108200001" in text and "甲市市场监督管理局" in text


def test_printed_card_decodes_with_zbar(tmp_path, officers) -> None:
    """A real QR decoder reads the card as printed: the PDF page rendered to an image (zbarimg is
    installed by ``bin/setup --test``; without it this test fails rather than skips)."""
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(credentials.render_cards_pdf([officers.valid], "http://testserver"))
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "card")], check=True)
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "card.png")],
                         capture_output=True, text=True, check=True)
    [url] = out.stdout.split()
    assert url.startswith("http://testserver/gongshi/verify/")
    assert credentials.verify(url.split("/")[-2]).code == "valid"
