"""The verifiable random draw of 双随机、一公开 (issue 8 §2–3). Pure Python: no Django, no settings.

Anyone holding a published draw file can recompute it (``python -m sanxiang.inspections
verify-draw FILE.json``). The whole procedure, version ``sanxiang-draw/1``:

1. **Inputs** (:mod:`.inputs`): the plan (its strata with a percent or a count each, inspectors
   per target ≥ 2, and whatever else describes it — filter, item, period), the sorted eligible
   target identifiers of each stratum, the sorted eligible inspector identifiers, and the
   exclusions (回避) as sorted ``[target, inspector, reason]`` triples.
2. **Commitment** (:mod:`.commitment`): SHA-256 of the canonical JSON of a summary holding the
   plan and the SHA-256 of each list. The platform records it in the ledger before the randomness
   exists.
3. **Randomness**: the root hash and size of a ledger checkpoint cosigned by the supervisor after
   the commitment was recorded, optionally with a public beacon value the supervisor typed in.
   **Seed** = SHA-256(tag ‖ commitment ‖ canonical JSON of the randomness).
4. **Draw** (:mod:`.prng`, :mod:`.sampling`, :mod:`.assignment`): SHAKE-256 word streams from the
   seed; per stratum ``ceil(percent × N / 100)`` (or the count, at most N) targets by a partial
   Fisher–Yates shuffle; then each drawn target gets k inspectors, each chosen uniformly among the
   least-loaded inspectors not excluded for it; a target that cannot get k is reported.
5. **File** (:mod:`.document`, docs/draw-format.md): every input, the commitment, the randomness,
   the seed, the result and optional ledger evidence (:mod:`.witness`).

Typical use by the platform: ``inputs = prepare_inputs(...)`` and ``commitment_of(inputs)`` when
the plan is committed; ``perform_draw(inputs, randomness)`` to make the tasks;
``build_draw_document(inputs, randomness, ledger)`` to export; ``verify_draw_document(doc)`` on
the portal.
"""

from .commitment import derive_seed, randomness_object
from .document import (
    FORMAT,
    DrawCheck,
    DrawFileError,
    build_draw_document,
    check_draw_document,
    dump_draw_document,
    load_draw_document,
    verify_draw_document,
)
from .engine import DrawResult, Shortfall, StratumDraw, commitment_of, perform_draw
from .inputs import ALGORITHM, REASONS, DrawInputError, percent_text, prepare_inputs

__all__ = [
    "ALGORITHM", "FORMAT", "REASONS", "DrawCheck", "DrawFileError", "DrawInputError", "DrawResult",
    "Shortfall", "StratumDraw", "build_draw_document", "check_draw_document", "commitment_of", "derive_seed",
    "dump_draw_document", "load_draw_document", "percent_text", "perform_draw", "prepare_inputs",
    "randomness_object", "verify_draw_document",
]

