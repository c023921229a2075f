"""What detectors report: spans to replace (``Candidate``) and spans to leave alone (``Protected``)."""

from __future__ import annotations

from dataclasses import dataclass

# Higher wins an overlap. Numbers and other identifiers first, then the detailed address that may
# contain name-like words (张江路), then names by how sure we are of them.
PRIORITY = {
    "id_number": 90,
    "bank_account": 90,
    "phone": 90,
    "email": 90,
    "plate": 85,
    "property_certificate": 85,
    "address": 80,
    "name": 60,
}
SOURCE_BONUS = {"known": 5, "context": 1, "pattern": 0, "segmenter": -10}


@dataclass(frozen=True)
class Candidate:
    """A span of the original text to replace. ``person`` keys the pseudonym of a name."""

    start: int
    end: int
    kind: str
    source: str
    person: str | None = None

    @property
    def priority(self) -> int:
        return PRIORITY[self.kind] + SOURCE_BONUS.get(self.source, 0)


@dataclass(frozen=True)
class Protected:
    """A span that must stay as written: an organisation's name or USCC (``hard``), or an officer's
    name or an explicit ``keep`` value (soft: a known person's own values still win)."""

    start: int
    end: int
    hard: bool = True
