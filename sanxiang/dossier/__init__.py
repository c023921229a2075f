"""The electronic case file (电子案卷): one ZIP that proves itself offline.

Layout::

    manifest.json          {"format": "sanxiang-dossier/1", "case_number", "files": {path: sha256}}
    case.json              the case record, with its ledger snapshot ("snapshot")
    documents/…            every issued document: .docx, .pdf and .pdf.sig
    evidence/…             every evidence file
    ledger/receipts.json   a receipt (entry, inclusion proof, cosigned checkpoint) for every
                           ledger entry about the case, its documents and its evidence
    keys.txt               the verifier keys the export was made with (check them against the
                           published keys, or pass your own with --key)

``python -m sanxiang.dossier verify FILE.zip`` (no database) checks every file against the
manifest (changed, missing, extra), every receipt against the keys (a forged checkpoint or a
changed entry fails), that each evidence and document file's hash is named by a proven entry,
and that case.json is the state the ledger last recorded.
"""

FORMAT = "sanxiang-dossier/1"
