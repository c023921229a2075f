"""Signed checkpoints, the witness (司法局) that cosigns them, and receipts.

The platform signs a C2SP checkpoint (origin, size, root) of its log. The witness — the
supervisor's key — cosigns a checkpoint only after checking a consistency proof from the last
checkpoint it cosigned, so an agency (or anyone with database access) cannot rewrite or fork the
history it has already vouched for without the witness refusing. Keys are created on first use in
``settings.LEDGER_KEYS_DIR`` (inside the data folder, never in the repository).
"""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import transaction

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.ledger import merkle, note
from sanxiang.ledger.keys import ensure_private_key
from sanxiang.ledger.models import Checkpoint, Cosignature, Entry, Log
from sanxiang.ledger.receipt import make_receipt
from sanxiang.ledger.services import default_log, record, subtree_hashes

PLATFORM_KEY_FILE = "platform-ed25519.pem"
WITNESS_KEY_FILE = "witness-ed25519.pem"


class WitnessRefused(Exception):
    """The witness will not cosign; the message (Chinese) says why."""


def platform_signer() -> note.Signer:
    key = ensure_private_key(settings.LEDGER_KEYS_DIR / PLATFORM_KEY_FILE)
    return note.Signer(settings.LEDGER_SIGNER_NAME, key)


def witness_signer() -> note.Signer:
    key = ensure_private_key(settings.LEDGER_KEYS_DIR / WITNESS_KEY_FILE)
    return note.Signer(settings.LEDGER_WITNESS_NAME, key)


def public_keys() -> dict[str, str]:
    """The verifier keys to publish: {"platform": "<name>+<id>+<key>", "witness": …}."""
    return {"platform": platform_signer().verifier.verifier_key(),
            "witness": witness_signer().verifier.verifier_key()}


def stored_getter(log: Log, positions: Sequence[tuple[int, int]]) -> Callable[[int, int], bytes]:
    """A ``get(level, index)`` over the stored subtrees at ``positions`` (one query)."""
    rows = subtree_hashes(log, positions)
    return lambda level, index: rows[level, index]


def _root(log: Log, size: int) -> bytes:
    return merkle.root_from_subtrees(size, stored_getter(log, merkle.root_positions(size)), log.algorithm)


def _extensions(log: Log) -> tuple[str, ...]:
    # The checkpoint format does not name the hash; an SM3 log says so in an extension line.
    return () if log.algorithm == "sha256" else (f"hash {log.algorithm}",)


@transaction.atomic
def sign_checkpoint(log: Log | None = None) -> Checkpoint:
    """Sign the log as it stands (or return the newest checkpoint if nothing was added since)."""
    log = Log.objects.select_for_update().get(pk=(log or default_log()).pk)
    latest = log.checkpoints.order_by("-size", "-id").first()
    if latest is not None and latest.size == log.size:
        return latest
    if latest is not None and latest.size > log.size:
        # The log holds fewer entries than the platform already signed for: rolled back.
        raise WitnessRefused(f"日志只有 {log.size} 条，少于已签署的检查点（{latest.size} 条）：日志被截断或回滚，"
                             "平台拒绝签署")
    root = _root(log, log.size)
    body = note.Checkpoint(log.name, log.size, root, _extensions(log))
    signed = note.sign_checkpoint(body, [platform_signer()])
    return Checkpoint.objects.create(log=log, size=log.size, root=root, note=signed)


def cosigned_note(checkpoint: Checkpoint) -> str:
    """The checkpoint's note with every witness signature appended."""
    lines = "".join(c.signature_line for c in checkpoint.cosignatures.order_by("id"))
    return checkpoint.note + lines


def last_cosigned(log: Log, witness: str) -> Checkpoint | None:
    cosignature = (Cosignature.objects.filter(checkpoint__log=log, witness=witness)
                   .select_related("checkpoint").order_by("-checkpoint__size", "-id").first())
    return cosignature.checkpoint if cosignature else None


@transaction.atomic
def cosign(checkpoint: Checkpoint, actor: User | None) -> Cosignature:
    """The witness cosigns ``checkpoint`` after checking it against what it signed before.

    ``actor`` is the supervisor performing it (None: the operator's command). Raises
    :class:`WitnessRefused` when the platform signature is bad or the log is not consistent with
    the last checkpoint the witness cosigned.
    """
    if actor is not None and not actor.has_role(Role.SUPERVISOR):
        raise WitnessRefused("只有监督人员（司法局）可以见证签署检查点")
    witness = witness_signer()
    existing = checkpoint.cosignatures.filter(witness=witness.name).first()
    if existing is not None:
        return existing
    current = _opened(checkpoint)
    previous = last_cosigned(checkpoint.log, witness.name)
    if previous is not None:
        _check_consistent(checkpoint.log, _opened(previous), current)
    text, _ = note.split_note(checkpoint.note)
    cosignature = Cosignature.objects.create(checkpoint=checkpoint, witness=witness.name,
                                             signature_line=witness.signature_line(text))
    record(event_type="ledger.checkpoint.cosigned", actor=actor, agency=actor.agency if actor else None,
           role=Role.SUPERVISOR, summary=f"见证签署检查点：树大小 {current.size}",
           changes={"size": current.size, "root": current.root.hex()})
    return cosignature


def _opened(checkpoint: Checkpoint) -> note.Checkpoint:
    platform = platform_signer().verifier
    try:
        body, signed_by = note.open_checkpoint(checkpoint.note, [platform])
    except note.NoteError as error:
        raise WitnessRefused(f"检查点格式错误：{error}") from error
    if platform.name not in signed_by:
        raise WitnessRefused("检查点没有有效的平台签名")
    if (body.size, body.root) != (checkpoint.size, bytes(checkpoint.root)):
        raise WitnessRefused("检查点记录与签名文本不符")
    return body


def _check_consistent(log: Log, old: note.Checkpoint, new: note.Checkpoint) -> None:
    if new.size < old.size:
        raise WitnessRefused(f"新检查点（{new.size} 条）小于已见证的检查点（{old.size} 条）：日志被截断")
    positions = merkle.consistency_positions(old.size, new.size)
    try:
        proof = merkle.consistency_proof_from_subtrees(
            old.size, new.size, stored_getter(log, positions), log.algorithm)
    except KeyError:
        raise WitnessRefused("无法从存储的日志生成一致性证明：子树哈希缺失") from None
    if not merkle.verify_consistency(old.size, new.size, old.root, new.root, proof, log.algorithm):
        raise WitnessRefused(f"新检查点与已见证的检查点（{old.size} 条）不一致：历史记录被改写或分叉")


def receipt(entry: Entry) -> dict:
    """A receipt for ``entry``: its bytes, index, inclusion proof and the (co)signed checkpoint
    covering it (a new checkpoint is signed when none covers it yet)."""
    log = entry.log
    covering = log.checkpoints.filter(size__gt=entry.index)
    # Prefer a checkpoint the witness cosigned: the receipt then proves more than our own word.
    checkpoint = (covering.filter(cosignatures__isnull=False).order_by("-size", "-id").first()
                  or covering.order_by("-size", "-id").first())
    if checkpoint is None:
        checkpoint = sign_checkpoint(log)
    positions = merkle.inclusion_positions(entry.index, checkpoint.size)
    proof = merkle.inclusion_proof_from_subtrees(
        entry.index, checkpoint.size, stored_getter(log, positions), log.algorithm)
    return make_receipt(bytes(entry.body), entry.index, checkpoint.size, proof, cosigned_note(checkpoint),
                        log.algorithm)
