"""The commitment to a draw's inputs and the seed derived from it and the randomness.

**List digest.** A list of identifiers is hashed as the text file with one identifier per line:
each identifier in UTF-8 followed by a line feed (``\\n``); an empty list is the empty file. So
``sha256sum`` of a downloaded list gives the same digest.

**Exclusions digest.** SHA-256 of the canonical JSON of the exclusions array (each exclusion is
``[target, inspector, reason]``, see :mod:`.inputs`).

**Commitment summary** (an object; its canonical JSON is what the commitment hashes)::

    {"algorithm": "sanxiang-draw/1",
     "plan": {…the plan object as published…},
     "targets": {"<stratum key>": {"count": N, "sha256": "<list digest>"}, …},
     "inspectors": {"count": M, "sha256": "<list digest>"},
     "exclusions": {"count": E, "sha256": "<exclusions digest>"}}

**Commitment** = lower-case hex SHA-256 of the canonical JSON of the summary. Canonical JSON is
the ledger's (``sanxiang.ledger.canonical``, RFC 8785 style): UTF-8, keys sorted, no whitespace,
integers exact, strings escaping only ``"``, ``\\`` and control characters.

**Seed** = SHA-256(``"sanxiang-draw/1 seed"`` in ASCII ‖ one zero byte ‖ the 32 bytes of the
commitment ‖ the canonical JSON of the randomness object ``{"checkpoint_root": "<hex>",
"checkpoint_size": n}`` plus ``"beacon": "<text>"`` when a beacon was given).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sanxiang.ledger.canonical import canonical_bytes

SEED_TAG = b"sanxiang-draw/1 seed\x00"


def joined_digest(joined: str, count: int) -> str:
    """The list digest from ``"\\n".join(identifiers)`` of ``count`` identifiers (no copy of the text)."""
    digest = hashlib.sha256(joined.encode("utf-8"))
    if count:
        digest.update(b"\n")
    return digest.hexdigest()


def list_digest(identifiers: Sequence[str]) -> str:
    """SHA-256 hex of the identifiers as a text file, one per line, each ending in ``\\n``."""
    return hashlib.sha256("".join(i + "\n" for i in identifiers).encode("utf-8")).hexdigest()


def exclusions_digest(exclusions: Sequence[Sequence[str]]) -> str:
    """SHA-256 hex of the canonical JSON of the exclusions array.

    For an array of arrays of strings the C JSON encoder writes exactly the canonical bytes (the
    same string escaping, no keys to sort), and much faster than the general encoder.
    """
    text = json.dumps(exclusions, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summary(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The commitment summary of an inputs object (see the module docstring)."""
    return {
        "algorithm": inputs["algorithm"],
        "plan": inputs["plan"],
        "targets": {key: {"count": len(ids), "sha256": list_digest(ids)}
                    for key, ids in inputs["targets"].items()},
        "inspectors": {"count": len(inputs["inspectors"]), "sha256": list_digest(inputs["inspectors"])},
        "exclusions": {"count": len(inputs["exclusions"]), "sha256": exclusions_digest(inputs["exclusions"])},
    }


def commitment_of_summary(data: Mapping[str, Any]) -> str:
    """The commitment (hex) of a commitment summary."""
    return hashlib.sha256(canonical_bytes(data)).hexdigest()


def commitment(inputs: Mapping[str, Any]) -> str:
    """The commitment (hex) of an inputs object."""
    return commitment_of_summary(summary(inputs))


def randomness_object(checkpoint_root: str, checkpoint_size: int, beacon: str | None = None) -> dict[str, Any]:
    """The randomness as the document holds it (beacon omitted when there is none)."""
    data: dict[str, Any] = {"checkpoint_root": checkpoint_root.lower(), "checkpoint_size": checkpoint_size}
    if beacon:
        data["beacon"] = beacon
    return data


def derive_seed(commitment_hex: str, randomness: Mapping[str, Any]) -> bytes:
    """The 32-byte seed of the draw (see the module docstring)."""
    return hashlib.sha256(SEED_TAG + bytes.fromhex(commitment_hex) + canonical_bytes(dict(randomness))).digest()
