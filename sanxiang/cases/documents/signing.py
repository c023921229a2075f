"""Each agency's Ed25519 key for documents: created on first use in the keys folder, signs the
PDF bytes (a detached signature, Base64), and is published so anyone can verify."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from django.conf import settings

from sanxiang.accounts.models import Agency
from sanxiang.cases.documents.verify import PublishedKey
from sanxiang.ledger.keys import ensure_private_key, load_private_key, public_key_bytes


def key_path(agency: Agency) -> Path:
    return Path(settings.LEDGER_KEYS_DIR) / f"documents-{agency.uscc}.pem"


def key_name(agency: Agency, public_key: bytes) -> str:
    """``<USCC>+<first 8 hex of SHA-256 of the public key>``: names the agency and the key."""
    return f"{agency.uscc}+{hashlib.sha256(public_key).hexdigest()[:8]}"


def sign(agency: Agency, data: bytes) -> tuple[str, str]:
    """(Base64 signature of ``data``, key name) with the agency's key, created if missing."""
    key = ensure_private_key(key_path(agency))
    return base64.b64encode(key.sign(data)).decode("ascii"), key_name(agency, public_key_bytes(key))


def published_key(agency: Agency) -> PublishedKey | None:
    path = key_path(agency)
    if not path.exists():
        return None
    raw = public_key_bytes(load_private_key(path))
    return PublishedKey(key_name(agency, raw), base64.b64encode(raw).decode("ascii"), agency.name)


def published_keys() -> list[PublishedKey]:
    """The document keys of every agency that has signed a document, by agency name."""
    found = (published_key(a) for a in Agency.objects.order_by("name"))
    return [k for k in found if k is not None]
