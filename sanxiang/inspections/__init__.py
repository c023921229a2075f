"""双随机、一公开 (random inspections): plans, the verifiable draw, tasks and results.

The draw's pure core lives in :mod:`sanxiang.inspections.draw` (no Django), so anyone can re-run a
published draw with ``python -m sanxiang.inspections verify-draw FILE.json`` without a database.
Keep this file free of imports: importing the package must not pull in Django.
"""
