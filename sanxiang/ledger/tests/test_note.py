"""Checkpoints and signed notes, and the key files behind them. No database."""

import base64
import os
import stat

import pytest

from sanxiang.ledger import keys, merkle
from sanxiang.ledger.note import (
    Checkpoint,
    NoteError,
    Signer,
    cosign,
    key_id,
    open_checkpoint,
    open_note,
    parse_checkpoint,
    parse_signer_key,
    parse_verifier_key,
    sign_checkpoint,
    sign_note,
    split_note,
)

# The published example of golang.org/x/mod/sumdb/note (and of the C2SP signed-note spec's users).
# Ed25519 is deterministic, so our signature must reproduce it byte for byte.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ORIGIN = "sanxiang.test/ledger/1"


def make_signer(name: str) -> Signer:
    return keys.signer(name, keys.generate_private_key())


def test_go_reference_note_is_reproduced_and_opens():
    signer = parse_signer_key(GO_SKEY)
    assert signer.verifier.verifier_key() == GO_VKEY
    assert sign_note(GO_TEXT, [signer]) == GO_NOTE
    opened = open_note(GO_NOTE, [parse_verifier_key(GO_VKEY)])
    assert opened.text == GO_TEXT
    assert opened.signed_by == ("PeterNeumann",)
    with pytest.raises(NoteError):
        open_note(GO_NOTE.replace("cryptography", "cryptographY"), [parse_verifier_key(GO_VKEY)])


def test_key_id_is_sha256_of_name_newline_type_and_key():
    verifier = parse_verifier_key(GO_VKEY)
    assert verifier.key_id.hex() == "c74f20a3"
    assert key_id("PeterNeumann", verifier.public_key) == bytes.fromhex("c74f20a3")


@pytest.mark.parametrize(
    "bad",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # id does not match
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in the name
        "PeterNeumann+c74f20a3+AhpcQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # not type 0x01
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  # bad base64
        "PeterNeumann+c74f20a3",
        "",
    ],
)
def test_malformed_verifier_keys_are_rejected(bad):
    with pytest.raises(NoteError):
        parse_verifier_key(bad)


def test_checkpoint_text_round_trip():
    root = merkle.root_hash([b"a", b"b", b"c"])
    checkpoint = Checkpoint(ORIGIN, 3, root)
    text = checkpoint.text()
    assert text == f"{ORIGIN}\n3\n{base64.b64encode(root).decode()}\n"
    assert parse_checkpoint(text) == checkpoint
    with_extension = Checkpoint(ORIGIN, 3, root, ("algorithm sm3",))
    assert parse_checkpoint(with_extension.text()) == with_extension


@pytest.mark.parametrize(
    "text",
    [
        "origin\n3\n",
        "origin\n03\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n-3\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n3\n" + base64.b64encode(bytes(31)).decode() + "\n",
        "origin\n3\n" + base64.b64encode(bytes(32)).decode(),
        "\n3\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n３\n" + base64.b64encode(bytes(32)).decode() + "\n",
    ],
)
def test_malformed_checkpoints_are_rejected(text):
    with pytest.raises(NoteError):
        parse_checkpoint(text)


def test_checkpoint_signed_then_cosigned_by_the_witness():
    platform, witness = make_signer("sanxiang.test/platform"), make_signer("sanxiang.test/witness")
    checkpoint = Checkpoint(ORIGIN, 8, merkle.root_hash([bytes([n]) for n in range(8)]))
    note = sign_checkpoint(checkpoint, [platform])
    cosigned = cosign(note, witness)
    assert cosigned.startswith(note)  # the witness only adds a line
    assert cosign(cosigned, witness) == cosigned  # idempotent
    parsed, signed_by = open_checkpoint(cosigned, [platform.verifier, witness.verifier])
    assert parsed == checkpoint
    assert signed_by == ("sanxiang.test/platform", "sanxiang.test/witness")
    # Knowing only one key is enough to open it; the other signature is reported as unknown.
    opened = open_note(cosigned, [witness.verifier])
    assert opened.signed_by == ("sanxiang.test/witness",)
    assert [sig.name for sig in opened.unknown] == ["sanxiang.test/platform"]


def test_tampered_or_unsigned_notes_are_rejected():
    platform, stranger = make_signer("platform"), make_signer("stranger")
    note = sign_checkpoint(Checkpoint(ORIGIN, 1, merkle.root_hash([b"x"])), [platform])
    with pytest.raises(NoteError, match="没有任何已知公钥"):
        open_note(note, [stranger.verifier])
    tampered = note.replace("\n1\n", "\n2\n", 1)
    with pytest.raises(NoteError, match="签名验证失败"):
        open_note(tampered, [platform.verifier])
    # A forged line claiming to be the known key rejects the note even next to a valid one.
    line = platform.signature_line("other text\n")
    with pytest.raises(NoteError):
        open_note(note + line, [platform.verifier])


@pytest.mark.parametrize(
    "bad",
    [
        GO_TEXT,  # no signatures
        GO_TEXT + "\n",
        GO_NOTE.replace("— ", "-- "),
        GO_NOTE.replace("— PeterNeumann ", "— PeterNeumann  "),
        GO_NOTE.replace("x08go", "x08go!"),
        GO_NOTE[:-1],
        GO_TEXT + "\n— PeterNeumann AAAA\n",
    ],
)
def test_malformed_notes_are_rejected(bad):
    with pytest.raises(NoteError):
        open_note(bad, [parse_verifier_key(GO_VKEY)])


def test_note_text_rules():
    signer = make_signer("s")
    for text in ["no newline", "blank\n\nline\n", "tab\tcontrol\n"]:
        with pytest.raises(NoteError):
            sign_note(text, [signer])
    with pytest.raises(NoteError):
        sign_note("ok\n", [])
    with pytest.raises(NoteError):
        make_signer("has space")
    assert split_note(sign_note("多行\n文本\n", [signer]))[0] == "多行\n文本\n"


def test_private_key_file_is_0600_never_overwritten_and_loads(tmp_path):
    path = tmp_path / "keys" / "platform.pem"
    key = keys.ensure_private_key(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert keys.public_key_bytes(keys.ensure_private_key(path)) == keys.public_key_bytes(key)
    with pytest.raises(FileExistsError):
        keys.save_private_key(path, keys.generate_private_key())
    assert keys.public_key_bytes(keys.load_private_key(path)) == keys.public_key_bytes(key)
    assert [p.name for p in path.parent.iterdir()] == ["platform.pem"]  # no temporary left behind
    vkey = keys.verifier_key("sanxiang.test/platform", keys.public_key_bytes(key))
    assert parse_verifier_key(vkey).public_key == keys.public_key_bytes(key)


def test_loading_a_non_ed25519_key_fails(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    other = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "ec.pem"
    path.write_bytes(other.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    with pytest.raises(ValueError):
        keys.load_private_key(path)
