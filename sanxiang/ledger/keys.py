"""Ed25519 key files for the platform and witness signers. Pure Python, no Django.

Private keys live in the data folder as unencrypted PKCS#8 PEM files readable by the owner only
(mode 0600); they are never committed. Public keys are shared as signed-note verifier key strings.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from .note import Signer, Verifier, raw_public_key


def generate_private_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM of ``key``, unencrypted (the file mode protects it)."""
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def save_private_key(path: str | os.PathLike[str], key: Ed25519PrivateKey) -> Path:
    """Write ``key`` to a new file at ``path`` with mode 0600; ``FileExistsError`` if it exists.

    The file appears complete and with its final mode in one step (written to a private temporary
    file, then hard-linked into place), and is never overwritten: a second start, or two processes
    starting at once, cannot replace the key that signed earlier checkpoints.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".key-")  # mkstemp: mode 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_key_pem(key))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, target)
    finally:
        os.unlink(temporary)
    return target


def load_private_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Read an Ed25519 private key PEM; ``ValueError`` if the file holds another kind of key."""
    key = load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} 中不是 Ed25519 私钥")
    return key


def ensure_private_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Load the key at ``path``, generating and saving one first if there is none (first start)."""
    try:
        return load_private_key(path)
    except FileNotFoundError:
        pass
    try:
        save_private_key(path, generate_private_key())
    except FileExistsError:
        pass  # another process created it in between: use theirs
    return load_private_key(path)


def public_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """The 32 raw bytes of the public half of ``key``."""
    return raw_public_key(key.public_key())


def verifier_key(name: str, public_key: bytes) -> str:
    """The signed-note verifier key string ``<name>+<hex id>+<base64(0x01 ‖ key)>`` for raw bytes."""
    return Verifier(name, public_key).verifier_key()


def signer(name: str, key: Ed25519PrivateKey) -> Signer:
    """A note :class:`~sanxiang.ledger.note.Signer` for ``key`` under ``name``."""
    return Signer(name, key)
