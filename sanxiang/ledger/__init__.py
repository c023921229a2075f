"""执法全过程记录账本 (the ledger): a tamper-evident, append-only RFC 6962 Merkle log.

The pure core of this package (merkle, canonical, note, receipt, keys, cli) imports no Django, so
anyone can verify a receipt or an exported slice of the log with ``python -m sanxiang.ledger``.
The Django side (models, services, management commands) lives beside it and builds on the core.
Keep this file free of imports: importing the package must not pull in Django or cryptography.
"""
