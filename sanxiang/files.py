"""Write-once files: the one way the platform puts a finished file in place (documents, evidence)."""

import os
from pathlib import Path


def publish_once(source: Path, target: Path) -> bool:
    """Make the complete file ``source`` read-only and hard-link it in at ``target``, so readers
    never see a partial file. False when ``target`` already exists: names are content hashes, so
    the same bytes are stored already and nothing is replaced. The caller removes ``source``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(source, 0o444)
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    return True
