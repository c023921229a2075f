"""The electronic case file (电子案卷): one ZIP that proves itself offline.

Layout (format ``sanxiang-dossier/2``)::

    manifest.json          {"format", "case_number", "generated_at", "files": {path: sha256}}
    case.json              the case record:
                             id, case_number, title, state, agency, algorithm (of the ledger),
                             parties, officers,
                             snapshot   the case row as the ledger last recorded it,
                             related    [{"object": {"type", "id"}, "snapshot"}] — each evidence
                                        row (what it proves, when, where, by whom, device, file
                                        type, size, hashes, technical metadata), each 音像记录
                                        缺失说明 and each 案卷评查 finding of the case,
                             reads      the 调阅记录: every recorded view and download of the
                                        case's evidence and every earlier export of this case
                                        file — [{"index", "type", "time", "actor", "object",
                                        "detail": {"summary", "actor_name", "object_label",
                                        "changes"}}]; each is a ledger entry with a receipt
    documents/…            every issued document: .docx, .pdf and .pdf.sig
    evidence/NNNNN-NAME    every evidence file, as stored (NNNNN is the evidence id)
    ledger/receipts.json   a receipt (entry, inclusion proof, cosigned checkpoint) for every
                           ledger entry about the case and the rows in ``related``
    keys.txt               the verifier keys the export was made with (check them against the
                           published keys, or pass your own with --key)

``python -m sanxiang.dossier verify FILE.zip`` (no database, no settings) checks every file
against the manifest (changed, missing, extra), every receipt against the keys (a forged
checkpoint or a changed entry fails), that each evidence and document file's hash is named by a
proven entry, that case.json's case and every related row are what the ledger last recorded
for them (and no proven row is left out), and that the reads listed are exactly the proven read
entries, their names and summaries bound to them by the entries' detail hash.

What a dossier does not hold:

* anything recorded after the checkpoint signed at export: later entries, reads and uploads,
  the record of this very export (written once the file is complete) and any checkpoint signed
  since — a newer export, or the platform's ``verify_ledger``, shows those; the dossier carries
  no consistency proof to later checkpoints;
* ledger entries about other objects, even where they concern the case's people: officers'
  certificates, accounts, agency settings and lists (the 音像记录事项清单);
* documents not yet rendered to PDF (drafts), resumable uploads not completed, and thumbnails
  (a derived cache, not evidence);
* the readable detail (names, summary) of entries other than reads: their receipts carry ids and
  hashes only, the rows themselves are in ``snapshot`` and ``related``.

Format ``sanxiang-dossier/1`` (before related rows and reads) is still verified, without those
checks.
"""

FORMAT = "sanxiang-dossier/2"
FORMATS = frozenset({"sanxiang-dossier/1", FORMAT})
# Ledger events that record a read of the case file (调阅记录).
READ_EVENTS = frozenset({"evidence.viewed", "evidence.downloaded", "evidence.dossier_exported"})
