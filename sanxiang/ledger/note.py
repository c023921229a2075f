"""Checkpoints (C2SP tlog-checkpoint) and signed notes (C2SP signed-note), Ed25519. No Django.

A **checkpoint** is the note text::

    <origin>\\n            e.g. "sanxiang.example.gov.cn/ledger/1"
    <tree size>\\n         decimal, no leading zeros
    <base64 root hash>\\n  standard base64 with padding
    [extension lines]\\n   optional, opaque

A **signed note** is that text, a blank line, then one line per signature::

    — <key name> <base64(key id (4 bytes, big-endian) ‖ Ed25519 signature (64 bytes))>\\n

with the em dash U+2014. The signature covers the text including its final newline. The key id is
the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), 0x01 being the Ed25519 signature
type; a **verifier key** is the string ``<name>+<hex key id>+<base64(0x01 ‖ public key)>``
(golang.org/x/mod/sumdb/note, C2SP signed-note).

**Cosigning.** The supervisor's witness adds its own line to the same note (:func:`cosign`):
a plain Ed25519 signed-note signature by the witness key over the same checkpoint text. We do not
use C2SP tlog-cosignature's timestamped type 0x04; the witness's rule (cosign only after checking
a consistency proof from the last checkpoint it cosigned) is enforced by whoever calls
:func:`cosign`, not by the format.

A verifier ignores signatures from keys it does not know, but a signature that claims to be from
a known key (same name and key id) and does not verify rejects the whole note, as the spec says.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
EM_DASH = "\u2014"
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """A note, checkpoint or key that is malformed or does not verify; the message is Chinese."""


# --- keys ---------------------------------------------------------------------------------------


def valid_name(name: str) -> bool:
    """A key name is non-empty UTF-8 with no whitespace and no ``+`` (the signed-note rule)."""
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key id of an Ed25519 ``public_key`` (32 raw bytes) under ``name``."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of an Ed25519 public key."""
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    """A named Ed25519 public key that checks note signatures."""

    name: str
    public_key: bytes  # 32 raw bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def verifier_key(self) -> str:
        """The shareable ``<name>+<hex id>+<base64(0x01 ‖ key)>`` string."""
        encoded = base64.b64encode(bytes([ED25519]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A named Ed25519 private key that signs notes."""

    name: str
    private_key: Ed25519PrivateKey = field(repr=False)

    def __post_init__(self) -> None:
        if not valid_name(self.name):
            raise NoteError(f"密钥名称不合法（不能为空、不能含空白或“+”）：{self.name!r}")

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, raw_public_key(self.private_key.public_key()))

    def signature_line(self, text: str) -> str:
        signature = self.private_key.sign(text.encode("utf-8"))
        blob = base64.b64encode(self.verifier.key_id + signature).decode("ascii")
        return f"{EM_DASH} {self.name} {blob}\n"


def parse_verifier_key(vkey: str) -> Verifier:
    """Parse ``<name>+<hex id>+<base64(0x01 ‖ key)>``; ``NoteError`` if malformed or the id mismatches."""
    parts = vkey.strip().split("+", 2)  # the base64 part may itself contain '+'
    if len(parts) != 3 or not valid_name(parts[0]) or len(parts[1]) != 8:
        raise NoteError(f"验证公钥格式不正确：{vkey!r}")
    name, hex_id, encoded = parts
    try:
        claimed_id, material = bytes.fromhex(hex_id), base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error) as error:
        raise NoteError(f"验证公钥编码不正确：{vkey!r}") from error
    if len(material) != 33 or material[0] != ED25519:
        raise NoteError(f"验证公钥不是 Ed25519 公钥：{vkey!r}")
    verifier = Verifier(name, material[1:])
    if verifier.key_id != claimed_id:
        raise NoteError(f"验证公钥的密钥标识与公钥不符：{vkey!r}")
    return verifier


def parse_signer_key(skey: str) -> Signer:
    """Parse the sumdb/note private key string ``PRIVATE+KEY+<name>+<hex id>+<base64(0x01 ‖ seed)>``."""
    parts = skey.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise NoteError("签名私钥格式不正确")
    try:
        material = base64.b64decode(parts[4], validate=True)
    except binascii.Error as error:
        raise NoteError("签名私钥编码不正确") from error
    if len(material) != 33 or material[0] != ED25519:
        raise NoteError("签名私钥不是 Ed25519 私钥")
    signer = Signer(parts[2], Ed25519PrivateKey.from_private_bytes(material[1:]))
    if signer.verifier.key_id.hex() != parts[3]:
        raise NoteError("签名私钥的密钥标识与私钥不符")
    return signer


# --- checkpoints --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The body of a C2SP tlog-checkpoint: which log, how many entries, and their root hash."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """The note text to sign: origin, size, base64 root, extension lines, each ending in \\n."""
        if not self.origin or "\n" in self.origin or self.size < 0:
            raise NoteError("检查点的来源或大小不合法")
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode("ascii"), *self.extensions]
        return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse checkpoint text (the note text, without signatures); ``NoteError`` if malformed."""
    if not text.endswith("\n"):
        raise NoteError("检查点必须以换行结尾")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not lines[0] or any(not line for line in lines[3:]):
        raise NoteError("检查点至少要有来源、大小、根哈希三行，且不能有空行")
    origin, size_text, root_text = lines[:3]
    if not size_text.isascii() or not size_text.isdigit() or (size_text != "0" and size_text[0] == "0"):
        raise NoteError(f"检查点的树大小不是十进制数：{size_text!r}")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as error:
        raise NoteError("检查点的根哈希不是 Base64") from error
    if len(root) != 32 or base64.b64encode(root).decode("ascii") != root_text:
        raise NoteError("检查点的根哈希长度或编码不正确")
    return Checkpoint(origin, int(size_text), root, tuple(lines[3:]))


# --- signed notes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_id: bytes
    signature: bytes
    line: str  # as it appeared, with its newline


@dataclass(frozen=True)
class OpenedNote:
    """A note whose signatures were checked: its text and the names of the known keys that signed."""

    text: str
    signed_by: tuple[str, ...]
    unknown: tuple[SignatureLine, ...]  # signatures from keys the verifier was not given

    @property
    def checkpoint(self) -> Checkpoint:
        return parse_checkpoint(self.text)


def _check_text(text: str) -> None:
    if not text.endswith("\n") or "\n\n" in text:
        raise NoteError("便笺正文必须以换行结尾且不能有空行")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise NoteError("便笺正文不能含控制字符")


def sign_note(text: str, signers: Iterable[Signer]) -> str:
    """Sign ``text`` (ending in a newline, no blank line) with each signer; returns the signed note."""
    _check_text(text)
    lines = [signer.signature_line(text) for signer in signers]
    if not lines:
        raise NoteError("至少需要一个签名者")
    return text + "\n" + "".join(lines)


def split_note(note: str) -> tuple[str, list[SignatureLine]]:
    """Split a signed note into its text and parsed signature lines; ``NoteError`` if malformed."""
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise NoteError("不是签名便笺：缺少正文与签名之间的空行")
    text, block = note[: cut + 1], note[cut + 2 :]
    _check_text(text)
    signatures = [_parse_signature_line(line + "\n") for line in block[:-1].split("\n")]
    if not signatures or len(signatures) > MAX_SIGNATURES:
        raise NoteError("签名便笺的签名行数不合法")
    return text, signatures


def _parse_signature_line(line: str) -> SignatureLine:
    prefix = EM_DASH + " "
    parts = line[len(prefix) : -1].split(" ")
    if not line.startswith(prefix) or len(parts) != 2 or not valid_name(parts[0]):
        raise NoteError(f"签名行格式不正确：{line.strip()!r}")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except binascii.Error as error:
        raise NoteError(f"签名行不是 Base64：{line.strip()!r}") from error
    if len(blob) < 5:
        raise NoteError(f"签名行过短：{line.strip()!r}")
    return SignatureLine(parts[0], blob[:4], blob[4:], line)


def open_note(note: str, verifiers: Iterable[Verifier]) -> OpenedNote:
    """Check the signatures of ``note`` against known ``verifiers``.

    Returns the text and which known keys signed. ``NoteError`` if the note is malformed, if a
    signature from a known key fails, or if no known key signed at all.
    """
    text, signatures = split_note(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    signed_by: list[str] = []
    unknown: list[SignatureLine] = []
    for sig in signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            unknown.append(sig)
        elif not verifier.verify(text.encode("utf-8"), sig.signature):
            raise NoteError(f"“{sig.name}”的签名验证失败：便笺已被改动或签名伪造")
        elif sig.name not in signed_by:
            signed_by.append(sig.name)
    if not signed_by:
        raise NoteError("便笺没有任何已知公钥的有效签名")
    return OpenedNote(text, tuple(signed_by), tuple(unknown))


def cosign(note: str, witness: Signer) -> str:
    """Add the ``witness``'s signature line to an already signed ``note`` (kept if already there).

    Checks nothing about the log: the caller verifies the existing signatures and the consistency
    proof from the last checkpoint it cosigned before calling this.
    """
    text, signatures = split_note(note)
    if any(sig.name == witness.name and sig.key_id == witness.verifier.key_id for sig in signatures):
        return note
    return note + witness.signature_line(text)


def sign_checkpoint(checkpoint: Checkpoint, signers: Iterable[Signer]) -> str:
    """The signed note of ``checkpoint``."""
    return sign_note(checkpoint.text(), signers)


def open_checkpoint(note: str, verifiers: Iterable[Verifier]) -> tuple[Checkpoint, tuple[str, ...]]:
    """Verify a signed checkpoint note; return the parsed checkpoint and the names that signed."""
    opened = open_note(note, verifiers)
    return opened.checkpoint, opened.signed_by
