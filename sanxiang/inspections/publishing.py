"""The published draw of a plan: the draw file (docs/draw-format.md) built from the plan's frozen
inputs and randomness, with the ledger evidence (the cosigned checkpoint whose root is the
randomness, the verifier keys, the commitment entry's receipt proved against that checkpoint)."""

from __future__ import annotations

from typing import Any

from sanxiang.inspections import draw
from sanxiang.inspections.choices import PlanStatus
from sanxiang.inspections.models import Plan
from sanxiang.inspections.services import commitment_entry
from sanxiang.ledger import merkle
from sanxiang.ledger.checkpoints import cosigned_note, public_keys, stored_getter
from sanxiang.ledger.models import Checkpoint
from sanxiang.ledger.receipt import make_receipt


class NotDrawn(ValueError):
    """The plan has no draw to publish yet (message in Chinese)."""


def ledger_section(plan: Plan) -> dict[str, Any]:
    """The ``ledger`` section of the draw file for ``plan`` (see sanxiang.inspections.draw.witness)."""
    entry = commitment_entry(plan)
    checkpoint = (Checkpoint.objects.filter(log=entry.log, size=plan.checkpoint_size, cosignatures__isnull=False)
                  .order_by("id").first())
    if checkpoint is None:
        return {}
    log = entry.log
    positions = merkle.inclusion_positions(entry.index, checkpoint.size)
    proof = merkle.inclusion_proof_from_subtrees(entry.index, checkpoint.size, stored_getter(log, positions),
                                                 log.algorithm)
    note = cosigned_note(checkpoint)
    keys = public_keys()
    return {"checkpoint": note, "keys": [keys["platform"], keys["witness"]],
            "commitment_receipt": make_receipt(bytes(entry.body), entry.index, checkpoint.size, proof, note,
                                               log.algorithm)}


def draw_document(plan: Plan, *, with_ledger: bool = True) -> dict[str, Any]:
    """The draw file's object for a drawn plan (raises :class:`NotDrawn` otherwise)."""
    if plan.status != PlanStatus.DRAWN or not plan.inputs or not plan.has_randomness:
        raise NotDrawn("该计划尚未抽取，没有可公布的抽取结果")
    ledger = ledger_section(plan) if with_ledger else None
    document = draw.build_draw_document(plan.inputs, plan.randomness(), ledger)
    # What was committed and drawn at the time, as stored, not as recomputed now: the verifier
    # then compares the two, so a list changed after the commitment shows.
    document.update(commitment=plan.commitment, seed=plan.seed, result=plan.result)
    return document
