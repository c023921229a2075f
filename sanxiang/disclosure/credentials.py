"""事中公示: the officer credential card and the signed token its QR code carries.

The token names an officer's credential as printed on a card — officer id, certificate number,
agency id and the card's issue date — signed with the platform's Ed25519 credential key (kept like
the ledger's and the documents' keys: a PEM file in ``LEDGER_KEYS_DIR``, created on first use).
It is one base64url string (payload then the 64-byte signature), short enough for a QR code.

The token says nothing about whether the certificate is still good: the verification page reads
the current status from the published read model :class:`PublicOfficer` (有效, 已过期, 暂停执法,
已注销/吊销), so a card printed before a suspension or revocation shows it at once.
"""

from __future__ import annotations

import base64
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sanxiang.disclosure.models import PublicOfficer
from sanxiang.ledger.keys import ensure_private_key, load_private_key
from sanxiang.registry.choices import CredentialStatus, EnforcementKind
from sanxiang.registry.models import Officer

TOKEN_VERSION = 1
# Separates these signatures from anything else the platform signs with an Ed25519 key.
_CONTEXT = b"sanxiang-credential-v1\n"
_SIGNATURE_BYTES = 64
_MAX_TOKEN_CHARS = 400


class NotGenuine(ValueError):
    """The token was not issued by this platform (bad signature, altered, or malformed)."""


@dataclass(frozen=True)
class CredentialToken:
    """What a card's QR code asserts: this officer held this certificate in this agency on this day."""

    officer_id: int
    certificate_number: str
    agency_id: int
    issued_on: datetime.date

    def payload(self) -> bytes:
        fields = [str(TOKEN_VERSION), str(self.officer_id), self.certificate_number, str(self.agency_id),
                  self.issued_on.strftime("%Y%m%d")]
        return "|".join(fields).encode("utf-8")

    @classmethod
    def from_payload(cls, payload: bytes) -> CredentialToken:
        try:
            version, officer_id, certificate_number, agency_id, issued_on = payload.decode("utf-8").split("|")
            if int(version) != TOKEN_VERSION or not certificate_number:
                raise ValueError(version)
            return cls(int(officer_id), certificate_number, int(agency_id),
                       datetime.datetime.strptime(issued_on, "%Y%m%d").date())
        except (UnicodeDecodeError, ValueError) as error:
            raise NotGenuine("二维码内容格式不正确") from error


def key_path() -> Path:
    return Path(settings.LEDGER_KEYS_DIR) / "credentials.pem"


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not text or len(text) > _MAX_TOKEN_CHARS:
        raise NotGenuine("二维码内容长度不正确")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise NotGenuine("二维码内容不是有效的编码") from error


def sign_token(token: CredentialToken) -> str:
    """The base64url string for the QR code: payload followed by its Ed25519 signature."""
    payload = token.payload()
    signature = ensure_private_key(key_path()).sign(_CONTEXT + payload)
    return _b64encode(payload + signature)


def read_token(text: str) -> CredentialToken:
    """The credential a token names; :class:`NotGenuine` unless the platform's key signed exactly it."""
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in text or "?"):
        raise NotGenuine("二维码内容含有无效字符")
    raw = _b64decode(text)
    if len(raw) <= _SIGNATURE_BYTES:
        raise NotGenuine("二维码内容过短")
    payload, signature = raw[:-_SIGNATURE_BYTES], raw[-_SIGNATURE_BYTES:]
    try:
        public_key = load_private_key(key_path()).public_key()
    except FileNotFoundError:
        raise NotGenuine("本平台尚未签发执法证件二维码") from None
    try:
        public_key.verify(signature, _CONTEXT + payload)
    except InvalidSignature:
        raise NotGenuine("签名不符") from None
    return CredentialToken.from_payload(payload)


def token_for(officer: Officer, issued_on: datetime.date | None = None) -> str:
    return sign_token(CredentialToken(officer.pk, officer.certificate_number, officer.agency_id,
                                      issued_on or timezone.localdate()))


# ------------------------------------------------------------------ verification (public side)

@dataclass(frozen=True)
class Verdict:
    """What the verification page says about a token, from the published officer list only."""

    code: str  # not_genuine / not_published / superseded / valid / expired / suspended / revoked
    label: str
    ok: bool
    token: CredentialToken | None = None
    officer: PublicOfficer | None = None

    @property
    def categories(self) -> list[str]:
        kinds = dict(EnforcementKind.choices)
        return [str(kinds.get(k, k)) for k in (self.officer.categories if self.officer else [])]


NOT_GENUINE_LABEL = "不是本平台签发的执法证件二维码"
_STATUS_LABELS = {
    "valid": "有效",
    "expired": "已过期",
    CredentialStatus.SUSPENDED: "暂停执法",
    CredentialStatus.REVOKED: "已注销/吊销",
}


def verify(text: str, on: datetime.date | None = None) -> Verdict:
    """The current standing of the credential a QR token names.

    Reads only :class:`PublicOfficer` (the portal never reads internal tables). A card whose
    certificate number or agency no longer matches the published row is reported as superseded:
    it was genuine once but is not the officer's current card.
    """
    try:
        token = read_token(text)
    except NotGenuine:
        return Verdict("not_genuine", NOT_GENUINE_LABEL, False)
    officer = PublicOfficer.objects.filter(officer_id=token.officer_id).first()
    if officer is None:
        return Verdict("not_published", "该执法人员不在已公开的执法人员名单中", False, token)
    if officer.certificate_number != token.certificate_number or officer.agency_id_public != token.agency_id:
        return Verdict("superseded", "此卡片已作废（执法证号或所属执法主体已变更）", False, token, officer)
    on = on or timezone.localdate()
    if officer.status == CredentialStatus.VALID:
        code = "expired" if officer.expires_on < on else "valid"
    elif officer.status in (CredentialStatus.SUSPENDED, CredentialStatus.REVOKED):
        code = officer.status
    else:
        return Verdict("unknown", "证件状态未知，请向执法主体核实", False, token, officer)
    return Verdict(code, _STATUS_LABELS[code], code == "valid", token, officer)


# ------------------------------------------------------------------ the card (internal side)

def qr_png(data: str, box_size: int = 8, border: int = 4) -> bytes:
    """A PNG of the QR code for ``data`` (error correction M: survives some wear on a card)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR module matrix (no quiet zone) :func:`qr_png` draws for ``data``."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def verification_path(token: str) -> str:
    return reverse("credential_verify:verify", args=[token])


@dataclass(frozen=True)
class Card:
    officer: Officer
    token: str
    url: str
    qr_data_uri: str


def make_card(officer: Officer, base_url: str, issued_on: datetime.date | None = None) -> Card:
    """One card: a fresh token and the QR for ``base_url`` + the verification path."""
    token = token_for(officer, issued_on)
    url = base_url.rstrip("/") + verification_path(token)
    data_uri = "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")
    return Card(officer, token, url, data_uri)


def render_cards_html(officers: list[Officer], base_url: str, issued_on: datetime.date | None = None) -> str:
    issued_on = issued_on or timezone.localdate()
    cards = [make_card(officer, base_url, issued_on) for officer in officers]
    return render_to_string("disclosure/credentials/cards.html", {"cards": cards, "issued_on": issued_on})


def render_cards_pdf(officers: list[Officer], base_url: str, issued_on: datetime.date | None = None) -> bytes:
    """An A4 sheet (or several) of credential cards, 8 to a page, for cutting out."""
    from weasyprint import HTML  # loads Pango and fonts: only when a PDF is made

    return HTML(string=render_cards_html(officers, base_url, issued_on)).write_pdf()
