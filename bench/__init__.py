"""Benchmark of Excel import/export of the registries: ``python -m bench [--rows N]``."""
