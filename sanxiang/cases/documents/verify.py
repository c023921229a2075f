"""Checking a document's detached signature offline. Pure Python (``cryptography`` only).

A document's PDF is signed with its agency's Ed25519 key; the signature (Base64 of the 64 raw
bytes, over the PDF's bytes) is published beside the file, and the public keys at
``/cases/documents/keys.txt``, one line per key::

    <key name> <public key, Base64 of 32 raw bytes> <agency name>

Usage: ``python -m sanxiang.cases.documents.verify 文书.pdf 文书.pdf.sig keys.txt``
(exit status 0 when a published key verifies the signature). The same check with OpenSSL:
``openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in 文书.pdf -sigfile sig.bin``.
"""

from __future__ import annotations

import base64
import binascii
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


@dataclass(frozen=True)
class PublishedKey:
    name: str
    public_key: str  # Base64 of the 32 raw bytes
    agency: str


def _decode(text: str, size: int) -> bytes | None:
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == size else None


def verify(data: bytes, signature_b64: str, public_key_b64: str) -> bool:
    """Whether ``signature_b64`` is a valid Ed25519 signature of ``data`` by ``public_key_b64``."""
    signature, key = _decode(signature_b64, 64), _decode(public_key_b64, 32)
    if signature is None or key is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, data)
    except InvalidSignature:
        return False
    return True


def parse_keys(text: str) -> list[PublishedKey]:
    """The keys of a keys.txt text (comment lines start with #)."""
    found = []
    for line in text.splitlines():
        parts = line.strip().split(None, 2)
        if len(parts) >= 2 and not parts[0].startswith("#"):
            found.append(PublishedKey(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return found


def signer_of(data: bytes, signature_b64: str, keys: list[PublishedKey]) -> PublishedKey | None:
    """The published key that verifies the signature, or None."""
    return next((k for k in keys if verify(data, signature_b64, k.public_key)), None)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("用法：python -m sanxiang.cases.documents.verify 文书.pdf 签名文件 keys.txt", file=sys.stderr)
        return 2
    pdf, sig, keys = (Path(a) for a in argv)
    key = signer_of(pdf.read_bytes(), sig.read_text(encoding="utf-8"), parse_keys(keys.read_text(encoding="utf-8")))
    if key is None:
        print("签名无效：文件被改动过，或不是用已公布的密钥签名的")
        return 1
    print(f"签名有效：由{key.agency}的密钥 {key.name} 签名")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
